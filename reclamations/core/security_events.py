"""What the security journal records about an account (core/security.py writes it)."""

from django.db import models


class SecurityEvent(models.TextChoices):
    LOGIN = "login", "Connexion"
    LOGIN_FAILED = "login_failed", "Échec de connexion"
    LOCKED_OUT = "locked_out", "Connexion bloquée (trop d'échecs)"
    LOGOUT = "logout", "Déconnexion"
    SESSION_EXPIRED = "session_expired", "Session expirée"
    SECOND_FACTOR = "second_factor", "Code de double authentification accepté"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Code de double authentification refusé"
    RECOVERY_CODE_USED = "recovery_code_used", "Code de secours utilisé"
    TWO_FACTOR_ENABLED = "two_factor_enabled", "Double authentification activée"
    TWO_FACTOR_DISABLED = "two_factor_disabled", "Double authentification désactivée"
    TWO_FACTOR_RESET = "two_factor_reset", "Double authentification réinitialisée"
    RECOVERY_CODES_MADE = "recovery_codes_made", "Nouveaux codes de secours"
    PASSWORD_CHANGED = "password_changed", "Mot de passe changé"
    PASSWORD_RESET_ASKED = (
        "password_reset_asked",
        "Réinitialisation du mot de passe demandée",
    )
    PASSWORD_RESET = "password_reset", "Mot de passe réinitialisé par lien"
    PASSWORD_PROVISIONAL = (
        "password_provisional",
        "Mot de passe provisoire donné",
    )
    # A manager changed an account's name, e-mail, role, language or end of access.
    ACCOUNT_CHANGED = "account_changed", "Compte modifié"
    TOKEN_CREATED = "token_created", "Jeton d'API créé"
    TOKEN_REVOKED = "token_revoked", "Jeton d'API révoqué"
    PERMISSION_REFUSED = "permission_refused", "Accès refusé"
    # Who took a person's data out of the register, and when (GDPR accountability).
    SUBJECT_EXPORTED = "subject_exported", "Données d'une personne exportées"
