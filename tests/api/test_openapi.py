"""The OpenAPI document, and the answers of addresses that are not endpoints."""

import json

from django.test import Client

from reclamations.complaints.actions import ACTIONS

from .helpers import post_json

RESOURCE_NOT_FOUND = (
    "Adresse inconnue de l'API : vérifiez le chemin (la liste des chemins est dans "
    "/api/v1/openapi.json)."
)


def test_openapi_document_is_json_listing_its_operations(db):
    response = Client().get("/api/v1/openapi.json")

    document = json.loads(response.content)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Réclamations"
    assert {
        (method, path, operation["operationId"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    } == {
        ("post", "/api/v1/complaints", "complaint_create"),
        ("get", "/api/v1/complaints", "complaint_list"),
        ("get", "/api/v1/register", "register_export"),
        ("get", "/api/v1/statistics", "statistics"),
        ("get", "/api/v1/audit-pack", "audit_pack"),
        ("get", "/api/v1/causes", "cause_list"),
        ("get", "/api/v1/annual-synthesis", "annual_synthesis"),
        ("get", "/api/v1/journal", "journal"),
        ("get", "/api/v1/complaints/{reference}", "complaint_detail"),
        ("post", "/api/v1/complaints/{reference}/actions", "complaint_action"),
        ("get", "/api/v1/complaints/{reference}/documents", "complaint_documents"),
        ("get", "/api/v1/complaints/{reference}/file", "complaint_file"),
        (
            "get",
            "/api/v1/complaints/{reference}/documents/{document_id}",
            "complaint_document_download",
        ),
        ("get", "/api/v1/improvement-actions", "improvement_list"),
        ("post", "/api/v1/improvement-actions", "improvement_create"),
        ("get", "/api/v1/improvement-actions/{reference}", "improvement_detail"),
        ("post", "/api/v1/improvement-actions/{reference}/steps", "improvement_step"),
    }


def test_openapi_document_says_the_register_comes_as_csv_a_workbook_or_a_pdf(db):
    document = Client().get("/api/v1/openapi.json").json()

    export = document["paths"]["/api/v1/register"]["get"]
    assert set(export["responses"]["200"]["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/pdf",
    }
    parameters = {parameter["name"] for parameter in export["parameters"]}
    assert {"format", "from", "to", "status", "q", "order"} <= parameters


def test_openapi_document_declares_bearer_authentication_on_every_operation(db):
    document = Client().get("/api/v1/openapi.json").json()

    assert document["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    assert {
        json.dumps(operation["security"])
        for operations in document["paths"].values()
        for operation in operations.values()
    } == {'[{"TokenAuth": []}]'}


def test_openapi_document_lists_the_choices_and_the_paging_rule(db):
    document = Client().get("/api/v1/openapi.json").json()

    schemas = document["components"]["schemas"]
    parameters = {
        parameter["name"]: parameter
        for parameter in document["paths"]["/api/v1/complaints"]["get"]["parameters"]
    }
    assert schemas["Channel"]["enum"] == ["letter", "email", "phone", "web", "api"]
    assert schemas["ComplaintIn"]["required"] == ["channel", "received_at"]
    assert parameters["page"]["description"] == (
        "1-based. A page beyond the last one answers 200 with empty `results`."
    )
    assert parameters["page_size"]["schema"]["maximum"] == 100


def test_docs_page_is_not_served_since_it_would_load_a_cdn(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 404
    assert response.json() == {"detail": RESOURCE_NOT_FOUND}


def test_unknown_api_paths_answer_json_404(db):
    for path in ("/api/v1/", "/api/v1/complaints/", "/api/v1/reclamations"):
        response = Client().get(path)

        assert response.status_code == 404, path
        assert response.json() == {"detail": RESOURCE_NOT_FOUND}


def test_wrong_method_answers_json_405_with_the_allowed_methods(referent_api):
    response = referent_api.delete("/api/v1/complaints")
    on_detail = post_json(referent_api, "/api/v1/complaints/REC-2025-0001", {})

    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert response.json() == {
        "detail": "Méthode DELETE non acceptée ici. Méthodes acceptées : GET, POST."
    }
    assert on_detail.status_code == 405
    assert on_detail.json() == {
        "detail": "Méthode POST non acceptée ici. Méthodes acceptées : GET."
    }


def test_each_action_body_is_described_from_its_declaration(db):
    document = Client().get("/api/v1/openapi.json").json()

    schemas = document["components"]["schemas"]
    operation = document["paths"]["/api/v1/complaints/{reference}/actions"]["post"]
    assert operation["requestBody"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/ActionRequest"}},
        "multipart/form-data": {"schema": {"$ref": "#/components/schemas/ActionRequestForm"}},
    }
    assert len(schemas["ActionRequest"]["oneOf"]) == len(ACTIONS)
    assert schemas["ActionRequest"]["discriminator"]["mapping"]["reply"] == (
        "#/components/schemas/ReplyAction"
    )
    assert schemas["ReplyAction"]["required"] == ["action", "channel", "resolution"]
    assert schemas["ReplyAction"]["properties"]["channel"]["enum"] == [
        "email",
        "letter",
        "email_letter",
        "phone_confirmed",
        "hand",
    ]
    assert schemas["ReplyAction"]["properties"]["replied_on"]["format"] == "date"
    # The mediator defaults to the organisation's: a caller need not send it.
    assert schemas["EscalateMediationAction"]["required"] == ["action"]
    assert schemas["AddDocumentActionForm"]["required"] == ["action", "document"]
    assert schemas["AddDocumentActionForm"]["properties"]["document"]["format"] == "binary"
    assert (
        "- `add_document` (Joindre un document): role, description, document* (multipart)"
        in (operation["description"])
    )


def test_every_operation_documents_the_errors_any_request_may_get(db):
    # Found by the schema fuzzing (test_schema_fuzzing.py): a 400 undocumented on reads.
    document = Client().get("/api/v1/openapi.json").json()
    expected = {"400", "401", "403", "414"}

    missing = {
        f"{method.upper()} {path}": sorted(expected - set(operation["responses"]))
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }
    assert {operation: codes for operation, codes in missing.items() if codes} == {}
