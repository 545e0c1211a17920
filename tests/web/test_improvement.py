"""The improvement plan's pages: every reader sees it and takes it away (PDF, XLSX); those who
handle complaints decide actions, from a complaint or not, and take each step."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reclamations.complaints.enums import ImprovementStatus
from reclamations.complaints.improvement import NewImprovement, improvement_create
from reclamations.complaints.models import ImprovementAction
from reclamations.core.localtime import local_today
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages

from .helpers import field_errors, messages_of, text_of

PLAN = reverse("improvement_list")
NEW = reverse("improvement_new")
pytestmark = pytest.mark.usefixtures("clock")


def _decide(organisation, actor, complaints=(), **values):
    due = local_today(organisation) + timedelta(days=20)
    fields = {
        "title": "Confirmer les salles par écrit",
        "description": "Réservation confirmée par écrit la veille.",
        "source": "complaints" if complaints else "audit",
        "complaints": [complaint.reference for complaint in complaints],
        "due_date": due,
        **values,
    }
    return improvement_create(organisation=organisation, actor=actor, new=NewImprovement(**fields))


def _step(client, action, step, **data):
    url = reverse("improvement_step", args=[action.reference, step])
    return client.post(url, {f"{step}-{name}": value for name, value in data.items()}, follow=True)


def test_an_action_is_decided_from_a_complaints_page(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    page = text_of(referent_client.get(reverse("complaint_detail", args=[complaint.reference])))
    form = referent_client.get(NEW, {"reclamation": complaint.reference}).context["form"]
    due = local_today(organisation) + timedelta(days=15)

    response = referent_client.post(
        NEW,
        {
            "title": "Former l'accueil",
            "description": "Une session sur la convocation des stagiaires.",
            "source": "complaints",
            "complaints": form.initial["complaints"],
            "cause": "Communication ou suivi insuffisants",
            "owner": str(referent.pk),
            "due_date": due.isoformat(),
        },
        follow=True,
    )

    assert "Décider une action d'amélioration" in page
    assert form.initial["owner"] == str(referent.pk)  # the person deciding, by default
    action = ImprovementAction.objects.get()
    assert messages_of(response) == [f"{action.reference} : action d'amélioration décidée."]
    assert list(action.complaints.all()) == [complaint]
    detail = text_of(referent_client.get(reverse("complaint_detail", args=[complaint.reference])))
    assert f"{action.reference} · Former l'accueil · Prévue" in detail


def test_a_wrong_form_keeps_what_was_typed_and_says_what_is_wrong(referent_client):
    response = referent_client.post(
        NEW, {"title": "Former l'accueil", "source": "complaints", "complaints": "REC-1-1"}
    )

    assert response.status_code == 400
    assert response.context["form"]["title"].value() == "Former l'accueil"
    assert field_errors(response, "complaints") == ["Réclamation inconnue : REC-1-1."]
    assert field_errors(response, "due_date") == ["Indiquez l'échéance de l'action."]


def test_the_steps_to_closure_each_with_its_form(referent_client, organisation, referent):
    action = _decide(organisation, referent)

    refused = _step(referent_client, action, "close")
    _step(referent_client, action, "record_done", done_summary="Procédure revue.")
    missing = _step(referent_client, action, "check", check_result="effective")
    _step(
        referent_client,
        action,
        "check",
        check_result="effective",
        check_evidence="Aucune réclamation sur les salles depuis.",
    )
    closed = _step(referent_client, action, "close")

    assert refused.status_code == 200  # back on the page, with why
    assert "Étape « Clore » impossible" in messages_of(refused)[0]
    assert missing.status_code == 400
    assert missing.context["open_step"] == "check"
    assert field_errors_of_step(missing, "check_evidence") == [
        "Indiquez les preuves de la vérification (indicateur suivi, enquête, audit…)."
    ]
    action.refresh_from_db()
    assert action.status == ImprovementStatus.CLOSED
    assert messages_of(closed) == [f"{action.reference} : action clôturée."]
    text = text_of(closed)
    assert "Efficacité vérifiée Le" in text
    assert "Résultat Efficace Preuves Aucune réclamation sur les salles depuis." in text


def field_errors_of_step(response, name):
    return [
        str(error)
        for _step, form in response.context["step_forms"]
        for error in form.errors.get(name, [])
    ]


def test_an_auditor_reads_the_plan_and_changes_nothing(
    auditor_client, organisation, referent, auditor
):
    action = _decide(organisation, referent)

    page = auditor_client.get(reverse("improvement_detail", args=[action.reference]))
    posted = auditor_client.post(
        reverse("improvement_step", args=[action.reference, "abandon"]), {"abandon-reason": "x"}
    )

    assert page.status_code == 200
    assert page.context["step_forms"] == []
    assert "Modifier l'action" not in text_of(page)
    assert posted.status_code == 403
    assert auditor_client.get(NEW).status_code == 403
    action.refresh_from_db()
    assert action.status == ImprovementStatus.PLANNED


def test_another_organisations_action_is_not_found(outsider_client, organisation, referent):
    action = _decide(organisation, referent)

    response = outsider_client.get(reverse("improvement_detail", args=[action.reference]))

    assert response.status_code == 404


def test_the_plan_lists_what_is_late_and_filters(referent_client, organisation, referent):
    late = _decide(organisation, referent, title="Revoir les convocations")
    on_time = _decide(organisation, referent, title="Former l'accueil")
    on_time.due_date = local_today(organisation) + timedelta(days=60)
    on_time.save()
    ImprovementAction.objects.filter(pk=late.pk).update(
        due_date=local_today(organisation) - timedelta(days=1)
    )

    response = referent_client.get(PLAN)
    overdue = referent_client.get(PLAN, {"status": "overdue"})

    assert [line.action.reference for line in response.context["lines"]] == [
        late.reference,
        on_time.reference,
    ]
    assert response.context["counts"] == {"open": 2, "overdue": 1, "to_check": 0}
    assert [line.action.reference for line in overdue.context["lines"]] == [late.reference]
    assert "en retard" in text_of(overdue)


def test_the_plan_page_reads_the_same_queries_whatever_its_size(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    _decide(organisation, referent, [complaint])
    with CaptureQueriesContext(connection) as one:
        referent_client.get(PLAN)
    for number in range(8):
        _decide(organisation, referent, [complaint], title=f"Action {number}")
    with CaptureQueriesContext(connection) as nine:
        referent_client.get(PLAN)

    assert len(nine) == len(one)


def test_the_plan_as_a_workbook_and_a_pdf(auditor_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    action = _decide(organisation, referent, [complaint], cause="Autre")

    workbook = auditor_client.get(reverse("improvement_plan_export", args=["xlsx"]))
    pdf = auditor_client.get(reverse("improvement_plan_export", args=["pdf"]))

    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (row["Référence"], row["Réclamations"], row["Cause traitée"], row["Statut"]) == (
        action.reference,
        complaint.reference,
        "Autre",
        "Prévue",
    )
    assert workbook["Content-Disposition"].startswith(
        'attachment; filename="plan-amelioration-reclamations-ccs-'
    )
    pages = pdf_pages(b"".join(pdf.streaming_content))
    text = " ".join(" ".join(line.split()) for page in pages for line in page)
    assert "Plan d'amélioration" in text
    assert action.reference in text
    assert "Plan d'amélioration : 1 action(s), dont 0 clôturée(s)." in text
    assert f"page 1 / {len(pages)}" in text
    assert auditor_client.get("/plan-amelioration.doc").status_code == 404


def test_an_empty_plan_prints_and_says_so(auditor_client):
    pdf = auditor_client.get(reverse("improvement_plan_export", args=["pdf"]))

    pages = pdf_pages(b"".join(pdf.streaming_content))
    assert any("aucune action d'amélioration" in line for page in pages for line in page)


def test_an_actions_page_reads_the_same_queries_whatever_its_chronology(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    action = _decide(organisation, referent, [complaint])
    url = reverse("improvement_detail", args=[action.reference])
    with CaptureQueriesContext(connection) as short:
        referent_client.get(url)
    for number in range(6):
        _step(referent_client, action, "note", text=f"Point {number}.")
    with CaptureQueriesContext(connection) as long:
        referent_client.get(url)

    assert len(long) == len(short)


def test_the_command_writes_the_plan(organisation, referent, tmp_path):
    action = _decide(organisation, referent)
    out = io.StringIO()

    call_command("improvement-plan", "--format", "xlsx", "-o", str(tmp_path / "p.xlsx"), stdout=out)
    call_command("improvement-plan", "--format", "pdf", "-o", str(tmp_path / "p.pdf"), stdout=out)

    assert out.getvalue().splitlines() == [
        f"Plan d'amélioration écrit : {tmp_path / 'p.xlsx'} (1 action(s)).",
        f"Plan d'amélioration écrit : {tmp_path / 'p.pdf'} (1 action(s)).",
    ]
    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert sheet["A2"].value == action.reference
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
