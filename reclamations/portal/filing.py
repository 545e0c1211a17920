"""A complaint filed online: kept as pending until its author confirms their e-mail address,
then registered (channel "web", received at the confirmation) with its files, and
acknowledged like any written complaint.

Robots are kept out without any third-party service: a field people never see (a robot fills
it in), a minimum time to fill the form (a signed stamp of when it was shown), and the limits
of portal.limits per address; the sizes are those of any upload."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.client_access import LinkProblem, new_secret, secret_digest
from reclamations.complaints.enums import Channel, DocumentRole
from reclamations.complaints.models import Complaint
from reclamations.complaints.services import NewComplaint, complaint_apply, complaint_register
from reclamations.complaints.validation import Errors, check_details, check_file, clean_text
from reclamations.core.languages import FRENCH, language_of
from reclamations.core.models import Organisation
from reclamations.outbox.services import outbox_queue
from reclamations.portal.models import PendingComplaint

PENDING_HOURS = 24
MIN_SECONDS = 3  # a person takes longer than this to fill the form in
MAX_FILES = 5
STAMP_SALT = "reclamations.portal.filing"
CONFIRM_PATH = "/suivi/confirmer/"
CONFIRMATION_KIND = "filing_confirm"
WITNESS = "formulaire en ligne, adresse e-mail confirmée par le lien envoyé"
# Kept with the fields when the form was filed in another language than French.
LANGUAGE_FIELD = "client_language"
# The fields of the form that become the complaint's (the e-mail address apart).
FIELDS = (
    "client_name",
    "client_phone",
    "client_account",
    "training",
    "session",
    "description",
    "remedy_sought",
)


def form_stamp(now: datetime) -> str:
    """When the form was shown, signed: sent back with it."""
    return signing.dumps(now.timestamp(), salt=STAMP_SALT)


def filled_by_a_person(stamp: str, now: datetime) -> bool:
    """Whether the form came back at least MIN_SECONDS after it was shown, within a day."""
    try:
        shown = float(signing.loads(stamp, salt=STAMP_SALT, max_age=86400))
    except (signing.BadSignature, TypeError, ValueError):
        return False
    return now.timestamp() - shown >= MIN_SECONDS


def checked(values: Mapping[str, str], files: Sequence[File[bytes]]) -> dict[str, str]:
    """The fields as the register keeps them, or a ValidationError (French, per field)."""
    fields = {name: clean_text(values.get(name, "")) for name in FIELDS}
    errors = Errors()
    if not fields["client_name"]:
        errors.add("client_name", _("Indiquez votre nom."))
    if not fields["description"]:
        errors.add("description", _("Décrivez votre réclamation."))
    check_details(fields, errors)
    if len(files) > MAX_FILES:
        errors.add("files", _("5 fichiers au plus."))
    for upload in files:
        check_file(upload, "files", errors)
    errors.raise_if_any()
    return fields


def _forget_expired(now: datetime) -> None:
    for pending in PendingComplaint.objects.filter(expires_at__lt=now, confirmed_at=None):
        _delete_files(pending.files)
        pending.delete()


def _delete_files(files: Sequence[Mapping[str, str]]) -> None:
    for item in files:
        default_storage.delete(item["stored_as"])


def file_pending(
    *,
    organisation: Organisation,
    fields: Mapping[str, str],
    email: str,
    files: Sequence[File[bytes]],
    ip: str,
    now: datetime,
    language: str = FRENCH,
) -> PendingComplaint:
    """Keep the complaint (checked by `checked`) until its author confirms, and e-mail them
    the link that does, in `language`: the language of the page they filed it on, which
    becomes their complaint's (the messages to them are written in it)."""
    _forget_expired(now)
    folder = f"pending/{uuid.uuid4().hex}"
    stored = []
    for upload in files:
        name = (upload.name or "document").rsplit("/", 1)[-1][:100]
        stored.append({"name": name, "stored_as": default_storage.save(f"{folder}/{name}", upload)})
    secret = new_secret()
    with transaction.atomic():
        pending = PendingComplaint.objects.create(
            organisation=organisation,
            secret_sha256=secret_digest(secret),
            fields=_with_language(fields, language),
            files=stored,
            email=email,
            ip=ip,
            created_at=now,
            expires_at=now + timedelta(hours=PENDING_HOURS),
        )
        link = f"{settings.RECLAMATIONS_BASE_URL}{CONFIRM_PATH}{secret}/"
        with translation.override(language):
            subject, body = _confirmation_message(organisation, fields.get("client_name", ""), link)
        outbox_queue(
            organisation=organisation,
            kind=CONFIRMATION_KIND,
            to=email,
            subject=subject,
            body_text=body,
            auto_submitted=True,
        )
    return pending


def _with_language(fields: Mapping[str, str], language: str) -> dict[str, str]:
    # Named only when not French: a French filing is kept as it was before languages.
    kept = dict(fields)
    if language != FRENCH:
        kept[LANGUAGE_FIELD] = language
    return kept


def _confirmation_message(organisation: Organisation, name: str, link: str) -> tuple[str, str]:
    """The subject and text asking to confirm the address, in the active language."""
    greeting = gettext("Bonjour %(name)s,") % {"name": name} if name else gettext("Bonjour,")
    text = gettext(
        "Vous avez déposé une réclamation auprès de %(organisation)s sur notre site. Pour "
        "qu'elle soit enregistrée, confirmez votre adresse e-mail en ouvrant ce lien (valable "
        "%(hours)s heures) :"
    ) % {"organisation": organisation.name, "hours": PENDING_HOURS}
    then = gettext(
        "Votre réclamation sera enregistrée à ce moment-là, et un accusé de réception vous "
        "sera envoyé."
    )
    warning = gettext(
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera "
        "enregistré."
    )
    body = f"{greeting}\n\n{text}\n{link}\n\n{then}\n\n{warning}\n\n{organisation.name}\n"
    return gettext("Confirmez votre réclamation"), body


@dataclass(frozen=True)
class Confirmation:
    complaint: Complaint | None
    problem: LinkProblem | None = None
    reference: str = ""  # the complaint registered (now or by an earlier click)


def peek_pending(secret: str, now: datetime) -> Confirmation:
    """What the link would confirm, without confirming (a mail scanner may load it)."""
    pending = _pending(secret)
    if pending is None:
        return Confirmation(None, LinkProblem.UNKNOWN)
    if pending.confirmed_at is not None:
        return Confirmation(None, LinkProblem.USED, pending.reference)
    if pending.expires_at <= now:
        return Confirmation(None, LinkProblem.EXPIRED)
    return Confirmation(None)


def _pending(secret: str) -> PendingComplaint | None:
    if not secret or len(secret) > 100:
        return None
    return PendingComplaint.objects.filter(secret_sha256=secret_digest(secret)).first()


def confirm_pending(secret: str, now: datetime) -> Confirmation:
    """Register the complaint, received now, with its files; once only."""
    with transaction.atomic():
        found = _pending(secret)
        if found is None:
            return Confirmation(None, LinkProblem.UNKNOWN)
        pending = PendingComplaint.objects.select_for_update().get(pk=found.pk)
        state = peek_pending(secret, now)
        if state.problem is not None:
            return state
        fields = {name: str(pending.fields.get(name, "")) for name in FIELDS}
        complaint = complaint_register(
            organisation=pending.organisation,
            actor=None,
            complaint=NewComplaint(
                channel=Channel.WEB,
                received_at=now,
                client_email=pending.email,
                client_language=language_of(str(pending.fields.get(LANGUAGE_FIELD, FRENCH))),
                reception_witness=WITNESS,
                **fields,
            ),
        )
        for item in pending.files:
            with default_storage.open(item["stored_as"], "rb") as stored:
                upload = File(stored, name=item["name"])
                complaint_apply(
                    complaint=complaint,
                    actor=None,
                    action="add_document",
                    data={"role": DocumentRole.ATTACHMENT, "description": "Joint au formulaire"},
                    document=upload,
                )
        files = list(pending.files)
        # The register holds it all now: the pending row keeps only what says it was done.
        pending.confirmed_at, pending.reference = now, complaint.reference
        pending.fields, pending.files = {}, []
        pending.save(update_fields=["confirmed_at", "reference", "fields", "files"])
        transaction.on_commit(lambda: _delete_files(files))
    return Confirmation(complaint, None, complaint.reference)
