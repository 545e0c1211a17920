"""Staff accounts and API tokens."""

import secrets
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from reclamations.core.access import access_ended
from reclamations.core.languages import FRENCH, STAFF_LANGUAGE_CODES
from reclamations.core.models import ApiToken, Organisation, User
from reclamations.core.roles import ORGANISATION_ROLES, Role, can_manage
from reclamations.core.two_factor import is_enrolled, two_factor_disable

# Recording every use would turn each API read into a write (a lock on SQLite); knowing the
if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# last use to within a few minutes is enough to spot a token that is still in use.
TOKEN_USE_RECORDING_INTERVAL = timedelta(minutes=5)


def user_create(
    *,
    username: str,
    role: str,
    password: str,
    email: str = "",
    organisation: Organisation | None = None,
    first_name: str = "",
    last_name: str = "",
    access_until: date | None = None,
    provisional: bool = False,
    language: str = FRENCH,
) -> User:
    """Create a staff account; the admin role is also superuser.

    Without `organisation`, the account joins the installation's only organisation (the
    command line); none, or several, is a ValueError saying what to do: an account never
    brings an organisation with it. The web pages pass the manager's own organisation.
    `provisional`: the password was shown to someone else, who hands it over; its owner
    replaces it at the first login.
    """
    if role == Role.SUPERADMIN:
        raise ValueError(
            "Un super-administrateur n'appartient à aucun organisme : créez-le avec "
            "« reclamations superadmin create NOM --email E-MAIL »."
        )
    if role not in Role.values:
        known = ", ".join(known_role.value for known_role in ORGANISATION_ROLES)
        raise ValueError(f"Rôle inconnu « {role} » : {known}.")
    if not username.strip():
        raise ValueError("Le nom d'utilisateur est vide.")
    if language not in STAFF_LANGUAGE_CODES:
        raise ValueError(
            f"Langue inconnue « {language} » : {', '.join(sorted(STAFF_LANGUAGE_CODES))}."
        )
    if User.objects.filter(username=username).exists():
        raise ValueError(
            gettext("Le compte « %(username)s » existe déjà.") % {"username": username}
        )
    with transaction.atomic():
        organisation = organisation or _only_organisation()
        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=role,
            organisation=organisation,
            access_until=access_until,
            password_provisional=provisional,
            language=language,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(password)
        user.save()
    return user


def _only_organisation() -> Organisation:
    organisations = list(Organisation.objects.order_by("id")[:2])
    if not organisations:
        raise ValueError(
            "Aucun organisme enregistré : créez-le d'abord avec « reclamations init » (ou la "
            "page de première installation), qui crée aussi son premier responsable."
        )
    if len(organisations) > 1:
        raise ValueError("Plusieurs organismes : précisez --organisation NOM.")
    return organisations[0]


def generated_password() -> str:
    """A provisional password: shown once, to be replaced by its owner."""
    return secrets.token_urlsafe(12)


def password_provisional_set(*, user: User) -> str:
    """Give the account a new provisional password (lost, or never received) and return it."""
    password = generated_password()
    user.set_password(password)
    user.password_provisional = True
    user.save(update_fields=["password", "password_provisional"])
    return password


def accounts_of(organisation: Organisation) -> QuerySet[User]:
    """The organisation's accounts by name, each with `two_factor`: whether it has a confirmed
    key (one query for the whole list)."""
    keys = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(organisation=organisation)
        .annotate(two_factor=Exists(keys))
        .order_by("username")
    )


def account_reset_refusal(*, actor: User, user: User) -> "StrOrPromise":
    """Why `actor` may not reset `user`'s password or second factor from the users page ("" when
    they may): a manager of the same organisation, never for themselves (their own account page
    does that, asking for their password or a code), an administrator's only when an
    administrator."""
    if actor.organisation_id is None or actor.organisation_id != user.organisation_id:
        return gettext_lazy("Seuls les responsables de l'organisme gèrent ses comptes.")
    if not can_manage(actor.role):
        return gettext_lazy("Seuls les responsables de l'organisme gèrent ses comptes.")
    if actor.pk == user.pk:
        return gettext_lazy(
            "Votre propre compte se gère depuis « Mon compte », qui demande votre mot de passe "
            "ou un code."
        )
    if user.role == Role.ADMIN and actor.role != Role.ADMIN:
        return gettext_lazy(
            "Seul un administrateur peut réinitialiser le compte d'un administrateur."
        )
    return ""


def user_password_reset(*, actor: User, user: User) -> str:
    """A new provisional password for `user`, chosen by nobody, to hand over; its owner replaces
    it at the next login. Raises PermissionDenied when `actor` may not."""
    refusal = account_reset_refusal(actor=actor, user=user)
    if refusal:
        raise PermissionDenied(refusal)
    return password_provisional_set(user=user)


def user_two_factor_reset(*, actor: User, user: User) -> bool:
    """Remove `user`'s key and recovery codes (a lost phone); their role asks them to set it up
    again at the next login. False when there was none. Raises PermissionDenied when `actor`
    may not."""
    refusal = account_reset_refusal(actor=actor, user=user)
    if refusal:
        raise PermissionDenied(refusal)
    had = is_enrolled(user)
    two_factor_disable(user)
    return had


def user_language_set(*, user: User, language: str) -> None:
    """The language of the account's pages (core/languages.py)."""
    if language not in STAFF_LANGUAGE_CODES:
        raise ValueError(
            f"Langue inconnue « {language} » : {', '.join(sorted(STAFF_LANGUAGE_CODES))}."
        )
    user.language = language
    user.save(update_fields=["language"])


def password_chosen(*, user: User) -> None:
    """The owner has chosen the password just saved: it is no longer provisional."""
    if user.password_provisional:
        user.password_provisional = False
        user.save(update_fields=["password_provisional"])


TOKEN_MAX_DAYS = 730
TOKEN_DAY_CHOICES = (30, 90, 180, 365, 730)


def token_create(*, user: User, label: str = "", days: int | None = None) -> str:
    """Create a token valid `days` days (settings.API_TOKEN_DEFAULT_DAYS unless given, two
    years at most) and return it: only its digest is kept, it is never shown again."""
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValueError(
            f"Durée de validité invalide : entre 1 et {TOKEN_MAX_DAYS} jours (reçu : {days})."
        )
    label = label.strip()
    max_label = ApiToken._meta.get_field("label").max_length or 100
    if len(label) > max_label:
        raise ValueError(f"Nom trop long : {max_label} caractères au plus.")
    raw, prefix, key_hash = ApiToken.generate()
    ApiToken.objects.create(
        user=user,
        prefix=prefix,
        key_hash=key_hash,
        label=label,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return raw


def token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token; False when it was revoked already."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def tokens_of(
    *, user: User | None = None, organisation: Organisation | None = None
) -> QuerySet[ApiToken]:
    """Tokens, the newest first, with their owner."""
    tokens = ApiToken.objects.select_related("user")
    if user is not None:
        tokens = tokens.filter(user=user)
    if organisation is not None:
        tokens = tokens.filter(user__organisation=organisation)
    return tokens.order_by("-created_at", "-pk")


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=ApiToken.hash_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    now = timezone.now()
    if token is None or token.expires_at <= now or access_ended(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RECORDING_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def addresses_by_language(
    organisation: Organisation, addresses: Sequence[str]
) -> dict[str, list[str]]:
    """Staff addresses grouped by the language of the account that has each (`User.language`),
    so that a message to them is written once per language: an address no active account of
    the organisation has (the referent's mailbox of the settings) reads French. The groups
    come in the order of their first address, each address in the order given."""
    languages: dict[str, str] = {}
    accounts = User.objects.filter(organisation=organisation, is_active=True).exclude(email="")
    for email, language in accounts.order_by("id").values_list("email", "language"):
        languages.setdefault(email.strip().casefold(), language)
    groups: dict[str, list[str]] = {}
    for address in addresses:
        language = languages.get(address.strip().casefold(), FRENCH)
        groups.setdefault(language if language in STAFF_LANGUAGE_CODES else FRENCH, []).append(
            address
        )
    return groups
