"""Inviting a new account by e-mail: a link, valid for PASSWORD_RESET_TIMEOUT, where the person
invited chooses their password. Nobody else ever knows it; the link stops working once used
(Django's token covers the password) or when it expires."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from reclamations.core.french import long_date
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.outbox.services import outbox_queue

KIND_INVITATION = "staff_invitation"


def link_days() -> int:
    """How many days a one-time link (an invitation, a password reset) stays valid."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400)


def one_time_link(user: User, url_name: str) -> str:
    """The page `url_name` for `user` with Django's one-time token (used up once the password
    changes), on the site's own address, never the Host header the request came with."""
    path = reverse(
        url_name,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.RECLAMATIONS_BASE_URL}{path}"


def invited_user(uidb64: str, token: str) -> User | None:
    """The account the link was made for, while the link is valid; None otherwise."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).select_related("organisation").first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def invitation_send(*, user: User, organisation: Organisation, invited_by: User | None) -> None:
    """Queue the invitation (the worker sends it, as every message)."""
    role = dict(Role.choices).get(user.role, user.role).lower()
    until = (
        f"Votre accès prend fin le {long_date(user.access_until)} au soir, sans autre démarche.\n"
        if user.access_until
        else ""
    )
    reading = (
        "Vous pourrez consulter le registre, les réclamations, leurs documents, les "
        "statistiques et le plan d'amélioration, et en exporter les fichiers ; vous ne pourrez "
        "rien modifier, et les pages que vous ouvrez sont conservées dans un journal des accès.\n"
        if user.role == Role.AUDITOR
        else ""
    )
    who = f"{invited_by.display_name} vous invite" if invited_by else "Vous êtes invité·e"
    body = (
        "Bonjour,\n\n"
        f"{who} à utiliser le registre des réclamations de {organisation.name}, avec le rôle "
        f"{role}.\n"
        f"{reading}{until}\n"
        f"Votre nom d'utilisateur : {user.username}\n"
        f"Choisissez votre mot de passe ici (lien valable {link_days()} jours, une seule "
        f"fois) :\n{one_time_link(user, 'invitation')}\n\n"
        "Si vous n'attendiez pas cette invitation, ignorez ce message.\n"
        f"\n-- \nRegistre des réclamations de {organisation.name}\n"
    )
    outbox_queue(
        organisation=organisation,
        kind=KIND_INVITATION,
        to=user.email,
        subject=f"Invitation au registre des réclamations de {organisation.name}",
        body_text=body,
        auto_submitted=True,
    )
