"""A message to the client sent by post: what stops its letter being printed, and the letter.

Shared by every action that can write to the client by letter (the reply, the acknowledgement,
the request for information, the answer on progress): the same checks, the same layout."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.files.base import File
from django.utils.translation import gettext_noop

from reclamations.complaints.actions.inputs import choice
from reclamations.complaints.enums import DocumentRole, MessageChannel
from reclamations.complaints.models import Complaint, Document
from reclamations.complaints.notifications.letter import letter_file, letter_problems
from reclamations.complaints.notifications.sending import NO_ADDRESS_MESSAGE, send_to_client
from reclamations.complaints.validation import Errors
from reclamations.core.localtime import local_today
from reclamations.core.models import User

SENT_LETTER = DocumentRole.SENT_LETTER


def check_channel(complaint: Complaint, channel: str, errors: Errors, field: str) -> None:
    """An e-mail needs the client's address, a letter their postal address (and a printer)."""
    if channel == MessageChannel.EMAIL and not complaint.client_email:
        errors.add(field, NO_ADDRESS_MESSAGE)
    elif channel == MessageChannel.LETTER:
        for problem in letter_problems(complaint):
            errors.add(field, problem)


def channel_like_the_complaint(complaint: Complaint, actor: User | None) -> str:
    """By e-mail when the client has an address, else by post (the form's first choice)."""
    return MessageChannel.EMAIL if complaint.client_email else MessageChannel.LETTER


def names_of(documents: Sequence[Document]) -> list[str]:
    """The names of files sent with a letter, as its "P. J." lists them."""
    return [document.original_name for document in documents]


CHANNEL_HELP = gettext_noop(
    "Courrier : la lettre est imprimée en PDF (« Aperçu de la lettre »), gardée dans les "
    "documents, à poster au client."
)


def message_channel(label: str) -> Any:
    """The input field of how a message goes: e-mail, or a letter printed to post."""
    return choice(
        label,
        MessageChannel.choices,
        noun=gettext_noop("le moyen d'envoi"),
        default=MessageChannel.EMAIL,
        initial=channel_like_the_complaint,
        help=CHANNEL_HELP,
    )


def printed_letter(
    complaint: Complaint,
    kind: str,
    extra: Mapping[str, str] | None = None,
    enclosed: Sequence[Document] = (),
) -> File[bytes]:
    """The letter of `kind` to the client, dated today in the organisation's time zone."""
    return letter_file(
        complaint,
        kind,
        dated=local_today(complaint.organisation),
        extra=extra,
        enclosed=names_of(enclosed),
    )


@dataclass(frozen=True)
class ByChannel:
    """A message of `kind` that goes by e-mail or as a printed letter, as the input's `channel`
    says: the `send` and `prints` of the action that sends it. `composes` is what the input adds
    to the wording (the action's ActionSpec.composes)."""

    kind: str
    composes: Callable[[Mapping[str, Any]], dict[str, str]] | None = None

    def _extra(self, given: Any) -> dict[str, str] | None:
        return self.composes(asdict(given)) if self.composes is not None else None

    def send(
        self, complaint: Complaint, given: Any, enclosed: Sequence[Document] = ()
    ) -> dict[str, str]:
        if given.channel != MessageChannel.EMAIL:
            return {}
        return send_to_client(complaint, self.kind, extra=self._extra(given), enclosed=enclosed)

    def prints(
        self, complaint: Complaint, given: Any, enclosed: Sequence[Document] = ()
    ) -> File[bytes] | None:
        if given.channel != MessageChannel.LETTER:
            return None
        return printed_letter(complaint, self.kind, self._extra(given), enclosed)
