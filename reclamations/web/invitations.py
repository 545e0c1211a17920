"""Inviting a new account by e-mail: a link, valid for PASSWORD_RESET_TIMEOUT, where the person
invited chooses their password. Nobody else ever knows it; the link stops working once used
(Django's token covers the password) or when it expires."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from reclamations.core.languages import language_of, long_date
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
    """Queue the invitation (the worker sends it, as every message), in the language chosen
    for the account (User.language)."""
    with translation.override(language_of(user.language)):
        subject, body = _invitation(user, organisation, invited_by)
    outbox_queue(
        organisation=organisation,
        kind=KIND_INVITATION,
        to=user.email,
        subject=subject,
        body_text=body,
        auto_submitted=True,
    )


def _invitation(user: User, organisation: Organisation, invited_by: User | None) -> tuple[str, str]:
    """The invitation's subject and text, in the active language."""
    role = str(dict(Role.choices).get(user.role, user.role)).lower()
    until = (
        _("Votre accès prend fin le %(day)s au soir, sans autre démarche.")
        % {"day": long_date(user.access_until)}
        + "\n"
        if user.access_until
        else ""
    )
    reading = (
        _(
            "Vous pourrez consulter le registre, les réclamations, leurs documents, les "
            "statistiques et le plan d'amélioration, et en exporter les fichiers ; vous ne "
            "pourrez rien modifier, et les pages que vous ouvrez sont conservées dans un "
            "journal des accès."
        )
        + "\n"
        if user.role == Role.AUDITOR
        else ""
    )
    values = {
        "who": invited_by.display_name if invited_by else "",
        "organisation": organisation.name,
        "role": role,
        "username": user.username,
        "days": link_days(),
    }
    invites = (
        _(
            "%(who)s vous invite à utiliser le registre des réclamations de %(organisation)s, "
            "avec le rôle %(role)s."
        )
        if invited_by
        else _(
            "Vous êtes invité·e à utiliser le registre des réclamations de %(organisation)s, "
            "avec le rôle %(role)s."
        )
    )
    body = (
        _("Bonjour,")
        + "\n\n"
        + invites % values
        + "\n"
        + reading
        + until
        + "\n"
        + _("Votre nom d'utilisateur : %(username)s") % values
        + "\n"
        + _("Choisissez votre mot de passe ici (lien valable %(days)s jours, une seule fois) :")
        % values
        + f"\n{one_time_link(user, 'invitation')}\n\n"
        + _("Si vous n'attendiez pas cette invitation, ignorez ce message.")
        + "\n\n-- \n"
        + _("Registre des réclamations de %(organisation)s") % values
        + "\n"
    )
    subject = _("Invitation au registre des réclamations de %(organisation)s") % values
    return subject, body
