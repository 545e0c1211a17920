"""A complaint's file as one PDF, for an auditor or a mediator: the complaint as registered and
treated, its chronology in order with each event's fingerprint, its documents listed with their
SHA-256 and embedded byte for byte (PDF attachments), and the check of its own events."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from reclamations.complaints import queries
from reclamations.complaints.documents import open_stored
from reclamations.complaints.enums import event_label, status_label
from reclamations.complaints.event_reading import event_text, field_label, format_value
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.notifications.letter import legal_line
from reclamations.core.languages import in_french
from reclamations.core.localtime import local_zone
from reclamations.letters.printing import Enclosure, print_html
from reclamations.reporting.integrity import complaint_integrity

_STYLESHEET = Path(__file__).parent / "templates" / "reporting" / "complaint_file.css"

# The complaint's fields, by part of the procedure; a part's empty fields are left out.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Réception",
        ("channel", "received_at", "registered_at", "backdating_reason", "procedure_version"),
    ),
    (
        "Client",
        (
            "client_name",
            "client_account",
            "client_type",
            "funding",
            "client_email",
            "client_phone",
            "client_address",
        ),
    ),
    ("Formation", ("training", "session", "trainer", "funder")),
    (
        "Réclamation",
        (
            "description",
            "remedy_sought",
            "kind",
            "not_admissible_reason",
            "category",
            "severity",
        ),
    ),
    ("Délai", ("clock_started_on", "due_date", "information_requested_on")),
    (
        "Traitement et réponse",
        (
            "resolution",
            "first_replied_on",
            "replied_on",
            "reply_channel",
            "replied_on_time",
            "reply_registered_number",
            "reply_delivered_on",
            "outcome",
            "client_acceptance",
            "closed_on",
        ),
    ),
    ("Cause", ("cause", "cause_analysis")),
    (
        "Recours",
        (
            "mediation_seized_on",
            "mediator",
            "mediation_outcome",
            "litigation_started_on",
            "litigation_court",
            "litigation_outcome",
        ),
    ),
)


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class FileEvent:
    sequence: int
    occurred_on: str
    recorded_at: str
    actor: str
    label: str
    status: str
    lines: tuple[str, ...]  # its data, the document it stored included
    hash: str


@dataclass(frozen=True)
class FileDocument:
    name: str
    role: str
    created_at: str
    size: int
    sha256: str
    embedded: bool


def _value(complaint: Complaint, name: str) -> Any:
    value = getattr(complaint, name)
    if isinstance(value, datetime):
        return value.astimezone(local_zone(complaint.organisation))
    return value


def _sections(complaint: Complaint) -> list[tuple[str, list[Row]]]:
    sections = []
    for title, names in SECTIONS:
        rows = [
            Row(field_label(name), format_value(name, _value(complaint, name)))
            for name in names
            if _value(complaint, name) not in (None, "")
        ]
        if rows:
            sections.append((title, rows))
    return sections


def _event(event: ComplaintEvent, complaint: Complaint) -> FileEvent:
    zone = local_zone(complaint.organisation)
    status = ""
    if event.status_before != event.status_after:
        before = status_label(event.status_before) if event.status_before else "—"
        status = f"{before} → {status_label(event.status_after)}"
    return FileEvent(
        sequence=event.sequence,
        occurred_on=f"{event.occurred_on:%d/%m/%Y}",
        recorded_at=f"{event.recorded_at.astimezone(zone):%d/%m/%Y %H:%M}",
        actor=event.actor_name,
        label=event_label(event.event_type),
        status=status,
        lines=tuple(event_text(event.event_type, event.data).splitlines()),
        hash=event.hash,
    )


def _read(document: Document) -> bytes | None:
    stream = open_stored(document)
    if stream is None:
        return None
    with stream:
        content: bytes = stream.read()
    return content


@in_french
def complaint_file_pdf(complaint: Complaint, *, printed_at: datetime) -> bytes:
    """The file of `complaint` as of `printed_at`."""
    organisation = complaint.organisation
    zone = local_zone(organisation)
    documents, enclosures = [], []
    for number, document in enumerate(queries.complaint_documents(complaint), start=1):
        content = _read(document)
        if content is not None:
            enclosures.append(
                Enclosure(
                    f"{number:02d}-{document.original_name}",
                    content,
                    f"{document.get_role_display()} — SHA-256 {document.sha256}",
                )
            )
        documents.append(
            FileDocument(
                name=document.original_name,
                role=document.get_role_display(),
                created_at=f"{document.created_at.astimezone(zone):%d/%m/%Y %H:%M}",
                size=document.size,
                sha256=document.sha256,
                embedded=content is not None,
            )
        )
    html = render_to_string(
        "reporting/complaint_file.html",
        {
            "organisation": organisation,
            "complaint": complaint,
            "status": status_label(complaint.status),
            "printed_at": f"{printed_at.astimezone(zone):%d/%m/%Y à %H:%M}",
            "sections": _sections(complaint),
            "events": [_event(event, complaint) for event in queries.complaint_events(complaint)],
            "documents": documents,
            "problems": complaint_integrity(complaint),
        },
    )
    return print_html(html, _STYLESHEET, footer=legal_line(organisation), enclosures=enclosures)
