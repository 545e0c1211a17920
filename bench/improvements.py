"""Improvement actions for the generated register: decided through the service (the chain is
continued after the complaints' events, at today's date), about one per 200 complaints, most
from the complaints of one cause, some from surveys or audits; each taken some way through its
life (under way, done, checked, closed, abandoned)."""

from datetime import timedelta
from random import Random

from django.db import transaction
from population import CAUSE_ANALYSES, pick

from reclamations.complaints.enums import ImprovementSource
from reclamations.complaints.improvement import (
    NewImprovement,
    improvement_apply,
    improvement_create,
)
from reclamations.complaints.models import Complaint
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User

TITLES = {
    "Information avant l'entrée en formation insuffisante ou erronée": (
        "Revoir la fiche programme remise avant l'inscription"
    ),
    "Planning, convocation ou changement de dernière minute": (
        "Confirmer par écrit chaque réservation de salle et d'examen"
    ),
    "Compétence ou posture du formateur": "Entretien annuel et observation de séance",
    "Contenu ou supports pédagogiques inadaptés": "Mettre à jour les supports du module",
    "Locaux, matériel ou équipement": "Vérifier le matériel des salles la veille",
    "Plateforme ou outils numériques": "Tester les accès à la plateforme avant la session",
    "Erreur administrative ou de facturation": "Contrôler l'émargement avant chaque facture",
    "Communication ou suivi insuffisants": "Rappeler le client sous 48 heures",
    "Adaptation au handicap insuffisante": "Entretien avec le référent handicap à l'inscription",
    "Prestataire ou sous-traitant": "Revue trimestrielle des sous-traitants",
    "Attente hors du champ de la prestation": "Préciser le périmètre dans la convention",
    "Autre": "Point en revue qualité",
}


def create_improvements(
    organisation: Organisation, actor: User, *, complaints: int, rng: Random
) -> int:
    """About one action per 200 complaints; returns how many."""
    today = local_today(organisation)
    by_cause: dict[str, list[str]] = {}
    for reference, cause in (
        Complaint.objects.filter(organisation=organisation)
        .exclude(cause="")
        .order_by("-received_on")
        .values_list("reference", "cause")[:20_000]
    ):
        by_cause.setdefault(cause, []).append(reference)
    if not by_cause:
        return 0
    causes = sorted(by_cause)
    count = max(1, complaints // 200)
    with transaction.atomic():
        for number in range(count):
            cause = pick(rng, causes)
            from_complaints = rng.random() < 0.8
            action = improvement_create(
                organisation=organisation,
                actor=actor,
                new=NewImprovement(
                    title=f"{TITLES.get(cause, 'Action corrective')} ({number + 1})",
                    description=pick(rng, CAUSE_ANALYSES),
                    source=ImprovementSource.COMPLAINTS
                    if from_complaints
                    else pick(rng, (ImprovementSource.SURVEY, ImprovementSource.AUDIT)),
                    complaints=rng.sample(by_cause[cause], min(3, len(by_cause[cause])))
                    if from_complaints
                    else [],
                    cause=cause,
                    owner=actor.pk,
                    due_date=today + timedelta(days=rng.randint(0, 120)),
                ),
            )
            _live(action, actor, rng)
    return count


def _live(action, actor: User, rng: Random) -> None:
    roll = rng.random()
    if roll < 0.25:
        return  # planned
    improvement_apply(action=action, actor=actor, step="start")
    if roll < 0.45:
        return  # under way
    if roll < 0.5:
        improvement_apply(
            action=action, actor=actor, step="abandon", data={"reason": "Remplacée par une autre."}
        )
        return
    improvement_apply(
        action=action, actor=actor, step="record_done", data={"done_summary": "Mise en place."}
    )
    if roll < 0.65:
        return  # done, its effectiveness to check
    result = "effective" if rng.random() < 0.8 else "partly"
    improvement_apply(
        action=action,
        actor=actor,
        step="check",
        data={"check_result": result, "check_evidence": "Indicateur suivi sur trois mois."},
    )
    if roll < 0.9:
        improvement_apply(action=action, actor=actor, step="close")
