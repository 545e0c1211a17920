"""The causes a complaint may be traced to: the organisation's own list, or ours until it
writes one. Pure: read and written by the settings, offered by the "Analyser la cause" action.

A complaint keeps the label of its cause as it was chosen: editing the list later changes no
complaint already analysed, and the statistics count old labels as they were written.
"""

from collections.abc import Callable, Sequence

from reclamations.core.catalogue import as_is, gettext_noop

MAX_CAUSE_LENGTH = 120
MAX_CAUSES = 60
# French; the settings page reads them in its language (read_cause_lines' `translate`).
TOO_LONG = gettext_noop("« %(start)s… » : une cause tient en %(most)d caractères au plus.")
TOO_MANY = gettext_noop("%(most)d causes au plus : regroupez les plus proches.")

DEFAULT_CAUSES: tuple[str, ...] = (
    "Information avant l'entrée en formation insuffisante ou erronée",
    "Planning, convocation ou changement de dernière minute",
    "Compétence ou posture du formateur",
    "Contenu ou supports pédagogiques inadaptés",
    "Locaux, matériel ou équipement",
    "Plateforme ou outils numériques",
    "Erreur administrative ou de facturation",
    "Communication ou suivi insuffisants",
    "Adaptation au handicap insuffisante",
    "Prestataire ou sous-traitant",
    "Attente hors du champ de la prestation",
    "Autre",
)


def causes_in_use(stored: Sequence[str]) -> tuple[str, ...]:
    """The organisation's list as stored, or the default one while it has none."""
    return tuple(stored) or DEFAULT_CAUSES


def read_cause_lines(
    text: str, translate: Callable[[str], str] = as_is
) -> tuple[list[str], list[str]]:
    """(causes, problems) from one cause per line: blank lines and repeats (whatever the case)
    dropped, the order kept. The problems are French unless `translate` (gettext, given by the
    caller: this module stays pure) reads them in the page's language."""
    causes: list[str] = []
    seen: set[str] = set()
    problems: list[str] = []
    for line in text.splitlines():
        cause = " ".join(line.split())
        if not cause or cause.casefold() in seen:
            continue
        if len(cause) > MAX_CAUSE_LENGTH:
            problems.append(translate(TOO_LONG) % {"start": cause[:40], "most": MAX_CAUSE_LENGTH})
            continue
        seen.add(cause.casefold())
        causes.append(cause)
    if len(causes) > MAX_CAUSES:
        problems.append(translate(TOO_MANY) % {"most": MAX_CAUSES})
    return causes, problems
