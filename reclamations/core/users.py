"""Staff accounts and API tokens."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from reclamations.core.access import access_ended
from reclamations.core.models import ApiToken, Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import ensure_seed_organisation

# Recording every use would turn each API read into a write (a lock on SQLite); knowing the
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
) -> User:
    """Create a staff account; the admin role is also superuser.

    Without `organisation`, the account joins the seed organisation (single-organisation
    installs and the command line); the web pages pass the manager's own organisation.
    """
    if role not in Role.values:
        raise ValueError(f"Rôle inconnu « {role} » : {', '.join(Role.values)}.")
    if not username.strip():
        raise ValueError("Le nom d'utilisateur est vide.")
    if User.objects.filter(username=username).exists():
        raise ValueError(f"Le compte « {username} » existe déjà.")
    with transaction.atomic():
        organisation = organisation or ensure_seed_organisation()
        user = User(
            username=username,
            email=email,
            first_name=first_name,
            last_name=last_name,
            role=role,
            organisation=organisation,
            access_until=access_until,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        user.set_password(password)
        user.save()
    return user


def token_create(*, user: User, label: str = "") -> str:
    raw, prefix, key_hash = ApiToken.generate()
    ApiToken.objects.create(user=user, prefix=prefix, key_hash=key_hash, label=label)
    return raw


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(key_hash=ApiToken.hash_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or access_ended(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RECORDING_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
