"""What the security journal records about an account (core/security.py writes it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.TextChoices):
    LOGIN = "login", _("Connexion")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOCKED_OUT = "locked_out", _("Connexion bloquée (trop d'échecs)")
    LOGOUT = "logout", _("Déconnexion")
    SESSION_EXPIRED = "session_expired", _("Session expirée")
    SECOND_FACTOR = "second_factor", _("Code de double authentification accepté")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Code de double authentification refusé")
    RECOVERY_CODE_USED = "recovery_code_used", _("Code de secours utilisé")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Double authentification activée")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Double authentification désactivée")
    TWO_FACTOR_RESET = "two_factor_reset", _("Double authentification réinitialisée")
    RECOVERY_CODES_MADE = "recovery_codes_made", _("Nouveaux codes de secours")
    PASSWORD_CHANGED = "password_changed", _("Mot de passe changé")
    PASSWORD_RESET_ASKED = (
        "password_reset_asked",
        _("Réinitialisation du mot de passe demandée"),
    )
    PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé par lien")
    PASSWORD_PROVISIONAL = (
        "password_provisional",
        _("Mot de passe provisoire donné"),
    )
    # A manager changed an account's name, e-mail, role, language or end of access.
    ACCOUNT_CHANGED = "account_changed", _("Compte modifié")
    TOKEN_CREATED = "token_created", _("Jeton d'API créé")
    TOKEN_REVOKED = "token_revoked", _("Jeton d'API révoqué")
    PERMISSION_REFUSED = "permission_refused", _("Accès refusé")
    # Who took a person's data out of the register, and when (GDPR accountability).
    SUBJECT_EXPORTED = "subject_exported", _("Données d'une personne exportées")
