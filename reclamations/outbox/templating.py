"""Messages to clients from templates: built-in French defaults, the organisation's own wording,
a fixed context, rendering and validation.

Templates use Django's template syntax, rendered by a dedicated engine that has no loader (no
`{% include %}` of files) and no autoescaping (the result is plain text). The context holds
plain strings and dicts, never model instances: a template cannot reach beyond what is listed
in CONTEXT_HELP (a user's password hash, another complaint...).
"""

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import VariableNode

from reclamations.complaints.enums import Channel, ClientType, Status
from reclamations.complaints.models import Complaint
from reclamations.complaints.policy import deadline_policy
from reclamations.core.calendar import working_days_text
from reclamations.core.french import long_date
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation
from reclamations.outbox.models import CLIENT_KINDS, MessageKind, MessageTemplate
from reclamations.outbox.recourse import RecourseSettings, recourse_text

logger = logging.getLogger(__name__)

ENGINE = Engine(loaders=[], autoescape=False, string_if_invalid="", libraries={})

SUBJECT_MAX = 250


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


# The variables every template may use, in the order the manager's page lists them.
CONTEXT_HELP: dict[str, str] = {
    "reference": "référence de la réclamation (REC-2026-0042)",
    "received_on": "date de réception, en toutes lettres",
    "due_date": "date limite de la réponse, en toutes lettres (vide tant que le délai ne court "
    "pas : réclamation téléphonique en attente de confirmation écrite)",
    "deadline": "délai de réponse de l'organisme (« 10 jours ouvrables »)",
    "client_name": "nom du client",
    "referent_name": "nom du ou de la référent·e",
    "status_label": "état de la réclamation (« en cours de traitement »…)",
    "replied_on": "date de la réponse, en toutes lettres (vide avant la réponse)",
    "portal_hint": "comment suivre la réclamation : répondre à ce message avec la référence",
    "signature": "signature : référent·e, fonction, organisme, adresse, téléphone",
    "reply_text": "réponse : le texte saisi par le ou la référent·e",
    "recourse": "réponse : voies de recours (médiateur pour un consommateur, tribunal pour un "
    "professionnel), vide si la réclamation est entièrement satisfaite",
    "missing_information": "demande d'informations : ce qui manque",
    "request_message": "demande d'informations : message complémentaire",
    "progress_note": "point d'avancement : précision ajoutée par le ou la référent·e",
    "description": "description de la réclamation",
    "organisation": "l'organisme : organisation.name, .address, .phone, .website, "
    ".complaints_email, .referent_title",
    "mediator": "le médiateur : mediator.name, .address, .website",
    "court": "le tribunal compétent (nom)",
    "complaint": "la réclamation : complaint.client_account, .training, .channel, .resolution",
}

# What each kind's text must contain to do its job.
REQUIRED_VARIABLES: dict[str, tuple[str, ...]] = {
    MessageKind.ACKNOWLEDGEMENT: ("reference", "due_date"),
    MessageKind.INFORMATION_REQUEST: ("missing_information",),
    MessageKind.CONFIRMATION_REQUEST: ("reference",),
    MessageKind.REPLY: ("reply_text", "recourse"),
    MessageKind.PROGRESS: ("status_label",),
}

_SIGNATURE_AND_CLOSING = """
Cordialement,

{{ signature }}
"""

DEFAULT_TEMPLATES: dict[str, Rendered] = {
    MessageKind.ACKNOWLEDGEMENT: Rendered(
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
    MessageKind.INFORMATION_REQUEST: Rendered(
        "Votre réclamation [{{ reference }}] : informations complémentaires nécessaires",
        """Bonjour{% if client_name %} {{ client_name }}{% endif %},

Pour traiter votre réclamation du {{ received_on }} (référence {{ reference }}), nous avons \
besoin des informations suivantes :

{{ missing_information }}

{% if request_message %}{{ request_message }}

{% endif %}Merci de nous les transmettre en répondant à ce message, en conservant la \
référence {{ reference }} dans l'objet.
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    MessageKind.CONFIRMATION_REQUEST: Rendered(
        "Confirmation écrite de votre réclamation [{{ reference }}]",
        """Bonjour{% if client_name %} {{ client_name }}{% endif %},

Vous nous avez fait part d'une réclamation par téléphone le {{ received_on }}. Elle est \
enregistrée sous la référence {{ reference }}.

Conformément à notre procédure de traitement des réclamations, merci de nous la confirmer par \
écrit en répondant à ce message : décrivez en quelques lignes ce qui motive votre \
réclamation et ce que vous attendez de notre part.
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
    MessageKind.REPLY: Rendered(
        "Réponse à votre réclamation [{{ reference }}]",
        """Réponse à votre réclamation {{ reference }} reçue le {{ received_on }}.

{{ reply_text }}

{{ recourse }}
"""
        + _SIGNATURE_AND_CLOSING,
    ),
    MessageKind.PROGRESS: Rendered(
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
}


def template_for(organisation: Organisation, kind: str) -> Rendered:
    """The organisation's wording of `kind`, or the built-in default when it has none."""
    if kind not in CLIENT_KINDS:
        raise ValueError(f"No template for {kind!r}: only messages to clients have one.")
    # The fields only, no model instance: this runs for every message queued.
    own = MessageTemplate.objects.filter(organisation=organisation, kind=kind).values_list(
        "subject", "body"
    )[:1]
    for subject, body in own:
        return Rendered(subject, body)
    return DEFAULT_TEMPLATES[kind]


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


def deadline_text(organisation: Organisation) -> str:
    return working_days_text(organisation.deadline_days, organisation.calendar_kind)


def recourse_settings(organisation: Organisation) -> RecourseSettings:
    return RecourseSettings(
        mediator_name=organisation.mediator_name,
        mediator_address=organisation.mediator_address,
        mediator_website=organisation.mediator_website,
        court_name=organisation.court_name,
    )


def message_context(
    complaint: Complaint, *, extra: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The fixed context of every template (CONTEXT_HELP), for `complaint`.

    `extra` carries what only some kinds have: reply_text and outcome (reply),
    missing_information and request_message (information request), progress_note (progress).
    """
    extra = extra or {}
    organisation = complaint.organisation
    status = Status(complaint.status).label.lower() if complaint.status in Status.values else ""
    reference = complaint.reference
    recourse = ""
    if "reply_text" in extra:
        recourse = recourse_text(
            client_type=complaint.client_type,
            outcome=extra.get("outcome", ""),
            settings=recourse_settings(organisation),
        )
    return {
        "reference": reference,
        "received_on": long_date(complaint.received_on),
        "due_date": long_date(complaint.due_date),
        "deadline": deadline_text(organisation),
        "client_name": complaint.client_name,
        "referent_name": organisation.referent_name,
        "status_label": status,
        "replied_on": long_date(complaint.replied_on),
        "portal_hint": (
            "Pour suivre votre réclamation ou nous transmettre un complément, répondez "
            f"simplement à ce message en conservant la référence [{reference}] dans l'objet."
        ),
        "signature": _signature(organisation),
        "reply_text": extra.get("reply_text", ""),
        "recourse": recourse,
        "missing_information": extra.get("missing_information", ""),
        "request_message": extra.get("request_message", ""),
        "progress_note": extra.get("progress_note", ""),
        "description": complaint.description,
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
        "complaint": {
            "reference": reference,
            "client_name": complaint.client_name,
            "client_account": complaint.client_account,
            "training": complaint.training,
            "channel": complaint.get_channel_display() if complaint.channel else "",
            "resolution": complaint.resolution,
            "description": complaint.description,
        },
    }


_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def _tidy_body(text: str) -> str:
    """Plain text as mail wants it: no trailing spaces, at most one blank line in a row, and
    one final newline (an SMTP server adds it otherwise, and the stored copy would differ)."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"


def _tidy_subject(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=128)
def _compiled(source: str) -> Template:
    # Compiling costs more than rendering; intake registers hundreds of messages a second.
    return ENGINE.from_string(source)


def render(template: Rendered, context: Mapping[str, Any]) -> Rendered:
    """Render a template (raises TemplateSyntaxError or a rendering error on a bad one)."""
    # Plain text: nothing is HTML-escaped (the engine's autoescape only sets the default of
    # contexts it creates itself, not of these).
    subject = _compiled(template.subject).render(Context(dict(context), autoescape=False))
    body = _compiled(template.body).render(Context(dict(context), autoescape=False))
    return Rendered(_tidy_subject(subject), _tidy_body(body))


SAMPLE_EXTRA: dict[str, dict[str, str]] = {
    MessageKind.INFORMATION_REQUEST: {
        "missing_information": "Les dates exactes des séances annulées.",
        "request_message": "Une copie de votre convocation nous aiderait également.",
    },
    MessageKind.REPLY: {
        "reply_text": "Madame, les trois séances annulées seront reprogrammées en mars ; "
        "le planning vous sera adressé sous huit jours.",
        "outcome": "partly_granted",
    },
    MessageKind.PROGRESS: {"progress_note": "Le formateur a été entendu ce jour."},
}


def sample_complaint(organisation: Organisation) -> Complaint:
    """An unsaved complaint received today, to show what a template gives."""
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
        client_type=ClientType.CONSUMER,
        training="Anglais professionnel, session de janvier",
        description="Trois séances annulées sans préavis.",
    )


def sample_context(organisation: Organisation, kind: str) -> dict[str, Any]:
    return message_context(sample_complaint(organisation), extra=SAMPLE_EXTRA.get(kind, {}))


def render_message(
    complaint: Complaint, kind: str, extra: Mapping[str, str] | None = None
) -> Rendered:
    """The message of `kind` for `complaint`, in the organisation's wording.

    An own template was checked when saved; should it still fail, the built-in wording is
    used rather than losing the message (or refusing the workflow action that sends it).
    """
    template = template_for(complaint.organisation, kind)
    context = message_context(complaint, extra=extra)
    try:
        return render(template, context)
    except Exception:
        if template == DEFAULT_TEMPLATES[kind]:
            raise
        logger.exception(
            "Modèle « %s » de l'organisme %s inutilisable", kind, complaint.organisation_id
        )
        return render(DEFAULT_TEMPLATES[kind], context)


def _variables(template: Template) -> set[str]:
    names = set()
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        var = node.filter_expression.var
        lookups = getattr(var, "lookups", None)
        if lookups:
            names.add(lookups[0])
    return names


def _compile(source: str, label: str, errors: list[str]) -> Template | None:
    try:
        return ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        errors.append(
            f"{label} : syntaxe incorrecte ({exc}). Vérifiez les {{{{ … }}}} et les {{% … %}} "
            "(chaque {% if %} se ferme par {% endif %})."
        )
        return None


def validate_template(
    kind: str, subject: str, body: str, sample: Mapping[str, Any]
) -> tuple[Rendered | None, dict[str, list[str]]]:
    """Check a template by rendering it with `sample`; returns (preview, field -> messages)."""
    errors: dict[str, list[str]] = {}
    subject_errors: list[str] = []
    body_errors: list[str] = []
    compiled_subject = _compile(subject, "Objet", subject_errors)
    compiled_body = _compile(body, "Texte", body_errors)
    known = set(CONTEXT_HELP)
    for compiled, problems in ((compiled_subject, subject_errors), (compiled_body, body_errors)):
        if compiled is None:
            continue
        unknown = sorted(_variables(compiled) - known)
        if unknown:
            names = ", ".join(f"{{{{ {name} }}}}" for name in unknown)
            problems.append(
                f"Variable inconnue : {names}. Utilisez une des variables listées sous le "
                "formulaire."
            )
    if compiled_body is not None:
        used = _variables(compiled_body)
        missing = [name for name in REQUIRED_VARIABLES.get(kind, ()) if name not in used]
        if missing:
            names = ", ".join(f"{{{{ {name} }}}}" for name in missing)
            body_errors.append(
                f"Le texte doit contenir {names} : sans cela, ce message ne remplit pas son rôle."
            )
    preview = None
    if not subject_errors and not body_errors:
        try:
            preview = render(Rendered(subject, body), sample)
        except Exception as exc:  # any failure of a manager's template is shown to them
            body_errors.append(f"Le modèle ne peut pas être affiché avec une réclamation : {exc}")
    if preview is not None:
        if not preview.subject:
            subject_errors.append("L'objet est vide une fois le modèle appliqué.")
        elif len(preview.subject) > SUBJECT_MAX:
            subject_errors.append(f"L'objet dépasse {SUBJECT_MAX} caractères une fois appliqué.")
        if not preview.body.strip():
            body_errors.append("Le texte est vide une fois le modèle appliqué.")
    if subject_errors:
        errors["subject"] = subject_errors
    if body_errors:
        errors["body"] = body_errors
    return (preview if not errors else None), errors
