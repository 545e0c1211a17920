"""The CNIL's reminder under every field where staff type free text about a client or a
complaint: declared once (web.forms.fields.FreeTextField), shown under the field and named by
its aria-describedby with its help and its errors."""

import html
import importlib
import pkgutil
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

from django import forms
from django.urls import reverse

import reclamations.web
from reclamations.complaints import free_text
from reclamations.complaints.actions import CATALOGUE
from reclamations.complaints.actions.inputs import FieldKind, input_fields
from reclamations.complaints.improvement import NewImprovement, improvement_create
from reclamations.core.localtime import local_today
from reclamations.intake.models import IntakeSource
from reclamations.intake.services import intake_process
from reclamations.web.forms.actions import action_form
from reclamations.web.forms.fields import FreeTextField
from tests.factories import make_complaint

QUESTION = Path(__file__).parents[1] / "intake" / "fixtures" / "not-a-complaint-question.eml"

# Text areas of the staff forms where nobody writes about a client or a complaint in their own
# words, and why: they carry no reminder.
NO_COMMENT = {
    "ComplaintDetailsForm.client_address": "a postal address",
    "ComplaintNewForm.client_address": "a postal address",
    "UpdateDetailsForm.client_address": "a postal address",
    "FirstRunForm.address": "the organisation's own address",
    "FirstRunForm.mediator_address": "the mediator's address",
    "OrganisationSettingsForm.address": "the organisation's own address",
    "OrganisationSettingsForm.mediator_address": "the mediator's address",
    "OrganisationSettingsForm.extra_closures": "a list of dates",
    "OrganisationSettingsForm.worked_holidays": "a list of dates",
    "OrganisationSettingsForm.cause_list": "the organisation's list of causes",
    "MessageTemplateForm.body": "a message template, written for every client",
    "ParagraphForm.text": "a canned paragraph, written for every client",
    "ProcedureVersionForm.text": "the organisation's procedure",
    "LetterLayoutForm.html": "the letters' HTML layout",
    "LetterLayoutForm.css": "the letters' style sheet",
}


def staff_forms() -> list[type[forms.BaseForm]]:
    """Every form class of the staff pages: those written in reclamations.web's modules and
    those built from each workflow action's declaration."""
    for module in pkgutil.walk_packages(reclamations.web.__path__, "reclamations.web."):
        importlib.import_module(module.name)
    generated = [action_form(spec) for spec in CATALOGUE]
    found: set[type[forms.BaseForm]] = set(generated)
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("reclamations.web."):
                found.add(subclass)
    return sorted(found, key=lambda form: form.__name__)


def text_areas() -> dict[str, forms.Field]:
    return {
        f"{form.__name__}.{name}": field
        for form in staff_forms()
        for name, field in form.base_fields.items()
        if isinstance(field.widget, forms.Textarea)
    }


def test_every_text_area_of_the_staff_forms_carries_the_reminder_unless_no_comment():
    without = {key for key, field in text_areas().items() if not isinstance(field, FreeTextField)}

    assert without == set(NO_COMMENT)


def test_the_forms_found_include_registration_actions_triage_and_improvement():
    reminded = {key for key, field in text_areas().items() if isinstance(field, FreeTextField)}

    assert {
        "ComplaintNewForm.description",
        "ComplaintNewForm.backdating_reason",
        "UpdateDetailsForm.reason",
        "ReplyForm.text",
        "AddNoteForm.text",
        "AnalyseCauseForm.cause_analysis",
        "RecordMediationOutcomeForm.outcome",
        "TriageDismissForm.reason",
        "CheckForm.check_evidence",
        "ImprovementForm.description",
    } <= reminded


def test_an_action_long_text_is_free_text_as_its_declaration_says():
    declared = {
        f"{action_form(spec).__name__}.{name}": field.free_text
        for spec in CATALOGUE
        for name, field in input_fields(spec.input)
        if field.kind == FieldKind.LONG_TEXT and name in action_form(spec).base_fields
    }
    shown = {key: isinstance(text_areas()[key], FreeTextField) for key in declared}

    assert shown == declared
    assert declared["UpdateDetailsForm.client_address"] is False


class _Elements(HTMLParser):
    """Each element's attributes and text, by id."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.attributes: dict[str, dict[str, str]] = {}
        self.texts: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.attributes[values["id"]] = values
            self.texts[values["id"]] = ""
            if tag not in ("input", "img", "br"):
                self._open.append(values["id"])
        elif tag not in ("input", "img", "br", "meta", "link", "hr"):
            self._open.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element in self._open:
            if element:
                self.texts[element] += data


def described_by(page: str, field_id: str) -> tuple[list[str], list[str]]:
    """The ids a field's aria-describedby names, and the text of each."""
    elements = _Elements(page)
    ids = elements.attributes[field_id]["aria-describedby"].split()
    return ids, [" ".join(elements.texts[name].split()) for name in ids]


def test_registration_page_names_the_reminder_beside_the_help(referent_client):
    page = referent_client.get(reverse("complaint_new")).content.decode()

    assert described_by(page, "id_description") == (
        ["id_description_reminder"],
        [free_text.REMINDER],
    )
    assert described_by(page, "id_remedy_sought") == (
        ["id_remedy_sought_helptext", "id_remedy_sought_reminder"],
        ["Ce que le client demande.", free_text.REMINDER],
    )
    assert "aria-describedby" not in _Elements(page).attributes["id_client_address"]


def test_the_explanation_is_given_once_a_form_under_its_first_free_text_field(referent_client):
    page = referent_client.get(reverse("complaint_new")).content.decode()

    assert page.count(html.escape(free_text.REMINDER)) == 4
    assert page.count("<summary>En savoir plus</summary>") == 1
    assert page.index("id_backdating_reason_reminder") < page.index("En savoir plus")
    assert page.index("En savoir plus") < page.index("id_description_reminder")


def test_an_action_page_with_an_error_names_the_error_and_the_reminder(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    url = reverse("complaint_action", args=[complaint.reference, "add_note"])

    response = referent_client.post(url, {"text": "  "})

    assert response.status_code == 400
    assert described_by(response.content.decode(), "id_text") == (
        ["id_text_error", "id_text_reminder"],
        ["La note est vide.", free_text.REMINDER],
    )


def test_triage_dismissal_without_reason_names_help_error_and_reminder(
    referent_client, organisation
):
    question = intake_process(
        organisation=organisation,
        raw=QUESTION.read_bytes(),
        arrived_at=None,
        source=IntakeSource.EML,
    ).inbound
    assert question is not None  # waiting in the triage inbox

    response = referent_client.post(reverse("triage_dismiss", args=[question.pk]), {"reason": ""})

    assert response.status_code == 400
    assert described_by(response.content.decode(), "id_reason") == (
        ["id_reason_helptext", "id_reason_error", "id_reason_reminder"],
        [
            "Conservé avec le message : publicité, question sans lien avec une formation...",
            "Indiquez pourquoi ce message est écarté : le motif est conservé.",
            free_text.REMINDER,
        ],
    )


def test_each_step_form_of_an_improvement_action_names_its_reminder(
    referent_client, organisation, referent
):
    new = NewImprovement(
        title="Confirmer les salles par écrit",
        description="Réservation confirmée par écrit la veille.",
        source="audit",
        complaints=[],
        due_date=local_today(organisation) + timedelta(days=20),
    )
    action = improvement_create(organisation=organisation, actor=referent, new=new)

    page = referent_client.get(reverse("improvement_detail", args=[action.reference]))

    elements = _Elements(page.content.decode())
    areas = sorted(key for key, values in elements.attributes.items() if values.get("rows"))
    assert areas == [
        "id_abandon-reason",
        "id_note-text",
        "id_record_done-done_summary",
        "id_start-comment",
    ]
    for area in areas:
        assert described_by(page.content.decode(), area) == (
            [f"{area}_reminder"],
            [free_text.REMINDER],
        )
    assert page.content.decode().count("<summary>En savoir plus</summary>") == len(areas)
