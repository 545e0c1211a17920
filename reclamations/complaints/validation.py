"""Checks shared by registration and the actions, each collecting French messages per field.

Nothing here writes: a service collects every problem first, then raises one ValidationError
(field -> messages) before anything is stored, so that a form shows them all at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.documents import EmailMessageFile, check_upload
from reclamations.complaints.enums import CLIENT_TYPE_BY_FUNDING, Kind
from reclamations.complaints.fields import choice_values, is_email, max_length, may_be_blank
from reclamations.core.localtime import local_date, local_today, local_zone
from reclamations.core.models import Organisation
from reclamations.core.reception import reception_problem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Clocks disagree by a little; a reception "in the future" beyond this is a typing error.
CLOCK_SKEW = timedelta(minutes=5)

GENERAL = "__all__"


class Errors(dict[str, list["StrOrPromise"]]):
    """Field name -> messages, in the order they were found: French, or lazy translations read
    in the language of the page that shows them (a ValidationError's messages are read when
    shown, after the door that runs in French has returned)."""

    def add(self, name: str, message: StrOrPromise) -> None:
        self.setdefault(name, []).append(message)

    def extend_from(self, name: str, error: ValidationError) -> None:
        self.setdefault(name, []).extend(error.messages)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def lazy_message(message: StrOrPromise, **values: object) -> StrOrPromise:
    """`message` (a lazy translation with named placeholders) filled with `values` when it is
    read, in the reader's language: the API reads it in French, an English page in English."""
    return _lazy_format(message, values)


def _format(message: StrOrPromise, values: dict[str, object]) -> str:
    return str(message) % values


_lazy_format = lazy(_format, str)


def clean_text(value: object) -> str:
    """What a text field holds: never None, no surrounding spaces."""
    return "" if value is None else str(value).strip()


UNSTORABLE = (
    "Caractère impossible à enregistrer (caractère nul ou moitié de caractère Unicode) : "
    "retirez-le et recommencez."
)


def storable(text: str) -> bool:
    """PostgreSQL refuses NUL in text, and no database stores half a UTF-16 pair (which JSON
    can carry, and which no encoding writes): such text is refused, never cut silently."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_unstorable(values: Mapping[str, object]) -> None:
    """A ValidationError naming each field whose text no database would store, before anything
    else is read: what a person or an integration sends is refused whole, with the field named
    (mail text is cleaned by the parser instead, since the message's bytes are kept)."""
    errors = Errors()
    for name, value in values.items():
        texts = value if isinstance(value, list | tuple) else [value]
        if any(isinstance(text, str) and not storable(text) for text in texts):
            errors.add(name, UNSTORABLE)
    errors.raise_if_any()


def _check_choice(errors: Errors, name: str, value: str, values: tuple[str, ...]) -> None:
    if value == "":
        if not may_be_blank(name):
            errors.add(
                name,
                lazy_message(
                    _("Champ obligatoire. Valeurs admises : %(allowed)s."),
                    allowed=", ".join(values),
                ),
            )
    elif value not in values:
        errors.add(
            name,
            lazy_message(
                _("Valeur « %(value)s » inconnue. Valeurs admises : %(allowed)s."),
                value=value,
                allowed=", ".join(values),
            ),
        )


def check_details(values: dict[str, str], errors: Errors) -> None:
    """The client and qualification fields given (see fields.DETAIL_FIELDS), as the model
    allows them: known choices, lengths, a well-formed email, a reason for "not admissible"."""
    for name, value in values.items():
        admitted = choice_values(name)
        if admitted:
            _check_choice(errors, name, value, admitted)
            continue
        limit = max_length(name)
        if limit is not None and len(value) > limit:
            errors.add(name, lazy_message(_("%(count)s caractères au plus."), count=limit))
        elif value and is_email(name):
            try:
                validate_email(value)
            except ValidationError:
                errors.add(
                    name, _("Adresse e-mail invalide : vérifiez qu'elle a la forme nom@domaine.fr.")
                )
    if values.get("kind") == Kind.NOT_ADMISSIBLE and not values.get("not_admissible_reason"):
        errors.add(
            "not_admissible_reason",
            _("Indiquez pourquoi la demande n'est pas une réclamation recevable."),
        )


def derived_client_type(funding: str, client_type: str) -> str:
    """The client type given, else the one the funding tells (CPF: a consumer...)."""
    return client_type or CLIENT_TYPE_BY_FUNDING.get(funding, "")


def check_reception_moment(
    organisation: Organisation, received_at: datetime | None, errors: Errors
) -> date | None:
    """The local day of a valid reception moment: given, with its time zone, from 2000 to
    tomorrow (core.reception), not ahead of now; None (with the message) otherwise."""
    if received_at is None:
        errors.add("received_at", "Indiquez la date et l'heure de réception.")
        return None
    if timezone.is_naive(received_at):
        errors.add("received_at", "La date de réception doit préciser son fuseau horaire.")
        return None
    problem = reception_problem(
        received_at, zone=local_zone(organisation), today=local_today(organisation)
    )
    if problem:
        errors.add("received_at", problem)
        return None
    if received_at > timezone.now() + CLOCK_SKEW:
        errors.add("received_at", "La date de réception est dans le futur : corrigez-la.")
        return None
    return local_date(organisation, received_at)


def check_backdating(
    organisation: Organisation, received_on: date, reason: str, errors: Errors
) -> None:
    """A person registering today a complaint received earlier says why (kept in the
    chronology): that is what makes a back-dated register trustworthy."""
    if received_on < local_today(organisation) and not reason:
        errors.add(
            "backdating_reason",
            "La réception est antérieure à aujourd'hui : indiquez pourquoi elle est "
            "enregistrée maintenant (ce motif est conservé dans la chronologie).",
        )


def check_file(upload: File[bytes] | None, name: str, errors: Errors) -> None:
    """An uploaded file staff may attach (type by content, size); emails are always kept."""
    if upload is None or isinstance(upload, EmailMessageFile):
        return
    try:
        check_upload(name=upload.name or "document", content=upload, size=upload.size)
    except ValidationError as error:
        errors.extend_from(name, error)
