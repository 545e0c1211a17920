"""GET /api/v1/complaints: the register, its filters, orderings and pages."""

import csv
import io

import pytest
from openpyxl import load_workbook

from reclamations.complaints.services import complaint_apply
from reclamations.reporting import register_files
from tests.clock import at
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages

from .helpers import FRIDAY_NOON, INVALID_DATA

pytestmark = pytest.mark.clock(FRIDAY_NOON)

URL = "/api/v1/complaints"


@pytest.fixture
def register(clock, organisation, referent):
    """Four complaints seen on Friday 14 March 2025: overdue, due today, on track, closed."""
    overdue = make_complaint(
        organisation,
        referent,
        received_at=at(2025, 2, 20, 10),
        client_name="Alice Bernard",
        client_account="CLI-100",
        category="pedagogy",
        funding="cpf",
    )
    due_today = make_complaint(
        organisation,
        referent,
        received_at=at(2025, 3, 3, 10),
        channel="letter",
        client_name="Bruno Carré",
        client_account="ENT-200",
        category="trainer",
        funding="company",
    )
    on_track = make_complaint(
        organisation,
        referent,
        received_at=at(2025, 3, 14),
        channel="web",
        kind="difficulty",
        client_name="Chloé Dubois",
        client_account="CLI-300",
    )
    closed = make_complaint(
        organisation,
        referent,
        received_at=at(2025, 3, 5, 10),
        client_name="Alice Bernard",
        client_account="CLI-101",
    )
    complaint_apply(
        complaint=closed,
        actor=referent,
        action="reply",
        data={
            "text": "Madame, vous serez remboursée.",
            "resolution": "Remboursement.",
            "channel": "email",
            "replied_on": "2025-03-12",
        },
    )
    complaint_apply(complaint=closed, actor=referent, action="close", data={"outcome": "granted"})
    return {"overdue": overdue, "due_today": due_today, "on_track": on_track, "closed": closed}


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_register_lists_every_complaint_newest_first_with_its_deadline(register, referent_api):
    response = referent_api.get(URL)

    assert response.status_code == 200
    assert response.json() == {
        "count": 4,
        "page": 1,
        "page_size": 25,
        "pages": 1,
        "results": [
            {
                "reference": "REC-2025-0003",
                "status": "in_progress",
                "status_label": "En cours de traitement",
                "kind": "difficulty",
                "channel": "web",
                "received_at": "2025-03-14T09:00:00+01:00",
                "received_on": "2025-03-14",
                "client_name": "Chloé Dubois",
                "client_account": "CLI-300",
                "due_date": "2025-03-26",
                "working_days_left": 10,
                "urgency": "on_track",
                "replied_on": None,
                "replied_on_time": None,
                "outcome": None,
            },
            {
                "reference": "REC-2025-0004",
                "status": "closed",
                "status_label": "Clôturée",
                "kind": "complaint",
                "channel": "email",
                "received_at": "2025-03-05T10:00:00+01:00",
                "received_on": "2025-03-05",
                "client_name": "Alice Bernard",
                "client_account": "CLI-101",
                "due_date": "2025-03-17",
                "working_days_left": None,
                "urgency": None,
                "replied_on": "2025-03-12",
                "replied_on_time": True,
                "outcome": "granted",
            },
            {
                "reference": "REC-2025-0002",
                "status": "in_progress",
                "status_label": "En cours de traitement",
                "kind": "complaint",
                "channel": "letter",
                "received_at": "2025-03-03T10:00:00+01:00",
                "received_on": "2025-03-03",
                "client_name": "Bruno Carré",
                "client_account": "ENT-200",
                "due_date": "2025-03-14",
                "working_days_left": 0,
                "urgency": "due_soon",
                "replied_on": None,
                "replied_on_time": None,
                "outcome": None,
            },
            {
                "reference": "REC-2025-0001",
                "status": "in_progress",
                "status_label": "En cours de traitement",
                "kind": "complaint",
                "channel": "email",
                "received_at": "2025-02-20T10:00:00+01:00",
                "received_on": "2025-02-20",
                "client_name": "Alice Bernard",
                "client_account": "CLI-100",
                "due_date": "2025-03-04",
                "working_days_left": -9,
                "urgency": "overdue",
                "replied_on": None,
                "replied_on_time": None,
                "outcome": None,
            },
        ],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=closed", ["REC-2025-0004"]),
        ("status=in_progress", ["REC-2025-0003", "REC-2025-0002", "REC-2025-0001"]),
        ("kind=difficulty", ["REC-2025-0003"]),
        ("channel=letter", ["REC-2025-0002"]),
        ("category=pedagogy", ["REC-2025-0001"]),
        ("client_type=professional", ["REC-2025-0002"]),
        ("client_type=consumer", ["REC-2025-0001"]),
        ("overdue=true", ["REC-2025-0001"]),
        ("overdue=false", ["REC-2025-0003", "REC-2025-0004", "REC-2025-0002"]),
        ("due_soon=true", ["REC-2025-0002"]),
        ("received_from=2025-03-03&received_to=2025-03-05", ["REC-2025-0004", "REC-2025-0002"]),
        ("received_from=2025-03-05", ["REC-2025-0003", "REC-2025-0004"]),
        ("received_to=2025-02-28", ["REC-2025-0001"]),
        ("q=alice&order=newest", ["REC-2025-0004", "REC-2025-0001"]),
        ("q=rec-2025-0002", ["REC-2025-0002"]),
        ("q=CLI-10&order=newest", ["REC-2025-0004", "REC-2025-0001"]),
        (
            "q=REC-2025&order=newest",
            ["REC-2025-0003", "REC-2025-0004", "REC-2025-0002", "REC-2025-0001"],
        ),
        ("q=REC-2026", []),
        ("q=CLI-1000", []),
        ("channel=email&status=closed", ["REC-2025-0004"]),
        ("channel=email&overdue=false", ["REC-2025-0004"]),
    ],
)
def test_filters_narrow_the_register(register, referent_api, query, expected):
    assert references(referent_api.get(f"{URL}?{query}")) == expected


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("newest", ["REC-2025-0003", "REC-2025-0004", "REC-2025-0002", "REC-2025-0001"]),
        ("oldest", ["REC-2025-0001", "REC-2025-0002", "REC-2025-0004", "REC-2025-0003"]),
        # By due date: the open complaints only (REC-2025-0004 is closed).
        ("due", ["REC-2025-0001", "REC-2025-0002", "REC-2025-0003"]),
        # What needs work first (overdue, then due today), then the rest, newest first.
        ("urgent", ["REC-2025-0001", "REC-2025-0002", "REC-2025-0003", "REC-2025-0004"]),
    ],
)
def test_orderings(register, referent_api, order, expected):
    assert references(referent_api.get(f"{URL}?order={order}")) == expected


def test_due_order_puts_complaints_without_due_date_last(
    register, referent_api, organisation, referent
):
    organisation.phone_clock = "confirmation"
    organisation.save()
    waiting = make_complaint(organisation, referent, channel="phone")

    assert waiting.due_date is None
    assert references(referent_api.get(f"{URL}?order=due"))[-1] == waiting.reference


def test_pages_split_the_register(register, referent_api):
    first = referent_api.get(f"{URL}?page_size=3")
    second = referent_api.get(f"{URL}?page_size=3&page=2")

    assert {k: v for k, v in first.json().items() if k != "results"} == {
        "count": 4,
        "page": 1,
        "page_size": 3,
        "pages": 2,
    }
    assert references(first) == ["REC-2025-0003", "REC-2025-0004", "REC-2025-0002"]
    assert references(second) == ["REC-2025-0001"]
    assert second.json()["page"] == 2


def test_a_page_is_read_after_the_last_complaint_of_the_one_before(
    register, referent_api, organisation, referent
):
    first = referent_api.get(f"{URL}?page_size=2")
    make_complaint(organisation, referent)  # arrives meanwhile, at the top
    after = references(first)[-1]
    second = referent_api.get(f"{URL}?page_size=2&page=2&after={after}")
    by_number = referent_api.get(f"{URL}?page_size=2&page=2")

    assert references(first) == ["REC-2025-0003", "REC-2025-0004"]
    # From its neighbour: where the reader left off; by its number: shifted by the newcomer.
    assert references(second) == ["REC-2025-0002", "REC-2025-0001"]
    assert references(by_number) == ["REC-2025-0004", "REC-2025-0002"]
    assert second.json()["count"] == 5


def test_a_page_after_a_reference_the_register_does_not_hold_is_refused(
    register, referent_api, other_organisation
):
    foreign = make_complaint(other_organisation)

    for after in ("REC-1999-0001", foreign.reference + "x"):
        response = referent_api.get(f"{URL}?page=2&after={after}")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "after": [
                "Aucune réclamation de ce registre ne porte cette référence : indiquez la "
                "référence de la dernière réclamation de la page précédente."
            ]
        }


def test_page_beyond_the_last_answers_200_with_no_results(register, referent_api):
    response = referent_api.get(f"{URL}?page_size=3&page=3")

    assert response.status_code == 200
    assert response.json() == {"count": 4, "page": 3, "page_size": 3, "pages": 2, "results": []}


def test_empty_register_has_no_pages(clock, referent_api, organisation):
    response = referent_api.get(URL)

    assert response.json() == {"count": 0, "page": 1, "page_size": 25, "pages": 0, "results": []}


def test_largest_page_size_is_accepted(register, referent_api):
    response = referent_api.get(f"{URL}?page_size=100")

    assert response.status_code == 200
    assert response.json()["page_size"] == 100


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("page=0", {"page": ["La valeur doit être au moins 1."]}),
        ("page=deux", {"page": ["Nombre entier attendu."]}),
        ("page_size=0", {"page_size": ["La valeur doit être au moins 1."]}),
        ("page_size=101", {"page_size": ["La valeur doit être au plus 100."]}),
        (
            "status=open",
            {
                "status": [
                    "Valeur inconnue. Valeurs admises : incomplete, awaiting_information, "
                    "awaiting_confirmation, in_progress, replied, closed."
                ]
            },
        ),
        (
            "order=random",
            {
                "order": [
                    "Valeur inconnue. Valeurs admises : newest, urgent, relevance, due, oldest."
                ]
            },
        ),
        ("overdue=peut-etre", {"overdue": ["Valeur attendue : true ou false."]}),
        (
            "received_from=14/03/2025",
            {
                "received_from": [
                    "Date invalide : utilisez le format AAAA-MM-JJ, par exemple 2025-03-14."
                ]
            },
        ),
        # Found by the schema fuzzing (test_schema_fuzzing.py): read as 1 January 1970.
        (
            "received_to=0",
            {
                "received_to": [
                    "Date invalide : utilisez le format AAAA-MM-JJ, par exemple 2025-03-14."
                ]
            },
        ),
        (
            "received_from=2025-03-10&received_to=2025-03-01",
            {"received_from": ["La date de début est postérieure à la date de fin."]},
        ),
    ],
)
def test_invalid_parameters_are_refused_with_400(clock, referent_api, organisation, query, errors):
    response = referent_api.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert response.json() == {"detail": INVALID_DATA, "errors": errors}


@pytest.mark.parametrize("size", [1, 30])
@pytest.mark.parametrize("page_size", [1, 100])
def test_query_count_does_not_grow_with_the_register_or_the_page(
    clock, referent_api, organisation, referent, django_assert_num_queries, size, page_size
):
    for _ in range(size):
        make_complaint(organisation, referent)
    referent_api.get(URL)  # the token's first use is recorded once

    # The token and its user, the count, the page.
    with django_assert_num_queries(3):
        response = referent_api.get(f"{URL}?page_size={page_size}&overdue=false&order=due")

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(size, page_size)


def test_unexpected_failure_answers_json_500_and_is_logged(referent_api, organisation, caplog):
    # A time zone that does not exist makes every deadline computation fail.
    organisation.time_zone = "Mars/Olympus_Mons"
    organisation.save()

    response = referent_api.get(URL)

    assert response.status_code == 500
    assert response.json() == {
        "detail": "Erreur interne du serveur. Avant de renvoyer une écriture, vérifiez dans le "
        "registre si elle a été enregistrée ; si l'erreur persiste, signalez-la à "
        "l'administrateur."
    }
    assert [record.getMessage() for record in caplog.records if record.name.startswith("recl")] == [
        "API GET /api/v1/complaints failed"
    ]


# --- the register as a file -----------------------------------------------------------------


def _export(api, **params):
    return api.get("/api/v1/register", params)


def test_register_export_gives_the_period_as_csv(register, referent_api):
    response = _export(referent_api, **{"from": "2025-03-14", "to": "2025-03-14"})

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [line[0] for line in lines[1:]] == ["REC-2025-0003"]


def test_register_export_is_by_reception_oldest_first_by_default(register, referent_api):
    content = b"".join(_export(referent_api).streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content), delimiter=";"))

    assert [line[0] for line in lines[1:]] == [
        "REC-2025-0001",
        "REC-2025-0002",
        "REC-2025-0004",
        "REC-2025-0003",
    ]


def test_register_export_gives_a_workbook(register, auditor_api):
    response = _export(auditor_api, format="xlsx", channel="letter")

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert response.status_code == 200
    assert [row[0].value for row in book["Registre"].iter_rows(min_row=2)] == ["REC-2025-0002"]
    assert response["Content-Disposition"] == (
        'attachment; filename="registre-reclamations-ccs-2025-03-14.xlsx"'
    )


def test_register_export_of_an_empty_period_is_its_header(register, referent_api):
    response = _export(referent_api, **{"from": "2024-01-01", "to": "2024-12-31"})

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert content.count("\r\n") == 1


def test_register_export_refuses_a_reversed_period_and_an_unknown_format(referent_api, db):
    reversed_period = _export(referent_api, **{"from": "2025-03-14", "to": "2025-03-01"})
    unknown = _export(referent_api, format="odt")

    assert reversed_period.status_code == 400
    assert reversed_period.json()["errors"] == {
        "from": ["La date de début est postérieure à la date de fin."]
    }
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {
        "format": ["Valeur inconnue. Valeurs admises : csv, xlsx, pdf."]
    }


def test_register_export_prints_the_register(register, auditor_api):
    response = _export(auditor_api, format="pdf", **{"from": "2025-03-01"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    (page,) = pdf_pages(b"".join(response.streaming_content))
    assert page[1] == "Réclamations reçues à partir du 01/03/2025 · Ordre : plus anciennes d'abord"
    assert [line.split()[0] for line in page if line.startswith("REC-")] == [
        "REC-2025-0002",
        "REC-2025-0004",
        "REC-2025-0003",
    ]


def test_register_export_refuses_a_pdf_too_large_to_print(register, referent_api, monkeypatch):
    monkeypatch.setattr(register_files, "MAX_COMPLAINTS", 3)

    response = _export(referent_api, format="pdf")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "format": [
            "Le registre à imprimer compterait 4 réclamations, plus que les 3 réclamations qu'un "
            "PDF peut contenir : choisissez une période plus courte, ou exportez en XLSX ou en "
            "CSV (sans limite)."
        ]
    }


def test_register_export_needs_a_token(client, db):
    assert client.get("/api/v1/register").status_code == 401


def test_q_searches_the_whole_text_best_matches_first(register, referent, referent_api):
    response = referent_api.get(f"{URL}?q=bernard")
    assert response.status_code == 200
    assert sorted(references(response)) == ["REC-2025-0001", "REC-2025-0004"]
    complaint = make_complaint(
        referent.organisation, referent, description="Le badge d'accès au Cannes Campus."
    )
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_note",
        data={"text": "Badge réactivé par l'accueil de l'Estérel."},
    )
    assert references(referent_api.get(f"{URL}?q=ESTEREL")) == [complaint.reference]
    assert references(referent_api.get(f"{URL}?q=cannes+badge")) == [complaint.reference]
    assert references(referent_api.get(f"{URL}?q=%21%21%21")) == []
