"""Every message the product sends: a row written with the change that causes it, then delivered.

A row is queued inside the transaction of the workflow change; the worker sends it after that
transaction committed (delivery.py), so a rolled-back change never sends anything.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reclamations.complaints.models import Complaint, Document
from reclamations.core.models import Organisation


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Accusé de réception"
    INFORMATION_REQUEST = "information_request", "Demande d'informations complémentaires"
    CONFIRMATION_REQUEST = "confirmation_request", "Demande de confirmation écrite"
    REPLY = "reply", "Réponse"
    PROGRESS = "progress", "Point d'avancement"
    STAFF_REMINDER = "staff_reminder", "Rappel à l'équipe"
    STAFF_DIGEST = "staff_digest", "Récapitulatif quotidien"
    STAFF_NOTICE = "staff_notice", "Avis à l'équipe"


# Messages to the client: threaded with the complaint, recorded in its chronology, from templates.
CLIENT_KINDS = frozenset(
    {
        MessageKind.ACKNOWLEDGEMENT,
        MessageKind.INFORMATION_REQUEST,
        MessageKind.CONFIRMATION_REQUEST,
        MessageKind.REPLY,
        MessageKind.PROGRESS,
    }
)
# Written by the product for its own staff: marked Auto-Submitted so that no robot answers them.
STAFF_KINDS = frozenset(MessageKind) - CLIENT_KINDS


class OutgoingStatus(models.TextChoices):
    QUEUED = "queued", "En file d'envoi"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec de l'envoi"


class OutgoingMessage(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing_messages",
    )
    kind = models.CharField("type", max_length=24, choices=MessageKind.choices)
    to = models.TextField("destinataires", help_text="Adresses séparées par des virgules.")
    subject = models.CharField("objet", max_length=300)
    body_text = models.TextField("texte")
    # Normalised as intake's parsing normalises it (lowercase, with angle brackets), so that a
    # client's answer quoting it in In-Reply-To finds it by equality.
    message_id = models.CharField(max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True, help_text="Message-ID séparés par des espaces.")
    status = models.CharField(
        "état", max_length=8, choices=OutgoingStatus.choices, default=OutgoingStatus.QUEUED
    )
    attempts = models.PositiveIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative")
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le")
    eml = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "message envoyé"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutgoingStatus.values), name="outgoing_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MessageKind.values), name="outgoing_kind_known"
            ),
        ]
        indexes = [
            # What the deliverer scans: queued rows whose time has come, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="queued"),
                name="outbox_due",
            ),
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="outbox_sending"
            ),
            models.Index(fields=["complaint", "created_at"], name="outbox_by_complaint"),
            models.Index(
                fields=["organisation", "complaint"],
                condition=Q(status="failed"),
                name="outbox_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to} ({self.get_status_display()})"

    @property
    def recipients(self) -> list[str]:
        return [address.strip() for address in self.to.split(",") if address.strip()]


class MessageTemplate(models.Model):
    """An organisation's own wording of one kind of message to clients (Django template syntax).

    Absent row: the built-in default of templating.DEFAULT_TEMPLATES applies.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="message_templates"
    )
    kind = models.CharField("type", max_length=24, choices=MessageKind.choices)
    subject = models.CharField("objet", max_length=300)
    body = models.TextField("texte")
    updated_at = models.DateTimeField("modifié le")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "modèle de message"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_template_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.kind}"
