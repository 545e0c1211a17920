"""Deciding: the reply to the client, the closure, a request found not admissible, reopening."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import partial
from typing import Any

from django.core.files.base import File
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.actions.inputs import choice, day, long_text, text
from reclamations.complaints.actions.posting import names_of
from reclamations.complaints.actions.spec import (
    AFTER_REPLY,
    OPEN,
    OPEN_OR_REPLIED,
    STAYS,
    ActionSpec,
    Context,
    DocumentSlot,
    Plan,
    Refusal,
    Shown,
)
from reclamations.complaints.enums import (
    DECIDED_OUTCOME_CHOICES,
    ClientAcceptance,
    DocumentRole,
    EventType,
    Kind,
    Outcome,
    ReplyChannel,
    Status,
)
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.notifications.formulas import doubled_formulas
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.letter import letter_file, letter_problems
from reclamations.complaints.notifications.sending import NO_ADDRESS_MESSAGE, send_to_client
from reclamations.complaints.notifications.wording import (
    recourse_settings,
    render_client_message,
)
from reclamations.complaints.recourse import (
    recourse_notices,
    recourse_refusal,
    unlisted_mediator_refusal,
)
from reclamations.complaints.validation import Errors, lazy_message
from reclamations.complaints.workflow import Next
from reclamations.core.models import User
from reclamations.core.roles import can_manage

NOTHING_TO_EMAIL = "aucun texte de réponse saisi : rien n'est envoyé"
ENCLOSURES_NEED_A_MESSAGE = _(
    "Les pièces jointes partent avec la réponse écrite ici, par e-mail ou en lettre imprimée : "
    "saisissez le texte et choisissez l'un de ces canaux, ou retirez les fichiers (une copie "
    "envoyée autrement se joint dans « Copie de la réponse envoyée »)."
)
REPLY_CHANNEL_BY_COMPLAINT_CHANNEL = {
    "letter": ReplyChannel.LETTER,
    "phone": ReplyChannel.PHONE_CONFIRMED,
}


# The replies the composer sends by e-mail, and those it prints as a letter to post.
BY_EMAIL = frozenset({ReplyChannel.EMAIL, ReplyChannel.EMAIL_AND_LETTER})
BY_LETTER = frozenset({ReplyChannel.LETTER, ReplyChannel.EMAIL_AND_LETTER})


def _said_in_reader_language(refusal: Callable[..., str]) -> str:
    return refusal(translate=gettext)


# A refusal of the pure recourse rules, worded when it is read (in the page's language).
_read_when_shown = lazy(_said_in_reader_language, str)


def _flag_lifted(complaint: Complaint) -> dict[str, Any]:
    """A complaint the client said was not resolved is flagged until staff reply again,
    reopen it or close it again."""
    return {"client_says_unresolved": False} if complaint.client_says_unresolved else {}


def _reply_channel_like_the_complaint(complaint: Complaint, actor: User | None) -> str:
    return REPLY_CHANNEL_BY_COMPLAINT_CHANNEL.get(complaint.channel, ReplyChannel.EMAIL)


@dataclass(frozen=True)
class ReplyInput:
    replied_on: date = day(gettext_noop("Réponse envoyée le"))
    channel: str = choice(
        gettext_noop("Canal de la réponse"),
        ReplyChannel.choices,
        noun=gettext_noop("le canal de la réponse"),
        initial=_reply_channel_like_the_complaint,
        help=gettext_noop(
            "E-mail : le message part au client. Courrier : la lettre est imprimée en PDF à "
            "partir du texte, à poster, et gardée comme copie (sauf si vous joignez la copie "
            "envoyée). E-mail et courrier : les deux, avec les mêmes mots."
        ),
    )
    registered_number: str = text(
        gettext_noop("N° de lettre recommandée avec AR"),
        help=gettext_noop(
            "Courrier recommandé : le numéro de l'envoi, pour enregistrer ensuite l'avis de "
            "réception. Facultatif."
        ),
        max_length=40,
    )
    resolution: str = long_text(
        gettext_noop("Résolution retenue"),
        required=gettext_noop("Décrivez la résolution retenue."),
        rows=4,
    )
    outcome: str = choice(
        gettext_noop("Issue annoncée au client"),
        DECIDED_OUTCOME_CHOICES,
        blank=gettext_noop("Non précisée"),
        invalid=gettext_noop(
            "Choisissez l'issue annoncée parmi : entièrement satisfaite, partiellement "
            "satisfaite, rejetée (ou laissez vide)."
        ),
        help=gettext_noop(
            "Pour une réponse par e-mail à un consommateur, le médiateur est indiqué sauf si "
            "la réclamation est entièrement satisfaite ; le tribunal compétent n'est indiqué "
            "qu'à un client professionnel."
        ),
    )
    text: str = long_text(
        gettext_noop("Texte de la réponse"),
        help=gettext_noop(
            "Le corps de la réponse seulement : le message ajoute la formule d'appel, les "
            "voies de recours et la signature (« Prévisualiser » montre ce qui partira). Ou "
            "joignez ci-dessous la copie de la réponse envoyée autrement."
        ),
        rows=8,
    )


def _reply_extra(values: Mapping[str, Any]) -> dict[str, str]:
    """What the reply's wording takes from the composer: the typed text and the outcome (which
    decides the recourse stated)."""
    return {"reply_text": values.get("text") or "", "outcome": values.get("outcome") or ""}


def _reply_notices(complaint: Complaint, values: Mapping[str, Any]) -> list[str]:
    return recourse_notices(
        client_type=complaint.client_type,
        outcome=values.get("outcome") or "",
        settings=recourse_settings(complaint.organisation),
        translate=gettext,
    )


def _plan_reply(context: Context, given: ReplyInput, errors: Errors) -> Plan:
    complaint = context.complaint
    first = complaint.first_replied_on or given.replied_on
    on_time = complaint.due_date is None or first <= complaint.due_date
    if not given.text and not context.has_document:
        errors.add("text", _("Saisissez le texte de la réponse ou joignez la copie envoyée."))
    letter = given.channel in BY_LETTER and not context.has_document
    registered_number = " ".join(given.registered_number.split())
    if registered_number and given.channel not in BY_LETTER:
        errors.add(
            "registered_number",
            _(
                "Un numéro de recommandé ne va qu'avec une réponse par courrier : choisissez le "
                "canal « Courrier » ou effacez le numéro."
            ),
        )
    if given.channel == ReplyChannel.EMAIL_AND_LETTER and not complaint.client_email:
        errors.add("channel", NO_ADDRESS_MESSAGE)
    if given.text and letter:
        for problem in letter_problems(complaint):
            errors.add("channel", problem)
    composed = bool(given.text) and (given.channel in BY_EMAIL or letter)
    if context.enclosures and not composed:
        errors.add("enclosures", ENCLOSURES_NEED_A_MESSAGE)
    if context.enclosures and given.channel == ReplyChannel.EMAIL and not complaint.client_email:
        errors.add("enclosures", NO_ADDRESS_MESSAGE)
    if composed:
        wording = render_client_message(
            complaint, ClientMessage.REPLY, extra=_reply_extra({"outcome": given.outcome})
        )
        for problem in doubled_formulas(given.text, wording.body):
            errors.add("text", problem)
        settings = recourse_settings(complaint.organisation)
        by_manager = context.actor is not None and can_manage(context.actor.role)
        for refusal in (
            partial(
                recourse_refusal,
                client_type=complaint.client_type,
                outcome=given.outcome,
                settings=settings,
            ),
            partial(
                unlisted_mediator_refusal,
                client_type=complaint.client_type,
                outcome=given.outcome,
                settings=settings,
                by_manager=by_manager,
            ),
        ):
            if refusal():
                errors.add("outcome", _read_when_shown(refusal))
    data: dict[str, Any] = {
        "text": given.text,
        "due_date": complaint.due_date.isoformat() if complaint.due_date else None,
        "on_time": on_time,
    }
    if given.outcome:
        data["announced_outcome"] = given.outcome
    if registered_number:
        data["registered_number"] = registered_number
    updates: dict[str, Any] = {
        "resolution": given.resolution,
        "replied_on": given.replied_on,
        "first_replied_on": first,
        "reply_channel": given.channel,
        "replied_on_time": on_time,
        **_flag_lifted(complaint),
    }
    if registered_number or complaint.reply_registered_number or complaint.reply_delivered_on:
        # A new reply is a new sending: its own number, and no receipt yet.
        updates.update(reply_registered_number=registered_number, reply_delivered_on=None)
    return Plan(given.replied_on, updates=updates, data=data)


def _email_the_reply(
    complaint: Complaint, given: ReplyInput, enclosed: Sequence[Document]
) -> dict[str, str]:
    if given.channel not in BY_EMAIL:
        return {}
    if not given.text:
        return {"email": NOTHING_TO_EMAIL}
    return send_to_client(
        complaint, ClientMessage.REPLY, extra=_reply_extra(asdict(given)), enclosed=enclosed
    )


def _print_the_reply(
    complaint: Complaint, given: ReplyInput, enclosed: Sequence[Document]
) -> File[bytes] | None:
    """The reply by post: the letter printed from the text, kept as the copy of the reply."""
    if given.channel not in BY_LETTER or not given.text:
        return None
    return letter_file(
        complaint,
        ClientMessage.REPLY,
        dated=given.replied_on,
        extra=_reply_extra(asdict(given)),
        enclosed=names_of(enclosed),
    )


REPLY = ActionSpec(
    name="reply",
    label=_("Répondre au client"),
    done=_("réponse enregistrée."),
    intro=_("La date de la première réponse décide si la réclamation a été traitée dans le délai."),
    allowed_in=OPEN_OR_REPLIED,
    leads_to=Status.REPLIED,
    input=ReplyInput,
    plan=_plan_reply,
    event=EventType.REPLIED,
    shows={
        "due_date": Shown(_("Échéance")),
        "text": Shown(_("Texte")),
        "on_time": Shown(_("Délai")),
        "announced_outcome": Shown(_("Issue annoncée au client"), dict(Outcome.choices)),
        "registered_number": Shown(_("Lettre recommandée avec AR n°")),
        "enclosures": Shown(_("Pièces jointes envoyées")),
    },
    document=DocumentSlot(gettext_noop("Copie de la réponse envoyée"), DocumentRole.REPLY_COPY),
    encloses=gettext_noop("Pièces jointes à envoyer avec la réponse"),
    send=_email_the_reply,
    previews=ClientMessage.REPLY,
    composes=_reply_extra,
    typed_field="text",
    notices=_reply_notices,
    prints=_print_the_reply,
)


def _outcome_announced_in_the_reply(complaint: Complaint, actor: User | None) -> str:
    """What the last reply told the client ("" when it did not say): the closure records it."""
    data = (
        ComplaintEvent.objects.filter(complaint=complaint, event_type=EventType.REPLIED)
        .order_by("-sequence")
        .values_list("data", flat=True)
        .first()
    )
    return str((data or {}).get("announced_outcome", ""))


@dataclass(frozen=True)
class RecordDeliveryInput:
    delivered_on: date = day(gettext_noop("Distribuée au client le"))


def _plan_delivery(context: Context, given: RecordDeliveryInput, errors: Errors) -> Plan:
    replied_on = context.complaint.replied_on
    if replied_on and given.delivered_on < replied_on:
        errors.add(
            "delivered_on",
            lazy_message(
                _(
                    "Cette date précède l'envoi de la réponse (%(day)s) : reprenez la date "
                    "portée sur l'avis de réception."
                ),
                day=f"{replied_on:%d/%m/%Y}",
            ),
        )
    return Plan(
        given.delivered_on,
        updates={"reply_delivered_on": given.delivered_on},
        data={"registered_number": context.complaint.reply_registered_number},
    )


RECORD_DELIVERY = ActionSpec(
    name="record_delivery",
    label=_("Enregistrer l'avis de réception"),
    done=_("avis de réception de la réponse enregistré."),
    intro=_(
        "La date de distribution portée sur l'avis de réception prouve que la réponse par "
        "lettre recommandée est parvenue au client ; joignez le scan de l'avis si vous l'avez."
    ),
    allowed_in=AFTER_REPLY,
    refused_when=(
        Refusal(
            lambda state: not state.awaiting_delivery,
            gettext_noop(
                "Aucune réponse par lettre recommandée n'attend son avis de réception (sans "
                "numéro de recommandé, ou avis déjà enregistré)."
            ),
        ),
    ),
    leads_to=STAYS,
    input=RecordDeliveryInput,
    plan=_plan_delivery,
    event=EventType.DELIVERY_RECORDED,
    shows={"registered_number": Shown(_("Lettre recommandée n°"))},
    document=DocumentSlot(gettext_noop("Scan de l'avis de réception"), DocumentRole.ATTACHMENT),
)


@dataclass(frozen=True)
class CloseInput:
    outcome: str = choice(
        gettext_noop("Issue"),
        DECIDED_OUTCOME_CHOICES,
        radio=True,
        initial=_outcome_announced_in_the_reply,
        invalid=gettext_noop(
            "Choisissez l'issue : satisfaite, partiellement satisfaite ou rejetée."
        ),
    )
    closed_on: date = day(gettext_noop("Clôturée le"))
    client_acceptance: str = choice(
        gettext_noop("Position du client"),
        ClientAcceptance.choices,
        noun=gettext_noop("la position du client"),
        default=ClientAcceptance.UNKNOWN,
        initial=lambda complaint, actor: complaint.client_acceptance,  # as the client said
    )
    comment: str = long_text(gettext_noop("Commentaire"), help=gettext_noop("Facultatif."), rows=3)


def _plan_close(context: Context, given: CloseInput, errors: Errors) -> Plan:
    replied_on = context.complaint.replied_on
    if replied_on and given.closed_on < replied_on:
        errors.add(
            "closed_on",
            lazy_message(
                _("Cette date précède la réponse au client (%(day)s)."),
                day=f"{replied_on:%d/%m/%Y}",
            ),
        )
    return Plan(
        given.closed_on,
        updates={
            "outcome": given.outcome,
            "closed_on": given.closed_on,
            "client_acceptance": given.client_acceptance,
            **_flag_lifted(context.complaint),
        },
        data={"comment": given.comment},
    )


CLOSE = ActionSpec(
    name="close",
    label=_("Clôturer"),
    done=_("réclamation clôturée."),
    intro=_("La clôture enregistre l'issue de la réclamation et la position du client."),
    allowed_in=frozenset({Status.REPLIED}),
    leads_to=Status.CLOSED,
    input=CloseInput,
    plan=_plan_close,
    event=EventType.CLOSED,
    shows={"comment": Shown(_("Commentaire"))},
)


@dataclass(frozen=True)
class DeclareNotAdmissibleInput:
    reason: str = long_text(
        gettext_noop("Motif de non-recevabilité"),
        required=gettext_noop("Indiquez pourquoi la demande n'est pas une réclamation recevable."),
        rows=3,
    )


def _plan_not_admissible(
    context: Context, given: DeclareNotAdmissibleInput, errors: Errors
) -> Plan:
    return Plan(
        context.today,
        updates={
            "kind": Kind.NOT_ADMISSIBLE,
            "not_admissible_reason": given.reason,
            "outcome": Outcome.NOT_ADMISSIBLE,
            "closed_on": context.today,
            "confirmation_pending": False,
        },
        data={"reason": given.reason},
    )


DECLARE_NOT_ADMISSIBLE = ActionSpec(
    name="declare_not_admissible",
    label=_("Déclarer non recevable"),
    done=_("réclamation déclarée non recevable."),
    intro=_(
        "Une demande qui n'est pas une réclamation (par exemple une simple demande "
        "d'information) est close comme non recevable ; elle reste au registre avec son motif."
    ),
    allowed_in=OPEN,
    leads_to=Status.CLOSED,
    input=DeclareNotAdmissibleInput,
    plan=_plan_not_admissible,
    event=EventType.DECLARED_NOT_ADMISSIBLE,
    shows={"reason": Shown(_("Motif"))},
)


@dataclass(frozen=True)
class ReopenInput:
    reason: str = long_text(
        gettext_noop("Motif de la réouverture"),
        required=gettext_noop("Indiquez pourquoi la réclamation est rouverte."),
        rows=3,
    )


def _plan_reopen(context: Context, given: ReopenInput, errors: Errors) -> Plan:
    updates: dict[str, Any] = {"outcome": "", "closed_on": None, **_flag_lifted(context.complaint)}
    if context.complaint.kind == Kind.NOT_ADMISSIBLE:
        # Reopened, it is a complaint again: its treatment starts over.
        updates.update(kind=Kind.COMPLAINT, not_admissible_reason="")
    return Plan(context.today, updates=updates, data={"reason": given.reason})


REOPEN = ActionSpec(
    name="reopen",
    label=_("Rouvrir"),
    done=_("réclamation rouverte."),
    intro=_("La réclamation revient en traitement ; sa chronologie est conservée."),
    allowed_in=frozenset({Status.CLOSED}),
    leads_to=Next.TREATMENT,
    input=ReopenInput,
    plan=_plan_reopen,
    event=EventType.REOPENED,
    shows={"reason": Shown(_("Motif"))},
)
