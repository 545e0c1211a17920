import hashlib
import secrets
from datetime import date, datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from reclamations.core.calendar import CALENDAR_KIND_LABELS, CalendarKind
from reclamations.core.causes import causes_in_use
from reclamations.core.languages import FRENCH, STAFF_LANGUAGES
from reclamations.core.procedure import (
    DEFAULT_ANONYMISE_MONTHS,
    DEFAULT_ARCHIVE_MONTHS,
    DEFAULT_DEADLINE_DAYS,
    DEFAULT_DUE_SOON_DAYS,
    MAX_DEADLINE_DAYS,
    MIN_DEADLINE_DAYS,
    PHONE_CLOCK_LABELS,
    PhoneClock,
)
from reclamations.core.roles import Role
from reclamations.core.sealed import seal, unseal
from reclamations.core.security_events import SecurityEvent
from reclamations.core.worded import from_json, said

CALENDAR_KIND_CHOICES = [(kind.value, CALENDAR_KIND_LABELS[kind]) for kind in CalendarKind]
PHONE_CLOCK_CHOICES = [(clock.value, PHONE_CLOCK_LABELS[clock]) for clock in PhoneClock]


class Organisation(models.Model):
    """The organisation's profile: identity, procedure settings, recourse. All are settings."""

    name = models.CharField("nom", max_length=200)
    legal_name = models.CharField("raison sociale", max_length=200, blank=True)
    siret = models.CharField("SIRET", max_length=20, blank=True)
    nda = models.CharField("numéro de déclaration d'activité", max_length=30, blank=True)
    address = models.TextField("adresse postale", blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)
    website = models.URLField("site web", blank=True)
    complaints_email = models.EmailField("adresse des réclamations", blank=True)
    referent_name = models.CharField("référent·e", max_length=200, blank=True)
    referent_title = models.CharField("fonction du référent", max_length=200, blank=True)
    referent_email = models.EmailField("e-mail du référent", blank=True)

    time_zone = models.CharField("fuseau horaire", max_length=64, default="Europe/Paris")
    holiday_subdivision = models.CharField(
        "jours fériés régionaux",
        max_length=16,
        blank=True,
        help_text="Vide : métropole. 57, 6AE : Alsace-Moselle. 971 à 976 : outre-mer.",
    )
    reference_prefix = models.CharField("préfixe des références", max_length=10, default="REC")

    deadline_days = models.PositiveSmallIntegerField(
        "délai de réponse (jours)", default=DEFAULT_DEADLINE_DAYS
    )
    calendar_kind = models.CharField(
        "décompte",
        max_length=10,
        choices=CALENDAR_KIND_CHOICES,
        default=CalendarKind.OUVRABLES.value,
    )
    carry_saturday = models.BooleanField(
        "reporter au jour ouvrable suivant une échéance tombant un samedi", default=False
    )
    phone_clock = models.CharField(
        "point de départ pour une réclamation téléphonique",
        max_length=12,
        choices=PHONE_CLOCK_CHOICES,
        default=PhoneClock.CALL.value,
    )
    suspend_while_awaiting_information = models.BooleanField(
        "suspendre le délai pendant l'attente d'informations du client", default=False
    )
    extra_closures = models.JSONField("fermetures de l'organisme", default=list, blank=True)
    worked_holidays = models.JSONField("jours fériés travaillés", default=list, blank=True)
    # Labels offered when a complaint's cause is analysed; empty: core.causes.DEFAULT_CAUSES.
    cause_list = models.JSONField("causes proposées", default=list, blank=True)
    due_soon_days = models.PositiveSmallIntegerField(
        "alerte « bientôt dû » (jours)", default=DEFAULT_DUE_SOON_DAYS
    )

    mediator_name = models.CharField("médiateur", max_length=200, blank=True)
    mediator_address = models.TextField("adresse du médiateur", blank=True)
    mediator_website = models.URLField("site du médiateur", blank=True)
    # Consumer mediators are listed by the CECMC (Commission d'évaluation et de contrôle de la
    # médiation de la consommation); naming one it does not list is flagged before a reply goes.
    mediator_cecmc_listed = models.BooleanField("médiateur référencé par la CECMC", default=False)
    court_name = models.CharField("tribunal compétent", max_length=200, blank=True)
    procedure_version = models.CharField("version de la procédure", max_length=40, default="1")

    # Set by the mailbox reading when it fails (server out of reach, login or token refused),
    # cleared when it works again: staff pages say that clients' e-mails are waiting.
    mailbox_failing_since = models.DateTimeField("boîte non relevée depuis", null=True, blank=True)
    mailbox_error = models.TextField("erreur de relève", blank=True)
    # The same, said in a page's reader's language (core.worded parts).
    mailbox_error_parts = models.JSONField("erreur de relève (détail)", default=list, blank=True)
    # Managers and administrators always need a second factor; referents when this says so
    # (core/accounts.py). Auditors may choose it.
    two_factor_for_referents = models.BooleanField(
        "double authentification obligatoire pour les référent·es", default=False
    )

    # Personal data (privacy.retention, decision 0024): months after closure before a complaint
    # is archived, then anonymised (five years by default).
    retention_archive_months = models.PositiveSmallIntegerField(
        "archivage après (mois)", default=DEFAULT_ARCHIVE_MONTHS
    )
    retention_anonymise_months = models.PositiveSmallIntegerField(
        "anonymisation après (mois)", default=DEFAULT_ANONYMISE_MONTHS
    )

    # Made by `reclamations demo` only: the demo refreshes it and never touches another, and
    # `reclamations init` refuses to start a real register beside it (core/installation.py).
    demo = models.BooleanField("organisme de démonstration", default=False, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "organisation"
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_days__gte=MIN_DEADLINE_DAYS)
                & Q(deadline_days__lte=MAX_DEADLINE_DAYS),
                name="organisation_deadline_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def causes(self) -> tuple[str, ...]:
        """The causes offered when a complaint's cause is analysed."""
        return causes_in_use(self.cause_list)

    @property
    def mailbox_error_shown(self) -> str:
        """Why the mailbox cannot be read, in the active language (the French kept otherwise:
        a failure recorded before the parts were)."""
        parts = from_json(self.mailbox_error_parts)
        return said(parts, gettext) if parts else self.mailbox_error


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField("rôle", max_length=16, choices=Role.choices, default=Role.REFERENT)
    # An auditor's access ends by itself after this day (the organisation's date): pages, files
    # and API tokens are refused from the next day on (core/access.py).
    access_until = models.DateField("accès jusqu'au", null=True, blank=True)
    # A password someone else chose or saw (generated on the users page, reset by an
    # administrator): its owner must replace it before anything else.
    password_provisional = models.BooleanField("mot de passe provisoire", default=False)
    # Set by `reclamations demo` only, and honoured only while the demo is served
    # (settings.RECLAMATIONS_DEMO): no forced change, no second factor required.
    demo = models.BooleanField("compte de démonstration", default=False)
    # The language of the staff pages for this account (core/languages.py).
    language = models.CharField("langue", max_length=8, choices=STAFF_LANGUAGES, default=FRENCH)

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            # The super-administrator administers the installation and reads no register.
            models.CheckConstraint(
                condition=~Q(role=Role.SUPERADMIN) | Q(organisation__isnull=True),
                name="superadmin_has_no_organisation",
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def access_ended(self, today: date) -> bool:
        return self.access_until is not None and today > self.access_until


class ProcedureVersion(models.Model):
    """A published version of the organisation's complaints procedure: its text as written, the
    label complaints record, the day it came into force. Never changed once published: a
    correction is a new version (core/procedures.py)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="procedure_versions"
    )
    number = models.PositiveIntegerField("numéro")
    label = models.CharField("version", max_length=40)
    text = models.TextField("texte")
    in_force_from = models.DateField("en vigueur à partir du")
    published_at = models.DateTimeField("publiée le")
    published_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="procedure_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class AccessRecord(models.Model):
    """What an auditor opened: a page, a file, an API call (core/access.py records them)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="accesses")
    at = models.DateTimeField("le")
    method = models.CharField(max_length=8)
    path = models.CharField("adresse", max_length=500)
    status = models.PositiveSmallIntegerField("réponse")

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "-at"], name="access_journal"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.method} {self.path}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("expire le")

    class Meta:
        verbose_name = "jeton d'API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """Return (token, prefix, hash)."""
        raw = "rec_" + secrets.token_urlsafe(32)
        return raw, raw[:12], _hash_token(raw)

    @staticmethod
    def hash_of(raw: str) -> str:
        return _hash_token(raw)

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class RecoveryCode(models.Model):
    """A single-use code that replaces the authenticator app's code once (a lost phone). Only its
    SHA-256 is stored; the codes are shown once, when they are made (core/two_factor.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "code de secours"
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"code de secours de {self.user_id}"


class MailboxToken(models.Model):
    """The OAuth 2.0 tokens of a mailbox login (Microsoft 365, Gmail): the refresh token the
    owner's consent gave, replaced by the one each renewal returns (Microsoft rotates them), and
    the current access token. Written by core/mail_tokens.py only.

    An organisation's own mailbox (intake.Mailbox) keeps its tokens under its organisation: a
    manager who types another organisation's login in their mailbox settings is never handed
    that organisation's token. The OAUTH2_* mailbox's tokens have no organisation.

    Both tokens are sealed (core/sealed.py) as the mailbox's own secrets are: a refresh token
    read from a dump or a backup would open the mailbox for months."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    account = models.CharField("compte", max_length=254)
    refresh_token_sealed = models.TextField("jeton de renouvellement (chiffré)", blank=True)
    access_token_sealed = models.TextField("jeton d'accès (chiffré)", blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.TextField(blank=True)
    authorized_at = models.DateTimeField("consentement du", null=True, blank=True)
    refreshed_at = models.DateTimeField("renouvelé le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton OAuth 2.0 de messagerie"
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(organisation__isnull=True),
                name="mailbox_token_settings_account_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "account"],
                condition=models.Q(organisation__isnull=False),
                name="mailbox_token_organisation_account_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.account

    # Properties, so that MailboxToken(refresh_token=...) seals as well. Reading raises
    # SealedSecretError when the installation's keys cannot open the stored text.
    @property
    def refresh_token(self) -> str:
        return unseal(self.refresh_token_sealed)

    @refresh_token.setter
    def refresh_token(self, plain: str) -> None:
        self.refresh_token_sealed = seal(plain)

    @property
    def access_token(self) -> str:
        return unseal(self.access_token_sealed)

    @access_token.setter
    def access_token(self, plain: str) -> None:
        self.access_token_sealed = seal(plain)


class SecurityRecord(models.Model):
    """The security journal: one thing that happened to an account (a login, a refused one, a
    lockout, a second factor, a password or a token changed, a page refused), from where.
    Written by core.security.security_record only; kept RECLAMATIONS_SECURITY_JOURNAL_DAYS."""

    # None: a name nobody has was typed at the login (shown to administrators only).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The account's name, or the one typed at a refused login.
    username = models.CharField("compte", max_length=150, blank=True)
    # Who did it, when not the account's owner (a manager resetting a second factor).
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("événement", max_length=32, choices=SecurityEvent.choices)
    address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=200, blank=True)
    path = models.CharField("page", max_length=500, blank=True)
    detail = models.CharField("précision", max_length=200, blank=True)
    at = models.DateTimeField("le")

    class Meta:
        verbose_name = "événement de sécurité"
        indexes = [
            models.Index(fields=["organisation", "-at"], name="security_journal"),
            models.Index(fields=["at"], name="security_journal_purge"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SecurityEvent.values), name="security_record_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.username}"


class WorkerHeartbeat(models.Model):
    """A `reclamations worker` process saying it is alive (core/heartbeat.py), read by the
    health page: one row per process, its name the host and the process id."""

    worker = models.CharField("worker", max_length=200, unique=True)
    started_at = models.DateTimeField("premier signe de vie")
    beat_at = models.DateTimeField("dernier signe de vie")

    class Meta:
        verbose_name = "signe de vie d'un worker"
        indexes = [models.Index(fields=["-beat_at"], name="worker_heartbeat_latest")]

    def __str__(self) -> str:
        return self.worker
