import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from reclamations.complaints.models import Complaint, Document
from reclamations.core.message_ids import MESSAGE_ID_MAX
from reclamations.core.models import Organisation


class IntakeOutcome(models.TextChoices):
    CREATED = "created", "Réclamation créée"
    APPENDED = "appended", "Ajouté à une réclamation"
    AUTO_REPLY = "auto_reply", "Réponse automatique ignorée"
    TRIAGE = "triage", "À trier"
    QUARANTINED = "quarantined", "Illisible (quarantaine)"
    REGISTERED_FROM_TRIAGE = "registered_from_triage", "Enregistré comme réclamation"
    ATTACHED_FROM_TRIAGE = "attached_from_triage", "Rattaché à une réclamation"
    DISMISSED = "dismissed", "Écarté"


# What waits for a person in the triage inbox.
WAITING_OUTCOMES = (IntakeOutcome.TRIAGE, IntakeOutcome.QUARANTINED)


class IntakeSource(models.TextChoices):
    IMAP = "imap", "Boîte aux lettres (IMAP)"
    EML = "eml", "Import de fichiers .eml"


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
