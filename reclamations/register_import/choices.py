"""A register's free-text values matched to the product's choices: the kind, the category, the
funding and the client type by their French labels and the words organisations use for them,
the cause among the organisation's own causes. Pure: no Django.

A value matches when, accents, case and punctuation aside, it is one of the accepted phrases
(its label, a part of it, a usual synonym): never a guess from a word inside a sentence. An
unknown value is an error of its line naming the accepted values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reclamations.complaints.enums import Category, ClientType, Funding, Kind, french_choices
from reclamations.core.catalogue import gettext_noop
from reclamations.register_import.vocabulary import fold

_PUNCTUATION = re.compile(r"[^\w]+")


def phrase(text: str) -> str:
    """A value as compared: "Formateur·rice" is "formateur rice", "Pôle-Emploi" "pole emploi"."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).replace("_", " ").split())


@dataclass(frozen=True)
class Choices:
    """The values one field accepts: the stored value of each accepted phrase, and the French
    list an error names."""

    values: Mapping[str, str]
    recognised: str

    def read(self, text: str) -> str | None:
        return self.values.get(phrase(text))


def _choices(
    labels: Iterable[tuple[str, str]],
    synonyms: Mapping[str, tuple[str, ...]],
    *,
    parts: bool = True,
) -> Choices:
    """`parts`: each part of a label listing two things ("Organisation, logistique") is
    accepted alone."""
    values: dict[str, str] = {}
    shown = []
    for value, label in labels:
        shown.append(label)
        pieces = label.split(",") if parts else []
        for accepted in (label, *pieces, value, *synonyms.get(value, ())):
            values.setdefault(phrase(accepted), value)
    values.pop("", None)
    return Choices(values, ", ".join(f"« {label} »" for label in shown))


# "Simple demande": a request for information is not a complaint (Qualiopi 31), recorded as
# not admissible, as the registration requalifies it.
KINDS = _choices(
    french_choices(Kind),
    {
        Kind.COMPLAINT: ("plainte", "mécontentement", "insatisfaction", "réclamation client"),
        Kind.DIFFICULTY: ("difficultés", "difficulté rencontrée", "dysfonctionnement"),
        Kind.INCIDENT: ("aléas", "incident", "imprévu", "événement indésirable"),
        Kind.NOT_ADMISSIBLE: (
            "irrecevable",
            "simple demande",
            "demande",
            "demande d'information",
            "demande d'informations",
            "demande de renseignement",
            "demande de renseignements",
            "question",
            "hors champ",
            "requalifiée",
            "pas une réclamation",
        ),
    },
)
KINDS = Choices(
    KINDS.values,
    KINDS.recognised.replace("« Non recevable »", "« Non recevable » (simple demande)"),
)

CATEGORIES = _choices(
    french_choices(Category),
    {
        Category.PEDAGOGY: ("pédagogie", "pédagogique", "contenu", "programme", "supports"),
        Category.TRAINER: ("formateur", "formatrice", "formateur trice", "intervenant"),
        Category.ORGANISATION: ("organisation", "logistique", "planning", "locaux", "salle"),
        Category.ADMINISTRATIVE: ("administration", "facturation", "facture", "inscription"),
        Category.ACCESSIBILITY: ("accessibilité", "handicap", "situation de handicap", "psh"),
        Category.CERTIFICATION: ("évaluation", "certification", "examen", "diplôme"),
        Category.DIGITAL: ("plateforme", "numérique", "outils numériques", "e-learning", "lms"),
        Category.OTHER: ("autres", "divers"),
    },
)

_OPCOS = ("afdas", "akto", "atlas", "constructys", "ocapiat", "opcommerce", "uniformation")
FUNDINGS = _choices(
    french_choices(Funding),
    {
        Funding.SELF_FUNDED: (
            "auto-financement",
            "autofinancé",
            "financement personnel",
            "personnel",
            "fonds propres",
            "particulier",
        ),
        Funding.CPF: (
            "compte personnel de formation",
            "mon compte formation",
            "moncompteformation",
        ),
        Funding.COMPANY: (
            "employeur",
            "plan de développement des compétences",
            "plan de formation",
            "pdc",
        ),
        Funding.OPCO: ("opca", *_OPCOS, *(f"opco {name}" for name in _OPCOS)),
        Funding.FRANCE_TRAVAIL: ("pôle emploi", "pole-emploi", "aif"),
        Funding.OTHER: ("autres", "région", "conseil régional", "agefiph", "transitions pro"),
    },
)

CLIENT_TYPES = _choices(
    french_choices(ClientType),
    {
        ClientType.CONSUMER: (
            "particulier",
            "consommateur",
            "individuel",
            "personne physique",
            "b2c",
        ),
        ClientType.PROFESSIONAL: (
            "pro",
            "entreprise",
            "société",
            "employeur",
            "personne morale",
            "b2b",
        ),
    },
)

# The columns read as a choice, each with its accepted values.
CHOICE_FIELDS: Mapping[str, Choices] = {
    "kind": KINDS,
    "category": CATEGORIES,
    "funding": FUNDINGS,
    "client_type": CLIENT_TYPES,
}


def read_funding(text: str) -> str | None:
    """A funding, with "OPCO <its name>" read as an OPCO whichever it is."""
    found = FUNDINGS.read(text)
    if found is None and phrase(text).startswith("opco "):
        return Funding.OPCO.value
    return found


def causes_choices(causes: Iterable[str]) -> Choices:
    """The organisation's causes (its own list, or ours until it writes one)."""
    return _choices(((cause, cause) for cause in causes), {}, parts=False)


# How an error names each column's value (and agrees with it), with what to do.
_UNKNOWN = {
    "kind": gettext_noop("nature « %(given)s » inconnue. Valeurs acceptées : %(accepted)s."),
    "category": gettext_noop("catégorie « %(given)s » inconnue. Valeurs acceptées : %(accepted)s."),
    "funding": gettext_noop("financement « %(given)s » inconnu. Valeurs acceptées : %(accepted)s."),
    "client_type": gettext_noop(
        "type de client « %(given)s » inconnu. Valeurs acceptées : %(accepted)s."
    ),
    "cause": gettext_noop(
        "cause « %(given)s » inconnue. Causes de l'organisme : %(accepted)s ; choisissez-en "
        "une, ajoutez-la dans les réglages (Causes) ou videz la cellule."
    ),
}


def unknown_choice(name: str, given: str, accepted: Choices) -> tuple[str, dict[str, str]]:
    """The error of a value `accepted` does not know, with what to do: the French message
    (marked) and its values."""
    return _UNKNOWN[name], {"given": given, "accepted": accepted.recognised}
