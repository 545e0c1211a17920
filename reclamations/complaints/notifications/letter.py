"""A message to the client printed as a letter: the same words as its email (the wording of
notifications.wording, greeting, recourse and signature included) on the organisation's
letterhead, addressed for a window envelope."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy

from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.wording import message_context, render_client_message
from reclamations.complaints.validation import lazy_message
from reclamations.core.models import Organisation
from reclamations.letters.address import address_problem_texts, postal_lines, town_of
from reclamations.letters.content import Letter
from reclamations.letters.printing import letter_pdf, printing_problem
from reclamations.letters.services import layout_of
from reclamations.outbox.templates import Rendered, render

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def letter_problems(complaint: Complaint) -> list[StrOrPromise]:
    """Why a letter to the client cannot be printed now (empty when it can), each worded when
    it is read: French in the records and the API, the reader's language on a page."""
    problems = [
        lazy_message(gettext_lazy(text), **values)
        for text, values in address_problem_texts(complaint.client_name, complaint.client_address)
    ]
    if printing_problem():
        problems.append(gettext_lazy(printing_problem()))
    return problems


def _letterhead(organisation: Organisation) -> tuple[str, ...]:
    lines = [*organisation.address.splitlines(), organisation.phone, organisation.complaints_email]
    lines.append(organisation.website)
    return tuple(line.strip() for line in lines if line and line.strip())


def legal_line(organisation: Organisation) -> str:
    """The foot of every page: who writes, as the law names it."""
    parts = [organisation.legal_name or organisation.name]
    if organisation.siret:
        parts.append(f"SIRET {organisation.siret}")
    if organisation.nda:
        parts.append(f"Déclaration d'activité n° {organisation.nda}")
    address = ", ".join(line.strip() for line in organisation.address.splitlines() if line.strip())
    if address:
        parts.append(address)
    return " \u2013 ".join(parts)  # en dash


def _subject(subject: str, reference: str) -> str:
    return " ".join(subject.replace(f"[{reference}]", " ").split())


def client_letter(
    complaint: Complaint,
    kind: str,
    *,
    dated: date,
    extra: Mapping[str, str] | None = None,
    enclosed: Sequence[str] = (),
    wording: Rendered | None = None,
) -> Letter:
    """The letter of `kind` (a ClientMessage) for `complaint`, dated `dated`, listing the
    names of the files `enclosed` with it; in `wording` when given (a manager trying a
    template), else the organisation's."""
    organisation = complaint.organisation
    if wording is not None:
        rendered = render(wording, message_context(complaint, extra=extra, letter=True))
    else:
        rendered = render_client_message(complaint, kind, extra, letter=True)
    return Letter(
        organisation=organisation.name,
        letterhead=_letterhead(organisation),
        recipient=postal_lines(complaint.client_name, complaint.client_address),
        place=town_of(organisation.address),
        dated=dated,
        reference=complaint.reference,
        subject=_subject(rendered.subject, complaint.reference),
        body=rendered.body,
        footer=legal_line(organisation),
        enclosed=tuple(enclosed),
    )


def letter_file(
    complaint: Complaint,
    kind: str,
    *,
    dated: date,
    extra: Mapping[str, str] | None = None,
    enclosed: Sequence[str] = (),
) -> ContentFile[bytes]:
    """The PDF of that letter, listing the names of the files `enclosed`, named for the
    complaint's documents ("reponse-REC-2026-0042-2026-11-29.pdf")."""
    letter = client_letter(complaint, kind, dated=dated, extra=extra, enclosed=enclosed)
    pdf = letter_pdf(letter, layout_of(complaint.organisation))
    return ContentFile(pdf, name=f"{_FILE_NAMES.get(kind, kind)}-{complaint.reference}-{dated}.pdf")


_FILE_NAMES: dict[str, str] = {
    ClientMessage.ACKNOWLEDGEMENT: "accuse-de-reception",
    ClientMessage.INFORMATION_REQUEST: "demande-d-informations",
    ClientMessage.CONFIRMATION_REQUEST: "demande-de-confirmation",
    ClientMessage.REPLY: "reponse",
    ClientMessage.PROGRESS: "avancement",
    ClientMessage.CLOSURE: "attestation-de-cloture",
}
