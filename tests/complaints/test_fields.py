"""The complaint's fields: lengths, choices and labels are the model's, read by the services,
the forms and the API alike."""

import dataclasses

import pytest

from reclamations.api.schemas import ComplaintIn
from reclamations.complaints.fields import DETAIL_FIELDS, choices_of, max_length
from reclamations.complaints.models import Complaint
from reclamations.complaints.services import NewComplaint
from reclamations.complaints.validation import Errors, check_details
from reclamations.web.forms.complaint import ComplaintDetailsForm
from reclamations.web.forms.triage import TriageRegisterForm

LIMITED = [name for name in DETAIL_FIELDS if max_length(name) is not None]


def test_limits_are_those_of_the_columns():
    assert {name: max_length(name) for name in LIMITED} == {
        "client_name": 200,
        "client_account": 200,
        "client_type": 12,
        "funding": 16,
        "client_email": 254,
        "client_phone": 40,
        "client_language": 2,
        "training": 300,
        "session": 200,
        "trainer": 200,
        "funder": 200,
        "kind": 16,
        "category": 16,
        "severity": 10,
    }
    assert max_length("description") is None  # free text: the database sets no limit


@pytest.mark.parametrize("name", [name for name in LIMITED if not choices_of(name)])
def test_the_service_refuses_one_character_more_than_the_column_holds(name):
    errors = Errors()
    value = "x" * max_length(name)

    check_details({name: value}, errors)
    assert name not in errors or name == "client_email"  # a long email is checked as an email
    check_details({name: value + "x"}, errors)
    assert errors[name][-1] == f"{max_length(name)} caractères au plus."


@pytest.mark.parametrize("form", [ComplaintDetailsForm, TriageRegisterForm])
def test_the_staff_forms_take_the_column_limits(form):
    for name, field in form.base_fields.items():
        if name in LIMITED and not choices_of(name):
            assert field.max_length == max_length(name), name


def test_choices_are_the_models():
    assert choices_of("severity") == [
        ("low", "Faible"),
        ("medium", "Moyenne"),
        ("high", "Élevée"),
        ("critical", "Critique"),
    ]
    for name in DETAIL_FIELDS:
        field = Complaint._meta.get_field(name)
        assert choices_of(name) == [(str(v), str(label)) for v, label in field.choices or ()]


def test_the_api_registers_a_complaint_with_the_services_fields():
    # What only the mail channel knows (the email, the mailbox attesting the reception) is not
    # for an integration to claim.
    service_fields = {field.name for field in dataclasses.fields(NewComplaint)}
    assert set(ComplaintIn.model_fields) == service_fields - {"email", "reception_witness"}


def test_the_procedure_fields_a_complaint_needs_are_named_by_the_model():
    complaint = Complaint(client_name=" ", client_account="CLI-1", description="")

    assert complaint.missing_fields == ["nom du client", "description"]
