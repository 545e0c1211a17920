"""Messages to the client on demand: the acknowledgement, and where the complaint stands."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from reclamations.complaints.actions.inputs import long_text
from reclamations.complaints.actions.spec import (
    OPEN,
    OPEN_OR_REPLIED,
    STAYS,
    ActionSpec,
    Context,
    Plan,
    Refusal,
    Shown,
)
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.sending import send_to_client
from reclamations.complaints.validation import Errors


@dataclass(frozen=True)
class SendAcknowledgementInput:
    """Nothing to say: the message is the organisation's acknowledgement, as shown."""


def _plan_acknowledgement(
    context: Context, given: SendAcknowledgementInput, errors: Errors
) -> Plan:
    return Plan(context.today)


def _email_the_acknowledgement(
    complaint: Complaint, given: SendAcknowledgementInput
) -> dict[str, str]:
    return send_to_client(complaint, ClientMessage.ACKNOWLEDGEMENT)


SEND_ACKNOWLEDGEMENT = ActionSpec(
    name="send_acknowledgement",
    label="Envoyer l'accusé de réception",
    done="accusé de réception en file d'envoi.",
    intro="L'accusé de réception ci-dessous part par e-mail au client dès la confirmation ; il "
    "est conservé tel qu'envoyé dans la chronologie.",
    allowed_in=OPEN,
    # Reopened after its reply, a complaint is open again: "we will reply by..." is still false.
    refused_when=(
        Refusal(
            lambda state: state.replied,
            "La réponse a déjà été adressée au client : un accusé de réception, qui annonce la "
            "date de la réponse, n'a plus lieu d'être.",
        ),
    ),
    leads_to=STAYS,
    input=SendAcknowledgementInput,
    plan=_plan_acknowledgement,
    event=EventType.ACKNOWLEDGEMENT_QUEUED,
    send=_email_the_acknowledgement,
    needs_client_email=True,
    previews=ClientMessage.ACKNOWLEDGEMENT,
)


@dataclass(frozen=True)
class SendProgressInput:
    note: str = long_text(
        "Précision ajoutée au message",
        help="Facultatif. Ajoutée au message sous l'état de la réclamation.",
        rows=3,
    )


def _plan_progress(context: Context, given: SendProgressInput, errors: Errors) -> Plan:
    return Plan(context.today, data={"note": given.note})


def _progress_extra(values: Mapping[str, Any]) -> dict[str, str]:
    return {"progress_note": values.get("note") or ""}


def _email_the_progress(complaint: Complaint, given: SendProgressInput) -> dict[str, str]:
    return send_to_client(complaint, ClientMessage.PROGRESS, extra=_progress_extra(asdict(given)))


SEND_PROGRESS = ActionSpec(
    name="send_progress",
    label="Informer le client de l'avancement",
    done="point d'avancement en file d'envoi.",
    intro="Répond à un client qui demande où en est sa réclamation : l'e-mail ci-dessous lui "
    "indique l'état et la date de réponse prévue.",
    allowed_in=OPEN_OR_REPLIED,
    leads_to=STAYS,
    input=SendProgressInput,
    plan=_plan_progress,
    event=EventType.PROGRESS_QUEUED,
    shows={"note": Shown("Précision")},
    send=_email_the_progress,
    needs_client_email=True,
    previews=ClientMessage.PROGRESS,
    composes=_progress_extra,
)
