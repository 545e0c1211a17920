"""How complaints, deadlines and chronology events read on the staff pages (in the page's
language)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reclamations.complaints.deadlines import Urgency
from reclamations.complaints.enums import (
    EventType,
    ImprovementStatus,
    Status,
    event_label,
    improvement_status_label,
    status_label,
)
from reclamations.complaints.event_reading import (
    Item,
    event_items,
)
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.queries import RegisterRow
from reclamations.complaints.search_text import Segment

STATUS_STYLES = {
    Status.INCOMPLETE: "warning",
    Status.AWAITING_INFORMATION: "info",
    Status.AWAITING_CONFIRMATION: "info",
    Status.IN_PROGRESS: "progress",
    Status.REPLIED: "success",
    Status.CLOSED: "muted",
}


@dataclass(frozen=True)
class Badge:
    """A coloured label; the text always carries the meaning, the colour only repeats it."""

    text: str
    style: str
    detail: str = ""


def status_badge(status: str) -> Badge:
    return Badge(status_label(status), STATUS_STYLES.get(status, "neutral"))


IMPROVEMENT_STYLES = {
    ImprovementStatus.PLANNED: "info",
    ImprovementStatus.IN_PROGRESS: "progress",
    ImprovementStatus.DONE: "warning",
    ImprovementStatus.CLOSED: "success",
    ImprovementStatus.ABANDONED: "muted",
}


def improvement_badge(status: str) -> Badge:
    return Badge(improvement_status_label(status), IMPROVEMENT_STYLES.get(status, "neutral"))


def days_left_text(days: int) -> str:
    if days <= 0:
        return _("dernier jour")
    return ngettext("%(days)s j restant", "%(days)s j restants", days) % {"days": days}


def urgency_badge(days_left: int | None, level: Urgency | None) -> Badge | None:
    """The register's deadline badge: overdue (red), due soon (amber) or days left (neutral)."""
    if days_left is None or level is None:
        return None
    if level == Urgency.OVERDUE:
        return Badge(_("En retard de %(days)s j") % {"days": -days_left}, "danger")
    if level == Urgency.DUE_SOON:
        return Badge(_("Échéance proche"), "warning", days_left_text(days_left))
    return Badge(days_left_text(days_left), "neutral")


@dataclass(frozen=True)
class RegisterLine:
    complaint: Complaint
    status: Badge
    deadline: Badge | None
    excerpt: tuple[Segment, ...] = ()


def register_lines(rows: Iterable[RegisterRow]) -> list[RegisterLine]:
    return [
        RegisterLine(
            row.complaint,
            status_badge(row.complaint.status),
            urgency_badge(row.days_left, row.urgency),
            row.excerpt,
        )
        for row in rows
    ]


# Events that carry the client's own words.
CLIENT_SPEAKS = frozenset(
    {
        EventType.MESSAGE_RECEIVED,
        EventType.PROGRESS_REQUESTED,
        EventType.OPINION_GIVEN,
        EventType.INFORMATION_RECEIVED,
        EventType.CONFIRMATION_RECEIVED,
    }
)


@dataclass(frozen=True)
class TimelineEntry:
    event: ComplaintEvent
    label: str
    status_before: str
    status_after: str
    items: list[Item] = field(default_factory=list)

    @property
    def status_changed(self) -> bool:
        return self.status_before != self.status_after

    @property
    def shown_open(self) -> bool:
        """What the client said is read on the page, not behind a click; the rest of the
        chronology's detail (what staff recorded, the fingerprints) is a click away."""
        return self.event.event_type in CLIENT_SPEAKS


def timeline(
    events: Iterable[ComplaintEvent], labelled: Callable[[str], str] = status_label
) -> list[TimelineEntry]:
    """The chronology as the pages show it; `labelled` names the statuses (a complaint's, or
    an improvement action's with improvement_status_label)."""
    return [
        TimelineEntry(
            event=event,
            label=event_label(event.event_type),
            status_before=labelled(event.status_before) if event.status_before else "",
            status_after=labelled(event.status_after) if event.status_after else "",
            items=event_items(event.event_type, event.data or {}),
        )
        for event in events
    ]
