"""Staff accounts and API tokens."""

from django.db import transaction
from django.utils import timezone

from reclamations.core.models import ApiToken, User
from reclamations.core.roles import Role
from reclamations.core.seed import ensure_seed_organisation


def user_create(*, username: str, role: str, password: str, email: str = "") -> User:
    """Create a staff account in the (single) organisation; the admin role is also superuser."""
    if role not in Role.values:
        raise ValueError(f"Rôle inconnu « {role} » : {', '.join(Role.values)}.")
    if not username.strip():
        raise ValueError("Le nom d'utilisateur est vide.")
    if User.objects.filter(username=username).exists():
        raise ValueError(f"Le compte « {username} » existe déjà.")
    with transaction.atomic():
        organisation = ensure_seed_organisation()
        user = User(
            username=username,
            email=email,
            role=role,
            organisation=organisation,
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
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
