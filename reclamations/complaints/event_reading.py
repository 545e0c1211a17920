"""How an event's data reads, label by label, in the active language (French outside a page,
and in files): on the complaint's timeline, in the global journal and in its exports."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reclamations.complaints.actions.spec import Shown
from reclamations.complaints.events import shown_keys
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.kinds import QUEUED, QUEUED_LABELS
from reclamations.core.models import Organisation

EMPTY = gettext_lazy("(vide)")
HASH_SHOWN = 12  # the characters of a SHA-256 shown on a page (the whole one on hover)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def on_time_text(on_time: bool | None) -> str:
    if on_time is None:
        return ""
    return _("dans le délai") if on_time else _("hors délai")


# Fields whose model has no French name of its own.
FIELD_LABELS = {
    "information_requested_on": gettext_lazy("informations demandées le"),
    # The organisation's own mailbox's settings (intake.mailbox_config): its secrets appear
    # only as replaced, never by their value.
    # The staff reminders' settings (reminders.services.reminder_settings_update).
    "reminders_include_managers": gettext_lazy("rappels : envoyés aussi aux responsables"),
    "reminders_days_before": gettext_lazy("rappels : jours avant l'échéance"),
    "reminders_digest_hour": gettext_lazy("rappels : heure d'envoi"),
    "mailbox_active": gettext_lazy("boîte des réclamations : relevée"),
    "mailbox_host": gettext_lazy("boîte des réclamations : serveur IMAP"),
    "mailbox_port": gettext_lazy("boîte des réclamations : port"),
    "mailbox_security": gettext_lazy("boîte des réclamations : sécurité"),
    "mailbox_user": gettext_lazy("boîte des réclamations : identifiant"),
    "mailbox_folder": gettext_lazy("boîte des réclamations : dossier relevé"),
    "mailbox_processed": gettext_lazy("boîte des réclamations : messages traités"),
    "mailbox_since": gettext_lazy("boîte des réclamations : relevée à partir du"),
    "mailbox_auth": gettext_lazy("boîte des réclamations : authentification"),
    "mailbox_oauth_provider": gettext_lazy("boîte des réclamations : fournisseur OAuth 2.0"),
    "mailbox_oauth_tenant": gettext_lazy("boîte des réclamations : locataire OAuth 2.0"),
    "mailbox_oauth_client_id": gettext_lazy("boîte des réclamations : application OAuth 2.0"),
    "mailbox_oauth_grant": gettext_lazy("boîte des réclamations : autorisation OAuth 2.0"),
    "mailbox_oauth_scope": gettext_lazy("boîte des réclamations : portée OAuth 2.0"),
    "mailbox_oauth_token_url": gettext_lazy("boîte des réclamations : adresse des jetons"),
    "mailbox_oauth_authorize_url": gettext_lazy("boîte des réclamations : adresse de consentement"),
    "mailbox_password_replaced": gettext_lazy("boîte des réclamations : mot de passe remplacé"),
    "mailbox_oauth_client_secret_replaced": gettext_lazy(
        "boîte des réclamations : secret de l'application remplacé"
    ),
    "mailbox_oauth_refresh_token_replaced": gettext_lazy(
        "boîte des réclamations : jeton de renouvellement remplacé"
    ),
    "mailbox_oauth_consent_given": gettext_lazy(
        "boîte des réclamations : connectée par le consentement du titulaire (OAuth 2.0)"
    ),
}


@dataclass(frozen=True)
class Item:
    """One line of an event's data: a label and a value, or a list of lines."""

    label: str
    value: str = ""
    lines: tuple[str, ...] = ()
    code: str = ""
    code_title: str = ""


@lru_cache(maxsize=256)
def _complaint_field(name: str) -> Any:
    try:
        return Complaint._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(name: str) -> str:
    model_field = _complaint_field(name)
    label = str(
        FIELD_LABELS.get(name) or (model_field.verbose_name if model_field is not None else name)
    )
    return label[:1].upper() + label[1:]


def _setting_label(name: str) -> str:
    """An organisation's setting by its name ("Délai de réponse (jours)")."""
    try:
        model_field = Organisation._meta.get_field(name)
    except FieldDoesNotExist:
        model_field = None
    label = str(getattr(model_field, "verbose_name", name))
    return label[:1].upper() + label[1:]


def _moment_text(value: datetime) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"


@lru_cache(maxsize=256)
def _choices(name: str) -> dict[Any, Any] | None:
    """The labels of a complaint field's choices, read once (a journal formats millions); lazy,
    so that each reading is in the active language."""
    model_field = _complaint_field(name)
    if model_field is None or not model_field.choices:
        return None
    return dict(model_field.flatchoices)


def format_value(name: str, value: Any) -> str:
    """A stored value as staff read it: choice labels, dates dd/mm/yyyy, oui/non."""
    if value is None or value == "" or value == []:
        return str(EMPTY)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    choices = _choices(name)
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, datetime):
        return _moment_text(value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, str) and _ISO_DAY.match(value):
        return f"{date.fromisoformat(value):%d/%m/%Y}"
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        try:
            return _moment_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(format_value(name, item) for item in value)
    return str(value)


def _change_lines(changes: dict[str, Any]) -> tuple[str, ...]:
    lines = []
    for name, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            before, after = change
            lines.append(
                f"{field_label(name)} : {format_value(name, before)} → {format_value(name, after)}"
            )
        else:
            lines.append(f"{field_label(name)} : {format_value(name, change)}")
    return tuple(lines)


_QUEUED_TEXT = re.compile(
    "^"
    + re.escape(QUEUED)
    .replace(re.escape("%(what)s"), "(?P<what>.+?)")
    .replace(re.escape("%(to)s"), "(?P<to>.*)")
    + "$"
)


def queued_text(stored: str) -> str:
    """ "accusé de réception en file d'envoi pour x@example.org", as the chain keeps it, in the
    active language; any other text as it is."""
    match = _QUEUED_TEXT.match(stored)
    if match is None or match["what"] not in QUEUED_LABELS.values():
        return stored
    return _(QUEUED) % {"what": _(match["what"]), "to": match["to"]}


def _item(key: str, value: Any, shown: Shown | None) -> Item | None:
    label = str(shown.label) if shown else key
    if key == "changes" and isinstance(value, dict):
        return Item(label, lines=_change_lines(value)) if value else None
    if key == "settings" and isinstance(value, dict):
        lines = tuple(
            f"{_setting_label(name)} : {format_value(name, item)}" for name, item in value.items()
        )
        return Item(label, lines=lines) if lines else None
    if key == "fields" and isinstance(value, dict):
        lines = tuple(
            f"{field_label(name)} : {format_value(name, item)}"
            for name, item in value.items()
            if item not in (None, "")
        )
        return Item(label, lines=lines) if lines else None
    if key in ("document", "letter") and isinstance(value, dict):
        sha256 = str(value.get("sha256", ""))
        return Item(label, str(value.get("name", "")), code=sha256[:HASH_SHOWN], code_title=sha256)
    if key in ("enclosures", "files") and isinstance(value, list):
        lines = tuple(
            f"{item.get('name', '')} (SHA-256 {str(item.get('sha256', ''))[:HASH_SHOWN]})"
            for item in value
            if isinstance(item, dict)
        )
        return Item(label, lines=lines) if lines else None
    if key == "redacted_events" and isinstance(value, dict):
        # Each one's new content attested by this event's seal (decision 0024).
        return Item(
            label,
            _("%(count)s, leur nouveau contenu attesté par cet événement") % {"count": len(value)},
        )
    if key == "purged_documents" and isinstance(value, list):
        return Item(label, lines=tuple(f"SHA-256 {str(sha)[:HASH_SHOWN]}" for sha in value))
    if key == "due_date" and value is None:
        return Item(label, _("fixée à la réception de la confirmation écrite"))
    if key == "email" and isinstance(value, str):
        return Item(label, queued_text(value))
    if key == "missing" and isinstance(value, list):
        # The registration's missing fields, named as the model names them (in French).
        return Item(label, ", ".join(_(str(name)) for name in value))
    if key == "on_time":
        return Item(label, on_time_text(bool(value)))
    if value is None or value == "" or value == []:
        return None
    if shown is not None and shown.choices is not None:
        return Item(label, str(shown.choices.get(value, value)))
    if isinstance(value, dict):
        return Item(label, lines=tuple(f"{k} : {format_value(k, v)}" for k, v in value.items()))
    return Item(label, format_value(key, value))


def event_items(event_type: str, data: dict[str, Any]) -> list[Item]:
    """An event's data in French: the keys its declaration names first, in that order."""
    shown = shown_keys(event_type)
    keys = [key for key in shown if key in data]
    keys += sorted(key for key in data if key not in shown)
    items = (_item(key, data[key], shown.get(key)) for key in keys)
    return [item for item in items if item is not None]


def event_text(event_type: str, data: dict[str, Any]) -> str:
    """An event's data as plain text, an item per line ("Label : value"), for files."""
    lines = []
    for item in event_items(event_type, data):
        if item.lines:
            lines.append(f"{item.label} : " + " ; ".join(item.lines))
        else:
            lines.append(
                f"{item.label} : {item.value}"
                + (f" ({item.code_title})" if item.code_title else "")
            )
    return "\n".join(lines)
