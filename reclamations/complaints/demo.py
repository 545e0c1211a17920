"""Demo data for the seed organisation: staff accounts and complaints in every state."""

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from reclamations.complaints.demo_improvements import create_demo_improvements
from reclamations.complaints.enums import Channel, Kind
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.wording import recourse_settings
from reclamations.complaints.organisation_events import organisation_procedure_publish
from reclamations.complaints.recourse import unlisted_mediator_refusal
from reclamations.complaints.services import NewComplaint, complaint_apply, complaint_register
from reclamations.core.installation import InstallationRefused, demo_refusal
from reclamations.core.localtime import local_today, local_zone
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import ensure_seed_organisation

DEMO_USERS = (
    ("referente", Role.REFERENT, "Fanny", "Maltese", "f.maltese@ccs-legal.fr"),
    ("responsable", Role.MANAGER, "Paul", "Durand", "direction@ccs-legal.fr"),
    ("auditeur", Role.AUDITOR, "Claire", "Roux", "audit@example.org"),
)
BACKDATED = "Données de démonstration saisies a posteriori."


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str


DEMO_AUDIT_DAYS = 90


def ensure_demo_users(organisation: Organisation) -> list[DemoAccount]:
    """Create the demo accounts, or give them a new password: each run prints fresh ones."""
    accounts = []
    for username, role, first, last, email in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name, user.email = first, last, email
        user.role, user.organisation, user.is_active = role, organisation, True
        if role == Role.AUDITOR:
            # An auditor's access has a last day: three months from each demo run.
            user.access_until = local_today(organisation) + timedelta(days=DEMO_AUDIT_DAYS)
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        # Printed for anyone to try: no forced change, no second factor required, while
        # `reclamations demo` serves them (core/accounts.demo_exempt).
        user.demo, user.password_provisional = True, False
        user.save()
        accounts.append(DemoAccount(username, role, password))
    return accounts


def _received(organisation: Organisation, days_ago: int, hour: int = 10) -> datetime:
    day = local_today(organisation) - timedelta(days=days_ago)
    moment = datetime.combine(day, time(hour, 15), tzinfo=local_zone(organisation))
    # Run before 10:15, today's complaints would be received in the future and refused.
    return min(moment, timezone.now())


def _day(organisation: Organisation, days_ago: int) -> str:
    return (local_today(organisation) - timedelta(days=days_ago)).isoformat()


# Each demo complaint: days before today it was received, its fields, then the steps applied
# to it as (action, days before today, data). Together they cover every status and kind.
DEMO_COMPLAINTS: tuple[
    tuple[int, dict[str, str], tuple[tuple[str, int, dict[str, str]], ...]], ...
] = (
    (
        40,
        {
            "channel": Channel.EMAIL,
            "client_name": "Nadia Haddad",
            "client_account": "CLI-2025-388",
            "funding": "cpf",
            "client_email": "n.haddad@example.org",
            "training": "Certification TOSA",
            "session": "TOSA Excel, session de septembre",
            "funder": "Caisse des dépôts (CPF)",
            "category": "certification",
            "severity": "high",
            "description": "Examen de certification reporté deux fois.",
            "remedy_sought": "Passage de l'examen et indemnisation.",
        },
        (
            (
                "reply",
                22,
                {
                    "channel": "email",
                    "resolution": "Nouvelle date d'examen fixée ; indemnisation refusée.",
                    "text": "Nous vous proposons une nouvelle date d'examen.",
                },
            ),
            ("close", 20, {"outcome": "partly_granted", "client_acceptance": "disputed"}),
            ("escalate_mediation", 10, {}),
            (
                "analyse_cause",
                0,
                {
                    "cause": "Planning, convocation ou changement de dernière minute",
                    "cause_analysis": "Centre d'examen réservé sans confirmation écrite, "
                    "deux fois.",
                },
            ),
        ),
    ),
    (
        21,
        {
            "channel": Channel.LETTER,
            "client_name": "Bernard Lefèvre",
            "client_account": "CLI-2025-412",
            "funding": "self_funded",
            "training": "Italien débutant",
            "session": "Italien A1, cours du soir 2025-2026",
            "trainer": "Giulia Bianchi",
            "category": "administrative",
            "description": "Facturation d'un module non suivi.",
            "remedy_sought": "Remboursement du module.",
            "client_address": "12 rue des Lilas\n06400 Cannes",
        },
        (
            ("add_action", 19, {"description": "Vérification des feuilles d'émargement."}),
            (
                "reply",
                15,
                {
                    "channel": "letter",
                    "resolution": "Module remboursé : absence confirmée par l'émargement.",
                    "outcome": "granted",
                    "text": "Les feuilles d'émargement confirment que vous n'avez pas suivi le "
                    "module de février : il vous est remboursé (120 €) par virement sous "
                    "quinze jours.\n\nNous vous prions de nous excuser pour cette erreur de "
                    "facturation.",
                },
            ),
            ("close", 14, {"outcome": "granted", "client_acceptance": "accepted"}),
            (
                "analyse_cause",
                0,
                {
                    "cause": "Erreur administrative ou de facturation",
                    "cause_analysis": "Facture émise sur l'inscription, sans contrôle de "
                    "l'émargement.",
                },
            ),
        ),
    ),
    (
        16,
        {
            "channel": Channel.EMAIL,
            "client_name": "Amélie Laurent",
            "client_account": "CLI-2026-074",
            "funding": "self_funded",
            "client_email": "a.laurent@example.org",
            "training": "Photoshop initiation",
            "category": "digital",
            "description": "Accès à la plateforme en ligne impossible pendant une semaine.",
            "remedy_sought": "Prolongation de l'accès.",
        },
        (),  # left open: overdue
    ),
    (
        12,
        {
            "channel": Channel.EMAIL,
            "client_name": "Formation Sud Conseil",
            "client_account": "CLI-2026-002",
            "funding": "company",
            "training": "Session inter-entreprises",
            "trainer": "Marc Olivier",
            "funder": "OPCO Atlas",
            "description": "Coupure d'électricité pendant la session, demi-journée perdue.",
            "kind": Kind.INCIDENT,
            "category": "organisation",
        },
        (),
    ),
    (
        9,
        {
            "channel": Channel.EMAIL,
            "client_name": "Lucas Petit",
            "client_account": "CLI-2026-097",
            "funding": "company",
            "client_email": "l.petit@example.com",
            "training": "Management d'équipe",
            "session": "Management, session du 12 au 14",
            "trainer": "Marc Olivier",
            "funder": "OPCO EP",
            "category": "trainer",
            "description": "Le formateur a quitté la session deux heures avant la fin.",
            "remedy_sought": "Une séance complémentaire.",
        },
        (("add_action", 8, {"description": "Entretien avec le formateur."}),),
    ),
    (
        6,
        {
            "channel": Channel.EMAIL,
            "client_name": "Thomas Moreau",
            "client_email": "t.moreau@example.org",
            "description": "Demande des dates de la prochaine session de formation.",
            "kind": Kind.NOT_ADMISSIBLE,
            "not_admissible_reason": "Simple demande d'information, pas une réclamation.",
        },
        (),
    ),
    (
        4,
        {
            "channel": Channel.EMAIL,
            "client_name": "Sophie Girard",
            "client_email": "s.girard@example.org",
            "funding": "cpf",
            "training": "Comptabilité",
            "category": "administrative",
        },
        (
            (
                "request_information",
                3,
                {
                    "missing": "Compte client et description précise de la réclamation.",
                    "sent_via": "email",
                },
            ),
        ),
    ),
    (
        3,
        {
            "channel": Channel.PHONE,
            "client_name": "Entreprise Riviera Bâtiment",
            "client_account": "CLI-2026-020",
            "funding": "company",
            "training": "CACES R489",
            "trainer": "Jean Castel",
            "funder": "OPCO Construction",
            "description": "Le formateur signale une salle trop petite pour le groupe.",
            "kind": Kind.DIFFICULTY,
            "category": "organisation",
            "severity": "low",
        },
        (
            (
                "record_confirmation",
                2,
                {"via": "email", "summary": "Confirmation du responsable formation."},
            ),
            (
                "reply",
                1,
                {
                    "channel": "email",
                    "resolution": "Changement de salle pour les prochaines sessions.",
                    "text": "La session suivante aura lieu en salle B.",
                },
            ),
        ),
    ),
    (
        2,
        {
            "channel": Channel.LETTER,
            "client_name": "Société Azur Transports",
            "client_type": "professional",
            "client_address": "Service formation\n45 boulevard Carnot\n06400 Cannes",
            "funding": "opco",
            "training": "Sécurité routière, groupe B",
            "description": "Attestations de fin de formation non reçues.",
            "category": "administrative",
        },
        # Incomplete (no client account); no e-mail address: acknowledged by post.
        (("send_acknowledgement", 0, {"channel": "letter"}),),
    ),
    (
        1,
        {
            "channel": Channel.EMAIL,
            "client_name": "Julie Martin",
            "client_account": "CLI-2026-118",
            "funding": "cpf",
            "client_email": "julie.martin@example.org",
            "training": "Anglais professionnel, session d'octobre",
            "description": "Trois séances annulées sans préavis, aucun rattrapage proposé.",
            "remedy_sought": "Rattrapage des trois séances.",
            "category": "organisation",
            "severity": "high",
        },
        (),
    ),
    (
        0,
        {
            "channel": Channel.PHONE,
            "client_name": "Karim Benali",
            "client_account": "CLI-2026-131",
            "funding": "self_funded",
            "client_phone": "06 12 34 56 78",
            "client_email": "k.benali@example.org",
            "training": "Excel avancé",
            "description": "Le support de cours remis ne correspond pas au programme annoncé.",
            "category": "pedagogy",
        },
        (),
    ),
)

# Which field of each action carries its date.
_DATE_FIELD = {
    "reply": "replied_on",
    "close": "closed_on",
    "escalate_mediation": "seized_on",
    "add_action": "done_on",
    "request_information": "sent_on",
    "record_confirmation": "received_on",
}


def _replier(complaint: Complaint, data: dict[str, Any], referent: User, manager: User) -> User:
    """Who sends a reply: its referent, or the manager when it names a mediator the settings
    do not mark as referenced (a referent cannot send it, unlisted_mediator_refusal)."""
    refused = unlisted_mediator_refusal(
        client_type=complaint.client_type,
        outcome=str(data.get("outcome", "")),
        settings=recourse_settings(complaint.organisation),
        by_manager=False,
    )
    return manager if refused else referent


def create_demo_complaints(
    organisation: Organisation, actor: User, manager: User | None = None
) -> int:
    """Register the demo complaints in the order they were received, then apply their steps
    (a reply the referent may not send, by `manager`)."""
    with transaction.atomic():
        for days_ago, fields, steps in DEMO_COMPLAINTS:
            complaint = complaint_register(
                organisation=organisation,
                actor=actor,
                complaint=NewComplaint(
                    received_at=_received(organisation, days_ago),
                    backdating_reason=BACKDATED if days_ago else "",
                    **fields,
                ),
            )
            for action, step_days_ago, data in steps:
                # An action without a date of its own (a cause analysed) happens today.
                dated = dict(data)
                if action in _DATE_FIELD:
                    dated = {_DATE_FIELD[action]: _day(organisation, step_days_ago), **data}
                who = actor
                if action == "reply" and manager is not None:
                    who = _replier(complaint, dated, actor, manager)
                complaint_apply(complaint=complaint, actor=who, action=action, data=dated)
    return len(DEMO_COMPLAINTS)


# The demo's version 1: the procedure's steps in a few lines (an organisation publishes its
# own text, page Procédure or `reclamations procedure publish`).
DEMO_PROCEDURE = """Procédure de traitement des réclamations — version de démonstration

1. Recueil : toute réclamation, quel qu'en soit le canal (courrier, téléphone, e-mail,
   formulaire), est enregistrée dans le registre avec sa date de réception, le nom et le
   compte du client et sa description. Une réclamation orale est confirmée par écrit.
2. Qualification : le référent qualifie la réclamation (réclamation, difficulté, aléa ou non
   recevable) et demande au client les informations manquantes.
3. Traitement : les actions menées sont datées et conservées ; la réponse écrite est adressée
   au client dans le délai fixé par l'organisme, et une copie est conservée.
4. Suivi : le registre est tenu de façon chronologique et consultable ; les réclamations sont
   analysées pour décider d'actions d'amélioration.
"""


def ensure_demo_procedure(organisation: Organisation) -> None:
    """Version 1 of the procedure, in force a year before the demo's complaints."""
    if organisation.procedure_versions.exists():
        return
    organisation_procedure_publish(
        organisation=organisation,
        text=DEMO_PROCEDURE,
        label=organisation.procedure_version,
        in_force_from=local_today(organisation) - timedelta(days=400),
        actor=None,
    )


def load_demo() -> tuple[Organisation, list[DemoAccount], int]:
    """Create or refresh the demo's organisation, accounts and complaints. Raises
    InstallationRefused on an installation that holds a real organisation: the demo never
    mixes with real data."""
    refusal = demo_refusal()
    if refusal:
        raise InstallationRefused(refusal)
    organisation = ensure_seed_organisation()
    ensure_demo_procedure(organisation)
    accounts = ensure_demo_users(organisation)
    created = 0
    if not Complaint.objects.filter(organisation=organisation).exists():
        referent = User.objects.get(username=DEMO_USERS[0][0])
        manager = User.objects.get(username=DEMO_USERS[1][0])
        created = create_demo_complaints(organisation, referent, manager)
        create_demo_improvements(organisation, referent)
    return organisation, accounts, created
