"""The messages the complaint domain sends to clients, and what each is for."""

from django.db import models
from django.utils.translation import gettext_noop

from reclamations.complaints.enums import DocumentRole


class ClientMessage(models.TextChoices):
    """Kinds of message to the client (outbox kind names), in the order of a complaint's life."""

    ACKNOWLEDGEMENT = "acknowledgement", gettext_noop("Accusé de réception")
    CONFIRMATION_REQUEST = "confirmation_request", gettext_noop("Demande de confirmation écrite")
    INFORMATION_REQUEST = (
        "information_request",
        gettext_noop("Demande d'informations complémentaires"),
    )
    PROGRESS = "progress", gettext_noop("Point d'avancement")
    REPLY = "reply", gettext_noop("Réponse")
    CLOSURE = "closure", gettext_noop("Attestation de clôture")


# What the chronology says once a message is queued: "<label> en file d'envoi pour <address>",
# in French as the chain keeps it; a page reads it in its language (event_reading.queued_text).
QUEUED = gettext_noop("%(what)s en file d'envoi pour %(to)s")
QUEUED_LABELS: dict[str, str] = {
    ClientMessage.ACKNOWLEDGEMENT: gettext_noop("accusé de réception"),
    ClientMessage.CONFIRMATION_REQUEST: gettext_noop("demande de confirmation écrite"),
    ClientMessage.INFORMATION_REQUEST: gettext_noop("demande d'informations"),
    ClientMessage.PROGRESS: gettext_noop("point d'avancement"),
    ClientMessage.REPLY: gettext_noop("réponse"),
    ClientMessage.CLOSURE: gettext_noop("attestation de clôture"),
}

# Shown to managers next to each template: when the product sends it (French, translated by
# the page that shows it, as the labels above).
WHEN_SENT: dict[str, str] = {
    ClientMessage.ACKNOWLEDGEMENT: gettext_noop(
        "À l'enregistrement d'une réclamation reçue par e-mail, "
        "formulaire web ou API ; sur demande (action « Envoyer l'accusé de réception ») sinon."
    ),
    ClientMessage.CONFIRMATION_REQUEST: gettext_noop(
        "À l'enregistrement d'une réclamation téléphonique dont "
        "la confirmation écrite est demandée par e-mail."
    ),
    ClientMessage.INFORMATION_REQUEST: gettext_noop(
        "Quand une demande d'informations complémentaires est envoyée par e-mail."
    ),
    ClientMessage.PROGRESS: gettext_noop(
        "Sur demande (action « Informer le client de l'avancement »), quand "
        "le client demande où en est sa réclamation."
    ),
    ClientMessage.REPLY: gettext_noop(
        "Quand la réponse est envoyée par e-mail : le texte saisi par le ou la "
        "référent·e, suivi des voies de recours adaptées au client."
    ),
    ClientMessage.CLOSURE: gettext_noop(
        "Sur demande, une fois la réclamation close (action « Envoyer "
        "l'attestation de clôture »), par e-mail ou en lettre imprimée."
    ),
}


def copy_role(kind: str) -> str:
    """The role of the copy kept once sent: the register keeps "a copy of the reply"."""
    return DocumentRole.REPLY_COPY if kind == ClientMessage.REPLY else DocumentRole.SENT_MESSAGE
