"""Improvement actions through their one door: decided from complaints or another source,
carried out, checked for effectiveness, closed; every change an event of the chronology."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reclamations.complaints.enums import EventType, ImprovementStatus
from reclamations.complaints.improvement import (
    NewImprovement,
    improvement_apply,
    improvement_create,
)
from reclamations.complaints.improvement_rules import NOT_CHECKED
from reclamations.complaints.models import ComplaintEvent, ImprovementAction
from reclamations.complaints.workflow import WorkflowError
from reclamations.core.localtime import local_today
from reclamations.reporting.integrity import verify_organisation
from tests.factories import make_complaint
from tests.tampering import alter_event


def _new(organisation, complaints=(), **values):
    today = local_today(organisation)
    fields = {
        "title": "Confirmer les salles par écrit",
        "description": "Chaque réservation de salle est confirmée par écrit la veille.",
        "source": "complaints",
        "complaints": [getattr(c, "reference", c) for c in complaints],
        "cause": "Locaux, matériel ou équipement",
        "due_date": (today + timedelta(days=30)).isoformat(),
        **values,
    }
    return NewImprovement(**fields)


@pytest.fixture
def decided(organisation, referent, manager):
    complaint = make_complaint(organisation, referent)
    return improvement_create(
        organisation=organisation,
        actor=referent,
        new=_new(organisation, [complaint], owner=manager.pk),
    )


def test_an_action_decided_from_a_complaint_is_numbered_and_chained(
    organisation, referent, manager
):
    complaint = make_complaint(organisation, referent)

    action = improvement_create(
        organisation=organisation,
        actor=referent,
        new=_new(organisation, [complaint], owner=manager.pk),
    )

    year = local_today(organisation).year
    assert action.reference == f"AM-{year}-001"
    assert (action.status, action.owner, list(action.complaints.all())) == (
        ImprovementStatus.PLANNED,
        manager,
        [complaint],
    )
    event = action.events.get()
    assert event.event_type == EventType.IMPROVEMENT_CREATED
    assert event.complaint is None
    assert event.data["complaints"] == [complaint.reference]
    assert event.data["owner"] == manager.display_name
    assert verify_organisation(organisation).ok
    second = improvement_create(
        organisation=organisation, actor=referent, new=_new(organisation, source="audit")
    )
    assert second.reference == f"AM-{year}-002"
    # The complaints' references go on: each series has its own counter.
    assert make_complaint(organisation, referent).reference.endswith("-0002")


def test_what_is_wrong_is_said_field_by_field_and_nothing_is_written(organisation, referent):
    yesterday = local_today(organisation) - timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        improvement_create(
            organisation=organisation,
            actor=referent,
            new=_new(
                organisation,
                ["REC-1999-0001"],
                title="",
                description="",
                source="rumeur",
                cause="Météo",
                owner="9999",
                due_date=yesterday.isoformat(),
            ),
        )

    assert raised.value.message_dict == {
        "title": ["Donnez un intitulé à l'action."],
        "description": ["Décrivez l'action décidée."],
        "source": [
            "Choisissez l'origine parmi : Réclamations, Enquête de satisfaction, Retour des "
            "formateurs, Constat d'audit, Autre."
        ],
        "cause": ["Choisissez la cause parmi celles des réglages de l'organisme."],
        "owner": ["Choisissez le ou la responsable parmi les comptes de l'organisme."],
        "complaints": ["Réclamation inconnue : REC-1999-0001."],
        "due_date": ["L'échéance est passée : choisissez une date à venir."],
    }
    assert not ImprovementAction.objects.exists()
    assert not ComplaintEvent.objects.exists()


def test_an_action_from_complaints_names_them(organisation, referent):
    with pytest.raises(ValidationError) as raised:
        improvement_create(organisation=organisation, actor=referent, new=_new(organisation))

    assert raised.value.message_dict == {
        "complaints": [
            "Indiquez la ou les réclamations à l'origine de l'action, ou une autre origine."
        ]
    }


def test_an_auditor_decides_nothing(organisation, auditor):
    with pytest.raises(WorkflowError):
        improvement_create(
            organisation=organisation, actor=auditor, new=_new(organisation, source="audit")
        )


def test_carried_out_checked_and_closed_each_step_in_the_chronology(decided, referent):
    today = local_today(decided.organisation)

    improvement_apply(action=decided, actor=referent, step="start")
    improvement_apply(
        action=decided,
        actor=referent,
        step="record_done",
        data={"done_summary": "Procédure de réservation mise à jour."},
    )
    with pytest.raises(WorkflowError) as unchecked:
        improvement_apply(action=decided, actor=referent, step="close")
    improvement_apply(
        action=decided,
        actor=referent,
        step="check",
        data={
            "check_result": "effective",
            "check_evidence": "Aucune réclamation sur les salles en trois mois.",
        },
    )
    improvement_apply(action=decided, actor=referent, step="close")

    decided.refresh_from_db()
    assert str(unchecked.value).startswith("Vérifiez l'efficacité de l'action avant de la clore")
    assert (decided.status, decided.done_on, decided.checked_on, decided.closed_on) == (
        ImprovementStatus.CLOSED,
        today,
        today,
        today,
    )
    assert list(decided.events.values_list("event_type", "status_before", "status_after")) == [
        ("improvement_created", "", "planned"),
        ("improvement_started", "planned", "in_progress"),
        ("improvement_done", "in_progress", "done"),
        ("improvement_checked", "done", "done"),
        ("improvement_closed", "done", "closed"),
    ]
    assert verify_organisation(decided.organisation).ok
    with pytest.raises(WorkflowError) as closed:
        improvement_apply(action=decided, actor=referent, step="start")
    assert str(closed.value) == "Étape « Commencer » impossible : l'action est « clôturée »."
    with translation.override("en"):  # a page reads the refusal in its own language
        assert str(closed.value).startswith("Step “Start” not possible: the action is “closed”")


def test_a_check_that_finds_no_effect_sends_the_action_back_to_work(decided, referent):
    improvement_apply(
        action=decided, actor=referent, step="record_done", data={"done_summary": "Affiche."}
    )
    improvement_apply(
        action=decided,
        actor=referent,
        step="check",
        data={"check_result": "not_effective", "check_evidence": "Deux nouvelles réclamations."},
    )

    decided.refresh_from_db()
    assert decided.status == ImprovementStatus.IN_PROGRESS
    improvement_apply(
        action=decided, actor=referent, step="record_done", data={"done_summary": "Formation."}
    )
    with pytest.raises(WorkflowError) as refused:
        improvement_apply(action=decided, actor=referent, step="close")
    # Done again: the earlier check stays in the chronology, a new one is needed.
    assert str(refused.value) == NOT_CHECKED
    assert decided.events.filter(event_type="improvement_checked").count() == 1


def test_a_check_needs_its_result_and_evidence_and_no_future_day(decided, referent):
    improvement_apply(
        action=decided, actor=referent, step="record_done", data={"done_summary": "Fait."}
    )
    tomorrow = local_today(decided.organisation) + timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        improvement_apply(
            action=decided,
            actor=referent,
            step="check",
            data={"checked_on": tomorrow.isoformat(), "check_result": "", "check_evidence": ""},
        )

    assert raised.value.message_dict == {
        "checked_on": ["Cette date est dans le futur : indiquez la date réelle."],
        "check_result": [
            "Choisissez le résultat parmi : Efficace, Partiellement efficace, Non efficace."
        ],
        "check_evidence": [
            "Indiquez les preuves de la vérification (indicateur suivi, enquête, audit…)."
        ],
    }


def test_an_update_records_only_what_changed(decided, referent, organisation):
    other = make_complaint(organisation, referent, client_name="Paul Roux")
    first = decided.complaints.get()

    improvement_apply(
        action=decided,
        actor=referent,
        step="update",
        data={
            "title": decided.title,
            "due_date": date(2027, 1, 15).isoformat(),
            "complaints": [first.reference, other.reference],
        },
    )

    event = decided.events.latest("sequence")
    assert event.data == {
        "due_date": "2027-01-15",
        "complaints": sorted([first.reference, other.reference]),
    }
    with pytest.raises(ValidationError) as unchanged:
        improvement_apply(
            action=decided, actor=referent, step="update", data={"title": decided.title}
        )
    assert unchanged.value.message_dict == {
        "__all__": ["Aucune modification : l'action est déjà dans cet état."]
    }


def test_an_abandoned_action_keeps_its_reason(decided, referent):
    with pytest.raises(ValidationError):
        improvement_apply(action=decided, actor=referent, step="abandon", data={"reason": " "})

    improvement_apply(
        action=decided, actor=referent, step="abandon", data={"reason": "Salle abandonnée."}
    )

    decided.refresh_from_db()
    assert (decided.status, decided.abandon_reason) == (
        ImprovementStatus.ABANDONED,
        "Salle abandonnée.",
    )


@pytest.mark.tampered
def test_an_altered_action_event_is_found_by_verify(decided, referent):
    event = decided.events.get()

    alter_event(event, data={**event.data, "title": "Autre chose"})

    report = verify_organisation(decided.organisation)
    assert report.broken_sequence == event.sequence
