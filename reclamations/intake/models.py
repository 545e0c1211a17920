import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.models import Complaint, Document
from reclamations.core.message_ids import MESSAGE_ID_MAX
from reclamations.core.models import Organisation


class IntakeOutcome(models.TextChoices):
    CREATED = "created", _("Réclamation créée")
    APPENDED = "appended", _("Ajouté à une réclamation")
    AUTO_REPLY = "auto_reply", _("Réponse automatique ignorée")
    TRIAGE = "triage", _("À trier")
    QUARANTINED = "quarantined", _("Illisible (quarantaine)")
    REGISTERED_FROM_TRIAGE = "registered_from_triage", _("Enregistré comme réclamation")
    ATTACHED_FROM_TRIAGE = "attached_from_triage", _("Rattaché à une réclamation")
    DISMISSED = "dismissed", _("Écarté")


# What waits for a person in the triage inbox.
WAITING_OUTCOMES = (IntakeOutcome.TRIAGE, IntakeOutcome.QUARANTINED)


class IntakeSource(models.TextChoices):
    IMAP = "imap", _("Boîte aux lettres (IMAP)")
    EML = "eml", _("Import de fichiers .eml")


def inbound_path(instance: "InboundEmail", filename: str) -> str:
    return f"inbound/{instance.organisation_id}/{instance.received_at:%Y/%m}/{uuid.uuid4().hex}.eml"


class InboundEmail(models.Model):
    """One message taken from the mailbox or a .eml file, and what became of it.

    The raw bytes are kept unchanged: as the complaint's Document when the message went to a
    complaint, in `raw` otherwise (triage, quarantine, auto-replies), so nothing is ever lost.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="inbound_emails"
    )
    source = models.CharField("provenance", max_length=8, choices=IntakeSource.choices)
    raw = models.FileField(upload_to=inbound_path, max_length=255, blank=True)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    size = models.PositiveBigIntegerField("taille")
    sha256 = models.CharField("empreinte SHA-256", max_length=64, db_index=True)
    # Normalised as core.message_ids does: lowercased, with angle brackets. NULL, not "", when
    # absent: the uniqueness of Message-IDs must not apply to messages without one.
    message_id = models.CharField(  # noqa: DJ001
        max_length=MESSAGE_ID_MAX, null=True, blank=True, db_index=True
    )
    # What the message says (intake.routing.content_fingerprint): the same message delivered
    # again with other transport headers is still the same message.
    content_sha256 = models.CharField("empreinte du contenu", max_length=64, blank=True)
    subject = models.CharField("objet", max_length=500, blank=True)
    sender_name = models.CharField("expéditeur", max_length=200, blank=True)
    sender_address = models.CharField("adresse de l'expéditeur", max_length=320, blank=True)
    excerpt = models.TextField("extrait", blank=True)
    attachment_names = models.JSONField("pièces jointes", default=list, blank=True)
    received_at = models.DateTimeField("arrivé le")
    processed_at = models.DateTimeField("traité le")
    outcome = models.CharField("suite donnée", max_length=24, choices=IntakeOutcome.choices)
    reason = models.TextField("motif", blank=True)
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbound_emails",
    )
    mailbox_uid = models.PositiveBigIntegerField(null=True, blank=True)
    mailbox_uidvalidity = models.PositiveBigIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decision_reason = models.TextField("motif de la décision", blank=True)
    # An e-mail that became no complaint, anonymised by the retention run (privacy.retention);
    # one that did is anonymised with its complaint.
    anonymised_on = models.DateField("anonymisé le", null=True, blank=True)

    class Meta:
        verbose_name = "e-mail reçu"
        verbose_name_plural = "e-mails reçus"
        constraints = [
            # The same message is never processed twice, whichever worker fetched it; another
            # message that reuses its Message-ID (mailers and forwarders do) is kept too.
            models.UniqueConstraint(
                fields=["organisation", "message_id", "sha256"],
                condition=Q(message_id__isnull=False),
                name="inbound_message_once",
            ),
            models.UniqueConstraint(
                fields=["organisation", "sha256"],
                condition=Q(message_id__isnull=True),
                name="inbound_sha256_once_without_message_id",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=IntakeOutcome.values), name="inbound_outcome_known"
            ),
            models.CheckConstraint(
                condition=~Q(outcome=IntakeOutcome.DISMISSED) | ~Q(decision_reason=""),
                name="inbound_dismissed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "outcome", "-received_at"], name="triage_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.sender_address}: {self.subject}"

    @property
    def is_waiting(self) -> bool:
        return self.outcome in WAITING_OUTCOMES


class MailboxSecurity(models.TextChoices):
    SSL = "ssl", "SSL/TLS dès la connexion (993)"
    STARTTLS = "starttls", "STARTTLS (143)"
    NONE = "none", "Aucune (serveur local uniquement)"


class MailboxAuth(models.TextChoices):
    PASSWORD = "password", "Mot de passe"
    OAUTH2 = "oauth2", "OAuth 2.0 (Microsoft 365, Gmail)"


class Mailbox(models.Model):
    """An organisation's own complaints mailbox (decision 0032): what the IMAP_* settings say
    for a one-organisation installation, kept per organisation. A row, active or not, takes the
    place of the IMAP_* settings for its organisation.

    The secrets are sealed (core.sealed) and never shown back: a page or the command replaces
    them, nothing reads them out. Whether the mailbox can be read (since when it fails, and
    why) is kept on the organisation, as for the IMAP_* mailbox: the staff pages and the health
    page read it there.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="mailbox"
    )
    active = models.BooleanField("relever cette boîte", default=True)
    host = models.CharField("serveur IMAP", max_length=255)
    port = models.PositiveIntegerField("port", default=993)
    security = models.CharField(
        "sécurité de la connexion",
        max_length=10,
        choices=MailboxSecurity.choices,
        default=MailboxSecurity.SSL,
    )
    user = models.CharField("identifiant", max_length=255)
    password_sealed = models.TextField("mot de passe (chiffré)", blank=True)
    folder = models.CharField("dossier relevé", max_length=255, default="INBOX")
    # "flag", or "move:FOLDER", as IMAP_PROCESSED.
    processed = models.CharField("messages traités", max_length=260, default="move:Traitees")
    since = models.CharField("relever à partir du", max_length=10, blank=True)
    auth = models.CharField(
        "authentification", max_length=10, choices=MailboxAuth.choices, default=MailboxAuth.PASSWORD
    )
    # OAuth 2.0, as the OAUTH2_* settings.
    oauth_provider = models.CharField("fournisseur OAuth 2.0", max_length=20, default="microsoft")
    oauth_tenant = models.CharField(
        "locataire (Microsoft)", max_length=100, default="organizations"
    )
    oauth_client_id = models.CharField("identifiant de l'application", max_length=255, blank=True)
    oauth_client_secret_sealed = models.TextField("secret de l'application (chiffré)", blank=True)
    oauth_grant = models.CharField("autorisation", max_length=30, default="authorization_code")
    oauth_scope = models.CharField("portée", max_length=500, blank=True)
    oauth_token_url = models.URLField("adresse des jetons", max_length=500, blank=True)
    oauth_authorize_url = models.URLField("adresse de consentement", max_length=500, blank=True)
    oauth_refresh_token_sealed = models.TextField("jeton de renouvellement (chiffré)", blank=True)

    last_polled_at = models.DateTimeField("dernière relève", null=True, blank=True)
    # Set while a worker reads the mailbox (until when it may), so that two workers share the
    # mailboxes instead of both reading each; a worker that died lets it go when it expires.
    reading_until = models.DateTimeField("relève en cours jusqu'au", null=True, blank=True)
    last_success_at = models.DateTimeField("dernière relève réussie", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "boîte des réclamations"

    def __str__(self) -> str:
        return f"{self.user}@{self.host}"
