"""The data subjects' requests (privacy.requests): their one-month clock and its extension,
their decision and its rules, an erasure that anonymises the person's closed complaints and
keeps what cannot or need not go, each step an event of the organisation's chain that
`reclamations verify` still accepts.

The clock stands at Monday 2 November 2026, 10:00 in Paris (tests/clock.py).
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from reclamations.complaints.enums import EventType, Status
from reclamations.complaints.event_reading import event_text
from reclamations.complaints.events import shown_keys
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.redaction import PLACEHOLDER
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.delivery import deliver_due
from reclamations.privacy import rules
from reclamations.privacy.erasure_review import erasure_review
from reclamations.privacy.models import DataRequest, Decision, RequestKind, RequestStatus
from reclamations.privacy.request_reading import data_request_findings, request_chronology
from reclamations.privacy.requests import (
    DataRequestRefused,
    NewDataRequest,
    data_request_create,
    data_request_decide,
    data_request_extend,
    data_request_update,
)
from reclamations.reporting.integrity import verify_all
from tests.factories import complaint_in_state, make_complaint

pytestmark = pytest.mark.usefixtures("clock")

EMAIL = "ondine.verhaeghe@example.net"
TODAY = date(2026, 11, 2)


def _verified() -> list[tuple[str, bool, tuple[str, ...]]]:
    return [(r.organisation.name, r.ok, tuple(r.findings)) for r in verify_all()]


def _request(organisation, manager, kind=RequestKind.ERASURE, received_on=date(2026, 10, 20)):
    return data_request_create(
        organisation=organisation,
        actor=manager,
        new=NewDataRequest(
            kind=kind,
            person_name="Ondine Verhaeghe",
            person_email=EMAIL.upper(),
            received_on=received_on,
            notes="Reçue par courrier, pièce d'identité vérifiée.",
        ),
    )


def _closed(organisation, referent, **fields) -> Complaint:
    complaint = complaint_in_state(
        organisation, referent, "closed", client_name="Ondine Verhaeghe", client_email=EMAIL,
        **fields,
    )  # fmt: skip
    deliver_due()  # the reply's e-mail sent: a queued message holds back an anonymisation
    return complaint


def _events(event_type: str) -> list[dict]:
    return list(
        ComplaintEvent.objects.filter(event_type=event_type)
        .order_by("sequence")
        .values_list("data", flat=True)
    )


# The clock (GDPR article 12(3)), pure rules


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 11, 2), date(2026, 12, 2)),
        (date(2026, 12, 31), date(2027, 1, 31)),
    ],
)
def test_a_request_is_due_the_same_day_of_the_next_month_or_its_last_day(received, due):
    assert rules.request_due_on(received) == due


def test_an_extension_counts_its_months_from_the_reception():
    assert rules.extended_due_on(date(2027, 1, 31), 1) == date(2027, 3, 31)
    assert rules.extended_due_on(date(2027, 1, 31), 2) == date(2027, 4, 30)
    for months in (0, 3):
        with pytest.raises(ValueError):
            rules.extended_due_on(date(2027, 1, 31), months)


def test_a_request_is_reminded_within_seven_days_of_its_deadline_then_when_overdue():
    deadline = date(2026, 11, 20)
    assert rules.request_reminder(deadline, date(2026, 11, 12)) is None
    assert rules.request_reminder(deadline, date(2026, 11, 13)) == rules.DUE_SOON
    assert rules.request_reminder(deadline, deadline) == rules.DUE_SOON
    assert rules.request_reminder(deadline, date(2026, 11, 21)) == rules.OVERDUE


# Recording a request


def test_a_request_recorded_is_due_in_a_month_with_the_persons_complaints(
    organisation, other_organisation, manager, referent
):
    hers = make_complaint(organisation, referent, client_email="Ondine.Verhaeghe@Example.net")
    make_complaint(organisation, referent)  # Julie Martin's
    make_complaint(other_organisation, None, client_email=EMAIL)  # another organisation's

    request = _request(organisation, manager)

    assert (request.status, request.due_on, request.deadline) == (
        RequestStatus.OPEN,
        date(2026, 11, 20),
        date(2026, 11, 20),
    )
    assert (request.person_email, request.recorded_by) == (EMAIL.upper(), manager)
    assert list(request.complaints.all()) == [hers]


def test_its_event_names_the_request_not_the_person(organisation, manager):
    request = _request(organisation, manager)

    event = ComplaintEvent.objects.get(event_type=EventType.DATA_REQUEST_RECEIVED)
    assert (event.complaint, event.improvement, event.occurred_on) == (
        None,
        None,
        date(2026, 10, 20),
    )
    assert event.data == {
        "request": request.pk,
        "kind": "erasure",
        "received_on": "2026-10-20",
        "due_on": "2026-11-20",
    }
    assert event_text(event.event_type, event.data) == (
        f"Demande n° : {request.pk}\nDroit exercé : Effacement (article 17)\n"
        "Reçue le : 20/10/2026\nÉchéance : 20/11/2026"
    )
    assert _verified() == [("CCS", True, ())]


def test_a_request_with_wrong_values_is_refused_whole_and_writes_nothing(organisation, manager):
    with pytest.raises(ValidationError) as refused:
        data_request_create(
            organisation=organisation,
            actor=manager,
            new=NewDataRequest(kind="oubli", person_email="ondine@", received_on="2026-11-03"),
        )

    assert refused.value.message_dict == {
        "kind": ["Choisissez le droit exercé : accès, rectification, effacement ou opposition."],
        "person_name": ["Indiquez le nom de la personne."],
        "person_email": ["Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."],
        "received_on": [
            "La date de réception ne peut pas être dans le futur (aujourd'hui : 02/11/2026)."
        ],
    }
    assert (DataRequest.objects.count(), ComplaintEvent.objects.count()) == (0, 0)


def test_only_the_organisations_managers_record_requests(organisation, referent):
    with pytest.raises(DataRequestRefused, match="Seuls les responsables"):
        _request(organisation, referent)


def test_the_complaints_concerned_are_edited_by_reference(organisation, manager, referent):
    request = _request(organisation, manager)
    letter = make_complaint(organisation, referent, client_email="", channel="letter")

    data_request_update(
        request=request, actor=manager, complaints=[letter.reference], notes="Et son courrier."
    )
    with pytest.raises(ValidationError) as refused:
        data_request_update(request=request, actor=manager, complaints=["REC-1999-0001"], notes="")

    assert list(request.complaints.all()) == [letter]
    assert request.notes == "Et son courrier."
    assert refused.value.message_dict == {"complaints": ["Réclamation inconnue : REC-1999-0001."]}


# Extending it


def test_an_extension_of_two_months_told_in_the_first_month(organisation, manager):
    request = _request(organisation, manager, received_on=date(2026, 10, 31))

    data_request_extend(
        request=request,
        actor=manager,
        months="2",
        reason="Douze réclamations et leurs pièces à rassembler.",
        told_on=date(2026, 11, 2),
    )

    assert (request.due_on, request.extended_to, request.deadline) == (
        date(2026, 11, 30),
        date(2027, 1, 31),
        date(2027, 1, 31),
    )
    assert _events(EventType.DATA_REQUEST_EXTENDED) == [
        {
            "request": request.pk,
            "kind": "erasure",
            "due_on": "2026-11-30",
            "months": 2,
            "extended_to": "2027-01-31",
            "told_on": "2026-11-02",
            "reason": "Douze réclamations et leurs pièces à rassembler.",
        }
    ]
    with pytest.raises(DataRequestRefused, match="ne se prolonge qu'une fois"):
        data_request_extend(
            request=request, actor=manager, months=1, reason="Encore.", told_on=TODAY
        )
    assert _verified() == [("CCS", True, ())]


def test_an_extension_beyond_two_months_without_reason_or_told_too_late_is_refused(
    organisation, manager
):
    # Received on 1 October: due on 1 November, the last day to tell the person of an extension.
    request = _request(organisation, manager, received_on=date(2026, 10, 1))

    with pytest.raises(ValidationError) as refused:
        data_request_extend(request=request, actor=manager, months=3, reason=" ", told_on=TODAY)

    assert refused.value.message_dict == {
        "months": [
            "Choisissez une prolongation d'un ou de deux mois : trois mois au plus en tout "
            "(article 12.3 du RGPD)."
        ],
        "reason": [
            "Indiquez le motif de la prolongation (la complexité ou le nombre des demandes) : "
            "il doit être communiqué à la personne."
        ],
        "told_on": [
            "La prolongation doit être annoncée à la personne dans le premier mois, au plus "
            "tard le 01/11/2026 (article 12.3 du RGPD) : passé ce jour, la demande ne peut "
            "plus être prolongée."
        ],
    }
    with pytest.raises(ValidationError) as before:
        data_request_extend(
            request=request, actor=manager, months=1, reason="Complexe.", told_on="2026-09-30"
        )
    assert before.value.message_dict == {
        "told_on": [
            "La personne ne peut avoir été informée avant la réception de sa demande (01/10/2026)."
        ]
    }
    request.refresh_from_db()
    assert request.extended_to is None
    assert _events(EventType.DATA_REQUEST_EXTENDED) == []


# Deciding it


def test_a_refusal_and_a_partial_answer_need_their_reason(organisation, manager):
    request = _request(organisation, manager, kind=RequestKind.OBJECTION)

    for decision in (Decision.REFUSED, Decision.PARTLY):
        with pytest.raises(ValidationError) as refused:
            data_request_decide(
                request=request, actor=manager, decision=decision, reason="", decided_on=TODAY
            )
        assert refused.value.message_dict == {
            "reason": [
                "Indiquez le motif : une demande refusée, ou accordée en partie, dit pourquoi à "
                "la personne (article 12.4 du RGPD)."
            ]
        }
    with pytest.raises(ValidationError) as early:
        data_request_decide(
            request=request, actor=manager, decision="granted", reason="", decided_on="2026-10-19"
        )
    assert early.value.message_dict == {
        "decided_on": ["La décision ne peut précéder la réception de la demande (20/10/2026)."]
    }
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN


def test_a_decision_answers_the_request_once(organisation, manager):
    request = _request(organisation, manager, kind=RequestKind.ACCESS)

    data_request_decide(
        request=request, actor=manager, decision="granted", reason="", decided_on="2026-11-02"
    )

    assert (request.status, request.decision, request.decided_on, request.decided_by) == (
        RequestStatus.ANSWERED,
        Decision.GRANTED,
        TODAY,
        manager,
    )
    assert _events(EventType.DATA_REQUEST_DECIDED) == [
        {
            "request": request.pk,
            "kind": "access",
            "decision": "granted",
            "reason": "",
            "decided_on": "2026-11-02",
        }
    ]
    with pytest.raises(DataRequestRefused, match="a reçu sa réponse le 02/11/2026"):
        data_request_decide(
            request=request, actor=manager, decision="refused", reason="Non.", decided_on=TODAY
        )
    with pytest.raises(DataRequestRefused, match="a reçu sa réponse") as refused:
        data_request_extend(request=request, actor=manager, months=1, reason="X", told_on=TODAY)
    with translation.override("en"):  # a page reads the refusal in its own language
        assert str(refused.value) == (
            f"Request no. {request.pk} received its answer on 02/11/2026: it no longer changes."
        )
    assert [event.event_type for event in request_chronology(request)] == [
        EventType.DATA_REQUEST_RECEIVED,
        EventType.DATA_REQUEST_DECIDED,
    ]


# Erasure


def test_an_erasure_granted_anonymises_her_closed_complaints(organisation, manager, referent):
    first = _closed(organisation, referent)
    second = _closed(organisation, referent)
    julie = make_complaint(organisation, referent)
    request = _request(organisation, manager)

    data_request_decide(
        request=request, actor=manager, decision="granted", reason="", decided_on=TODAY
    )

    for complaint in (first, second):
        complaint.refresh_from_db()
        assert (complaint.client_name, complaint.client_email, complaint.anonymised_on) == (
            PLACEHOLDER,
            PLACEHOLDER,
            TODAY,
        )
    julie.refresh_from_db()
    assert (julie.client_name, julie.anonymised_on) == ("Julie Martin", None)
    assert [data["reason"] for data in _events(EventType.ANONYMISED)] == [
        f"demande d'effacement n° {request.pk} du 20 octobre 2026"
    ] * 2
    assert _events(EventType.DATA_REQUEST_DECIDED)[0]["anonymised"] == [
        first.reference,
        second.reference,
    ]
    assert _verified() == [("CCS", True, ())]


def test_an_erasure_cannot_be_granted_while_a_complaint_is_open(organisation, manager, referent):
    closed = _closed(organisation, referent)
    open_one = make_complaint(organisation, referent, client_email=EMAIL)
    request = _request(organisation, manager)

    with pytest.raises(ValidationError) as refused:
        data_request_decide(
            request=request, actor=manager, decision="granted", reason="", decided_on=TODAY
        )

    assert refused.value.message_dict == {
        "decision": [
            f"L'effacement ne peut pas être accordé en entier : {open_one.reference} (en cours "
            "de traitement : elle ne peut être anonymisée qu'une fois close). Choisissez "
            "« Accordée en partie » ou « Refusée » et donnez-en le motif."
        ]
    }
    closed.refresh_from_db()
    assert closed.anonymised_on is None

    data_request_decide(
        request=request,
        actor=manager,
        decision="partly",
        reason="Votre réclamation en cours sera anonymisée une fois traitée.",
        decided_on=TODAY,
    )

    closed.refresh_from_db()
    open_one.refresh_from_db()
    assert (closed.anonymised_on, open_one.anonymised_on) == (TODAY, None)
    assert open_one.client_email == EMAIL
    decided = _events(EventType.DATA_REQUEST_DECIDED)[0]
    assert (decided["decision"], decided["anonymised"], decided["kept"]) == (
        "partly",
        [closed.reference],
        [open_one.reference],
    )
    assert _verified() == [("CCS", True, ())]


def test_a_complaint_on_legal_hold_is_listed_and_kept(organisation, manager, referent):
    held = complaint_in_state(
        organisation, referent, "closed", client_name="Ondine Verhaeghe", client_email=EMAIL
    )
    complaint_apply(complaint=held, actor=referent, action="escalate_mediation", data={})
    deliver_due()
    request = _request(organisation, manager)

    review = erasure_review(request)

    assert review.erasable == [] and review.already == []
    assert [(item.complaint, item.why) for item in review.blocked] == [
        (held, "gel légal : médiateur saisi le 02/11/2026, sans issue enregistrée")
    ]
    with pytest.raises(ValidationError, match="gel légal"):
        data_request_decide(
            request=request, actor=manager, decision="granted", reason="", decided_on=TODAY
        )
    data_request_decide(
        request=request,
        actor=manager,
        decision="refused",
        reason="Médiation en cours : la réclamation doit être conservée.",
        decided_on=TODAY,
    )
    held.refresh_from_db()
    assert held.anonymised_on is None


def test_a_complaint_the_organisation_must_keep_makes_the_erasure_partial(
    organisation, manager, referent
):
    kept = _closed(organisation, referent)
    erased = _closed(organisation, referent)
    request = _request(organisation, manager)

    with pytest.raises(ValidationError) as refused:
        data_request_decide(
            request=request,
            actor=manager,
            decision="granted",
            reason="",
            decided_on=TODAY,
            keep=[kept.reference],
        )
    assert refused.value.message_dict["decision"] == [
        f"L'effacement ne peut pas être accordé en entier : {kept.reference} (conservée par "
        "l'organisme). Choisissez « Accordée en partie » ou « Refusée » et donnez-en le motif."
    ]
    with pytest.raises(ValidationError) as stranger:
        data_request_decide(
            request=request,
            actor=manager,
            decision="partly",
            reason="Audit Qualiopi.",
            decided_on=TODAY,
            keep=["REC-1999-0001"],
        )
    assert stranger.value.message_dict == {
        "keep": [
            "Seules les réclamations closes concernées par la demande peuvent être "
            "conservées : REC-1999-0001."
        ]
    }

    data_request_decide(
        request=request,
        actor=manager,
        decision="partly",
        reason="La réclamation de mars est conservée jusqu'au prochain audit Qualiopi.",
        decided_on=TODAY,
        keep=[kept.reference],
    )

    kept.refresh_from_db()
    erased.refresh_from_db()
    assert (kept.anonymised_on, erased.anonymised_on) == (None, TODAY)
    decided = _events(EventType.DATA_REQUEST_DECIDED)[0]
    assert (decided["anonymised"], decided["kept"]) == ([erased.reference], [kept.reference])


def test_an_erasure_refused_anonymises_nothing(organisation, manager, referent):
    complaint = _closed(organisation, referent)
    request = _request(organisation, manager)

    data_request_decide(
        request=request,
        actor=manager,
        decision="refused",
        reason="Contentieux annoncé par la personne : conservée jusqu'à la prescription.",
        decided_on=TODAY,
    )

    complaint.refresh_from_db()
    assert complaint.anonymised_on is None
    assert _events(EventType.ANONYMISED) == []
    decided = _events(EventType.DATA_REQUEST_DECIDED)[0]
    assert (decided["anonymised"], decided["kept"]) == ([], [complaint.reference])


def test_an_anonymisation_that_fails_rolls_the_whole_decision_back(organisation, manager, referent):
    done = _closed(organisation, referent)
    waiting = complaint_in_state(
        organisation, referent, "closed", client_name="Ondine Verhaeghe", client_email=EMAIL
    )  # its reply's e-mail still queued
    request = _request(organisation, manager)

    with pytest.raises(DataRequestRefused, match="message encore en file d'envoi"):
        data_request_decide(
            request=request, actor=manager, decision="granted", reason="", decided_on=TODAY
        )

    for complaint in (done, waiting):
        complaint.refresh_from_db()
        assert complaint.anonymised_on is None
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert _events(EventType.ANONYMISED) == _events(EventType.DATA_REQUEST_DECIDED) == []
    assert waiting.status == Status.CLOSED


# The chain and verify


def test_the_event_labels_follow_the_models_choices():
    assert shown_keys(EventType.DATA_REQUEST_RECEIVED)["kind"].choices == dict(RequestKind.choices)
    assert shown_keys(EventType.DATA_REQUEST_DECIDED)["decision"].choices == dict(Decision.choices)


@pytest.mark.tampered
def test_verify_finds_a_request_changed_behind_the_applications_back(organisation, manager):
    request = _request(organisation, manager)
    data_request_decide(
        request=request, actor=manager, decision="granted", reason="", decided_on=TODAY
    )
    DataRequest.objects.filter(pk=request.pk).update(
        due_on=date(2026, 12, 31), decision=Decision.PARTLY, decision_reason="Réécrite."
    )

    assert list(data_request_findings(organisation)) == [
        f"demandes : la demande n° {request.pk}, échéance (un mois) au registre "
        "(« 31/12/2026 ») ne correspond pas à la chronologie (« 20/11/2026 »)",
        f"demandes : la demande n° {request.pk}, décision au registre (« Accordée en partie »)"
        " ne correspond pas à la chronologie (« Accordée »)",
    ]
    assert _verified()[0][2] == tuple(data_request_findings(organisation))


# The command


def test_the_command_lists_open_requests_and_fails_when_one_is_overdue(
    organisation, manager, capsys
):
    late = _request(organisation, manager, received_on=date(2026, 9, 30))
    soon = _request(organisation, manager, kind=RequestKind.ACCESS)

    with pytest.raises(CommandError, match="1 demande\\(s\\) en retard"):
        call_command("data-requests")

    assert capsys.readouterr().out.splitlines() == [
        "CCS : 2 demande(s) en cours",
        f"  demande d'effacement n° {late.pk} reçue le 30/09/2026, échéance 30/10/2026 : "
        "EN RETARD de 3 jour(s)",
        f"  demande d'accès n° {soon.pk} reçue le 20/10/2026, échéance 20/11/2026 : "
        "dans 18 jour(s)",
    ]
    data_request_decide(
        request=late, actor=manager, decision="granted", reason="", decided_on=TODAY
    )
    call_command("data-requests")
    assert "Ondine" not in capsys.readouterr().out
