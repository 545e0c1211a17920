"""What a complaint needs next, and the one or two actions that do it.

The complaint page leads with this (issue 13): the referent reads what is due and acts, the
other actions stay a click away. Plain Python: the situation is read from the complaint by the
caller; the advice is French (gettext_noop: translated where it is shown) and the actions
proposed are only ever among those the complaint can take now."""

from collections.abc import Collection
from dataclasses import dataclass

from reclamations.complaints.enums import Status


def gettext_noop(message: str) -> str:
    """Marks a French text for the catalogue (makemessages reads the name) without importing
    Django: the page translates it when it shows it."""
    return message


@dataclass(frozen=True)
class Situation:
    """What decides the next step, beyond the status."""

    status: str
    missing_fields: tuple[str, ...] = ()
    acknowledged: bool = False  # an acknowledgement was sent (or queued)
    client_answered: bool = False  # the awaited answer of the client has arrived
    client_says_unresolved: bool = False
    undelivered: bool = False  # a message to the client could not be delivered
    awaiting_delivery: bool = False  # a registered reply whose receipt is not recorded yet
    letters_to_post: bool = False


@dataclass(frozen=True)
class NextStep:
    advice: str  # French; shown through gettext
    actions: tuple[str, ...]  # action names, the first is the one to do


def _candidates(situation: Situation) -> list[tuple[str, tuple[str, ...]]]:
    """Advice and actions in order of precedence: the first whose actions the complaint can
    take wins."""
    status = situation.status
    steps: list[tuple[str, tuple[str, ...]]] = []
    if situation.undelivered:
        steps.append(
            (
                gettext_noop(
                    "Un message n'a pas été remis au client : corrigez son adresse, ou "
                    "joignez-le par un autre moyen."
                ),
                ("update_details",),
            )
        )
    if situation.letters_to_post:
        steps.append(
            (
                gettext_noop("Des courriers imprimés attendent d'être postés : notez leur envoi."),
                ("record_posting",),
            )
        )
    if status == Status.AWAITING_CONFIRMATION:
        if situation.client_answered:
            steps.append(
                (
                    gettext_noop(
                        "La confirmation écrite du client est arrivée : enregistrez-la, le délai "
                        "de réponse part de sa date."
                    ),
                    ("record_confirmation",),
                )
            )
        steps.append(
            (
                gettext_noop(
                    "En attente de la confirmation écrite du client : enregistrez-la dès "
                    "réception, ou redemandez-la."
                ),
                ("record_confirmation", "request_confirmation"),
            )
        )
    if status == Status.AWAITING_INFORMATION:
        if situation.client_answered:
            steps.append(
                (
                    gettext_noop(
                        "Le client a répondu à la demande d'informations : enregistrez ce qu'il "
                        "a apporté."
                    ),
                    ("record_information",),
                )
            )
        steps.append(
            (
                gettext_noop(
                    "En attente des informations demandées au client : enregistrez-les dès "
                    "réception."
                ),
                ("record_information", "send_progress"),
            )
        )
    if status == Status.INCOMPLETE:
        steps.append(
            (
                gettext_noop(
                    "Fiche incomplète : demandez au client ce qui manque, ou complétez la fiche."
                ),
                ("request_information", "update_details"),
            )
        )
    if status == Status.IN_PROGRESS:
        if not situation.acknowledged:
            steps.append(
                (
                    gettext_noop(
                        "Accusez réception au client : il apprend la date à laquelle il aura "
                        "sa réponse."
                    ),
                    ("send_acknowledgement", "reply"),
                )
            )
        steps.append(
            (
                gettext_noop(
                    "Analysez la réclamation, puis répondez au client : l'échéance est "
                    "rappelée ci-dessus."
                ),
                ("reply", "analyse_cause"),
            )
        )
    if status == Status.REPLIED:
        if situation.awaiting_delivery:
            steps.append(
                (
                    gettext_noop(
                        "Réponse envoyée en recommandé : enregistrez la date de distribution "
                        "dès le retour de l'avis de réception."
                    ),
                    ("record_delivery",),
                )
            )
        if situation.client_says_unresolved:
            steps.append(
                (
                    gettext_noop(
                        "Répondez à nouveau au client, ou clôturez en notant sa position."
                    ),
                    ("reply", "close"),
                )
            )
        steps.append(
            (
                gettext_noop(
                    "Réponse adressée au client : clôturez la réclamation une fois le "
                    "traitement terminé."
                ),
                ("close",),
            )
        )
    if status == Status.CLOSED:
        if situation.client_says_unresolved:
            steps.append(
                (
                    gettext_noop("Rouvrez la réclamation si l'avis du client le justifie."),
                    ("reopen",),
                )
            )
        steps.append(
            (
                gettext_noop("Médiation en cours : enregistrez son issue."),
                ("record_mediation_outcome",),
            )
        )
        steps.append(
            (
                gettext_noop("Contentieux en cours : enregistrez son issue."),
                ("record_litigation_outcome",),
            )
        )
    return steps


def next_step(situation: Situation, available: Collection[str]) -> NextStep | None:
    """The advice and the (at most two) actions for now; None when nothing is due (a closed
    complaint, an archived one)."""
    for advice, actions in _candidates(situation):
        offered = tuple(name for name in actions if name in available)[:2]
        if offered:
            return NextStep(advice=advice, actions=offered)
    return None
