"""The API documents its free-text fields with the reminder the staff pages show (CNIL)."""

from django.test import Client

from reclamations.complaints.actions import CATALOGUE
from reclamations.complaints.actions.inputs import input_fields
from reclamations.complaints.free_text import REMINDER


def test_a_new_complaints_free_text_fields_quote_the_reminder_and_its_address_does_not(db):
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    properties = schemas["ComplaintIn"]["properties"]
    quoting = {
        name for name, schema in properties.items() if REMINDER in schema.get("description", "")
    }
    assert quoting == {"description", "remedy_sought", "not_admissible_reason", "backdating_reason"}
    assert properties["remedy_sought"]["description"] == (
        "What the client asks for. Free text: only the facts the complaint needs (CNIL). "
        f"Staff read: « {REMINDER} »"
    )


def _quoting(schema: dict) -> set[str]:
    return {
        name
        for name, field in schema["properties"].items()
        if REMINDER in field.get("description", "")
    }


def test_every_actions_free_text_fields_quote_the_reminder_and_no_other_field_does(db):
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    for spec in CATALOGUE:
        free = {name for name, declared in input_fields(spec.input) if declared.free_text}
        for suffix in ("Action", "ActionForm"):
            name = "".join(part.title() for part in spec.name.split("_")) + suffix
            assert _quoting(schemas[name]) == free, name
    assert "text" in _quoting(schemas["AddNoteAction"])
    assert "description" in _quoting(schemas["UpdateDetailsAction"])
    assert "client_address" not in _quoting(schemas["UpdateDetailsAction"])  # no comment


def test_an_improvement_actions_free_text_fields_quote_the_reminder(db):
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert _quoting(schemas["ImprovementIn"]) == {"description"}
    assert _quoting(schemas["StepIn"]) == {
        "done_summary",
        "check_evidence",
        "reason",
        "text",
        "comment",
        "description",
    }
