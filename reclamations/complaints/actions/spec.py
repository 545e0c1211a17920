"""How an action is declared: once, with everything the service, the web, the API, the
timeline and the tests need to know about it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.files.base import File
from django.utils.translation import gettext

from reclamations.complaints.actions.inputs import Reading
from reclamations.complaints.enums import OPEN_STATUSES, Status, status_label
from reclamations.complaints.models import Complaint, Document
from reclamations.complaints.validation import Errors
from reclamations.complaints.workflow import Next
from reclamations.core.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Input = TypeVar("Input")


@dataclass(frozen=True)
class ComplaintState:
    """What decides which actions a complaint can take now."""

    status: str
    mediation_seized: bool = False
    litigation_started: bool = False
    replied: bool = False  # a reply has gone to the client (reopened since, perhaps)
    awaiting_delivery: bool = False  # a registered reply whose receipt is not yet recorded
    letters_to_post: bool = False  # letters printed by the application, not yet posted
    # Retention (decision 0024): an archived or anonymised complaint takes no action.
    archived: bool = False
    anonymised: bool = False

    @classmethod
    def of(cls, complaint: Complaint) -> ComplaintState:
        return cls(
            status=complaint.status,
            mediation_seized=complaint.mediation_seized_on is not None,
            litigation_started=complaint.litigation_started_on is not None,
            replied=complaint.first_replied_on is not None,
            awaiting_delivery=bool(complaint.reply_registered_number)
            and complaint.reply_delivered_on is None,
            letters_to_post=complaint.letters_to_post > 0,
            archived=complaint.archived_on is not None,
            anonymised=complaint.anonymised_on is not None,
        )


@dataclass(frozen=True)
class Refusal:
    """A state in which an action the status allows still makes no sense, and why."""

    applies: Callable[[ComplaintState], bool]
    reason: str  # French, marked with gettext_noop: read in the reader's language


@dataclass(frozen=True)
class Shown:
    """How one key of an event's data reads in the chronology."""

    label: StrOrPromise
    choices: Mapping[str, StrOrPromise] | None = None  # stored value -> label (lazy)


@dataclass(frozen=True)
class DocumentSlot:
    """A file that goes with the action, stored unchanged with its SHA-256."""

    label: str  # French, marked with gettext_noop (the API's schema quotes it)
    role: str  # DocumentRole of the stored file
    help: str = ""
    required: bool = False
    first: bool = False  # shown before the input's fields (the file is the point)


@dataclass(frozen=True)
class Context:
    """What an action's plan may read: the complaint before the action, and who acts."""

    complaint: Complaint  # locked, as it is before the action
    actor: User | None
    today: date  # in the organisation's time zone
    has_document: bool
    enclosures: int = 0  # how many files go with the action's message


@dataclass(frozen=True)
class Plan:
    """What an action will change, worked out before anything is written."""

    occurred_on: date
    updates: Mapping[str, Any] = field(default_factory=dict)  # complaint field -> new value
    data: Mapping[str, Any] = field(default_factory=dict)  # what the event says besides
    document_role: str = ""  # the stored file's role, when the input chooses it


@dataclass(frozen=True, eq=False)  # each action is one object: compared and hashed as such
class ActionSpec(Generic[Input]):
    """One workflow action.

    - `allowed_in` and `refused_when`: when it can be taken (complaints.actions.refusal);
    - `input` and `plan`: what it reads and what it changes (the plan adds to the input's
      errors what the declarations of its fields cannot check);
    - `leads_to`: the status after it (a Status, or a workflow.Next);
    - `event` and `shows`: the chronology event it writes and how its data reads;
    - `send`: the message it queues (with the files enclosed, when `encloses` names the
      field that takes them), returning what the event says about it;
    - `label`, `done`, `intro`: what users read.
    """

    name: str
    label: StrOrPromise  # lazy: read in the page's language
    done: StrOrPromise  # "réponse enregistrée." after "REC-2026-0042 : "
    allowed_in: frozenset[str]
    leads_to: str  # a Status value, or a workflow.Next
    event: str  # an EventType value
    input: type[Input]
    plan: Callable[[Context, Input, Errors], Plan]
    shows: Mapping[str, Shown] = field(default_factory=dict)
    refused_when: tuple[Refusal, ...] = ()
    document: DocumentSlot | None = None
    send: Callable[[Complaint, Input, Sequence[Document]], dict[str, str]] | None = None
    # The label of the files sent with the message (the e-mail's attachments, the letter's
    # enclosures); "" when the action's message takes none.
    encloses: str = ""
    needs_client_email: bool = False
    previews: str = ""  # the message (a ClientMessage) shown before the action is confirmed
    # What the staff's input adds to that message (its typed text): the preview, the check
    # for doubled formulas and the message sent all take it from here.
    composes: Callable[[Mapping[str, Any]], dict[str, str]] | None = None
    typed_field: str = ""  # the input staff write the message in (paragraphs are added to it)
    # What to check before the message goes, from what was typed (French; it may still go).
    notices: Callable[[Complaint, Mapping[str, Any]], list[str]] | None = None
    # The letter printed as the action's document when no file is given (None: no letter).
    prints: Callable[[Complaint, Input, Sequence[Document]], File[bytes] | None] | None = None
    records_changes: bool = True  # the event lists the fields changed ("changes")
    intro: StrOrPromise = ""
    # Reads the input itself when its fields cannot be read one by one (a partial update).
    read: Callable[[Mapping[str, Any], Reading], Input] | None = None

    def refusal(self, state: ComplaintState) -> str | None:
        """Why the action cannot be taken in `state` (in the current language: French in the
        doors and the API), or None when it can."""
        if state.anonymised:
            return gettext("Action « %(label)s » impossible : la réclamation est anonymisée.") % {
                "label": self.label
            }
        if state.archived:
            return gettext(
                "Action « %(label)s » impossible : la réclamation est archivée (sa durée "
                "de conservation active est passée)."
            ) % {"label": self.label}
        if state.status not in self.allowed_in:
            return gettext(
                "Action « %(label)s » impossible : la réclamation est « %(status)s »."
            ) % {
                "label": self.label,
                "status": status_label(state.status).lower(),
            }
        for refusal in self.refused_when:
            if refusal.applies(state):
                return gettext(refusal.reason)
        return None


OPEN: frozenset[str] = OPEN_STATUSES
OPEN_OR_REPLIED = OPEN | {Status.REPLIED}
ANY_STATUS = OPEN_OR_REPLIED | {Status.CLOSED}
AFTER_REPLY = frozenset({Status.REPLIED, Status.CLOSED})
STAYS = Next.SAME
