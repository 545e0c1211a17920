"""Changing a staff account from the users page: its names, e-mail, role, language and end of
access, with the rules of who may give which role (issue 13). Every change is a line of the
security journal, as a deactivation or a password reset are: a role is an account's powers."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from reclamations.core.languages import STAFF_LANGUAGE_CODES
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.core.roles import ORGANISATION_ROLES, SETTINGS_EDITORS, Role, can_manage
from reclamations.core.security import SecurityEvent, security_record

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EDITABLE = ("first_name", "last_name", "email", "role", "language", "access_until")
# How each field is named in the journal's line (French, as the journal is).
_JOURNAL_NAMES = {
    "first_name": "prénom",
    "last_name": "nom",
    "email": "e-mail",
    "role": "rôle",
    "language": "langue",
    "access_until": "accès jusqu'au",
}
NAME_MAX = 150
EMAIL_MAX = 254


@dataclass(frozen=True)
class AccountValues:
    first_name: str
    last_name: str
    email: str
    role: str
    language: str
    access_until: date | None


def edit_refusal(*, actor: User, user: User) -> "StrOrPromise":
    """Why `actor` may not open `user`'s edit page ("" when they may): a manager of the same
    organisation; an administrator's account only by an administrator (its e-mail leads to its
    password)."""
    if actor.organisation_id is None or actor.organisation_id != user.organisation_id:
        return gettext_lazy("Seuls les responsables de l'organisme gèrent ses comptes.")
    if not can_manage(actor.role):
        return gettext_lazy("Seuls les responsables de l'organisme gèrent ses comptes.")
    if user.role == Role.ADMIN and actor.role != Role.ADMIN:
        return gettext_lazy("Seul un administrateur peut modifier le compte d'un administrateur.")
    return ""


def roles_offered(*, actor: User, user: User) -> list[Role]:
    """The roles the edit page offers: never the superadmin's (no organisation's), the admin's
    only to an administrator, and only the account's own for its owner."""
    if actor.pk == user.pk:
        return [Role(user.role)]
    return [role for role in ORGANISATION_ROLES if role != Role.ADMIN or actor.role == Role.ADMIN]


def is_last_manager(user: User, *, organisation: Organisation) -> bool:
    """Whether `user` is the organisation's only active account that manages it (a manager or
    an administrator): without one, nobody could change its settings or accounts again."""
    if not (user.is_active and can_manage(user.role)):
        return False
    others = User.objects.filter(
        organisation=organisation, is_active=True, role__in=list(SETTINGS_EDITORS)
    ).exclude(pk=user.pk)
    return not others.exists()


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value).strip()


def _clean(
    *, actor: User, user: User, values: Mapping[str, Any], today: date
) -> tuple[AccountValues, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    first_name, last_name = _text(values, "first_name"), _text(values, "last_name")
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        if len(value) > NAME_MAX:
            errors[name] = [
                gettext("%(max)d caractères au plus (il y en a %(count)d).")
                % {"max": NAME_MAX, "count": len(value)}
            ]
    email = _text(values, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [
                gettext("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr.")
            ]
        if len(email) > EMAIL_MAX:
            errors["email"] = [gettext("Adresse e-mail trop longue.")]
    role = _text(values, "role") or user.role
    if role != user.role:
        if actor.pk == user.pk:
            errors["role"] = [
                gettext(
                    "Vous ne pouvez pas changer votre propre rôle : demandez-le à un autre "
                    "responsable."
                )
            ]
        elif role not in {value.value for value in ORGANISATION_ROLES}:
            errors["role"] = [gettext("Ce rôle n'est pas disponible pour votre compte.")]
        elif Role.ADMIN in (role, user.role) and actor.role != Role.ADMIN:
            errors["role"] = [
                gettext("Seul un administrateur donne ou retire le rôle d'administrateur.")
            ]
    language = _text(values, "language") or user.language
    if language not in STAFF_LANGUAGE_CODES:
        errors["language"] = [gettext("Choisissez une langue dans la liste.")]
    until = values.get("access_until")
    if until is not None and not isinstance(until, date):
        errors["access_until"] = [gettext("Date invalide : écrivez-la sous la forme JJ/MM/AAAA.")]
        until = user.access_until
    if role == Role.AUDITOR and until is None:
        errors.setdefault("access_until", []).append(
            gettext("Indiquez jusqu'à quel jour l'auditeur aura accès.")
        )
    elif until is not None and until != user.access_until and until < today:
        errors.setdefault("access_until", []).append(
            gettext("Ce jour est passé : choisissez aujourd'hui ou plus tard.")
        )
    return AccountValues(first_name, last_name, email, role, language, until), errors


def _journal_detail(user: User, changed: list[str], before_role: str) -> str:
    parts = []
    for name in changed:
        if name == "role":
            parts.append(f"rôle : {before_role} → {user.role}")
        else:
            parts.append(_JOURNAL_NAMES[name])
    return " ; ".join(parts)


def user_update(
    *,
    user: User,
    actor: User,
    values: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> list[str]:
    """Validate and save `values` (the keys of EDITABLE; a missing one is unchanged) on `user`,
    an account of `actor`'s organisation; return the names of the fields changed, [] when
    none. Raises PermissionDenied when `actor` may not edit the account, ValidationError
    (field -> French messages) and writes nothing when a value or a rule refuses: a manager
    neither gives nor takes the admin role, nobody changes their own role, the organisation's
    last active manager (or administrator) keeps a role that manages it. A change is recorded
    in the security journal (ACCOUNT_CHANGED, by `actor`)."""
    refusal = edit_refusal(actor=actor, user=user)
    if refusal:
        raise PermissionDenied(refusal)
    organisation = actor.organisation
    assert organisation is not None
    given = {name: values[name] for name in EDITABLE if name in values}
    with transaction.atomic():
        # The organisation's row, locked: two managers demoting each other at once take turns,
        # and the second sees that the first left nobody else to manage.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        user.refresh_from_db()
        current = {name: getattr(user, name) for name in EDITABLE}
        cleaned, errors = _clean(
            actor=actor,
            user=user,
            values={**current, **given},
            today=local_today(organisation),
        )
        if (
            "role" not in errors
            and cleaned.role != user.role
            and not can_manage(cleaned.role)
            and is_last_manager(user, organisation=organisation)
        ):
            errors["role"] = [
                gettext(
                    "C'est le dernier compte actif qui gère l'organisme : donnez d'abord le rôle "
                    "de responsable à un autre compte."
                )
            ]
        if errors:
            raise ValidationError(errors)
        new = {name: getattr(cleaned, name) for name in EDITABLE}
        changed = [name for name in EDITABLE if current[name] != new[name]]
        if not changed:
            return []
        for name in changed:
            setattr(user, name, new[name])
        # The admin role is also Django's superuser, as user_create makes it.
        user.is_staff = user.is_superuser = user.role == Role.ADMIN
        user.save(update_fields=[*changed, "is_staff", "is_superuser"])
        security_record(
            SecurityEvent.ACCOUNT_CHANGED,
            user=user,
            actor=actor,
            request=request,
            detail=_journal_detail(user, changed, str(current["role"])),
        )
    return changed
