"""Widgets and fields shared by the staff forms, and the mapping of service errors onto them."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.free_text import EXPLANATION, REMINDER
from reclamations.complaints.validation import UNSTORABLE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_INVALID = _("Date invalide : utilisez le format JJ/MM/AAAA (ou AAAA-MM-JJ).")
TIME_INVALID = _("Heure invalide : utilisez le format HH:MM (par exemple 09:30).")


def translated_choices(choices: Iterable[tuple[str, str]]) -> list[tuple[str, "StrOrPromise"]]:
    """Choices whose French labels are marked where they are defined (gettext_noop: a pure
    module, or a label that stays French in the records), shown in the page's language."""
    return [(value, _(label)) for value, label in choices]


class DateInput(forms.DateInput):
    """A native date picker; browsers send and expect ISO dates."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class FlagInput(forms.CheckboxInput):
    """A checkbox sent as `name=1`, so that filter links read `?overdue=1`; "0" means unticked."""

    def __init__(self) -> None:
        super().__init__(attrs={"value": "1"})

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return str(data.get(name, "")).strip().lower() in {"1", "true", "on", "oui"}


class TextField(forms.CharField):
    """Text with line endings made uniform: browsers send CRLF, integrations send LF. A NUL is
    refused with the service's message (complaints.validation), not Django's."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = [
            ProhibitNullCharactersValidator(message=UNSTORABLE)
            if isinstance(validator, ProhibitNullCharactersValidator)
            else validator
            for validator in self.validators
        ]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


class FreeTextBoundField(forms.BoundField):
    """A free-text field as rendered: described by the CNIL's reminder besides its help and its
    errors, so that a screen reader announces it with the field (web/field_html.py shows
    it under the widget)."""

    @property
    def reminder(self) -> str:
        return gettext(REMINDER)  # marked in complaints.free_text

    @property
    def reminder_explanation(self) -> str:
        return gettext(EXPLANATION)

    @property
    def reminder_id(self) -> str:
        return f"{self.auto_id}_reminder" if self.auto_id else ""

    @property
    def aria_describedby(self) -> str | None:
        described = super().aria_describedby
        if described is None or not self.reminder_id or self.is_hidden:
            return described  # an aria-describedby given to the widget is kept as it is
        # After the help and the errors: the order they are shown in.
        return f"{described} {self.reminder_id}".strip()

    @property
    def explains(self) -> bool:
        """Whether the longer explanation goes under this field: only under the form's first
        free-text field, so that a form with several says it once."""
        first = next(
            name for name, field in self.form.fields.items() if isinstance(field, FreeTextField)
        )
        return self.name == first


class FreeTextField(TextField):
    """Prose that staff type about a client or a complaint (a description, a reason, a note, an
    outcome): shown with the CNIL's reminder (complaints.free_text). Lists, addresses and the
    organisation's own texts are TextFields."""

    widget = forms.Textarea
    bound_field_class = FreeTextBoundField


def mark_required(field: forms.Field) -> forms.Field:
    """A field the service requires (its French message when left empty) that the form leaves
    optional, so that the service's message is the one shown: marked required for the reader
    ("(obligatoire)" after its label, web/field_html.py) and for assistive technologies
    (aria-required), without the browser's own check, which would stop the form in the
    browser's language."""
    if not isinstance(field.widget, forms.RadioSelect):  # a radio takes no aria-required
        field.widget.attrs["aria-required"] = "true"
    field.declared_required = True  # type: ignore[attr-defined]  # read by the template
    return field


def text(label: str, *, help_text: str = "", max_length: int | None = None) -> TextField:
    return TextField(label=label, required=False, help_text=help_text, max_length=max_length)


def long_text(label: str, *, help_text: str = "", rows: int = 4) -> TextField:
    return TextField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def free_text(label: str, *, help_text: str = "", rows: int = 4) -> FreeTextField:
    """An optional free-text field: several lines, with the reminder."""
    return FreeTextField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def day(label: str, *, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"invalid": DATE_INVALID},
    )


def choice(
    label: str,
    choices: Iterable[tuple[str, str]],
    *,
    blank: str | None = None,
    help_text: str = "",
    radio: bool = False,
) -> forms.ChoiceField:
    options = list(choices)
    if blank is not None:
        options = [("", blank), *options]
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=options,
        help_text=help_text,
        widget=forms.RadioSelect if radio else forms.Select,
        error_messages={
            "invalid_choice": _("Choix inconnu : sélectionnez une valeur de la liste.")
        },
    )


def upload(label: str, *, help_text: str = "", required: bool = False) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text or _("PDF, JPEG ou PNG."),
        # The service checks emptiness, size and type by content, with its own messages.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"required": _("Choisissez le fichier à joindre.")},
    )


def local_moment(day: date | None, at: time | None, zone: ZoneInfo) -> datetime | None:
    """A date and an optional time typed in the organisation's zone, as one aware moment
    (midnight when the time is left empty); None without a date."""
    if day is None:
        return None
    return datetime.combine(day, at or time.min, tzinfo=zone)
