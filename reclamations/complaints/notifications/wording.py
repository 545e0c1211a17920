"""The wording of messages to clients: built-in French defaults (English ones in
notifications.english), the fixed context every template may use, and what each kind must say.
Managers change the wording of each language on "Modèles de messages"; the outbox stores and
renders it (outbox.templates).

A message is written in the client's language (`Complaint.client_language`): the default or
the organisation's wording in that language, and the context's own words (dates, status, how
to answer, the recourse) in it too. What staff typed (a reply's text) goes as typed.
"""

from collections.abc import Mapping
from copy import copy
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reclamations.complaints.enums import Channel, ClientType, Status, channel_label, status_label
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.english import ENGLISH_TEMPLATES
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.recourse import RecourseSettings, recourse_text
from reclamations.core.languages import ENGLISH, FRENCH, long_date, working_days
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation
from reclamations.outbox.templates import Rendered, TemplateSpec, render_own_or_default

# The variables every template may use, in the order the manager's page lists them.
CONTEXT_HELP: dict[str, str] = {
    "reference": gettext_noop("référence de la réclamation (REC-2026-0042)"),
    "received_on": gettext_noop("date de réception, en toutes lettres"),
    "due_date": gettext_noop(
        "date limite de la réponse, en toutes lettres (vide tant que le délai ne court "
        "pas : réclamation téléphonique en attente de confirmation écrite)"
    ),
    "deadline": gettext_noop("délai de réponse de l'organisme (« 10 jours ouvrables »)"),
    "client_name": gettext_noop("nom du client"),
    "referent_name": gettext_noop("nom du ou de la référent·e"),
    "status_label": gettext_noop("état de la réclamation (« en cours de traitement »…)"),
    "replied_on": gettext_noop("date de la réponse, en toutes lettres (vide avant la réponse)"),
    "closed_on": gettext_noop("date de clôture, en toutes lettres (vide avant la clôture)"),
    "outcome_label": gettext_noop(
        "issue de la réclamation (« fondée, satisfaite »…), vide avant la clôture"
    ),
    "portal_hint": gettext_noop(
        "comment suivre la réclamation : répondre à ce message avec la référence (par "
        "courrier : écrire en la rappelant)"
    ),
    "how_to_answer": gettext_noop(
        "comment nous répondre : « en répondant à ce message, en conservant la "
        "référence … dans l'objet » (par courrier : par e-mail ou par courrier, en la rappelant)"
    ),
    "signature": gettext_noop("signature : référent·e, fonction, organisme, adresse, téléphone"),
    "reply_text": gettext_noop("réponse : le texte saisi par le ou la référent·e"),
    "recourse": gettext_noop(
        "réponse : voies de recours (médiateur pour un consommateur, tribunal pour un "
        "professionnel), vide si la réclamation est entièrement satisfaite"
    ),
    "missing_information": gettext_noop("demande d'informations : ce qui manque"),
    "request_message": gettext_noop("demande d'informations : message complémentaire"),
    "progress_note": gettext_noop("point d'avancement : précision ajoutée par le ou la référent·e"),
    "description": gettext_noop("description de la réclamation"),
    "organisation": gettext_noop(
        "l'organisme : organisation.name, .address, .phone, .website, "
        ".complaints_email, .referent_title"
    ),
    "mediator": gettext_noop("le médiateur : mediator.name, .address, .website"),
    "court": gettext_noop("le tribunal compétent (nom)"),
    "complaint": gettext_noop(
        "la réclamation : complaint.client_account, .training, .channel, .resolution"
    ),
}

# What each kind's text must contain to do its job.
REQUIRED_VARIABLES: dict[str, tuple[str, ...]] = {
    ClientMessage.ACKNOWLEDGEMENT: ("reference", "due_date"),
    ClientMessage.INFORMATION_REQUEST: ("missing_information",),
    ClientMessage.CONFIRMATION_REQUEST: ("reference",),
    ClientMessage.REPLY: ("reply_text", "recourse"),
    ClientMessage.PROGRESS: ("status_label",),
    ClientMessage.CLOSURE: ("reference", "closed_on"),
}

_SIGNATURE_AND_CLOSING = """
Cordialement,

{{ signature }}
"""

DEFAULT_TEMPLATES: dict[str, Rendered] = {
    ClientMessage.ACKNOWLEDGEMENT: Rendered(
        "Accusé de réception de votre réclamation [{{ reference }}]",
        """Bonjour{% if client_name %} {{ client_name }}{% endif %},

Nous avons bien reçu votre réclamation le {{ received_on }}. Elle est enregistrée sous la \
référence {{ reference }}.

{% if due_date %}Nous vous répondrons au plus tard le {{ due_date }}.{% else %}Notre délai \
de réponse de {{ deadline }} courra à compter de la réception de votre confirmation \
écrite.{% endif %}

{{ portal_hint }}
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.INFORMATION_REQUEST: Rendered(
        "Votre réclamation [{{ reference }}] : informations complémentaires nécessaires",
        """Bonjour{% if client_name %} {{ client_name }}{% endif %},

Pour traiter votre réclamation du {{ received_on }} (référence {{ reference }}), nous avons \
besoin des informations suivantes :

{{ missing_information }}

{% if request_message %}{{ request_message }}

{% endif %}Merci de nous les transmettre {{ how_to_answer }}.
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.CONFIRMATION_REQUEST: Rendered(
        "Confirmation écrite de votre réclamation [{{ reference }}]",
        """Bonjour{% if client_name %} {{ client_name }}{% endif %},

Vous nous avez fait part d'une réclamation par téléphone le {{ received_on }}. Elle est \
enregistrée sous la référence {{ reference }}.

Conformément à notre procédure de traitement des réclamations, merci de nous la confirmer par \
écrit {{ how_to_answer }}, en décrivant en quelques lignes ce qui motive votre réclamation et \
ce que vous attendez de notre part.
{% if description %}
Ce que nous avons noté lors de votre appel :
{{ description }}
{% endif %}
{% if due_date %}Nous vous répondrons au plus tard le {{ due_date }}.{% else %}Notre délai \
de réponse de {{ deadline }} courra à compter de la réception de votre confirmation \
écrite.{% endif %}
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.REPLY: Rendered(
        "Réponse à votre réclamation [{{ reference }}]",
        """Bonjour{% if client_name %} {{ client_name }}{% endif %},

Voici notre réponse à votre réclamation {{ reference }}, reçue le {{ received_on }}.

{{ reply_text }}

{{ recourse }}
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.PROGRESS: Rendered(
        "Avancement de votre réclamation [{{ reference }}]",
        """Bonjour{% if client_name %} {{ client_name }}{% endif %},

Voici où en est votre réclamation {{ reference }}, reçue le {{ received_on }} : \
{{ status_label }}.
{% if replied_on %}Notre réponse vous a été adressée le {{ replied_on }}.{% elif due_date %}\
Nous vous répondrons au plus tard le {{ due_date }}.{% endif %}
{% if progress_note %}
{{ progress_note }}
{% endif %}
{{ portal_hint }}
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    ClientMessage.CLOSURE: Rendered(
        "Clôture de votre réclamation [{{ reference }}]",
        """Bonjour{% if client_name %} {{ client_name }}{% endif %},

Nous attestons que votre réclamation {{ reference }}, reçue le {{ received_on }}, a été \
traitée{% if replied_on %} (notre réponse vous a été adressée le {{ replied_on }}){% endif %} et \
qu'elle est close depuis le {{ closed_on }}{% if outcome_label %} : {{ outcome_label }}\
{% endif %}.

Nous vous remercions de nous avoir fait part de votre insatisfaction : elle nous aide à \
améliorer nos formations.
"""
        + _SIGNATURE_AND_CLOSING,
    ),
}


def _signature(organisation: Organisation) -> str:
    lines = [
        organisation.referent_name,
        organisation.referent_title,
        organisation.legal_name or organisation.name,
        *organisation.address.splitlines(),
        organisation.phone,
        organisation.website,
    ]
    return "\n".join(line.strip() for line in lines if line and line.strip())


def client_language(complaint: Complaint) -> str:
    """The language the client is written to in: the recorded one, French when unknown."""
    return ENGLISH if complaint.client_language == ENGLISH else FRENCH


def default_template(kind: str, language: str = FRENCH) -> Rendered:
    """The built-in wording of `kind` in `language`."""
    return (ENGLISH_TEMPLATES if language == ENGLISH else DEFAULT_TEMPLATES)[kind]


def deadline_text(organisation: Organisation, language: str = FRENCH) -> str:
    """ "10 jours ouvrables": the organisation's deadline as its messages state it (in English,
    "10 working days (Monday to Saturday)")."""
    return working_days(organisation.deadline_days, organisation.calendar_kind, language)


def recourse_settings(organisation: Organisation) -> RecourseSettings:
    """What the organisation's settings say of its mediator and court."""
    return RecourseSettings(
        mediator_name=organisation.mediator_name,
        mediator_address=organisation.mediator_address,
        mediator_website=organisation.mediator_website,
        court_name=organisation.court_name,
        mediator_listed=organisation.mediator_cecmc_listed,
    )


# What only some kinds of message carry (given by the action that sends them).
EXTRA_VARIABLES = ("reply_text", "missing_information", "request_message", "progress_note")


def _organisation_context(organisation: Organisation, language: str) -> dict[str, Any]:
    return {
        "organisation": {
            "name": organisation.name,
            "legal_name": organisation.legal_name,
            "address": organisation.address,
            "phone": organisation.phone,
            "website": organisation.website,
            "complaints_email": organisation.complaints_email,
            "referent_name": organisation.referent_name,
            "referent_title": organisation.referent_title,
        },
        "mediator": {
            "name": organisation.mediator_name,
            "address": organisation.mediator_address,
            "website": organisation.mediator_website,
        },
        "court": organisation.court_name,
        "referent_name": organisation.referent_name,
        "signature": _signature(organisation),
        "deadline": deadline_text(organisation, language),
    }


# In the active language (the client's: message_context sets it).
def _how_to_answer(complaint: Complaint, *, letter: bool) -> str:
    reference = complaint.reference
    if not letter:
        return _(
            "en répondant à ce message, en conservant la référence %(reference)s dans l'objet"
        ) % {"reference": reference}
    email = complaint.organisation.complaints_email
    by_email = _("par e-mail à %(email)s ou ") % {"email": email} if email else ""
    return _(
        "%(by_email)spar courrier à l'adresse ci-dessus, en rappelant la référence %(reference)s"
    ) % {"by_email": by_email, "reference": reference}


def _portal_hint(complaint: Complaint, *, letter: bool) -> str:
    reference = complaint.reference
    if not letter:
        return _(
            "Pour suivre votre réclamation ou nous transmettre un complément, répondez "
            "simplement à ce message en conservant la référence [%(reference)s] dans l'objet."
        ) % {"reference": reference}
    email = complaint.organisation.complaints_email
    by_email = _("par e-mail à %(email)s ou ") % {"email": email} if email else ""
    online = (
        _(
            " Vous pouvez aussi la suivre en ligne sur %(portal)s avec cette référence et "
            "votre adresse e-mail."
        )
        % {"portal": f"{settings.RECLAMATIONS_BASE_URL}/suivi/"}
        if complaint.client_email
        else ""
    )
    return (
        _(
            "Pour suivre votre réclamation ou nous transmettre un complément, écrivez-nous "
            "%(by_email)spar courrier à l'adresse ci-dessus, en rappelant la référence "
            "%(reference)s."
        )
        % {"by_email": by_email, "reference": reference}
        + online
    )


def _complaint_context(complaint: Complaint, language: str, *, letter: bool) -> dict[str, Any]:
    reference = complaint.reference
    return {
        "reference": reference,
        "received_on": long_date(complaint.received_on, language),
        "due_date": long_date(complaint.due_date, language),
        "client_name": complaint.client_name,
        "status_label": status_label(complaint.status).lower(),
        "replied_on": long_date(complaint.replied_on, language),
        "closed_on": long_date(complaint.closed_on, language),
        "outcome_label": complaint.get_outcome_display().lower() if complaint.outcome else "",
        "description": complaint.description,
        "portal_hint": _portal_hint(complaint, letter=letter),
        "how_to_answer": _how_to_answer(complaint, letter=letter),
        "complaint": {
            "reference": reference,
            "client_name": complaint.client_name,
            "client_account": complaint.client_account,
            "training": complaint.training,
            "channel": channel_label(complaint.channel) if complaint.channel else "",
            "resolution": complaint.resolution,
            "description": complaint.description,
        },
    }


def message_context(
    complaint: Complaint, *, extra: Mapping[str, str] | None = None, letter: bool = False
) -> dict[str, Any]:
    """The fixed context of every template (CONTEXT_HELP), for `complaint`, in the client's
    language: plain strings and dicts only, so that a template reaches nothing else.

    `extra` carries what only some kinds have: reply_text and outcome (reply),
    missing_information and request_message (information request), progress_note (progress).
    """
    extra = extra or {}
    language = client_language(complaint)
    with translation.override(language):
        recourse = ""
        if "reply_text" in extra:
            recourse = recourse_text(
                client_type=complaint.client_type,
                outcome=extra.get("outcome", ""),
                settings=recourse_settings(complaint.organisation),
                language=language,
            )
        return {
            **_organisation_context(complaint.organisation, language),
            **_complaint_context(complaint, language, letter=letter),
            **{name: extra.get(name, "") for name in EXTRA_VARIABLES},
            "recourse": recourse,
        }


SAMPLE_EXTRA: dict[str, dict[str, str]] = {
    ClientMessage.INFORMATION_REQUEST: {
        "missing_information": "Les dates exactes des séances annulées.",
        "request_message": "Une copie de votre convocation nous aiderait également.",
    },
    ClientMessage.REPLY: {
        "reply_text": "Madame, les trois séances annulées seront reprogrammées en mars ; "
        "le planning vous sera adressé sous huit jours.",
        "outcome": "partly_granted",
    },
    ClientMessage.PROGRESS: {"progress_note": "Le formateur a été entendu ce jour."},
}


def sample_complaint(organisation: Organisation, language: str = FRENCH) -> Complaint:
    """An unsaved complaint received today, written to in `language`, to show what a template
    gives."""
    today = local_today(organisation)
    return Complaint(
        organisation=organisation,
        reference=f"{organisation.reference_prefix}-{today.year}-0042",
        status=Status.IN_PROGRESS,
        channel=Channel.EMAIL,
        received_on=today,
        due_date=deadline_policy(organisation).due_date_for(today),
        client_name="Julie Martin",
        client_account="CLI-001",
        client_email="julie.martin@example.org",
        client_address="12 rue des Lilas\n06400 Cannes",
        client_type=ClientType.CONSUMER,
        client_language=language,
        training="Anglais professionnel, session de janvier",
        description="Trois séances annulées sans préavis.",
    )


def sample_context(
    organisation: Organisation,
    kind: str,
    complaint: Complaint | None = None,
    *,
    letter: bool = False,
    language: str = FRENCH,
) -> dict[str, Any]:
    """The context to preview a wording of `kind` in `language`: of `complaint` (a real one of
    the register, read as if written to in `language`), else of a sample complaint; what staff
    would type is the sample's."""
    shown = complaint or sample_complaint(organisation, language)
    if shown.client_language != language:
        shown = copy(shown)
        shown.client_language = language
    return message_context(shown, extra=SAMPLE_EXTRA.get(kind, {}), letter=letter)


def template_spec(
    organisation: Organisation,
    kind: str,
    complaint: Complaint | None = None,
    language: str = FRENCH,
) -> TemplateSpec:
    """What the outbox needs to check and preview the organisation's wording of `kind` in
    `language`, shown on `complaint` (a sample one when None)."""
    return TemplateSpec(
        kind=kind,
        default=default_template(kind, language),
        variables=CONTEXT_HELP,
        required=REQUIRED_VARIABLES.get(kind, ()),
        sample=sample_context(organisation, kind, complaint, language=language),
        language=language,
    )


def render_client_message(
    complaint: Complaint,
    kind: str,
    extra: Mapping[str, str] | None = None,
    *,
    letter: bool = False,
) -> Rendered:
    """The message of `kind` for `complaint`, in the organisation's wording of the client's
    language (else the default wording in it); `letter`: printed to post (how to answer is then
    said for a letter, not for an e-mail)."""
    language = client_language(complaint)
    context = message_context(complaint, extra=extra, letter=letter)
    with translation.override(language):  # a template's filters (|date) speak it too
        return render_own_or_default(
            complaint.organisation, kind, default_template(kind, language), context, language
        )
