"""The annual synthesis for the management review: the year's figures, its recurring causes
and its improvement actions with their effect, as a PDF read back page by page."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reclamations.complaints.improvement import (
    NewImprovement,
    improvement_apply,
    improvement_create,
)
from reclamations.complaints.models import ImprovementAction
from reclamations.complaints.services import complaint_apply
from reclamations.reporting.annual_synthesis import (
    YearNotStarted,
    annual_synthesis,
    write_annual_synthesis,
    year_period,
)
from reclamations.reporting.periods import Period
from tests.clock import NOW, at
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages

pytestmark = pytest.mark.usefixtures("clock")
TODAY = NOW.date()  # Monday 2 November 2026
ROOMS = "Locaux, matériel ou équipement"


def _with_cause(organisation, referent, received, cause=ROOMS):
    complaint = make_complaint(organisation, referent, received_at=received)
    complaint_apply(
        complaint=complaint, actor=referent, action="analyse_cause", data={"cause": cause}
    )
    return complaint


@pytest.fixture
def year(organisation, referent):
    """Three complaints about the rooms before the action, one after it was closed."""
    for day in (5, 12, 19):
        _with_cause(organisation, referent, at(2026, 6, day))
    _with_cause(organisation, referent, at(2026, 3, 2), cause="Autre")
    action = improvement_create(
        organisation=organisation,
        actor=referent,
        new=NewImprovement(
            title="Vérifier le matériel des salles la veille",
            description="Une liste de contrôle par salle.",
            source="audit",
            cause=ROOMS,
            due_date=TODAY + timedelta(days=10),
        ),
    )
    for step, data in (
        ("record_done", {"done_summary": "Liste de contrôle en place."}),
        ("check", {"check_result": "effective", "check_evidence": "Une seule panne depuis."}),
        ("close", {}),
    ):
        improvement_apply(action=action, actor=referent, step=step, data=data)
    # Decided on 1 July, closed on 1 September: the register's own dates.
    ImprovementAction.objects.filter(pk=action.pk).update(
        created_on=date(2026, 7, 1), done_on=date(2026, 8, 20), checked_on=date(2026, 8, 31),
        closed_on=date(2026, 9, 1),
    )  # fmt: skip
    _with_cause(organisation, referent, at(2026, 9, 15))
    return action


def test_a_running_year_ends_today_and_a_year_to_come_is_refused():
    assert year_period(2026, TODAY) == Period(date(2026, 1, 1), TODAY)
    assert year_period(2025, TODAY) == Period(date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(YearNotStarted) as raised:
        year_period(2027, TODAY)
    assert str(raised.value) == (
        "L'année 2027 n'a pas commencé : choisissez une année passée ou celle en cours."
    )


def test_the_synthesis_counts_the_causes_and_measures_each_actions_effect(organisation, year):
    synthesis = annual_synthesis(organisation, 2026, today=TODAY)

    assert synthesis.figures.received == 5
    assert [(line.label, line.value) for line in synthesis.causes] == [(ROOMS, 4), ("Autre", 1)]
    (effect,) = synthesis.actions
    assert effect.line.action.reference == year.reference
    # Decided on 1 July: the three of June before; closed on 1 September: one since.
    assert (effect.before, effect.after, effect.after_days) == (3, 1, 62)
    assert not synthesis.complete


def test_the_pdf_says_the_figures_the_causes_and_the_effect(organisation, year, tmp_path):
    path = tmp_path / "synthese.pdf"

    write_annual_synthesis(str(path), annual_synthesis(organisation, 2026, today=TODAY))

    pages = pdf_pages(path.read_bytes())
    text = " ".join(" ".join(line.split()) for page in pages for line in page)
    assert "Synthèse annuelle des réclamations 2026" in text
    assert "L'année est en cours : chiffres à ce jour." in text
    assert "1. Les chiffres de l'année" in text
    assert "Réclamations reçues 5 0" in text
    assert "2. Les causes récurrentes" in text
    assert f"{ROOMS} 4 0" in text
    assert f"{year.reference} · Vérifier le matériel des salles la veille" in text
    assert (
        "Réclamations de cette cause : 3 dans les 90 jours avant la décision, 1 dans les 62 "
        "jours depuis la clôture." in text
    )
    assert "Efficacité : efficace (vérifiée le 31/08/2026) : Une seule panne depuis." in text
    assert "Visa de la direction" in text
    assert f"page 1 / {len(pages)}" in text


def test_a_year_without_complaints_or_actions_still_prints(organisation, tmp_path):
    path = tmp_path / "vide.pdf"

    write_annual_synthesis(str(path), annual_synthesis(organisation, 2024, today=TODAY))

    text = " ".join(line for page in pdf_pages(path.read_bytes()) for line in page)
    assert "Aucune cause n'a été analysée cette année" in text
    assert "Aucune action d'amélioration n'a été ouverte cette année." in text


def test_the_command_writes_it_and_refuses_a_year_to_come(organisation, year, tmp_path):
    out = StringIO()
    path = tmp_path / "synthese-2026.pdf"

    call_command("annual-synthesis", "--year", "2026", "-o", str(path), stdout=out)
    with pytest.raises(CommandError) as future:
        call_command("annual-synthesis", "--year", "2030", "-o", str(path))
    with pytest.raises(CommandError) as wrong:
        call_command("annual-synthesis", "--year", "deux mille", "-o", str(path))

    assert out.getvalue() == (
        f"Synthèse annuelle 2026 écrite : {path} (5 réclamation(s), 1 action(s) d'amélioration).\n"
    )
    assert path.read_bytes().startswith(b"%PDF")
    assert str(future.value).startswith("L'année 2030 n'a pas commencé")
    assert str(wrong.value) == "--year 'deux mille' : indiquez une année sur quatre chiffres."
