"""Waiting for the client: additional information, and the written confirmation of a phone call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.core.files.base import File
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from reclamations.complaints.actions.inputs import choice, day, long_text, text
from reclamations.complaints.actions.posting import (
    SENT_LETTER,
    ByChannel,
    check_channel,
    message_channel,
    names_of,
)
from reclamations.complaints.actions.spec import (
    STAYS,
    ActionSpec,
    Context,
    DocumentSlot,
    Plan,
    Shown,
)
from reclamations.complaints.deadlines import extend_for_suspension
from reclamations.complaints.enums import (
    RECEPTION_CHANNELS,
    DocumentRole,
    EventType,
    RequestChannel,
    Status,
)
from reclamations.complaints.fields import COMPLETABLE_FIELDS, max_length
from reclamations.complaints.models import Complaint, Document
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.letter import letter_file, letter_problems
from reclamations.complaints.notifications.sending import send_to_client
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.validation import Errors, lazy_message
from reclamations.complaints.workflow import Next
from reclamations.core.languages import FRENCH

COMPLETE_HELP = gettext_noop(
    "À compléter si le client les a fournis ; laissé vide, la fiche reste inchangée."
)
REQUEST_CHANNELS = Shown(_("Envoyée par"), dict(RequestChannel.choices))


def missing_now(complaint: Complaint) -> str:
    """What the record lacks, to start the request with (in the client's language, since the
    request goes to them): "Compte client." or ""."""
    with translation.override(complaint.client_language or FRENCH):
        missing = complaint.missing_fields
    return f"{', '.join(missing)}.".capitalize() if missing else ""


@dataclass(frozen=True)
class RequestInformationInput:
    missing: str = long_text(
        gettext_noop("Informations manquantes"),
        required=gettext_noop("Précisez les informations qui manquent."),
        rows=3,
        initial=lambda complaint, actor: missing_now(complaint),
    )
    sent_via: str = choice(
        gettext_noop("Demande envoyée par"),
        RequestChannel.choices,
        noun=gettext_noop("le moyen d'envoi"),
        initial=RequestChannel.EMAIL,
    )
    sent_on: date = day(gettext_noop("Demande envoyée le"))
    message: str = long_text(
        gettext_noop("Message envoyé au client"), help=gettext_noop("Facultatif."), rows=5
    )


def _plan_request(context: Context, given: RequestInformationInput, errors: Errors) -> Plan:
    if given.sent_via == RequestChannel.LETTER and not context.has_document:
        for problem in letter_problems(context.complaint):
            errors.add("sent_via", problem)
    if context.enclosures and given.sent_via not in (RequestChannel.EMAIL, RequestChannel.LETTER):
        errors.add(
            "enclosures",
            _(
                "Les pièces jointes partent avec la demande envoyée par e-mail ou imprimée en "
                "lettre : choisissez l'un de ces moyens, ou retirez les fichiers."
            ),
        )
    if context.enclosures and given.sent_via == RequestChannel.LETTER and context.has_document:
        errors.add(
            "enclosures",
            _(
                "Une copie de la lettre est jointe : la lettre n'est pas imprimée ici, les pièces "
                "jointes n'y seraient pas mentionnées. Retirez la copie ou les fichiers."
            ),
        )
    return Plan(
        given.sent_on,
        updates={"information_requested_on": given.sent_on},
        data={"missing": given.missing, "sent_via": given.sent_via, "message": given.message},
        document_role=SENT_LETTER,
    )


def _request_extra(values: Mapping[str, Any]) -> dict[str, str]:
    return {
        "missing_information": values.get("missing") or "",
        "request_message": values.get("message") or "",
    }


def _email_the_request(
    complaint: Complaint, given: RequestInformationInput, enclosed: Sequence[Document]
) -> dict[str, str]:
    if given.sent_via != RequestChannel.EMAIL:
        return {}
    return send_to_client(
        complaint,
        ClientMessage.INFORMATION_REQUEST,
        extra=_request_extra(asdict(given)),
        enclosed=enclosed,
    )


def _print_the_request(
    complaint: Complaint, given: RequestInformationInput, enclosed: Sequence[Document]
) -> File[bytes] | None:
    if given.sent_via != RequestChannel.LETTER:
        return None
    return letter_file(
        complaint,
        ClientMessage.INFORMATION_REQUEST,
        dated=given.sent_on,
        extra=_request_extra(asdict(given)),
        enclosed=names_of(enclosed),
    )


REQUEST_INFORMATION = ActionSpec(
    name="request_information",
    label=_("Demander des informations complémentaires"),
    done=_("demande d'informations enregistrée."),
    intro=_(
        "La réclamation passe « en attente d'informations ». Indiquez ce qui manque et "
        "comment la demande a été envoyée au client."
    ),
    allowed_in=frozenset({Status.INCOMPLETE, Status.IN_PROGRESS, Status.AWAITING_CONFIRMATION}),
    leads_to=Status.AWAITING_INFORMATION,
    input=RequestInformationInput,
    plan=_plan_request,
    event=EventType.INFORMATION_REQUESTED,
    shows={
        "missing": Shown(_("Informations manquantes")),
        "sent_via": REQUEST_CHANNELS,
        "message": Shown(_("Message")),
        "enclosures": Shown(_("Pièces jointes envoyées")),
    },
    encloses=gettext_noop("Pièces jointes à envoyer avec la demande"),
    send=_email_the_request,
    prints=_print_the_request,
    previews=ClientMessage.INFORMATION_REQUEST,
    composes=_request_extra,
    typed_field="message",
)


def _completion(label: str, name: str, *, long: bool = False) -> Any:
    if long:
        return long_text(label, help=COMPLETE_HELP)
    return text(label, help=COMPLETE_HELP, max_length=max_length(name))


def _completed(given: object) -> dict[str, str]:
    """The registration fields the client's answer fills in (only those given)."""
    values = {name: getattr(given, name) for name in COMPLETABLE_FIELDS}
    return {name: value for name, value in values.items() if value}


@dataclass(frozen=True)
class RecordInformationInput:
    received_on: date = day(gettext_noop("Informations reçues le"))
    summary: str = long_text(
        gettext_noop("Résumé des informations reçues"),
        required=gettext_noop("Résumez les informations reçues du client."),
        rows=3,
    )
    client_name: str = _completion(gettext_noop("Nom du client"), "client_name")
    client_account: str = _completion(gettext_noop("Compte client concerné"), "client_account")
    description: str = _completion(
        gettext_noop("Description de la réclamation"), "description", long=True
    )


def _plan_record_information(
    context: Context, given: RecordInformationInput, errors: Errors
) -> Plan:
    complaint = context.complaint
    updates: dict[str, Any] = {**_completed(given), "information_requested_on": None}
    requested_on = complaint.information_requested_on
    policy = deadline_policy(complaint.organisation)
    if requested_on and given.received_on < requested_on:
        errors.add(
            "received_on",
            lazy_message(
                _("Cette date précède la demande d'informations (%(day)s)."),
                day=f"{requested_on:%d/%m/%Y}",
            ),
        )
    elif policy.suspend_while_awaiting_information and complaint.due_date and requested_on:
        updates["due_date"] = extend_for_suspension(
            complaint.due_date,
            suspended_from=requested_on,
            suspended_to=given.received_on,
            calendar=policy.calendar,
            carry_saturday=policy.carry_saturday,
        )
    return Plan(given.received_on, updates=updates, data={"summary": given.summary})


RECORD_INFORMATION = ActionSpec(
    name="record_information",
    label=_("Enregistrer les informations reçues"),
    done=_("informations reçues enregistrées."),
    intro=_("Enregistrez la réponse du client à la demande d'informations complémentaires."),
    allowed_in=frozenset({Status.AWAITING_INFORMATION}),
    leads_to=Next.TREATMENT,
    input=RecordInformationInput,
    plan=_plan_record_information,
    event=EventType.INFORMATION_RECEIVED,
    shows={"summary": Shown(_("Résumé"))},
    document=DocumentSlot(gettext_noop("Réponse du client (fichier)"), DocumentRole.INFORMATION),
)


@dataclass(frozen=True)
class RecordConfirmationInput:
    received_on: date = day(gettext_noop("Confirmation reçue le"))
    via: str = choice(
        gettext_noop("Reçue par"),
        RECEPTION_CHANNELS,
        noun=gettext_noop("le moyen de réception"),
        default=RequestChannel.EMAIL,
    )
    summary: str = long_text(
        gettext_noop("Résumé de la confirmation"), help=gettext_noop("Facultatif."), rows=3
    )
    client_name: str = _completion(gettext_noop("Nom du client"), "client_name")
    client_account: str = _completion(gettext_noop("Compte client concerné"), "client_account")
    description: str = _completion(
        gettext_noop("Description de la réclamation"), "description", long=True
    )


def _plan_record_confirmation(
    context: Context, given: RecordConfirmationInput, errors: Errors
) -> Plan:
    complaint = context.complaint
    updates: dict[str, Any] = {**_completed(given), "confirmation_pending": False}
    if complaint.clock_started_on is None:
        # The organisation starts the clock of a phone complaint at its written confirmation.
        updates["clock_started_on"] = given.received_on
        updates["due_date"] = deadline_policy(complaint.organisation).due_date_for(
            given.received_on
        )
    return Plan(
        given.received_on, updates=updates, data={"via": given.via, "summary": given.summary}
    )


RECORD_CONFIRMATION = ActionSpec(
    name="record_confirmation",
    label=_("Enregistrer la confirmation écrite"),
    done=_("confirmation écrite enregistrée."),
    intro=_("Enregistrez la confirmation écrite de la réclamation téléphonique."),
    allowed_in=frozenset({Status.AWAITING_CONFIRMATION}),
    leads_to=Next.TREATMENT,
    input=RecordConfirmationInput,
    plan=_plan_record_confirmation,
    event=EventType.CONFIRMATION_RECEIVED,
    shows={"via": Shown(_("Reçue par"), dict(RECEPTION_CHANNELS)), "summary": Shown(_("Résumé"))},
    document=DocumentSlot(gettext_noop("Confirmation écrite (fichier)"), DocumentRole.CONFIRMATION),
)


@dataclass(frozen=True)
class RequestConfirmationInput:
    """How it goes: the message is the organisation's request for written confirmation."""

    channel: str = message_channel(gettext_noop("Envoyée par"))


def _plan_request_confirmation(
    context: Context, given: RequestConfirmationInput, errors: Errors
) -> Plan:
    check_channel(context.complaint, given.channel, errors, "channel")
    return Plan(context.today, data={"sent_via": given.channel}, document_role=SENT_LETTER)


CONFIRMATION_REQUEST = ByChannel(ClientMessage.CONFIRMATION_REQUEST)


REQUEST_CONFIRMATION = ActionSpec(
    name="request_confirmation",
    label=_("Demander la confirmation écrite"),
    done=_("demande de confirmation écrite enregistrée."),
    intro=_(
        "La procédure demande qu'une réclamation reçue par téléphone soit confirmée par écrit : "
        "la demande ci-dessous part par e-mail, ou s'imprime en lettre à poster (un client sans "
        "adresse e-mail), et reste dans le dossier. À refaire pour relancer le client."
    ),
    allowed_in=frozenset({Status.AWAITING_CONFIRMATION}),
    leads_to=STAYS,
    input=RequestConfirmationInput,
    plan=_plan_request_confirmation,
    event=EventType.CONFIRMATION_REQUESTED,
    # "letter": why the request chosen by post at registration could not be printed.
    shows={"sent_via": REQUEST_CHANNELS, "letter": Shown(_("Lettre"))},
    send=CONFIRMATION_REQUEST.send,
    prints=CONFIRMATION_REQUEST.prints,
    previews=ClientMessage.CONFIRMATION_REQUEST,
)
