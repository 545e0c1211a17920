"""The API documents its free-text fields with the reminder the staff pages show (CNIL)."""

from django.test import Client

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
