"""The text of staff reminders, overdue alerts and the daily digest, in the active language:
queue_staff_message builds each message once per language of its recipients (User.language),
French by default."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from reclamations.complaints.enums import improvement_status_label, status_label
from reclamations.complaints.models import Complaint, ImprovementAction
from reclamations.core.languages import long_date, working_days
from reclamations.core.models import Organisation

# Beyond this, a digest section says how many more there are and points to the register.
DIGEST_SECTION_LIMIT = 50


@dataclass(frozen=True)
class StaffMessage:
    subject: str
    body_text: str


@dataclass(frozen=True)
class DigestLine:
    complaint: Complaint
    days_left: int | None  # None: no due date yet


def absolute_url(path: str) -> str:
    return f"{settings.RECLAMATIONS_BASE_URL}{path}"


def complaint_url(complaint: Complaint) -> str:
    return absolute_url(reverse("complaint_detail", kwargs={"reference": complaint.reference}))


def _days(organisation: Organisation, days: int) -> str:
    return working_days(days, organisation.calendar_kind)


def _status(complaint: Complaint) -> str:
    return status_label(complaint.status)


def _who(complaint: Complaint) -> str:
    return complaint.client_name.strip() or _("client non renseigné")


def staff_footer(organisation: Organisation) -> str:
    """The last lines of every message to staff: automatic, not to be answered."""
    text = _(
        "Message automatique du registre des réclamations de %(organisation)s. Ne répondez "
        "pas à ce message : ouvrez le lien ci-dessus."
    ) % {"organisation": organisation.name}
    return f"\n-- \n{text}\n"


def _complaint_block(complaint: Complaint) -> str:
    return (
        _("Client : %(value)s") % {"value": _who(complaint)}
        + "\n"
        + _("Statut : %(value)s") % {"value": _status(complaint)}
        + "\n"
        + _("Reçue le : %(value)s") % {"value": long_date(complaint.received_on)}
        + "\n"
        + _("Échéance : %(value)s") % {"value": long_date(complaint.due_date)}
        + "\n\n"
        + _("Ouvrir la réclamation : %(url)s") % {"url": complaint_url(complaint)}
        + "\n"
    )


def _hello() -> str:
    return _("Bonjour,") + "\n\n"


def due_soon_message(
    organisation: Organisation, complaint: Complaint, days_left: int
) -> StaffMessage:
    due = long_date(complaint.due_date)
    left = _days(organisation, days_left)
    values = {"reference": complaint.reference, "due": due, "left": left}
    if days_left == 0:
        subject = _("Rappel : réponse due aujourd'hui pour la réclamation %(reference)s") % values
        when = _(
            "La réclamation %(reference)s doit recevoir une réponse aujourd'hui, %(due)s, "
            "dernier jour du délai."
        )
    else:
        subject = _("Rappel : réclamation %(reference)s à traiter sous %(left)s") % values
        when = _(
            "La réclamation %(reference)s doit recevoir une réponse d'ici le %(due)s : il reste "
            "%(left)s."
        )
    body = (
        _hello()
        + when % values
        + "\n\n"
        + f"{_complaint_block(complaint)}"
        + f"{staff_footer(organisation)}"
    )
    return StaffMessage(subject, body)


def overdue_message(
    organisation: Organisation, complaint: Complaint, days_late: int
) -> StaffMessage:
    subject = _("Alerte : réclamation %(reference)s en retard") % {"reference": complaint.reference}
    text = _(
        "Le délai de réponse à la réclamation %(reference)s est dépassé : l'échéance était le "
        "%(due)s (%(late)s de retard). Répondez au client dès que possible et notez la cause "
        "du retard dans la chronologie."
    ) % {
        "reference": complaint.reference,
        "due": long_date(complaint.due_date),
        "late": _days(organisation, days_late),
    }
    body = (
        _hello()
        + text
        + "\n\n"
        + f"{_complaint_block(complaint)}"
        + f"{staff_footer(organisation)}"
    )
    return StaffMessage(subject, body)


def _digest_line(organisation: Organisation, line: DigestLine) -> str:
    complaint = line.complaint
    due = long_date(complaint.due_date)
    if line.days_left is None:
        deadline = _("sans échéance")
    elif line.days_left < 0:
        deadline = _("échéance %(due)s, %(late)s de retard") % {
            "due": due,
            "late": _days(organisation, -line.days_left),
        }
    elif line.days_left == 0:
        deadline = _("échéance aujourd'hui")
    else:
        deadline = _("échéance %(due)s, dans %(left)s") % {
            "due": due,
            "left": _days(organisation, line.days_left),
        }
    return (
        f"- {complaint.reference} · {_who(complaint)} · {_status(complaint)} · {deadline}\n"
        f"  {complaint_url(complaint)}\n"
    )


def _digest_section(organisation: Organisation, title: str, lines: Sequence[DigestLine]) -> str:
    if not lines:
        return ""
    shown = "".join(_digest_line(organisation, line) for line in lines[:DIGEST_SECTION_LIMIT])
    more = len(lines) - DIGEST_SECTION_LIMIT
    tail = "- " + _("… et %(more)s autres : voir le registre.") % {"more": more} + "\n"
    tail = tail if more > 0 else ""
    return f"{title} ({len(lines)})\n{shown}{tail}\n"


def digest_message(
    organisation: Organisation,
    day: date,
    *,
    overdue: Sequence[DigestLine],
    due_soon: Sequence[DigestLine],
    others: Sequence[DigestLine],
    due_soon_days: int,
    head: str,
) -> StaffMessage:
    open_count = len(overdue) + len(due_soon) + len(others)
    # Two messages rather than a plural form: French says "0 ouverte" and "1 ouverte".
    opened = (_("%(count)s ouvertes") if open_count > 1 else _("%(count)s ouverte")) % {
        "count": open_count
    }
    values = {
        "organisation": organisation.name,
        "day": long_date(day),
        "opened": opened,
        "late": len(overdue),
        "open_count": open_count,
        "soon": _days(organisation, due_soon_days),
        "due_soon": len(due_soon),
        "url": absolute_url(reverse("register")),
        "head": head,
    }
    subject = _("Réclamations %(organisation)s : point du %(day)s (%(opened)s, %(late)s en retard)")
    lines = [
        _("Point des réclamations ouvertes au %(day)s :"),
        _("- ouvertes : %(open_count)s"),
        _("- échéance proche (%(soon)s ou moins) : %(due_soon)s"),
        _("- en retard : %(late)s"),
    ]
    body = (
        _hello()
        + "".join(line % values + "\n" for line in lines)
        + "\n"
        + _digest_section(organisation, _("En retard"), overdue)
        + _digest_section(organisation, _("Échéance proche"), due_soon)
        + _digest_section(organisation, _("Autres réclamations ouvertes"), others)
        + ("" if open_count else _("Aucune réclamation ouverte.") + "\n\n")
        + _("Registre : %(url)s") % values
        + "\n\n"
        # The chain's head witnessed outside the database, in every recipient's mailbox.
        + _("Tête de la chronologie ce jour : %(head)s") % values
        + "\n"
        + _(
            "Gardez ce message : « reclamations verify --against %(head)s » prouvera que la "
            "chronologie n'a été ni réécrite ni raccourcie depuis."
        )
        % values
        + "\n"
        + staff_footer(organisation)
    )
    subject = subject % values
    return StaffMessage(subject, body)


def improvement_overdue_message(
    organisation: Organisation, action: ImprovementAction, today: date
) -> StaffMessage:
    late = (today - action.due_date).days
    owner = action.owner.display_name if action.owner else _("non désigné")
    url = absolute_url(reverse("improvement_detail", kwargs={"reference": action.reference}))
    values = {
        "reference": action.reference,
        "title": action.title,
        "due": long_date(action.due_date),
        "late": late,
        "owner": owner,
        "status": improvement_status_label(action.status),
        "url": url,
    }
    subject = _("Alerte : action d'amélioration %(reference)s en retard") % values
    text = (
        _(
            "L'action d'amélioration %(reference)s « %(title)s » devait être réalisée le "
            "%(due)s (%(late)s jours de retard). Déclarez-la réalisée, ou donnez-lui une "
            "nouvelle échéance avec son motif."
        )
        if late > 1
        else _(
            "L'action d'amélioration %(reference)s « %(title)s » devait être réalisée le "
            "%(due)s (%(late)s jour de retard). Déclarez-la réalisée, ou donnez-lui une "
            "nouvelle échéance avec son motif."
        )
    )
    body = (
        _hello()
        + text % values
        + "\n\n"
        + _("Responsable : %(owner)s") % values
        + "\n"
        + _("Statut : %(status)s") % values
        + "\n\n"
        + _("Ouvrir l'action : %(url)s") % values
        + "\n"
        + staff_footer(organisation)
    )
    return StaffMessage(subject, body)
