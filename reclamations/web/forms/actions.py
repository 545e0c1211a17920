"""The form of each workflow action, built from the action's declaration (complaints.actions).

Labels, help, choices, lengths and starting values come from the declared input (its French
texts read in the page's language with inputs.shown); only "Modifier la fiche", which edits the
registration's own fields, has a form of its own.
"""

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.actions import ActionSpec
from reclamations.complaints.actions.inputs import FieldKind, InputField, input_fields, shown
from reclamations.complaints.actions.record import UPDATE_DETAILS
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.sending import (
    ASKS_OPINION,
    LINK_PLACEHOLDER,
    subject_with_reference,
    with_follow_link,
)
from reclamations.complaints.notifications.wording import client_language, render_client_message
from reclamations.core.form_fields import several_files
from reclamations.core.models import User
from reclamations.outbox.models import CannedParagraph
from reclamations.outbox.templates import Rendered
from reclamations.web.forms.complaint import ComplaintDetailsForm
from reclamations.web.forms.fields import (
    TIME_INVALID,
    TimeInput,
    choice,
    day,
    free_text,
    local_moment,
    long_text,
    mark_required,
    text,
    upload,
)

PARAGRAPH_FIELD = "paragraph"
ENCLOSURES_FIELD = "enclosures"
ENCLOSURES_HELP = _(
    "Facultatif. PDF, JPEG ou PNG, 10 au plus : joints à l'e-mail, ou listés en « P. J. » "
    "sous la lettre (à glisser dans l'enveloppe) ; gardés dans les documents."
)


class ActionForm(forms.Form):
    """Fields of one action. Dates start at today in the organisation's time zone."""

    spec: ActionSpec[Any]

    def __init__(
        self,
        *args: Any,
        complaint: Complaint,
        user: User,
        today: date,
        zone: ZoneInfo,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.user = user
        self.zone = zone
        self.set_choices()
        self.set_initial(today)
        self.offer_paragraphs()

    def offer_paragraphs(self) -> None:
        """Beside the text staff type, the organisation's paragraphs to insert (if any)."""
        typed = self.spec.typed_field
        if not typed or typed not in self.fields:
            return
        paragraphs = CannedParagraph.objects.filter(organisation=self.complaint.organisation_id)
        choices = [(str(pk), title) for pk, title in paragraphs.values_list("pk", "title")]
        if not choices:
            return
        chooser = forms.ChoiceField(
            label=_("Insérer un paragraphe type"),
            choices=[("", "—"), *choices],
            required=False,
            help_text=_("Ajouté à la fin du texte ; l'aperçu montre le résultat avant l'envoi."),
        )
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index(typed) + 1
        self.fields = dict([*fields[:at], (PARAGRAPH_FIELD, chooser), *fields[at:]])

    @property
    def intro(self) -> str:
        return self.spec.intro

    @property
    def message_kind(self) -> str:
        return self.spec.previews

    def set_choices(self) -> None:
        """The choices that depend on the organisation (its causes)."""
        for name, declared in input_fields(self.spec.input):
            field = self.fields.get(name)
            if declared.options is not None and isinstance(field, forms.ChoiceField):
                blank = [("", shown(declared.blank))] if declared.blank is not None else []
                field.choices = [*blank, *declared.choices_for(self.complaint)]

    def set_initial(self, today: date) -> None:
        """Starting values declared with the input: today, the complaint's, the user's."""
        for name, declared in input_fields(self.spec.input):
            if name not in self.fields:
                continue
            if declared.kind == FieldKind.DAY:
                self.fields[name].initial = today
            else:
                self.fields[name].initial = declared.starting_value(self.complaint, self.user)

    @property
    def composes(self) -> bool:
        """Whether staff write part of the message (it is previewed on demand)."""
        return self.spec.composes is not None

    def typed(self) -> Mapping[str, Any]:
        """What the form holds now: as checked when it was posted and valid, else as posted,
        else its starting values."""
        if self.is_bound:
            return self.cleaned_data if self.is_valid() else self.data
        return {name: field.initial for name, field in self.fields.items()}

    @property
    def notices(self) -> list[str]:
        """What to check before the message goes (the mediator's listing...)."""
        if self.spec.notices is None:
            return []
        return self.spec.notices(self.complaint, self.typed())

    @property
    def prints(self) -> bool:
        """Whether the action prints a letter (it can be previewed as a PDF)."""
        return self.spec.prints is not None and bool(self.spec.previews)

    def preview(self) -> Rendered | None:
        """The email the action sends, as the client will read it, with what was typed in
        the form; None without an address."""
        if not self.spec.previews or not self.complaint.client_email:
            return None
        extra = None
        if self.spec.composes is not None:
            extra = self.spec.composes(self.typed() if self.is_bound else {})
        rendered = render_client_message(self.complaint, self.spec.previews, extra=extra)
        # The links' lines in the client's language, as the message sent has them.
        with translation.override(self.preview_language):
            body = with_follow_link(
                rendered.body,
                LINK_PLACEHOLDER,
                LINK_PLACEHOLDER if self.spec.previews in ASKS_OPINION else "",
            )
        return Rendered(subject_with_reference(rendered.subject, self.complaint), body)

    @property
    def preview_language(self) -> str:
        """The language of the message previewed: the client's (the page marks it so)."""
        return client_language(self.complaint)

    def enclosures(self) -> list[Any]:
        """The files chosen to go with the message (call after is_valid())."""
        return list(self.cleaned_data.get(ENCLOSURES_FIELD) or [])

    @property
    def enclosure_names(self) -> list[str]:
        """The names of the files chosen, for the preview (they go with the message)."""
        if not self.is_bound or ENCLOSURES_FIELD not in self.fields:
            return []
        return [upload.name for upload in self.files.getlist(ENCLOSURES_FIELD)]

    def payload(self) -> dict[str, Any]:
        """The data for complaint_apply (call after is_valid())."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("document", ENCLOSURES_FIELD, PARAGRAPH_FIELD) and value is not None
        }


def _form_field(declared: InputField) -> forms.Field:
    label, help_text = shown(declared.label), shown(declared.help)
    if declared.kind == FieldKind.TEXT:
        return text(label, help_text=help_text, max_length=declared.max_length)
    if declared.kind == FieldKind.LONG_TEXT and declared.free_text:
        return free_text(label, help_text=help_text, rows=declared.rows)
    if declared.kind == FieldKind.LONG_TEXT:
        return long_text(label, help_text=help_text, rows=declared.rows)
    if declared.kind == FieldKind.CHOICE:
        return choice(
            label,
            declared.choices,
            blank=shown(declared.blank) if declared.blank is not None else None,
            help_text=help_text,
            radio=declared.radio,
        )
    if declared.kind == FieldKind.DAY:
        return day(label, help_text=help_text)
    raise ValueError(f"No form field for {declared.kind!r}: give the action a form of its own.")


@cache
def _generated_form(spec: ActionSpec[Any]) -> type[ActionForm]:
    attributes: dict[str, Any] = {"spec": spec}
    slot = spec.document
    document = (
        upload(shown(slot.label), help_text=shown(slot.help), required=slot.required)
        if slot
        else None
    )
    if document is not None and slot is not None and slot.first:
        attributes["document"] = document
    for name, declared in input_fields(spec.input):
        attributes[name] = _form_field(declared)
        if declared.required:
            mark_required(attributes[name])
    if spec.encloses:
        attributes[ENCLOSURES_FIELD] = several_files(
            shown(spec.encloses), help_text=ENCLOSURES_HELP
        )
    if document is not None and slot is not None and not slot.first:
        attributes["document"] = document
    return type(f"{spec.name.title().replace('_', '')}Form", (ActionForm,), attributes)


class UpdateDetailsForm(ActionForm, ComplaintDetailsForm):
    """The registration's fields as they are now, and the moment of reception, in two fields."""

    spec = UPDATE_DETAILS
    received_date = day(_("Date de réception"))
    received_time = forms.TimeField(
        label=_("Heure de réception"),
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": TIME_INVALID},
    )
    reason = free_text(
        _("Motif de la modification"),
        help_text=_("Obligatoire si la date de réception est corrigée."),
        rows=2,
    )

    def set_initial(self, today: date) -> None:
        for name in self.detail_names:
            self.fields[name].initial = getattr(self.complaint, name)
        local = self.complaint.received_at.astimezone(self.zone)
        self.fields["received_date"].initial = local.date()
        self.fields["received_time"].initial = local.time().replace(second=0, microsecond=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date_cleared = "received_date" in self.data and not cleaned.get("received_date")
        if date_cleared and "received_date" not in self.errors:
            self.add_error("received_date", _("Indiquez la date de réception."))
        return cleaned

    def payload(self) -> dict[str, Any]:
        # Only what the request carries: a field left out is a field left as it is.
        values: dict[str, Any] = {
            name: self.cleaned_data[name] or ""
            for name in self.detail_names
            if name in self.data and name in self.cleaned_data
        }
        if values.get("client_type") == "":
            del values["client_type"]  # the service derives it from the funding
        moved = {"received_date", "received_time"} & set(self.changed_data)
        received_at: datetime | None = local_moment(
            self.cleaned_data.get("received_date"),
            self.cleaned_data.get("received_time"),
            self.zone,
        )
        if "received_date" in self.data and received_at is not None and moved:
            values["received_at"] = received_at
        values["reason"] = self.cleaned_data.get("reason", "")
        return values


_OWN_FORMS: dict[str, type[ActionForm]] = {UPDATE_DETAILS.name: UpdateDetailsForm}


def insert_paragraph(
    data: QueryDict, spec: ActionSpec[Any], organisation_id: int
) -> tuple[QueryDict, bool]:
    """The posted data with the chosen paragraph added to the typed text, and whether one was:
    the form then shows the result instead of sending it unseen."""
    chosen = data.get(PARAGRAPH_FIELD, "")
    if not chosen or not spec.typed_field or not chosen.isdigit():
        return data, False
    paragraph = CannedParagraph.objects.filter(organisation=organisation_id, pk=chosen).first()
    if paragraph is None:
        return data, False  # the form says the choice is unknown
    data = data.copy()
    typed = data.get(spec.typed_field, "").rstrip()
    data[spec.typed_field] = f"{typed}\n\n{paragraph.text}" if typed else paragraph.text
    data[PARAGRAPH_FIELD] = ""
    return data, True


def action_form(spec: ActionSpec[Any]) -> type[ActionForm]:
    """The form class of `spec`: its own, or the one built from its declaration."""
    own = _OWN_FORMS.get(spec.name)
    return own if own is not None else _generated_form(spec)
