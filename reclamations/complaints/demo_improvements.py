"""The demo's improvement actions: one closed after its check, one under way, one planned."""

from datetime import timedelta
from typing import Any

from django.db import transaction

from reclamations.complaints.improvement import (
    NewImprovement,
    improvement_apply,
    improvement_create,
)
from reclamations.complaints.models import Complaint, ImprovementAction
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User


def _demo_improvement(
    organisation: Organisation, actor: User, client: str, days: int, **fields: Any
) -> ImprovementAction:
    complaints = (
        Complaint.objects.filter(organisation=organisation, client_name=client) if client else []
    )
    return improvement_create(
        organisation=organisation,
        actor=actor,
        new=NewImprovement(
            complaints=[complaint.reference for complaint in complaints],
            due_date=local_today(organisation) + timedelta(days=days),
            owner=actor.pk,
            **fields,
        ),
    )


def create_demo_improvements(organisation: Organisation, actor: User) -> None:
    """Three improvement actions: one closed after its check, one under way, one planned."""
    with transaction.atomic():
        billing = _demo_improvement(
            organisation,
            actor,
            "Bernard Lefèvre",
            15,
            title="Contrôler l'émargement avant chaque facture",
            description="La facture d'un module n'est émise qu'après le contrôle des feuilles "
            "d'émargement par l'assistante de formation.",
            cause="Erreur administrative ou de facturation",
        )
        improvement_apply(
            action=billing,
            actor=actor,
            step="record_done",
            data={"done_summary": "Contrôle ajouté à la procédure de facturation."},
        )
        improvement_apply(
            action=billing,
            actor=actor,
            step="check",
            data={
                "check_result": "effective",
                "check_evidence": "Aucune facture contestée sur les 40 dernières émises.",
            },
        )
        improvement_apply(action=billing, actor=actor, step="close")
        exams = _demo_improvement(
            organisation,
            actor,
            "Nadia Haddad",
            30,
            title="Confirmer par écrit chaque réservation du centre d'examen",
            description="Demander au centre d'examen une confirmation écrite de chaque session "
            "réservée, et prévenir le candidat dès sa réception.",
            cause="Planning, convocation ou changement de dernière minute",
        )
        improvement_apply(action=exams, actor=actor, step="start")
        _demo_improvement(
            organisation,
            actor,
            "",
            45,
            title="Joindre le plan d'accès à chaque convocation",
            description="Trois stagiaires sur dix disent avoir eu du mal à trouver la salle.",
            source="survey",
            source_detail="Enquête de satisfaction à chaud, session de septembre",
            cause="Information avant l'entrée en formation insuffisante ou erronée",
        )
