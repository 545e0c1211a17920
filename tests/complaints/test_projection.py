"""The register replayed from the chronology (complaints.projection), without a database."""

from datetime import date

from reclamations.complaints.projection import EventFacts, Replayed, findings, replay

REGISTERED = EventFacts(
    "registered",
    "in_progress",
    date(2026, 11, 2),
    {
        "channel": "email",
        "received_at": "2026-11-02T08:59:00+00:00",
        "due_date": "2026-11-16",
        "fields": {"client_name": "Julie Martin", "kind": "complaint"},
    },
)


def test_registration_gives_its_fields_and_the_defaults_of_what_comes_later():
    fields = replay([REGISTERED]).fields

    assert fields["client_name"] == "Julie Martin"
    assert fields["received_on"] == date(2026, 11, 2)
    assert fields["clock_started_on"] == date(2026, 11, 2)
    assert fields["confirmation_pending"] is False
    assert fields["replied_on"] is None
    assert fields["status"] == "in_progress"


def test_a_correction_gives_the_value_after():
    corrected = EventFacts(
        "details_updated",
        "in_progress",
        date(2026, 11, 3),
        {"changes": {"client_name": ["Julie Martin", "Julie Martin-Roux"]}, "reason": "Nom."},
    )

    assert replay([REGISTERED, corrected]).fields["client_name"] == "Julie Martin-Roux"


def test_an_action_gives_the_changes_it_recorded():
    replied = EventFacts(
        "replied",
        "replied",
        date(2026, 11, 5),
        {"changes": {"replied_on": "2026-11-05", "reply_channel": "email"}},
        document_sha256="c" * 64,
    )

    replayed = replay([REGISTERED, replied])

    assert (replayed.fields["replied_on"], replayed.fields["status"]) == ("2026-11-05", "replied")
    assert replayed.documents == frozenset({"c" * 64})


def test_a_registration_that_does_not_say_its_fields_leaves_them_out():
    # An event written before its payload said a field: the field is not compared, not guessed.
    older = EventFacts("registered", "in_progress", date(2026, 11, 2), {"channel": "email"})

    assert (
        findings("REC-2026-0001", {"client_name": "X", "status": "in_progress"}, replay([older]))
        == []
    )


def test_a_complaint_registered_not_admissible_compares_its_closing_day_only_when_said():
    data = {**REGISTERED.data, "fields": {"kind": "not_admissible"}}
    before = EventFacts("registered", "closed", date(2026, 11, 2), data)
    since = EventFacts(
        "registered", "closed", date(2026, 11, 2), {**data, "closed_on": "2026-11-02"}
    )

    assert "closed_on" not in replay([before]).fields
    assert replay([since]).fields["closed_on"] == "2026-11-02"
    assert replay([since]).fields["outcome"] == "not_admissible"


def test_a_posted_reply_letter_gives_its_registered_number():
    letter = "d" * 64
    replied = EventFacts("replied", "replied", date(2026, 11, 5), {}, document_sha256=letter)
    posted = EventFacts(
        "letter_posted",
        "replied",
        date(2026, 11, 6),
        {"letter": {"id": 4, "sha256": letter}, "registered_number": "1A 2"},
    )
    other = EventFacts(
        "letter_posted",
        "replied",
        date(2026, 11, 6),
        {"letter": {"id": 5, "sha256": "e" * 64}, "registered_number": "9Z 9"},
    )

    fields = replay([REGISTERED, replied, posted, other]).fields

    assert fields["reply_registered_number"] == "1A 2"


def test_findings_name_the_complaint_the_field_and_both_values():
    stored = {"client_name": "Jean Dupont", "due_date": date(2026, 11, 16), "status": "in_progress"}

    assert findings("REC-2026-0042", stored, replay([REGISTERED])) == [
        "REC-2026-0042 : le nom du client au registre (« Jean Dupont ») ne correspond pas à la "
        "chronologie (« Julie Martin »)"
    ]


def test_a_complaint_without_events_is_a_finding():
    assert findings("REC-2026-0042", {}, Replayed(0)) == [
        "REC-2026-0042 : aucun événement de la chronologie pour cette réclamation"
    ]


def test_the_same_instant_in_two_offsets_agrees():
    stored = {"received_at": "2026-11-02T09:59:00+01:00"}

    assert findings("REC-2026-0001", stored, replay([REGISTERED])) == []
