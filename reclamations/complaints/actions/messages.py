"""Messages to the client on demand: the acknowledgement, and where the complaint stands; by
e-mail, or printed as a letter to post."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reclamations.complaints.actions.inputs import long_text
from reclamations.complaints.actions.posting import (
    SENT_LETTER,
    ByChannel,
    check_channel,
    message_channel,
)
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
from reclamations.complaints.enums import EventType, MessageChannel, Status
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.validation import Errors

CHANNEL_SHOWN = Shown("Envoyé par", dict(MessageChannel.choices))


@dataclass(frozen=True)
class SendAcknowledgementInput:
    """How it goes: the message is the organisation's acknowledgement, as shown."""

    channel: str = message_channel("Envoyé par")


def _plan_sending(context: Context, given: Any, errors: Errors) -> Plan:
    """A message and nothing else: sent as the input's channel says."""
    check_channel(context.complaint, given.channel, errors, "channel")
    return Plan(context.today, data={"channel": given.channel}, document_role=SENT_LETTER)


ACKNOWLEDGEMENT = ByChannel(ClientMessage.ACKNOWLEDGEMENT)


SEND_ACKNOWLEDGEMENT = ActionSpec(
    name="send_acknowledgement",
    label="Envoyer l'accusé de réception",
    done="accusé de réception en file d'envoi.",
    intro="L'accusé de réception ci-dessous part au client par e-mail dès la confirmation, ou "
    "s'imprime en lettre à poster ; il est conservé tel qu'envoyé.",
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
    plan=_plan_sending,
    event=EventType.ACKNOWLEDGEMENT_QUEUED,
    shows={"channel": CHANNEL_SHOWN},
    send=ACKNOWLEDGEMENT.send,
    prints=ACKNOWLEDGEMENT.prints,
    previews=ClientMessage.ACKNOWLEDGEMENT,
)


@dataclass(frozen=True)
class SendProgressInput:
    channel: str = message_channel("Envoyé par")
    note: str = long_text(
        "Précision ajoutée au message",
        help="Facultatif. Ajoutée au message sous l'état de la réclamation.",
        rows=3,
    )


def _plan_progress(context: Context, given: SendProgressInput, errors: Errors) -> Plan:
    check_channel(context.complaint, given.channel, errors, "channel")
    return Plan(
        context.today,
        data={"note": given.note, "channel": given.channel},
        document_role=SENT_LETTER,
    )


def _progress_extra(values: Mapping[str, Any]) -> dict[str, str]:
    return {"progress_note": values.get("note") or ""}


PROGRESS = ByChannel(ClientMessage.PROGRESS, _progress_extra)


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
    shows={"note": Shown("Précision"), "channel": CHANNEL_SHOWN},
    send=PROGRESS.send,
    prints=PROGRESS.prints,
    previews=ClientMessage.PROGRESS,
    composes=_progress_extra,
    typed_field="note",
)


@dataclass(frozen=True)
class SendClosureCertificateInput:
    """How it goes: the message is the organisation's certificate of closure, as shown."""

    channel: str = message_channel("Envoyée par")


CLOSURE = ByChannel(ClientMessage.CLOSURE)


SEND_CLOSURE_CERTIFICATE = ActionSpec(
    name="send_closure_certificate",
    label="Envoyer l'attestation de clôture",
    done="attestation de clôture envoyée.",
    intro="L'attestation dit au client que sa réclamation est close, et depuis quand ; elle "
    "part par e-mail ou s'imprime en lettre à poster, et reste dans le dossier.",
    allowed_in=frozenset({Status.CLOSED}),
    leads_to=STAYS,
    input=SendClosureCertificateInput,
    plan=_plan_sending,
    event=EventType.CLOSURE_CERTIFICATE,
    shows={"channel": CHANNEL_SHOWN},
    send=CLOSURE.send,
    prints=CLOSURE.prints,
    previews=ClientMessage.CLOSURE,
)
