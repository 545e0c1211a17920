"""Messages to the client on demand: the acknowledgement, and where the complaint stands; by
e-mail, or printed as a letter to post."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.actions.inputs import choice, day, long_text, text
from reclamations.complaints.actions.posting import (
    SENT_LETTER,
    ByChannel,
    check_channel,
    message_channel,
)
from reclamations.complaints.actions.spec import (
    ANY_STATUS,
    OPEN,
    OPEN_OR_REPLIED,
    STAYS,
    ActionSpec,
    Context,
    Plan,
    Refusal,
    Shown,
)
from reclamations.complaints.chronology import document_data
from reclamations.complaints.enums import DocumentRole, EventType, MessageChannel, Status
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.validation import Errors, lazy_message
from reclamations.core.localtime import local_zone
from reclamations.core.models import User

CHANNEL_SHOWN = Shown(_("Envoyé par"), dict(MessageChannel.choices))


@dataclass(frozen=True)
class SendAcknowledgementInput:
    """How it goes: the message is the organisation's acknowledgement, as shown."""

    channel: str = message_channel(gettext_noop("Envoyé par"))


def _plan_sending(context: Context, given: Any, errors: Errors) -> Plan:
    """A message and nothing else: sent as the input's channel says."""
    check_channel(context.complaint, given.channel, errors, "channel")
    return Plan(context.today, data={"channel": given.channel}, document_role=SENT_LETTER)


ACKNOWLEDGEMENT = ByChannel(ClientMessage.ACKNOWLEDGEMENT)


SEND_ACKNOWLEDGEMENT = ActionSpec(
    name="send_acknowledgement",
    label=_("Envoyer l'accusé de réception"),
    done=_("accusé de réception en file d'envoi."),
    intro=_(
        "L'accusé de réception ci-dessous part au client par e-mail dès la confirmation, ou "
        "s'imprime en lettre à poster ; il est conservé tel qu'envoyé."
    ),
    allowed_in=OPEN,
    # Reopened after its reply, a complaint is open again: "we will reply by..." is still false.
    refused_when=(
        Refusal(
            lambda state: state.replied,
            gettext_noop(
                "La réponse a déjà été adressée au client : un accusé de réception, qui annonce la "
                "date de la réponse, n'a plus lieu d'être."
            ),
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
    channel: str = message_channel(gettext_noop("Envoyé par"))
    note: str = long_text(
        gettext_noop("Précision ajoutée au message"),
        help=gettext_noop("Facultatif. Ajoutée au message sous l'état de la réclamation."),
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
    label=_("Informer le client de l'avancement"),
    done=_("point d'avancement en file d'envoi."),
    intro=_(
        "Répond à un client qui demande où en est sa réclamation : l'e-mail ci-dessous lui "
        "indique l'état et la date de réponse prévue."
    ),
    allowed_in=OPEN_OR_REPLIED,
    leads_to=STAYS,
    input=SendProgressInput,
    plan=_plan_progress,
    event=EventType.PROGRESS_QUEUED,
    shows={
        "note": Shown(_("Précision")),
        "channel": CHANNEL_SHOWN,
        "enclosures": Shown(_("Pièces jointes envoyées")),
    },
    encloses=gettext_noop("Pièces jointes à envoyer avec le message"),
    send=PROGRESS.send,
    prints=PROGRESS.prints,
    previews=ClientMessage.PROGRESS,
    composes=_progress_extra,
    typed_field="note",
)


@dataclass(frozen=True)
class SendClosureCertificateInput:
    """How it goes: the message is the organisation's certificate of closure, as shown."""

    channel: str = message_channel(gettext_noop("Envoyée par"))


CLOSURE = ByChannel(ClientMessage.CLOSURE)


SEND_CLOSURE_CERTIFICATE = ActionSpec(
    name="send_closure_certificate",
    label=_("Envoyer l'attestation de clôture"),
    done=_("attestation de clôture envoyée."),
    intro=_(
        "L'attestation dit au client que sa réclamation est close, et depuis quand ; elle "
        "part par e-mail ou s'imprime en lettre à poster, et reste dans le dossier."
    ),
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


def _letters_to_post(complaint: Complaint) -> list[tuple[str, str]]:
    """The letters the application printed for this complaint and nobody has posted yet."""
    posted = {
        str((data or {}).get("letter", {}).get("id", ""))
        for data in ComplaintEvent.objects.filter(
            complaint=complaint, event_type=EventType.LETTER_POSTED
        ).values_list("data", flat=True)
    }
    letters = Document.objects.filter(complaint=complaint, to_post=True).order_by(
        "created_at", "pk"
    )
    zone = local_zone(complaint.organisation)
    return [
        (
            str(letter.pk),
            gettext("%(name)s (imprimé le %(day)s)")
            % {
                "name": letter.original_name,
                "day": f"{letter.created_at.astimezone(zone):%d/%m/%Y}",
            },
        )
        for letter in letters
        if str(letter.pk) not in posted
    ]


def _first_letter_to_post(complaint: Complaint, actor: User | None) -> str:
    letters = _letters_to_post(complaint)
    return letters[0][0] if letters else ""


@dataclass(frozen=True)
class RecordPostingInput:
    letter: str = choice(
        gettext_noop("Courrier posté"),
        (),
        noun=gettext_noop("le courrier"),
        options=_letters_to_post,
        initial=_first_letter_to_post,
    )
    posted_on: date = day(gettext_noop("Posté le"))
    registered_number: str = text(
        gettext_noop("N° de lettre recommandée avec AR"),
        help=gettext_noop("Courrier recommandé : le numéro de l'envoi. Facultatif."),
        max_length=40,
    )


def _plan_posting(context: Context, given: RecordPostingInput, errors: Errors) -> Plan:
    complaint = context.complaint
    # The plan runs even when the choice was refused (every problem is reported at once): the
    # value is any text then, "abc" or 30 digits, which is no letter rather than a crash.
    letter = next(
        (
            doc
            for doc in Document.objects.filter(complaint=complaint)
            if str(doc.pk) == given.letter
        ),
        None,
    )
    if letter is None:
        return Plan(given.posted_on)  # the choice is already refused
    return posting_plan(complaint, letter, given, errors)


def posting_plan(
    complaint: Complaint, letter: Document, given: RecordPostingInput, errors: Errors
) -> Plan:
    """The posting of `letter`, found among the complaint's documents; reads nothing more (the
    benchmark's simulator plays it with its letters in memory)."""
    printed_on = letter.created_at.astimezone(local_zone(complaint.organisation)).date()
    if given.posted_on < printed_on:
        errors.add(
            "posted_on",
            lazy_message(
                _("Ce courrier a été imprimé le %(day)s : il n'a pu être posté avant."),
                day=f"{printed_on:%d/%m/%Y}",
            ),
        )
    number = " ".join(given.registered_number.split())
    updates: dict[str, Any] = {"letters_to_post": max(complaint.letters_to_post - 1, 0)}
    if number and letter.role == DocumentRole.REPLY_COPY:
        # The reply's own registered letter: its receipt can then be recorded.
        updates.update(reply_registered_number=number, reply_delivered_on=None)
    data: dict[str, Any] = {"letter": {"id": letter.pk, **document_data(letter)["document"]}}
    if number:
        data["registered_number"] = number
    return Plan(given.posted_on, updates=updates, data=data)


RECORD_POSTING = ActionSpec(
    name="record_posting",
    label=_("Enregistrer l'envoi d'un courrier"),
    done=_("envoi du courrier enregistré."),
    intro=_(
        "La preuve de l'envoi d'une lettre imprimée par l'application : le jour où elle a été "
        "postée et, pour un recommandé avec accusé de réception, son numéro."
    ),
    allowed_in=ANY_STATUS,
    refused_when=(
        Refusal(
            lambda state: not state.letters_to_post,
            gettext_noop("Aucun courrier imprimé n'attend d'être posté pour cette réclamation."),
        ),
    ),
    leads_to=STAYS,
    input=RecordPostingInput,
    plan=_plan_posting,
    event=EventType.LETTER_POSTED,
    shows={
        "letter": Shown(_("Courrier")),
        "registered_number": Shown(_("Lettre recommandée avec AR n°")),
    },
    records_changes=False,
)
