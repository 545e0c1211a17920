"""What a training organisation's complaints look like: weighted choices and French texts.

Pure (no Django): the generator draws every field from here with one seeded `random.Random`,
so that the same seed gives the same register.
"""

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random
from typing import TypeVar
from zoneinfo import ZoneInfo

from reclamations.core.french import MONTHS

T = TypeVar("T")

# Shares observed in the trade (orders of magnitude, not statistics of a real organisation).
CHANNELS = {"email": 45, "web": 20, "phone": 15, "letter": 12, "api": 8}
KINDS = {"complaint": 82, "difficulty": 10, "incident": 7, "not_admissible": 1}
CATEGORIES = {
    "pedagogy": 20,
    "trainer": 12,
    "organisation": 18,
    "administrative": 22,
    "accessibility": 4,
    "certification": 10,
    "digital": 10,
    "other": 4,
}
SEVERITIES = {"low": 25, "medium": 50, "high": 20, "critical": 5}
FUNDINGS = {
    "cpf": 35,
    "company": 20,
    "opco": 15,
    "self_funded": 12,
    "france_travail": 10,
    "other": 5,
    "": 3,
}
REPLY_CHANNELS = {"email": 70, "letter": 20, "phone_confirmed": 7, "hand": 3}
# The same replies when none goes by post: the letters' share goes by e-mail.
REPLY_CHANNELS_WITHOUT_POST = {"email": 90, "phone_confirmed": 7, "hand": 3}
OUTCOMES = {"granted": 45, "partly_granted": 30, "rejected": 25}
ACCEPTANCES = {"accepted": 60, "unknown": 30, "disputed": 10}

FIRST_NAMES = (  # noqa: SIM905 (one word per name, easier to read)
    "Camille Léa Manon Chloé Inès Sarah Julie Emma Louise Clara Nadia Sophie Claire "
    "Amandine Aurélie Céline Fatima Yasmine Hélène Nathalie Thomas Lucas Hugo Nicolas "
    "Julien Maxime Antoine Karim Mehdi Pierre Paul Bernard Olivier Sébastien Romain "
    "Alexandre Mathieu Youssef Jean Michel François David Laurent Éric Vincent Damien "
    "Christophe Stéphane Kevin Mamadou"
).split()
LAST_NAMES = (  # noqa: SIM905 (one word per name, easier to read)
    "Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel "
    "Lefèvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert "
    "Fontaine Rousseau Vincent Muller Faure André Mercier Blanc Guérin Boyer Garnier "
    "Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry "
    "Roussel Mathieu Gautier Masson Marchand Haddad Benali Nguyen Diallo Ferreira Lopez "
    "Rossi Maltese Giordano"
).split()
COMPANIES = (
    "Transports Azur",
    "Boulangeries Provençales",
    "Clinique des Oliviers",
    "Hôtel Belle Rive",
    "Groupe Méditerranée Services",
    "Cabinet Arnaud & Associés",
    "Pharmacie du Port",
    "Logistique Sud-Est",
    "Mairie de Grasse",
    "SARL Batisud",
)
TRAINERS = tuple(
    f"{first} {last}"
    for first, last in (
        ("Éloïse", "Garnier"),
        ("Marc", "Olivier"),
        ("Giulia", "Bianchi"),
        ("Jean", "Castel"),
        ("Nadia", "Benali"),
        ("Thomas", "Lemoine"),
        ("Sophie", "Marchand"),
        ("Karim", "Haddou"),
        ("Claire", "Vasseur"),
        ("Hugo", "Perrin"),
        ("Inès", "Charpentier"),
        ("Olivier", "Roussel"),
        ("Léa", "Fontaine"),
        ("Yann", "Le Goff"),
        ("Camille", "Robin"),
        ("Rachid", "Meziane"),
        ("Anne", "Lenoir"),
        ("Pierre", "Aubert"),
        ("Julie", "Fabre"),
        ("Samuel", "Guerin"),
    )
)
# Who pays, by the kind of funding: an OPCO for employers, the CDC for the CPF...
FUNDERS = {
    "cpf": ("Caisse des dépôts (CPF)",),
    "opco": ("OPCO Atlas", "OPCO EP", "OPCO Santé", "AKTO", "Constructys", "OPCO Mobilités"),
    "company": ("L'employeur",),
    "france_travail": ("France Travail",),
    "self_funded": ("",),
    "other": ("Région Sud", "Agefiph", ""),
    "": ("",),
}
CITIES = ("Nice", "Cannes", "Antibes", "Grasse", "à distance")
# The root cause found for each category (core.causes.DEFAULT_CAUSES' labels), by weight.
CAUSES_BY_CATEGORY = {
    "pedagogy": {
        "Contenu ou supports pédagogiques inadaptés": 6,
        "Information avant l'entrée en formation insuffisante ou erronée": 3,
        "Attente hors du champ de la prestation": 1,
    },
    "trainer": {"Compétence ou posture du formateur": 7, "Prestataire ou sous-traitant": 3},
    "organisation": {
        "Planning, convocation ou changement de dernière minute": 6,
        "Locaux, matériel ou équipement": 4,
    },
    "administrative": {
        "Erreur administrative ou de facturation": 7,
        "Communication ou suivi insuffisants": 3,
    },
    "accessibility": {"Adaptation au handicap insuffisante": 1},
    "certification": {
        "Planning, convocation ou changement de dernière minute": 3,
        "Prestataire ou sous-traitant": 2,
        "Information avant l'entrée en formation insuffisante ou erronée": 2,
    },
    "digital": {"Plateforme ou outils numériques": 1},
    "other": {"Autre": 2, "Communication ou suivi insuffisants": 1},
    "": {"Autre": 1},
}
CAUSE_ANALYSES = (
    "Le point n'avait pas été vérifié avant la session.",
    "Consigne connue mais non appliquée : rappel fait à l'équipe.",
    "Deuxième cas du trimestre : à traiter en revue qualité.",
    "Défaut ponctuel, sans lien avec l'organisation habituelle.",
)

TRAININGS = (
    "Anglais professionnel B2",
    "Italien débutant",
    "Certification TOSA Excel",
    "Bureautique Word et Excel",
    "Comptabilité générale",
    "Paie et administration du personnel",
    "Management d'équipe",
    "Prise de parole en public",
    "Droit du travail pour RH",
    "Sauveteur secouriste du travail",
    "Gestion de projet agile",
    "Français langue étrangère A2",
    "Marketing digital",
    "Création d'entreprise",
    "Espagnol intermédiaire",
)
DESCRIPTIONS = {
    "pedagogy": (
        "Le contenu de la formation ne correspond pas au programme annoncé.",
        "Les supports de cours n'ont jamais été transmis malgré plusieurs relances.",
        "Le niveau de la session était trop élevé par rapport au test de positionnement.",
        "Les exercices pratiques prévus au programme n'ont pas été réalisés.",
    ),
    "trainer": (
        "Le formateur est arrivé en retard à plusieurs séances.",
        "La formatrice a tenu des propos jugés déplacés envers un stagiaire.",
        "Changement de formateur en cours de session sans explication.",
        "Le formateur ne répond pas aux questions posées sur la plateforme.",
    ),
    "organisation": (
        "Trois séances annulées sans préavis.",
        "La salle de formation était trop petite et sans chauffage.",
        "Le planning a été modifié la veille sans concertation.",
        "Convocation reçue après le début de la session.",
    ),
    "administrative": (
        "Facturation d'un module non suivi.",
        "Double prélèvement sur le compte bancaire du client.",
        "Attestation de fin de formation non reçue.",
        "Dossier CPF clôturé sans validation de la présence.",
    ),
    "accessibility": (
        "Aucun aménagement proposé malgré la reconnaissance de handicap signalée.",
        "Salle de formation inaccessible en fauteuil roulant.",
        "Supports non adaptés à une déficience visuelle déclarée à l'inscription.",
    ),
    "certification": (
        "Examen de certification reporté deux fois.",
        "Résultats de la certification non communiqués après deux mois.",
        "Conditions de passage de l'examen non conformes au référentiel.",
    ),
    "digital": (
        "Impossible d'accéder à la plateforme de formation à distance.",
        "Les classes virtuelles coupent régulièrement.",
        "Les identifiants de connexion n'ont pas été envoyés.",
    ),
    "other": (
        "Le client conteste les conditions générales de vente.",
        "Démarchage téléphonique jugé insistant.",
        "Mécontentement général sur le suivi de la formation.",
    ),
}
REMEDIES = (
    "Remboursement de la formation.",
    "Remboursement du module non suivi.",
    "Report de la session à une date ultérieure.",
    "Séances de rattrapage.",
    "Excuses écrites.",
    "Nouvelle date d'examen.",
    "Envoi de l'attestation sous huit jours.",
    "",
)
ACTIONS = (
    "Accusé de réception envoyé au client.",
    "Vérification des feuilles d'émargement.",
    "Entretien téléphonique avec le formateur.",
    "Échange avec le service comptabilité.",
    "Analyse du programme et des supports remis.",
    "Contrôle des accès à la plateforme.",
    "Point avec la coordinatrice pédagogique.",
    "Proposition de dates de rattrapage au client.",
    "Demande d'avoir transmise à la comptabilité.",
)
NOTES = (
    "Client rappelé : il souhaite une réponse écrite.",
    "Dossier à revoir en réunion qualité.",
    "Situation similaire signalée sur la même session.",
    "Le client a envoyé une relance par e-mail.",
)
RESOLUTIONS = (
    "Séances de rattrapage planifiées avec un autre formateur.",
    "Remboursement partiel du module accordé.",
    "Avoir émis sur la facture du client.",
    "Attestation renvoyée par e-mail et par courrier.",
    "Nouvelle date d'examen fixée.",
    "Accès à la plateforme rétablis et session prolongée d'un mois.",
    "Réclamation non fondée : les séances ont bien eu lieu (émargements signés).",
    "Rappel des règles de conduite au formateur et excuses présentées au client.",
)
REPLIES = (
    "Nous avons bien étudié votre réclamation et vous prions de trouver ci-dessous notre réponse.",
    "Suite à votre réclamation, nous vous proposons la solution suivante.",
    "Après vérification, nous sommes en mesure de vous apporter la réponse suivante.",
)
NOT_ADMISSIBLE_REASONS = (
    "Demande d'information commerciale, sans mécontentement exprimé.",
    "Le demandeur n'a jamais été client de l'organisme.",
    "Sans réponse du client à la demande d'informations complémentaires.",
)
MEDIATION_OUTCOMES = (
    "Accord trouvé : remboursement de 50 % de la formation.",
    "Le médiateur confirme la position de l'organisme.",
    "Accord sur une nouvelle session gratuite.",
)
LITIGATION_OUTCOMES = (
    "Demande du client rejetée par le tribunal.",
    "Transaction conclue avant audience.",
)

# Staff register complaints during office hours, Monday to Friday.
OFFICE_OPENS = time(8, 30)
OFFICE_CLOSES = time(18, 0)
_FRIDAY = 4


def _ascii(text: str) -> str:
    """E-mail addresses keep to ASCII: "hélène" becomes "helene"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and not c.isspace())


def weighted(rng: Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def pick(rng: Random, values: Sequence[T]) -> T:
    return values[rng.randrange(len(values))]


@dataclass(frozen=True)
class Reception:
    """A complaint as it arrives, with the moment staff register it."""

    channel: str
    received_at: datetime
    registered_at: datetime
    fields: dict[str, str]
    withheld: dict[str, str]  # left out by the client, given when asked


def client_fields(rng: Random, received: date) -> tuple[dict[str, str], dict[str, str]]:
    """The registration fields, and those the client left out (given later, on request)."""
    first, last = pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)
    funding = weighted(rng, FUNDINGS)
    category = weighted(rng, CATEGORIES)
    kind = weighted(rng, KINDS)
    professional = funding in ("company", "opco")
    name = f"{pick(rng, COMPANIES)} ({first} {last})" if professional else f"{first} {last}"
    email_local = _ascii(f"{first}.{last}".lower())
    training = pick(rng, TRAININGS)
    session = f"{training}, {MONTHS[received.month - 1]} {received.year}, {pick(rng, CITIES)}"
    fields = {
        "client_name": name,
        "client_account": f"CLI-{received.year}-{rng.randrange(1, 10000):04d}",
        "client_type": "" if funding not in ("other", "") else pick(rng, ("", "consumer")),
        "funding": funding,
        "client_email": f"{email_local}@example.org" if rng.random() < 0.85 else "",
        "client_phone": f"06 {rng.randrange(10, 99)} {rng.randrange(10, 99)} "
        f"{rng.randrange(10, 99)} {rng.randrange(10, 99)}"
        if rng.random() < 0.5
        else "",
        "training": training,
        "session": session if rng.random() < 0.8 else "",
        "trainer": pick(rng, TRAINERS) if rng.random() < 0.85 else "",
        "funder": pick(rng, FUNDERS[funding]),
        "description": pick(rng, DESCRIPTIONS[category]),
        "remedy_sought": pick(rng, REMEDIES),
        "kind": kind,
        "not_admissible_reason": pick(rng, NOT_ADMISSIBLE_REASONS[:2])
        if kind == "not_admissible"
        else "",
        "category": category,
        "severity": weighted(rng, SEVERITIES),
        "client_address": "",
    }
    # A postal address, so that a reply by letter can be printed (the services refuse one
    # without it); made from what was drawn, so that the draws stay those of earlier runs.
    fields["client_address"] = (
        f"{int(fields['client_account'][-4:]) % 120 + 1} boulevard Gambetta\n06000 Nice"
    )
    # First contacts often lack the client account, more rarely the name or the description.
    roll = rng.random()
    withheld_name = (
        "client_account"
        if roll < 0.05
        else "description"
        if roll < 0.065
        else "client_name"
        if roll < 0.075
        else ""
    )
    withheld = {}
    if withheld_name and kind != "not_admissible":
        withheld[withheld_name] = fields[withheld_name]
        fields[withheld_name] = ""
    return fields, withheld


OfficeDay = Callable[[date], bool]


def next_office_day(day: date, is_office_day: OfficeDay) -> date:
    day += timedelta(days=1)
    while not is_office_day(day):
        day += timedelta(days=1)
    return day


def _next_office_morning(rng: Random, moment: datetime, is_office_day: OfficeDay) -> datetime:
    day = next_office_day(moment.date(), is_office_day)
    opens = datetime.combine(day, OFFICE_OPENS, tzinfo=moment.tzinfo)
    return opens + timedelta(minutes=rng.randrange(0, 90), seconds=rng.random() * 60)


def registration_moment(rng: Random, received_at: datetime, is_office_day: OfficeDay) -> datetime:
    """Within two hours during office hours; otherwise the next office morning."""
    in_office = (
        is_office_day(received_at.date()) and OFFICE_OPENS <= received_at.time() < OFFICE_CLOSES
    )
    if in_office:
        return received_at + timedelta(minutes=rng.randrange(2, 120), seconds=rng.random() * 60)
    return _next_office_morning(rng, received_at, is_office_day)


def reception_moment(rng: Random, day: date, channel: str, zone: ZoneInfo) -> datetime:
    """Letters and calls arrive in office hours; e-mails, forms and the API at any hour."""
    if channel in ("letter", "phone"):
        if day.weekday() > _FRIDAY:
            day -= timedelta(days=day.weekday() - _FRIDAY)
        minutes = rng.randrange(9 * 60, 17 * 60 + 30)
    else:
        hour_weights = [1] * 7 + [4] * 12 + [2] * 5  # quieter at night and in the evening
        hour = rng.choices(range(24), weights=hour_weights)[0]
        minutes = hour * 60 + rng.randrange(60)
    return datetime.combine(day, time(minutes // 60, minutes % 60, rng.randrange(60)), zone)


def day_weight(day: date, first: date, last: date) -> float:
    """Busier on weekdays and in term time; activity grows by 86 % over the period."""
    weekday = day.weekday()
    weight = 1.0 if weekday <= _FRIDAY else (0.2 if weekday == 5 else 0.1)
    if day.month == 8:
        weight *= 0.4
    elif day.month == 12 and day.day >= 20:
        weight *= 0.5
    elif day.month in (1, 9, 10):
        weight *= 1.2
    span = max(1, (last - first).days)
    return weight * (0.7 + 0.6 * (day - first).days / span)
