"""The French text of staff reminders, overdue alerts and the daily digest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse

from reclamations.complaints.enums import improvement_status_label, status_label
from reclamations.complaints.models import Complaint, ImprovementAction
from reclamations.core.calendar import working_days_text
from reclamations.core.french import long_date
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
    return working_days_text(days, organisation.calendar_kind)


def _status(complaint: Complaint) -> str:
    return status_label(complaint.status)


def _who(complaint: Complaint) -> str:
    return complaint.client_name.strip() or "client non renseigné"


def staff_footer(organisation: Organisation) -> str:
    """The last lines of every message to staff: automatic, not to be answered."""
    return (
        "\n-- \n"
        f"Message automatique du registre des réclamations de {organisation.name}. "
        "Ne répondez pas à ce message : ouvrez le lien ci-dessus.\n"
    )


def _complaint_block(complaint: Complaint) -> str:
    return (
        f"Client : {_who(complaint)}\n"
        f"Statut : {_status(complaint)}\n"
        f"Reçue le : {long_date(complaint.received_on)}\n"
        f"Échéance : {long_date(complaint.due_date)}\n"
        "\n"
        f"Ouvrir la réclamation : {complaint_url(complaint)}\n"
    )


def due_soon_message(
    organisation: Organisation, complaint: Complaint, days_left: int
) -> StaffMessage:
    due = long_date(complaint.due_date)
    left = _days(organisation, days_left)
    if days_left == 0:
        subject = f"Rappel : réponse due aujourd'hui pour la réclamation {complaint.reference}"
        when = f"doit recevoir une réponse aujourd'hui, {due}, dernier jour du délai"
    else:
        subject = f"Rappel : réclamation {complaint.reference} à traiter sous {left}"
        when = f"doit recevoir une réponse d'ici le {due} : il reste {left}"
    body = (
        "Bonjour,\n\n"
        f"La réclamation {complaint.reference} {when}.\n\n"
        f"{_complaint_block(complaint)}"
        f"{staff_footer(organisation)}"
    )
    return StaffMessage(subject, body)


def overdue_message(
    organisation: Organisation, complaint: Complaint, days_late: int
) -> StaffMessage:
    subject = f"Alerte : réclamation {complaint.reference} en retard"
    body = (
        "Bonjour,\n\n"
        f"Le délai de réponse à la réclamation {complaint.reference} est dépassé : l'échéance "
        f"était le {long_date(complaint.due_date)} ({_days(organisation, days_late)} de retard). "
        "Répondez au client dès que possible et notez la cause du retard dans la "
        "chronologie.\n\n"
        f"{_complaint_block(complaint)}"
        f"{staff_footer(organisation)}"
    )
    return StaffMessage(subject, body)


def _digest_line(organisation: Organisation, line: DigestLine) -> str:
    complaint = line.complaint
    due = long_date(complaint.due_date)
    if line.days_left is None:
        deadline = "sans échéance"
    elif line.days_left < 0:
        deadline = f"échéance {due}, {_days(organisation, -line.days_left)} de retard"
    elif line.days_left == 0:
        deadline = "échéance aujourd'hui"
    else:
        deadline = f"échéance {due}, dans {_days(organisation, line.days_left)}"
    return (
        f"- {complaint.reference} · {_who(complaint)} · {_status(complaint)} · {deadline}\n"
        f"  {complaint_url(complaint)}\n"
    )


def _digest_section(organisation: Organisation, title: str, lines: Sequence[DigestLine]) -> str:
    if not lines:
        return ""
    shown = "".join(_digest_line(organisation, line) for line in lines[:DIGEST_SECTION_LIMIT])
    more = len(lines) - DIGEST_SECTION_LIMIT
    tail = f"- … et {more} autres : voir le registre.\n" if more > 0 else ""
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
    subject = (
        f"Réclamations {organisation.name} : point du {long_date(day)} "
        f"({open_count} ouverte{'s' if open_count > 1 else ''}, {len(overdue)} en retard)"
    )
    body = (
        "Bonjour,\n\n"
        f"Point des réclamations ouvertes au {long_date(day)} :\n"
        f"- ouvertes : {open_count}\n"
        f"- échéance proche ({_days(organisation, due_soon_days)} ou moins) : {len(due_soon)}\n"
        f"- en retard : {len(overdue)}\n\n"
        f"{_digest_section(organisation, 'En retard', overdue)}"
        f"{_digest_section(organisation, 'Échéance proche', due_soon)}"
        f"{_digest_section(organisation, 'Autres réclamations ouvertes', others)}"
        f"{'' if open_count else 'Aucune réclamation ouverte.' + chr(10) + chr(10)}"
        f"Registre : {absolute_url(reverse('register'))}\n\n"
        # The chain's head witnessed outside the database, in every recipient's mailbox.
        f"Tête de la chronologie ce jour : {head}\n"
        "Gardez ce message : « reclamations verify --against " + head + " » prouvera que la "
        "chronologie n'a été ni réécrite ni raccourcie depuis.\n"
        f"{staff_footer(organisation)}"
    )
    return StaffMessage(subject, body)


def improvement_overdue_message(
    organisation: Organisation, action: ImprovementAction, today: date
) -> StaffMessage:
    late = (today - action.due_date).days
    owner = action.owner.display_name if action.owner else "non désigné"
    url = absolute_url(reverse("improvement_detail", kwargs={"reference": action.reference}))
    subject = f"Alerte : action d'amélioration {action.reference} en retard"
    body = (
        "Bonjour,\n\n"
        f"L'action d'amélioration {action.reference} « {action.title} » devait être réalisée "
        f"le {long_date(action.due_date)} ({late} jour{'s' if late > 1 else ''} de retard). "
        "Déclarez-la réalisée, ou donnez-lui une nouvelle échéance avec son motif.\n\n"
        f"Responsable : {owner}\n"
        f"Statut : {improvement_status_label(action.status)}\n\n"
        f"Ouvrir l'action : {url}\n"
        f"{staff_footer(organisation)}"
    )
    return StaffMessage(subject, body)
