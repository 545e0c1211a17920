"""An action's input: a frozen dataclass whose fields say how they are read and shown.

Each field is declared once with `text`, `long_text`, `choice`, `day` or `moment`: its French
label, what is required and what is said when it is wrong. `read_input` turns raw values (a
form's cleaned data, an API's JSON) into the typed input, collecting messages per field;
the web form and the API schema are built from the same declarations.

The declared texts are French `str` marked with gettext_noop (the API's schema quotes them as
they are); `shown` reads one in the language of the page, and the messages collected are lazy
translations, read in the language of whoever shows them (the API: French).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.models import Complaint
from reclamations.complaints.validation import Errors, clean_text, lazy_message
from reclamations.core.localtime import local_date
from reclamations.core.models import User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

METADATA_KEY = "reclamations.input"

DATE_INVALID = _("Date invalide : utilisez le format AAAA-MM-JJ.")
DATE_IN_FUTURE = _("Cette date est dans le futur : indiquez la date réelle.")


class FieldKind(StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # several lines
    CHOICE = "choice"  # one value of a list
    DAY = "day"  # a date; empty means today
    MOMENT = "moment"  # a date and time with its offset


# A value, or how to work it out from the complaint (as it is before the action) and the actor.
Default = str | Callable[[Complaint, User | None], str]


@dataclasses.dataclass(frozen=True)
class InputField:
    kind: FieldKind
    label: str
    help: str = ""
    required: str = ""  # the message when left empty; "" when the field is optional
    max_length: int | None = None
    rows: int = 4
    # Long texts: prose typed about the client or the complaint, shown with the CNIL's reminder
    # (complaints.free_text); False for several lines that are no comment (an address).
    free_text: bool = False
    choices: tuple[tuple[str, StrOrPromise], ...] = ()
    noun: str = ""  # "le moyen d'envoi": "Choisissez le moyen d'envoi parmi : ..."
    invalid: str = ""  # replaces that message when a list of labels would not help
    blank: str | None = None  # a choice that may be left empty: the empty option's label
    radio: bool = False
    default: Default | None = None  # taken when the value is not given (and shown first)
    initial: Default | None = None  # only shown first in the web form
    not_before_reception: bool = True  # days only
    # Choices that depend on the complaint (its organisation's causes, its letters): values,
    # or (value, label) pairs.
    options: Callable[[Complaint], Sequence[str | tuple[str, str]]] | None = None

    def choices_for(self, complaint: Complaint) -> tuple[tuple[str, StrOrPromise], ...]:
        """The choices offered for `complaint`: declared, or read from it."""
        if self.options is None:
            return self.choices
        return tuple(
            option if isinstance(option, tuple) else (option, option)
            for option in self.options(complaint)
        )

    def starting_value(self, complaint: Complaint, actor: User | None) -> str | None:
        """What the web form shows first."""
        source = self.initial if self.initial is not None else self.default
        return resolve(source, complaint, actor) if source is not None else None


def resolve(source: Default, complaint: Complaint, actor: User | None) -> str:
    """The value of a declared default: given as is, or worked out from the complaint and actor."""
    return source(complaint, actor) if callable(source) else source


def shown(declared: str) -> StrOrPromise:
    """A declared text (marked with gettext_noop) in the reader's language; "" stays ""."""
    return _(declared) if declared else ""


def _declare(spec: InputField, default: Any) -> Any:
    return dataclasses.field(default=default, metadata={METADATA_KEY: spec})


def text(label: str, **options: Any) -> Any:
    """A one-line text field ("" when left empty)."""
    return _declare(InputField(FieldKind.TEXT, label, **options), "")


def long_text(label: str, **options: Any) -> Any:
    """A text field of several lines ("" when left empty): free text unless `free_text=False`."""
    options.setdefault("free_text", True)
    return _declare(InputField(FieldKind.LONG_TEXT, label, **options), "")


def choice(label: str, choices: Sequence[tuple[str, StrOrPromise]], **options: Any) -> Any:
    """One value of `choices` ((value, French label) pairs)."""
    return _declare(InputField(FieldKind.CHOICE, label, choices=tuple(choices), **options), "")


def day(label: str, **options: Any) -> Any:
    """A date, today when left empty; neither in the future nor before the reception."""
    return _declare(InputField(FieldKind.DAY, label, **options), None)


def moment(label: str, **options: Any) -> Any:
    """A date and time with its offset (ISO 8601 from the API)."""
    return _declare(InputField(FieldKind.MOMENT, label, **options), None)


def input_fields(input_type: type) -> Iterator[tuple[str, InputField]]:
    """(name, declaration) of each field of an action's input, in declaration order."""
    for field in dataclasses.fields(input_type):
        yield field.name, field.metadata[METADATA_KEY]


@dataclasses.dataclass(frozen=True)
class Reading:
    """What reading needs besides the raw values."""

    complaint: Complaint  # as it is before the action
    actor: User | None
    today: date
    errors: Errors


def _text(spec: InputField, name: str, raw: Mapping[str, Any], reading: Reading) -> str:
    if name not in raw and spec.default is not None:
        value = clean_text(resolve(spec.default, reading.complaint, reading.actor))
    else:
        value = clean_text(raw.get(name))
    if spec.required and not value:
        reading.errors.add(name, shown(spec.required))
    elif spec.max_length is not None and len(value) > spec.max_length:
        reading.errors.add(
            name, lazy_message(_("%(count)s caractères au plus."), count=spec.max_length)
        )
    return value


def _choice(spec: InputField, name: str, raw: Mapping[str, Any], reading: Reading) -> str:
    value = clean_text(raw.get(name))
    if not value and spec.default is not None:
        value = resolve(spec.default, reading.complaint, reading.actor)
    if value == "" and spec.blank is not None:
        if spec.required:
            reading.errors.add(name, shown(spec.required))
        return value
    choices = spec.choices_for(reading.complaint)
    if value not in dict(choices):
        reading.errors.add(
            name, shown(spec.invalid) if spec.invalid else _choose_among(spec, choices)
        )
    return value


def _joined_labels(choices: tuple[tuple[str, StrOrPromise], ...]) -> str:
    return ", ".join(str(label) for _value, label in choices)


_lazy_joined_labels = lazy(_joined_labels, str)


def _choose_among(spec: InputField, choices: tuple[tuple[str, StrOrPromise], ...]) -> StrOrPromise:
    """ "Choisissez la cause parmi : ...", its noun and the labels in the reader's language."""
    return lazy_message(
        _("Choisissez %(noun)s parmi : %(labels)s."),
        noun=shown(spec.noun),
        labels=_lazy_joined_labels(choices),
    )


def _as_day(value: object, reading: Reading) -> date | None:
    if isinstance(value, datetime):
        return local_date(reading.complaint.organisation, value)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _day(spec: InputField, name: str, raw: Mapping[str, Any], reading: Reading) -> date:
    value = raw.get(name)
    if value in (None, ""):
        return reading.today
    parsed = _as_day(value, reading)
    if parsed is None:
        reading.errors.add(name, DATE_INVALID)
        return reading.today
    if parsed > reading.today:
        reading.errors.add(name, DATE_IN_FUTURE)
    received_on = reading.complaint.received_on
    if spec.not_before_reception and parsed < received_on:
        reading.errors.add(
            name,
            lazy_message(
                _("Cette date précède la réception de la réclamation (%(day)s)."),
                day=f"{received_on:%d/%m/%Y}",
            ),
        )
    return parsed


def _moment(
    spec: InputField, name: str, raw: Mapping[str, Any], reading: Reading
) -> datetime | None:
    value = raw.get(name)
    if isinstance(value, datetime):
        return value
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        reading.errors.add(
            name,
            lazy_message(
                _("%(label)s invalide (format ISO 8601 attendu)."), label=shown(spec.label)
            ),
        )
        return None


# What an input's field holds once read.
Value = str | date | datetime | None
_READERS: dict[FieldKind, Callable[[InputField, str, Mapping[str, Any], Reading], Value]] = {
    FieldKind.TEXT: _text,
    FieldKind.LONG_TEXT: _text,
    FieldKind.CHOICE: _choice,
    FieldKind.DAY: _day,
    FieldKind.MOMENT: _moment,
}

Input = TypeVar("Input")


def read_input(input_type: type[Input], raw: Mapping[str, Any], reading: Reading) -> Input:
    """The typed input from raw values; problems go to `reading.errors` (the value read is
    still set, so that the action's plan can add its own checks to the same list)."""
    values = {
        name: _READERS[spec.kind](spec, name, raw, reading)
        for name, spec in input_fields(input_type)
    }
    return input_type(**values)
