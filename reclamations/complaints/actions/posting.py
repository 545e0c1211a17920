"""A message to the client sent by post: what stops its letter being printed, and the letter.

Shared by every action that can write to the client by letter (the reply, the acknowledgement,
the request for information, the answer on progress): the same checks, the same layout."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.files.base import File

from reclamations.complaints.enums import DocumentRole, MessageChannel
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.letter import letter_file
from reclamations.complaints.notifications.sending import NO_ADDRESS_MESSAGE
from reclamations.complaints.validation import Errors
from reclamations.core.localtime import local_today
from reclamations.core.models import User
from reclamations.letters.address import address_problems
from reclamations.letters.printing import printing_problem

SENT_LETTER = DocumentRole.SENT_LETTER


def letter_problems(complaint: Complaint) -> list[str]:
    """Why a letter to the client cannot be printed now, in French (empty when it can)."""
    problems = address_problems(complaint.client_name, complaint.client_address)
    if printing_problem():
        problems.append(printing_problem())
    return problems


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


def printed_letter(
    complaint: Complaint, kind: str, extra: Mapping[str, str] | None = None
) -> File[bytes]:
    """The letter of `kind` to the client, dated today in the organisation's time zone."""
    return letter_file(complaint, kind, dated=local_today(complaint.organisation), extra=extra)
