"""A forgotten password: Django's reset views with our French pages, the e-mail queued in the
outbox (web/forms/account.py). The answer is the same whether or not the address is known."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from reclamations.core.security import SecurityEvent, security_record
from reclamations.core.users import password_chosen
from reclamations.web.forms.account import PasswordForgottenForm, ResetPasswordForm
from reclamations.web.invitations import link_days


class PasswordForgotten(auth_views.PasswordResetView):
    form_class = PasswordForgottenForm
    template_name = "web/password_reset.html"
    success_url = reverse_lazy("password_reset_done")


class PasswordForgottenSent(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "days": link_days()}


class PasswordResetChoose(auth_views.PasswordResetConfirmView):
    form_class = ResetPasswordForm
    template_name = "web/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: ResetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        password_chosen(user=form.user)
        security_record(SecurityEvent.PASSWORD_RESET, user=form.user, request=self.request)
        return response

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().dispatch(*args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"  # the link's token stays out of other sites
        return response


class PasswordResetDone(auth_views.PasswordResetCompleteView):
    template_name = "web/password_reset_complete.html"
