"""Writes of the outbox: queueing a message (inside the caller's transaction) and the
organisation's own wording of a kind of message."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from reclamations.core.languages import FRENCH
from reclamations.core.message_ids import storable_message_id
from reclamations.core.models import Organisation, User
from reclamations.core.rows import insert_new
from reclamations.outbox.models import (
    CannedParagraph,
    MessageTemplate,
    OutgoingAttachment,
    OutgoingMessage,
    OutgoingStatus,
)
from reclamations.outbox.templates import TemplateSpec, validate_template

FALLBACK_DOMAIN = "reclamations.local"
SUBJECT_MAX = OutgoingMessage._meta.get_field("subject").max_length or 300


@dataclass(frozen=True)
class Attachment:
    """A file to send with a message: where its owner stored it, and what it must still be."""

    filename: str
    content_type: str
    stored_as: str  # its name in the default storage
    size: int
    sha256: str


def message_id_domain(organisation: Organisation) -> str:
    """The domain of our Message-IDs: the complaints mailbox's, else a local one."""
    address = organisation.complaints_email.strip()
    domain = address.rpartition("@")[2].lower() if "@" in address else ""
    return domain or FALLBACK_DOMAIN


def new_message_id(organisation: Organisation) -> str:
    """A Message-ID never used before, in the form core.message_ids keeps."""
    return f"<{uuid.uuid4().hex}@{message_id_domain(organisation)}>"


def _recipients(to: str | Sequence[str]) -> list[str]:
    items = to.split(",") if isinstance(to, str) else list(to)
    addresses = [item.strip() for item in items if item and item.strip()]
    if not addresses:
        raise ValidationError({"to": ["Aucun destinataire : indiquez au moins une adresse."]})
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"to": [f"Adresse e-mail invalide : « {address} ». Corrigez-la puis réessayez."]}
            ) from None
    return addresses


def one_line_subject(subject: str) -> str:
    """One line, short enough to store: a long subject never makes the change that sends the
    message fail."""
    subject = " ".join(subject.split())
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1] + "…"


def _body(text: str) -> str:
    # One final newline: an SMTP client adds it when missing, and the stored copy must be
    # byte for byte what the server received.
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") + "\n"


def _thread_ids(values: str) -> str:
    ids = (storable_message_id(item) for item in values.split())
    return " ".join(value for value in ids if value)


def outbox_queue(
    *,
    organisation: Organisation,
    kind: str,
    to: str | Sequence[str],
    subject: str,
    body_text: str,
    in_reply_to: str = "",
    references: str = "",
    auto_submitted: bool = False,
    attachments: Sequence[Attachment] = (),
) -> OutgoingMessage:
    """Queue one message. Call INSIDE the transaction of the change that causes it: the row
    commits (and is later sent by the worker) only if that change commits.

    Threading headers are normalised; an id too long for a header is left out.
    """
    recipients = _recipients(to)
    in_reply_to = (storable_message_id(in_reply_to) or "") if in_reply_to else ""
    references = _thread_ids(references)
    if in_reply_to and not references:
        references = in_reply_to
    now = timezone.now()
    message = OutgoingMessage(
        organisation=organisation,
        kind=kind,
        to=", ".join(recipients),
        subject=one_line_subject(subject),
        body_text=_body(body_text),
        message_id=new_message_id(organisation),
        in_reply_to=in_reply_to,
        references=references,
        auto_submitted=auto_submitted,
        status=OutgoingStatus.QUEUED,
        next_attempt_at=now,
        created_at=now,
    )
    insert_new(message)
    if attachments:  # most messages have none: no bulk_create to set up for nothing
        OutgoingAttachment.objects.bulk_create(
            OutgoingAttachment(
                message=message,
                position=position,
                filename=attachment.filename,
                content_type=attachment.content_type,
                stored_as=attachment.stored_as,
                size=attachment.size,
                sha256=attachment.sha256,
            )
            for position, attachment in enumerate(attachments, start=1)
        )
    return message


def message_template_save(
    *, organisation: Organisation, actor: User, spec: TemplateSpec, subject: str, body: str
) -> MessageTemplate:
    """Save the organisation's wording of `spec.kind` after checking it renders with the spec's
    sample; raises ValidationError (subject/body -> French messages)."""
    subject = subject.strip()
    body = body.replace("\r\n", "\n").strip("\n") + "\n"
    _preview, errors = validate_template(spec, subject, body)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        template, _created = MessageTemplate.objects.update_or_create(
            organisation=organisation,
            kind=spec.kind,
            language=spec.language,
            defaults={
                "subject": subject,
                "body": body,
                "updated_at": timezone.now(),
                "updated_by": actor,
            },
        )
    return template


def message_template_reset(
    *, organisation: Organisation, kind: str, language: str = FRENCH
) -> bool:
    """Go back to the default wording of `kind` in `language`; True when there was an own
    one."""
    deleted, _ = MessageTemplate.objects.filter(
        organisation=organisation, kind=kind, language=language
    ).delete()
    return deleted > 0


def canned_paragraph_save(
    *,
    organisation: Organisation,
    actor: User,
    title: str,
    text: str,
    paragraph: CannedParagraph | None = None,
) -> CannedParagraph:
    """Create (or change) a paragraph of the organisation; raises ValidationError (title/text
    -> French messages)."""
    title = " ".join(title.split())
    text = text.replace("\r\n", "\n").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [gettext("Donnez un intitulé au paragraphe.")]
    if not text:
        errors["text"] = [gettext("Écrivez le texte du paragraphe.")]
    same_title = CannedParagraph.objects.filter(organisation=organisation, title=title)
    if paragraph is not None:
        same_title = same_title.exclude(pk=paragraph.pk)
    if title and same_title.exists():
        errors["title"] = [
            gettext("Un paragraphe s'appelle déjà « %(title)s » : choisissez un autre intitulé.")
            % {"title": title}
        ]
    if errors:
        raise ValidationError(errors)
    paragraph = paragraph or CannedParagraph(organisation=organisation)
    paragraph.title, paragraph.text = title, text
    paragraph.updated_at, paragraph.updated_by = timezone.now(), actor
    paragraph.save()
    return paragraph


def canned_paragraph_delete(paragraph: CannedParagraph) -> None:
    """Remove a paragraph: only a help to write, what was sent with it stays in the
    chronology."""
    paragraph.delete()
