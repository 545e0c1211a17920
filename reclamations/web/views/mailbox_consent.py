"""The manager connects the organisation's own mailbox to Microsoft 365 or Gmail (decision
0037): a button of the mailbox page sends the browser to the provider with the organisation's
application, and the provider sends it back here with a code, which is exchanged for the
mailbox's tokens (intake.mailbox_consent).

`state` (OAuth 2.0's protection against a forged return) is signed with the organisation's
number and kept in the session that asked: a return the session did not ask for is refused,
and one asked for another organisation is answered 404, as any of its records would be. The
PKCE verifier stays in the session, never in an address.
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reclamations.core.oauth2 import PROVIDERS, OAuth2Error, Pkce
from reclamations.intake.mailbox_consent import consent_request, mailbox_consent_store
from reclamations.intake.models import Mailbox
from reclamations.intake.polling import oauth2_config
from reclamations.web.permissions import manager_required

SESSION_KEY = "mailbox_consent"
STATE_SALT = "reclamations.web.mailbox_consent"
# Long enough to sign in at the provider (a second factor included), short enough that an old
# address is worth nothing.
STATE_MAX_AGE = 15 * 60


def consent_redirect_uri() -> str:
    """The address the provider sends the browser back to: registered at the provider as it
    is, so it is built from RECLAMATIONS_BASE_URL, never from the request's host."""
    return settings.RECLAMATIONS_BASE_URL + reverse("mailbox_consent_return")


def consent_authorize_url(mailbox: Mailbox) -> str:
    """The provider's sign-in page the consent button leads to ("" when none is known)."""
    return oauth2_config(mailbox, client_secret="").resolved_authorize_url


def provider_label(mailbox: Mailbox) -> str:
    """Whom the button names: "Microsoft 365", "Google", or the provider in general."""
    if mailbox.oauth_provider == "google":
        return "Google"
    if mailbox.oauth_provider == "microsoft":
        return PROVIDERS["microsoft"].label
    return _("votre fournisseur")


@manager_required
@require_POST
def mailbox_consent_start(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    state = signing.dumps(
        {"organisation": organisation.pk, "nonce": secrets.token_urlsafe(16)}, salt=STATE_SALT
    )
    redirect_uri = consent_redirect_uri()
    try:
        consent = consent_request(organisation=organisation, redirect_uri=redirect_uri, state=state)
    except OAuth2Error as error:
        messages.error(request, error.text(_))
        return redirect("organisation_mailbox")
    request.session[SESSION_KEY] = {
        "state": state,
        "verifier": consent.pkce.verifier,
        "redirect_uri": redirect_uri,
    }
    return HttpResponseRedirect(consent.url)


@manager_required
@require_GET
def mailbox_consent_return(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    state = request.GET.get("state", "")
    try:
        signed = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired:
        return _refused(
            request,
            _("La demande de connexion a expiré (plus de 15 minutes) : recommencez la connexion."),
        )
    except signing.BadSignature:
        return _refused(request, _wrong_state())
    if signed.get("organisation") != organisation.pk:
        raise Http404
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("state") != state:
        # Not what this session asked for: a forged return, or a second tab's. The session's own
        # pending consent, if any, is left to complete.
        return _refused(request, _wrong_state())
    del request.session[SESSION_KEY]
    error = request.GET.get("error", "")
    if error:
        return _refused(request, _provider_refusal(error, request.GET.get("error_description", "")))
    code = request.GET.get("code", "")
    if not code:
        return _refused(request, _("Le fournisseur n'a renvoyé aucun code : recommencez."))
    try:
        mailbox_consent_store(
            organisation=organisation,
            actor=request.user,
            code=code,
            redirect_uri=pending["redirect_uri"],
            pkce=Pkce.from_verifier(pending["verifier"]),
        )
    except OAuth2Error as failure:
        return _refused(request, failure.text(_))
    messages.success(
        request,
        _(
            "Boîte des réclamations connectée : le consentement est enregistré et le worker la "
            "relèvera à son prochain passage."
        ),
    )
    return redirect("organisation_mailbox")


def _wrong_state() -> str:
    return _(
        "Ce retour du fournisseur ne correspond à aucune connexion demandée par cette session "
        "(« state » différent) : recommencez depuis cette page, dans le même navigateur."
    )


def _provider_refusal(error: str, description: str) -> str:
    if error == "access_denied":
        return _(
            "Connexion refusée : le consentement n'a pas été donné chez le fournisseur. "
            "Recommencez, connecté avec le compte de la boîte des réclamations, et acceptez."
        )
    text = _("Le fournisseur a refusé la connexion (%(error)s).") % {"error": error[:100]}
    if description.strip():
        text += " " + _("Détail : %(detail)s") % {"detail": description.strip()[:300]}
    return text


def _refused(request: HttpRequest, text: str) -> HttpResponse:
    messages.error(request, _("La connexion n'a pas abouti. %(reason)s") % {"reason": text})
    return redirect("organisation_mailbox")
