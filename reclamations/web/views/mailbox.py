"""The organisation's own complaints mailbox (decision 0032): its manager sets it, tests the
connection, and sees whether the worker reads it. Always the manager's own organisation's:
the address names none, so no other organisation's mailbox can be asked for."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from reclamations.core.form_fields import add_service_errors
from reclamations.core.models import Organisation
from reclamations.intake.imap import MailboxError
from reclamations.intake.mailbox import connection_check
from reclamations.intake.mailbox_config import candidate, initial_values, mailbox_save
from reclamations.intake.mailbox_consent import consented_at
from reclamations.intake.models import Mailbox, MailboxAuth
from reclamations.intake.polling import env_mailbox_organisation, mailbox_settings
from reclamations.web.forms.mailbox import MailboxForm
from reclamations.web.middleware import let_forms_lead_to
from reclamations.web.permissions import manager_required
from reclamations.web.views.mailbox_consent import (
    consent_authorize_url,
    consent_redirect_uri,
    provider_label,
)

TEST_BUTTON = "tester"


def _translated(error: ValidationError) -> ValidationError:
    """The service's French messages in the page's language (they are marked there)."""
    return ValidationError(
        {name: [_(text) for text in texts] for name, texts in error.message_dict.items()}
    )


def _test(form: MailboxForm, organisation: Organisation) -> tuple[bool, str]:
    """Log in with what the form says (the stored secrets for those left empty)."""
    try:
        row = candidate(organisation=organisation, values=form.values(), secrets=form.secrets())
        waiting = connection_check(mailbox_settings(row))
    except MailboxError as error:
        return False, _("Connexion impossible : %(error)s") % {"error": error.text(_)}
    return True, ngettext(
        "Connexion réussie : %(count)s message à relever dans « %(folder)s ».",
        "Connexion réussie : %(count)s messages à relever dans « %(folder)s ».",
        waiting,
    ) % {"count": waiting, "folder": row.folder}


@manager_required
@require_http_methods(["GET", "POST"])
def organisation_mailbox(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    stored = Mailbox.objects.filter(organisation=organisation).first()
    status = 200
    test: tuple[bool, str] | None = None
    if request.method == "POST":
        form = MailboxForm(request.POST)
        if form.is_valid():
            try:
                if TEST_BUTTON in request.POST:
                    test = _test(form, organisation)
                else:
                    changed = mailbox_save(
                        organisation=organisation,
                        actor=request.user,
                        values=form.values(),
                        secrets=form.secrets(),
                    )
                    if changed:
                        messages.success(request, _("Boîte des réclamations enregistrée."))
                    else:
                        messages.info(request, _("Aucune modification : la boîte est inchangée."))
                    return redirect("organisation_mailbox")
            except ValidationError as error:
                add_service_errors(form, _translated(error))
        if form.errors:
            status = 400
    else:
        form = MailboxForm(initial=initial_values(stored))
    env = env_mailbox_organisation()
    takes_consent = (
        stored is not None
        and stored.auth == MailboxAuth.OAUTH2
        and stored.oauth_grant == "authorization_code"
    )
    response = render(
        request,
        "web/mailbox.html",
        {
            "form": form,
            "mailbox": stored,
            "organisation": organisation,
            "read_from_environment": env is not None and env.pk == organisation.pk,
            "test": test,
            "test_button": TEST_BUTTON,
            "consent": {
                "provider": provider_label(stored),
                "redirect_uri": consent_redirect_uri(),
                "consented_at": consented_at(stored),
                "has_refresh_token": bool(stored.oauth_refresh_token_sealed),
            }
            if takes_consent and stored is not None
            else None,
            "nav": "settings",
        },
        status=status,
    )
    if takes_consent and stored is not None:
        # The consent button's form is sent on to the provider's sign-in page.
        response = let_forms_lead_to(response, consent_authorize_url(stored))
    return response
