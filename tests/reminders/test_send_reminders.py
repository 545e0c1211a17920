"""Staff reminders, overdue alerts and the daily digest, as queued in the outbox.

The CCS organisation counts "jours ouvrables" (Monday to Saturday) in metropolitan France.
In November 2026, Sunday 1 and Wednesday 11 are public holidays. A complaint received on
Monday 2 November is due on Saturday 14 November; one received on Thursday 29 October is due on
Tuesday 10 November.
"""

from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from reclamations.complaints.improvement import NewImprovement, improvement_create
from reclamations.complaints.models import Complaint, ComplaintEvent, ComplaintMessage
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.delivery import deliver_due
from reclamations.outbox.models import OutgoingMessage
from reclamations.reminders.models import DigestSent, ReminderSent, ReminderSettings
from reclamations.reminders.services import send_reminders, staff_recipients
from tests.clock import PARIS
from tests.factories import REPLY, make_complaint

REFERENT = "f.maltese@ccs-legal.fr"
MANAGER = "responsable@example.org"
NOTHING = "rappels : 0, alertes de retard : 0, récapitulatifs : 0"


def at(day: int, hour: int = 9, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def run(moment: datetime) -> str:
    with time_machine.travel(moment, tick=False):
        return send_reminders()


def register(organisation, actor, received: datetime, **fields) -> Complaint:
    with time_machine.travel(received, tick=False):
        return make_complaint(organisation, actor, received_at=received, **fields)


def staff_messages(kind: str = "") -> list[OutgoingMessage]:
    kinds = [kind] if kind else ["staff_reminder", "staff_digest"]
    return list(OutgoingMessage.objects.filter(kind__in=kinds).order_by("id"))


def reminders() -> list[tuple[str, str, date, int]]:
    return list(
        ReminderSent.objects.order_by("id").values_list(
            "complaint__reference", "kind", "due_date", "days_left"
        )
    )


@pytest.fixture
def due_saturday(organisation, referent, manager) -> Complaint:
    """Received Monday 2 November, due Saturday 14 November."""
    complaint = register(organisation, referent, at(2, 10))
    assert complaint.due_date == date(2026, 11, 14)
    return complaint


@pytest.fixture
def due_tuesday(organisation, referent, manager) -> Complaint:
    """Received Thursday 29 October, due Tuesday 10 November (11 November is a holiday)."""
    complaint = register(organisation, referent, at(29, 10, month=10), client_name="Paul Durand")
    assert complaint.due_date == date(2026, 11, 10)
    return complaint


# --- due soon ---------------------------------------------------------------------------------


def test_three_day_reminder_is_sent_once_on_its_day(due_saturday):
    run(at(9))  # Monday: 4 working days left
    assert staff_messages("staff_reminder") == []

    assert run(at(10)) == "rappels : 1, alertes de retard : 0, récapitulatifs : 1"
    assert run(at(10, 16)) == NOTHING
    run(at(12))  # Thursday: 2 days left, the 3-day reminder was given

    [message] = staff_messages("staff_reminder")
    assert message.to == f"{REFERENT}, {MANAGER}"
    assert message.auto_submitted is True
    assert not ComplaintMessage.objects.filter(outgoing=message).exists()
    assert message.subject == "Rappel : réclamation REC-2026-0001 à traiter sous 3 jours ouvrables"
    assert message.body_text == (
        "Bonjour,\n\n"
        "La réclamation REC-2026-0001 doit recevoir une réponse d'ici le samedi 14 novembre "
        "2026 : il reste 3 jours ouvrables.\n\n"
        "Client : Julie Martin\n"
        "Statut : En cours de traitement\n"
        "Reçue le : lundi 2 novembre 2026\n"
        "Échéance : samedi 14 novembre 2026\n"
        "\n"
        "Ouvrir la réclamation : http://127.0.0.1:8000/reclamations/REC-2026-0001/\n"
        "\n-- \n"
        "Message automatique du registre des réclamations de CCS. Ne répondez pas à ce "
        "message : ouvrez le lien ci-dessus.\n"
    )
    assert reminders() == [("REC-2026-0001", "due_in_3", date(2026, 11, 14), 3)]


def test_one_day_reminder_is_sent_once_on_its_day(due_saturday):
    run(at(10))
    run(at(12))
    assert run(at(13)) == "rappels : 1, alertes de retard : 0, récapitulatifs : 1"
    assert run(at(13, 18)) == NOTHING
    run(at(14))  # Saturday, the due date: the 1-day reminder was given

    subjects = [message.subject for message in staff_messages("staff_reminder")]
    assert subjects == [
        "Rappel : réclamation REC-2026-0001 à traiter sous 3 jours ouvrables",
        "Rappel : réclamation REC-2026-0001 à traiter sous 1 jour ouvrable",
    ]
    assert reminders() == [
        ("REC-2026-0001", "due_in_3", date(2026, 11, 14), 3),
        ("REC-2026-0001", "due_in_1", date(2026, 11, 14), 1),
    ]


def test_missed_reminder_is_sent_with_the_days_actually_left(due_saturday):
    # The worker did not run on Tuesday: Thursday gives the 3-day reminder, saying 2 days.
    run(at(12))

    [message] = staff_messages("staff_reminder")
    assert message.subject == "Rappel : réclamation REC-2026-0001 à traiter sous 2 jours ouvrables"
    assert reminders() == [("REC-2026-0001", "due_in_3", date(2026, 11, 14), 2)]


def test_missed_last_reminder_says_due_today_and_only_once(due_saturday):
    run(at(14))  # first run on the due date itself

    [message] = staff_messages("staff_reminder")
    assert message.subject == "Rappel : réponse due aujourd'hui pour la réclamation REC-2026-0001"
    assert "doit recevoir une réponse aujourd'hui, samedi 14 novembre 2026" in message.body_text
    assert reminders() == [("REC-2026-0001", "due_in_1", date(2026, 11, 14), 0)]


def test_custom_days_before_replace_the_default(organisation, due_saturday):
    ReminderSettings.objects.create(organisation=organisation, days_before="5")

    run(at(6))  # Friday 6: 6 working days left
    run(at(7))  # Saturday 7: 5 days left
    run(at(13))  # Friday 13: 1 day left, no 1-day reminder configured

    assert reminders() == [("REC-2026-0001", "due_in_5", date(2026, 11, 14), 5)]


# --- overdue ----------------------------------------------------------------------------------


def test_overdue_alert_is_sent_once_and_never_on_a_sunday(due_saturday):
    run(at(14))
    assert run(at(15)) == NOTHING  # Sunday: overdue since midnight, but nothing goes out

    assert run(at(16)) == "rappels : 0, alertes de retard : 1, récapitulatifs : 1"
    assert run(at(17)) == "rappels : 0, alertes de retard : 0, récapitulatifs : 1"

    [alert] = [m for m in staff_messages("staff_reminder") if m.subject.startswith("Alerte")]
    assert alert.subject == "Alerte : réclamation REC-2026-0001 en retard"
    assert alert.body_text.startswith(
        "Bonjour,\n\n"
        "Le délai de réponse à la réclamation REC-2026-0001 est dépassé : l'échéance était le "
        "samedi 14 novembre 2026 (1 jour ouvrable de retard). Répondez au client dès que "
        "possible et notez la cause du retard dans la chronologie.\n\n"
    )
    assert reminders()[-1] == ("REC-2026-0001", "overdue", date(2026, 11, 14), -1)


def test_nothing_goes_out_on_11_november_then_the_alert_goes_out_next_day(due_tuesday):
    run(at(10))  # the due date: the 1-day reminder, caught up as "due today"
    assert run(at(11)) == NOTHING

    assert run(at(12)) == "rappels : 0, alertes de retard : 1, récapitulatifs : 1"
    assert reminders() == [
        ("REC-2026-0001", "due_in_1", date(2026, 11, 10), 0),
        ("REC-2026-0001", "overdue", date(2026, 11, 10), -1),
    ]


def test_saturday_is_skipped_in_jours_ouvres(organisation, referent, manager):
    organisation.calendar_kind = "ouvres"
    organisation.save()
    complaint = register(organisation, referent, at(2, 10))
    assert complaint.due_date == date(2026, 11, 17)

    assert run(at(14)) == NOTHING  # Saturday: not a working day in "jours ouvrés"
    assert run(at(16)) == "rappels : 1, alertes de retard : 0, récapitulatifs : 1"

    assert reminders() == [("REC-2026-0001", "due_in_1", date(2026, 11, 17), 1)]


def test_reminders_count_in_jours_ouvres_when_the_organisation_does(organisation, referent):
    organisation.calendar_kind = "ouvres"
    organisation.save()
    register(organisation, referent, at(2, 10))  # due Tuesday 17 November

    run(at(16))

    reminder, digest = staff_messages()
    assert reminder.subject == "Rappel : réclamation REC-2026-0001 à traiter sous 1 jour ouvré"
    assert "il reste 1 jour ouvré." in reminder.body_text
    assert "- échéance proche (3 jours ouvrés ou moins) : 1\n" in digest.body_text
    assert "jours ouvrables" not in reminder.body_text + digest.body_text


def test_changed_due_date_rearms_the_reminder(organisation, referent, manager):
    organisation.suspend_while_awaiting_information = True
    organisation.save()
    complaint = register(organisation, referent, at(2, 10))
    run(at(10))  # 3-day reminder for Saturday 14
    with time_machine.travel(at(10, 11), tick=False):
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="request_information",
            data={"missing": "Dates des séances annulées", "sent_via": "letter"},
        )
    with time_machine.travel(at(13, 11), tick=False):
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="record_information",
            data={"summary": "Séances du 3, du 5 et du 6 novembre"},
        )
    complaint.refresh_from_db()
    assert complaint.due_date == date(2026, 11, 17)  # suspended Thursday 12 and Friday 13

    run(at(13, 12))

    assert reminders() == [
        ("REC-2026-0001", "due_in_3", date(2026, 11, 14), 3),
        ("REC-2026-0001", "due_in_3", date(2026, 11, 17), 3),
    ]


def test_answered_complaint_gets_no_reminder(organisation, referent, due_saturday):
    with time_machine.travel(at(9, 11), tick=False):
        complaint_apply(
            complaint=due_saturday,
            actor=referent,
            action="reply",
            data={
                "text": "Les séances seront reprogrammées.",
                "resolution": "Reprogrammation",
                "channel": "letter",
            },
        )

    # No reminder; the day's digest only witnesses the chronology, which the reply changed.
    assert run(at(10)) == "rappels : 0, alertes de retard : 0, récapitulatifs : 1"
    assert run(at(16)) == NOTHING
    assert reminders() == []
    assert [m.kind for m in staff_messages()] == ["staff_digest"]


# --- digest -----------------------------------------------------------------------------------


def test_digest_is_sent_once_a_day_from_the_digest_hour(due_saturday, due_tuesday):
    assert run(at(9, 7, 59)) == NOTHING
    assert run(at(9, 8, 0)) == "rappels : 1, alertes de retard : 0, récapitulatifs : 1"
    assert run(at(9, 17)) == NOTHING
    assert run(at(10, 8, 30)) == "rappels : 1, alertes de retard : 0, récapitulatifs : 1"

    digests = staff_messages("staff_digest")
    assert [m.subject for m in digests] == [
        "Réclamations CCS : point du lundi 9 novembre 2026 (2 ouvertes, 0 en retard)",
        "Réclamations CCS : point du mardi 10 novembre 2026 (2 ouvertes, 0 en retard)",
    ]
    assert digests[0].to == f"{REFERENT}, {MANAGER}"
    # The chain's head as it stood when the digest was written (no event since).
    last = ComplaintEvent.objects.filter(organisation__name="CCS").order_by("sequence").last()
    head = f"CCS:{last.sequence:06d}:{last.hash[:16]}"
    assert digests[0].body_text == (
        "Bonjour,\n\n"
        "Point des réclamations ouvertes au lundi 9 novembre 2026 :\n"
        "- ouvertes : 2\n"
        "- échéance proche (3 jours ouvrables ou moins) : 1\n"
        "- en retard : 0\n\n"
        "Échéance proche (1)\n"
        "- REC-2026-0002 · Paul Durand · En cours de traitement · échéance mardi 10 novembre "
        "2026, dans 1 jour ouvrable\n"
        "  http://127.0.0.1:8000/reclamations/REC-2026-0002/\n"
        "\n"
        "Autres réclamations ouvertes (1)\n"
        "- REC-2026-0001 · Julie Martin · En cours de traitement · échéance samedi 14 novembre "
        "2026, dans 4 jours ouvrables\n"
        "  http://127.0.0.1:8000/reclamations/REC-2026-0001/\n"
        "\n"
        "Registre : http://127.0.0.1:8000/\n\n"
        f"Tête de la chronologie ce jour : {head}\n"
        f"Gardez ce message : « reclamations verify --against {head} » prouvera que la "
        "chronologie n'a été ni réécrite ni raccourcie depuis.\n"
        "\n-- \n"
        "Message automatique du registre des réclamations de CCS. Ne répondez pas à ce "
        "message : ouvrez le lien ci-dessus.\n"
    )
    assert list(
        DigestSent.objects.order_by("day").values_list(
            "day", "open_count", "due_soon_count", "overdue_count"
        )
    ) == [(date(2026, 11, 9), 2, 1, 0), (date(2026, 11, 10), 2, 2, 0)]


def test_digest_lists_overdue_complaints_first(due_saturday, due_tuesday):
    run(at(12))

    [digest] = staff_messages("staff_digest")
    assert digest.subject == (
        "Réclamations CCS : point du jeudi 12 novembre 2026 (2 ouvertes, 1 en retard)"
    )
    assert (
        "En retard (1)\n"
        "- REC-2026-0002 · Paul Durand · En cours de traitement · échéance mardi 10 novembre "
        "2026, 1 jour ouvrable de retard\n"
    ) in digest.body_text


def test_no_digest_on_sunday_nor_on_a_holiday(due_saturday):
    assert run(at(8)) == NOTHING  # Sunday 8 November
    assert run(at(11)) == NOTHING  # Wednesday 11 November

    assert staff_messages() == []
    assert DigestSent.objects.count() == 0


def test_no_digest_without_open_complaints(organisation, manager):
    assert run(at(9)) == NOTHING


def test_a_day_without_open_complaints_still_witnesses_a_chronology_that_changed(
    organisation, due_saturday, referent
):
    assert run(at(9)) == "rappels : 0, alertes de retard : 0, récapitulatifs : 1"
    with time_machine.travel(at(9, 15), tick=False):
        complaint_apply(complaint=due_saturday, actor=referent, action="reply", data=REPLY)
        complaint_apply(
            complaint=due_saturday, actor=referent, action="close", data={"outcome": "granted"}
        )

    # No complaint open any more, but the chain moved: its new head is witnessed once.
    assert run(at(10)) == "rappels : 0, alertes de retard : 0, récapitulatifs : 1"
    assert run(at(12)) == NOTHING  # nothing written since: the last head still holds

    last = ComplaintEvent.objects.filter(organisation=organisation).order_by("sequence").last()
    digest = staff_messages("staff_digest")[-1]
    assert digest.subject == (
        "Réclamations CCS : point du mardi 10 novembre 2026 (0 ouverte, 0 en retard)"
    )
    assert "Aucune réclamation ouverte.\n" in digest.body_text
    assert f"Tête de la chronologie ce jour : CCS:{last.sequence:06d}:" in digest.body_text


def test_digest_hour_is_a_setting(organisation, due_saturday):
    ReminderSettings.objects.create(organisation=organisation, digest_hour=14)

    assert run(at(9, 13, 59)) == NOTHING
    assert run(at(9, 14)) == "rappels : 0, alertes de retard : 0, récapitulatifs : 1"


# --- recipients -------------------------------------------------------------------------------


def test_managers_are_left_out_when_the_settings_say_so(organisation, due_saturday):
    ReminderSettings.objects.create(organisation=organisation, include_managers=False)

    run(at(10))

    assert {message.to for message in staff_messages()} == {REFERENT}


def test_recipients_are_unique_and_skip_inactive_managers(organisation, manager, admin_user):
    manager.email = REFERENT.upper()
    manager.save()
    admin_user.role = "manager"
    admin_user.is_active = False
    admin_user.save()

    assert staff_recipients(organisation, ReminderSettings(organisation=organisation)) == [REFERENT]


def test_nothing_is_sent_without_any_recipient(organisation, referent):
    organisation.referent_email = ""
    organisation.save()
    register(organisation, referent, at(2, 10))

    assert run(at(10)) == (f"{NOTHING}; CCS : aucun destinataire (renseignez l'e-mail du référent)")
    assert staff_messages() == []
    assert ReminderSent.objects.count() == 0


def test_other_organisations_get_their_own_reminders(
    organisation, other_organisation, referent, outsider, due_saturday
):
    other_organisation.referent_email = "referent@autre.example"
    other_organisation.save()
    register(other_organisation, outsider, at(2, 10))

    assert run(at(10)) == "rappels : 2, alertes de retard : 0, récapitulatifs : 2"

    assert sorted((m.organisation_id, m.to) for m in staff_messages("staff_reminder")) == [
        (organisation.id, f"{REFERENT}, {MANAGER}"),
        (other_organisation.id, "referent@autre.example"),
    ]


# --- command ----------------------------------------------------------------------------------


def test_send_reminders_command_prints_the_summary(due_saturday):
    out = StringIO()
    with time_machine.travel(at(10), tick=False):
        call_command("send-reminders", stdout=out)

    assert out.getvalue() == "rappels : 1, alertes de retard : 0, récapitulatifs : 1\n"


def test_second_run_sends_nothing(due_saturday, due_tuesday):
    first = run(at(16))
    second = run(at(16, 9, 15))

    assert first == "rappels : 0, alertes de retard : 2, récapitulatifs : 1"
    assert second == NOTHING
    assert len(staff_messages()) == 3


# --- delivery ---------------------------------------------------------------------------------


def test_staff_messages_go_out_marked_auto_generated(settings, due_saturday):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run(at(10))

    with time_machine.travel(at(10, 9, 1), tick=False):
        report = deliver_due()

    staff = [email for email in mail.outbox if email.to == [REFERENT, MANAGER]]
    assert report.failed == 0
    assert [email.subject for email in staff] == [
        "Rappel : réclamation REC-2026-0001 à traiter sous 3 jours ouvrables",
        "Réclamations CCS : point du mardi 10 novembre 2026 (1 ouverte, 0 en retard)",
    ]
    assert [email.message()["Auto-Submitted"] for email in staff] == [
        "auto-generated",
        "auto-generated",
    ]


def test_an_improvement_action_past_its_due_date_is_alerted_once_to_its_owner_too(
    organisation, referent, manager
):
    manager.email = "owner@example.org"
    manager.save()
    with time_machine.travel(at(2, 10), tick=False):
        complaint = make_complaint(organisation, referent)
        action = improvement_create(
            organisation=organisation,
            actor=referent,
            new=NewImprovement(
                title="Confirmer les salles",
                description="Par écrit, la veille.",
                complaints=[complaint.reference],
                owner=manager.pk,
                due_date=date(2026, 11, 5),
            ),
        )

    on_the_day = run(at(5, 10))
    after = run(at(6, 10))
    again = run(at(7, 10))

    assert "actions d'amélioration" not in on_the_day  # due that day: not late yet
    assert after.endswith(", actions d'amélioration en retard : 1")
    assert "actions d'amélioration" not in again
    (alert,) = [m for m in staff_messages("staff_reminder") if action.reference in m.subject]
    assert alert.subject == f"Alerte : action d'amélioration {action.reference} en retard"
    assert alert.to == f"{REFERENT}, owner@example.org"
    assert "devait être réalisée le jeudi 5 novembre 2026 (1 jour de retard)" in alert.body_text
