"""Writes to the organisation's profile and to staff accounts, with French validation messages."""

import logging
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reclamations.core.account_edit import is_last_manager
from reclamations.core.calendar import CALENDAR_KIND_LABELS, normalise_subdivision
from reclamations.core.causes import DEFAULT_CAUSES, read_cause_lines
from reclamations.core.models import Organisation, User
from reclamations.core.procedure import (
    MAX_ANONYMISE_MONTHS,
    MAX_ARCHIVE_MONTHS,
    MAX_DEADLINE_DAYS,
    MAX_DUE_SOON_DAYS,
    MIN_ANONYMISE_MONTHS,
    MIN_ARCHIVE_MONTHS,
    MIN_DEADLINE_DAYS,
    MIN_DUE_SOON_DAYS,
    PHONE_CLOCK_LABELS,
)
from reclamations.core.roles import Role, can_manage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# An address or another free text of the profile: the database has no limit, a letter has.
LONG_TEXT_MAX = 2000
_TEXT_NAMES = (
    "name",
    "legal_name",
    "siret",
    "nda",
    "address",
    "phone",
    "website",
    "complaints_email",
    "referent_name",
    "referent_title",
    "referent_email",
    "time_zone",
    "holiday_subdivision",
    "reference_prefix",
    "procedure_version",
    "mediator_name",
    "mediator_address",
    "mediator_website",
    "court_name",
)


def _text_limit(name: str) -> int:
    field = Organisation._meta.get_field(name)
    return (field.max_length if isinstance(field, Field) else None) or LONG_TEXT_MAX


TEXT_FIELDS: dict[str, int] = {name: _text_limit(name) for name in _TEXT_NAMES}
BOOLEAN_FIELDS = (
    "carry_saturday",
    "suspend_while_awaiting_information",
    "mediator_cecmc_listed",
    "two_factor_for_referents",
)
DATE_LIST_FIELDS = ("extra_closures", "worked_holidays")
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    "cause_list",
    "deadline_days",
    "calendar_kind",
    "phone_clock",
    "due_soon_days",
    "retention_archive_months",
    "retention_anonymise_months",
    *BOOLEAN_FIELDS,
    *DATE_LIST_FIELDS,
)
EMAIL_FIELDS = ("complaints_email", "referent_email")
URL_FIELDS = ("website", "mediator_website")
REQUIRED_FIELDS = {
    "name": _("Indiquez le nom de l'organisme."),
    "reference_prefix": _("Indiquez le préfixe des références (par exemple REC)."),
    "procedure_version": _("Indiquez la version de la procédure en vigueur."),
    "time_zone": _("Indiquez le fuseau horaire (par exemple Europe/Paris)."),
}
DEADLINE_DAYS_RANGE = (MIN_DEADLINE_DAYS, MAX_DEADLINE_DAYS)
DUE_SOON_DAYS_RANGE = (MIN_DUE_SOON_DAYS, MAX_DUE_SOON_DAYS)
ARCHIVE_MONTHS_RANGE = (MIN_ARCHIVE_MONTHS, MAX_ARCHIVE_MONTHS)
ANONYMISE_MONTHS_RANGE = (MIN_ANONYMISE_MONTHS, MAX_ANONYMISE_MONTHS)
_PREFIX = re.compile(r"^[A-Za-z0-9]+$")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def _error(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def parse_date_lines(raw: str | Iterable[object]) -> tuple[list[str], list[str]]:
    """Dates given one per line (JJ/MM/AAAA or AAAA-MM-JJ) -> (sorted unique ISO dates, errors)."""
    if isinstance(raw, str):
        lines = raw.splitlines()
    else:
        lines = [item.isoformat() if isinstance(item, date) else str(item) for item in raw]
    found: set[date] = set()
    problems = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        for pattern in _DATE_FORMATS:
            try:
                found.add(datetime.strptime(text, pattern).date())
                break
            except ValueError:
                continue
        else:
            problems.append(
                gettext(
                    "Ligne %(number)d : « %(text)s » n'est pas une date valide. "
                    "Écrivez une date par ligne, au format JJ/MM/AAAA ou AAAA-MM-JJ."
                )
                % {"number": number, "text": text}
            )
    return [day.isoformat() for day in sorted(found)], problems


def _integer(
    errors: dict[str, list[str]],
    name: str,
    raw: object,
    bounds: tuple[int, int],
    label: "StrOrPromise",
) -> int | None:
    low, high = bounds
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        _error(
            errors,
            name,
            gettext("%(label)s : saisissez un nombre entier entre %(low)d et %(high)d.")
            % {"label": label, "low": low, "high": high},
        )
        return None
    if not low <= value <= high:
        _error(
            errors,
            name,
            gettext("%(label)s : saisissez un nombre entre %(low)d et %(high)d (reçu %(value)d).")
            % {"label": label, "low": low, "high": high, "value": value},
        )
        return None
    return value


def _read_texts(values: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name not in values:
            continue
        text = "" if values[name] is None else str(values[name]).strip()
        if name in REQUIRED_FIELDS and not text:
            _error(errors, name, str(REQUIRED_FIELDS[name]))
        if len(text) > limit:
            _error(errors, name, gettext("%(limit)d caractères au plus.") % {"limit": limit})
        cleaned[name] = text
    return cleaned


def _check_addresses(cleaned: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Email and web addresses as a letter or a link needs them."""
    for name in EMAIL_FIELDS:
        if cleaned.get(name):
            try:
                validate_email(cleaned[name])
            except ValidationError:
                _error(
                    errors,
                    name,
                    gettext("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr."),
                )
    for name in URL_FIELDS:
        if cleaned.get(name):
            try:
                URLValidator(schemes=["http", "https"])(cleaned[name])
            except ValidationError:
                _error(
                    errors,
                    name,
                    gettext(
                        "Adresse web invalide : elle doit commencer par https:// (ou http://)."
                    ),
                )


def _check_identifiers(cleaned: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """SIRET, reference prefix, time zone and holiday subdivision; normalised in place."""
    if cleaned.get("siret"):
        digits = cleaned["siret"].replace(" ", "")
        if not (digits.isdigit() and len(digits) == 14):
            _error(errors, "siret", gettext("Le SIRET compte 14 chiffres (espaces permis)."))
        else:
            cleaned["siret"] = digits
    if cleaned.get("reference_prefix") and not _PREFIX.match(cleaned["reference_prefix"]):
        _error(
            errors,
            "reference_prefix",
            gettext(
                "Le préfixe ne contient que des lettres sans accent et des chiffres (par "
                "exemple REC)."
            ),
        )
    if cleaned.get("time_zone"):
        try:
            ZoneInfo(cleaned["time_zone"])
        except (ZoneInfoNotFoundError, ValueError):
            _error(
                errors,
                "time_zone",
                gettext(
                    "Fuseau horaire inconnu « %(zone)s » : utilisez un nom de la base IANA, par "
                    "exemple Europe/Paris, Indian/Reunion ou America/Cayenne."
                )
                % {"zone": cleaned["time_zone"]},
            )
    if "holiday_subdivision" in cleaned:
        try:
            cleaned["holiday_subdivision"] = (
                normalise_subdivision(cleaned["holiday_subdivision"]) or ""
            )
        except ValueError as exc:
            _error(errors, "holiday_subdivision", str(exc))


def _clean_text_values(values: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    cleaned = _read_texts(values, errors)
    _check_addresses(cleaned, errors)
    _check_identifiers(cleaned, errors)
    return cleaned


def _clean_policy_values(values: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "deadline_days" in values:
        cleaned["deadline_days"] = _integer(
            errors,
            "deadline_days",
            values["deadline_days"],
            DEADLINE_DAYS_RANGE,
            gettext("Délai de réponse"),
        )
    if "due_soon_days" in values:
        cleaned["due_soon_days"] = _integer(
            errors, "due_soon_days", values["due_soon_days"], DUE_SOON_DAYS_RANGE, gettext("Alerte")
        )
    _clean_retention(values, cleaned, errors)
    choices = {"calendar_kind": CALENDAR_KIND_LABELS, "phone_clock": PHONE_CLOCK_LABELS}
    for name, labelled in choices.items():
        if name in values:
            if values[name] not in labelled:
                labels = gettext(" ou ").join(
                    f"« {gettext(label)} »" for label in labelled.values()
                )
                _error(errors, name, gettext("Choisissez %(labels)s.") % {"labels": labels})
            cleaned[name] = values[name]
    for name in BOOLEAN_FIELDS:
        if name in values:
            cleaned[name] = bool(values[name])
    for name in DATE_LIST_FIELDS:
        if name in values:
            days, problems = parse_date_lines(values[name] or "")
            for problem in problems:
                _error(errors, name, problem)
            cleaned[name] = days
    if "cause_list" in values:
        causes, problems = read_cause_lines(values["cause_list"] or "", gettext)
        for problem in problems:
            _error(errors, "cause_list", problem)
        # The default list kept as such: a later improvement of ours reaches the organisation.
        cleaned["cause_list"] = [] if tuple(causes) == DEFAULT_CAUSES else causes
    return cleaned


def _clean_retention(
    values: Mapping[str, Any], cleaned: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    """The months after closure before archiving, then anonymising."""
    bounds = {
        "retention_archive_months": (ARCHIVE_MONTHS_RANGE, gettext("Archivage")),
        "retention_anonymise_months": (ANONYMISE_MONTHS_RANGE, gettext("Anonymisation")),
    }
    for name, (range_, label) in bounds.items():
        if name in values:
            cleaned[name] = _integer(errors, name, values[name], range_, label)


def _check_retention_order(
    organisation: Organisation, cleaned: Mapping[str, Any], errors: dict[str, list[str]]
) -> None:
    """Archived before anonymised, never the other way round, whichever of the two changes."""
    archive = cleaned.get("retention_archive_months", organisation.retention_archive_months)
    anonymise = cleaned.get("retention_anonymise_months", organisation.retention_anonymise_months)
    if archive is not None and anonymise is not None and archive >= anonymise:
        _error(
            errors,
            "retention_anonymise_months",
            gettext(
                "L'anonymisation (%(anonymise)d mois) doit venir après l'archivage "
                "(%(archive)d mois) : allongez-la ou raccourcissez l'archivage."
            )
            % {"anonymise": anonymise, "archive": archive},
        )


def settings_clean(
    values: Mapping[str, Any], *, organisation: Organisation
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The settings among `values` read and checked as the settings page and the first run
    check them: (the values to store, field -> French messages). `organisation` gives what
    `values` leave out (an unsaved one: the defaults)."""
    errors: dict[str, list[str]] = {}
    cleaned = {**_clean_text_values(values, errors), **_clean_policy_values(values, errors)}
    _check_retention_order(organisation, cleaned, errors)
    return cleaned, errors


def organisation_update(
    *, organisation: Organisation, actor: User, values: Mapping[str, Any]
) -> list[str]:
    """Validate and save the organisation's settings; return the names of the fields changed.

    Only the keys of `values` that are settings are read. Raises ValidationError (field ->
    French messages) and writes nothing when a value is wrong. Existing complaints keep their
    due dates: a new deadline policy applies to complaints registered afterwards.
    """
    if actor.organisation_id != organisation.pk or not can_manage(actor.role):
        raise PermissionDenied(
            _("Seuls les responsables de l'organisme peuvent modifier ses réglages.")
        )
    cleaned, errors = settings_clean(values, organisation=organisation)
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in cleaned.items() if getattr(organisation, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        for name in changed:
            setattr(organisation, name, cleaned[name])
        organisation.save(update_fields=changed)
    logger.info(
        "Réglages de l'organisme %s modifiés par %s : %s",
        organisation.pk,
        actor.username,
        ", ".join(changed),
    )
    return changed


def user_set_active(*, user: User, actor: User, active: bool) -> None:
    """Deactivate or reactivate a staff account of the actor's organisation."""
    if actor.organisation_id != user.organisation_id or not can_manage(actor.role):
        raise PermissionDenied(_("Seuls les responsables de l'organisme gèrent ses comptes."))
    if user.pk == actor.pk and not active:
        raise ValidationError(
            gettext(
                "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre "
                "responsable."
            )
        )
    if user.role == Role.ADMIN and actor.role != Role.ADMIN:
        raise ValidationError(
            gettext("Seul un administrateur peut modifier le compte d'un administrateur.")
        )
    organisation = user.organisation
    if not active and organisation is not None:
        with transaction.atomic():
            # Locked as user_update locks it: two managers deactivating each other take turns.
            Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
            if is_last_manager(user, organisation=organisation):
                raise ValidationError(
                    gettext(
                        "C'est le dernier compte actif qui gère l'organisme : donnez d'abord le "
                        "rôle de responsable à un autre compte."
                    )
                )
            _active_set(user=user, actor=actor, active=active)
        return
    _active_set(user=user, actor=actor, active=active)


def _active_set(*, user: User, actor: User, active: bool) -> None:
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        logger.info(
            "Compte %s %s par %s",
            user.username,
            "réactivé" if active else "désactivé",
            actor.username,
        )
