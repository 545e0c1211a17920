"""The installation's super-administrators: accounts of no organisation, made and ended from
the command line, who create organisations and their first manager and read no register
(docs/multi-organisation.md)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet

from reclamations.core.models import User
from reclamations.core.roles import Role
from reclamations.core.users import generated_password


@dataclass(frozen=True)
class NewSuperadmin:
    account: User
    # Printed once; its owner replaces it at the first login, then sets up two-factor.
    provisional_password: str


def superadmin_create(*, username: str, email: str) -> NewSuperadmin:
    """Create a super-administrator with a provisional password. ValueError (in French) when
    the name is taken or invalid, or the e-mail missing or wrong."""
    username = username.strip()
    email = email.strip()
    if not username:
        raise ValueError("Le nom d'utilisateur est vide.")
    try:
        User.username_validator(username)
    except ValidationError:
        raise ValueError(
            "Nom d'utilisateur invalide : lettres, chiffres et les signes @ . + - _ seulement, "
            "sans espace."
        ) from None
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(
            "Indiquez l'e-mail du super-administrateur (--email nom@domaine.fr) : le lien "
            "« mot de passe oublié » y arrive."
        ) from None
    password = generated_password()
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValueError(f"Le compte « {username} » existe déjà.")
        account = User(
            username=username,
            email=email,
            role=Role.SUPERADMIN,
            organisation=None,
            password_provisional=True,
            # Django's own superuser flags stay off: they are the organisation administrator's
            # (core.users), and would open Django's admin to a reader of no register.
            is_staff=False,
            is_superuser=False,
        )
        account.set_password(password)
        account.save()
    return NewSuperadmin(account, password)


def superadmins() -> QuerySet[User]:
    """Every super-administrator, active or not, by name."""
    return User.objects.filter(role=Role.SUPERADMIN).order_by("username")


def superadmin_deactivate(*, username: str) -> bool:
    """End a super-administrator's access (kept for the journals); False when it had ended
    already. ValueError when no super-administrator has that name."""
    account = superadmins().filter(username=username).first()
    if account is None:
        raise ValueError(f"Aucun super-administrateur « {username} ».")
    if not account.is_active:
        return False
    account.is_active = False
    account.save(update_fields=["is_active"])
    return True
