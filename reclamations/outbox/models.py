"""Every message the product sends: a row written with the change that causes it, then delivered.

A row is queued inside the transaction of the change that causes it; the worker sends it after
that transaction committed (delivery.py), so a rolled-back change never sends anything. The
outbox knows nothing of what a message is about: the parts of the application that queue
messages keep their own link to it, and hear about its delivery through `delivery.listen`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from reclamations.core.languages import FRENCH, STAFF_LANGUAGES
from reclamations.core.message_ids import MESSAGE_ID_MAX
from reclamations.core.models import Organisation

KIND_MAX = 24


class OutgoingStatus(models.TextChoices):
    QUEUED = "queued", "En file d'envoi"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec de l'envoi"


class OutgoingMessage(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Named by the part of the application that queues it ("reply", "staff_reminder"...); no
    # choices here, so that a new kind of message needs no migration of the queue.
    kind = models.CharField("type", max_length=KIND_MAX)
    to = models.TextField("destinataires", help_text="Adresses séparées par des virgules.")
    subject = models.CharField("objet", max_length=300)
    body_text = models.TextField("texte")
    # Normalised as core.message_ids does (lowercase, with angle brackets), so that a client's
    # answer quoting it in In-Reply-To finds it by equality.
    message_id = models.CharField(max_length=MESSAGE_ID_MAX, unique=True)
    in_reply_to = models.CharField(max_length=MESSAGE_ID_MAX, blank=True)
    references = models.TextField(blank=True, help_text="Message-ID séparés par des espaces.")
    # RFC 3834: a message written by the product itself (a reminder to staff), which no robot,
    # ours included, must answer.
    auto_submitted = models.BooleanField("envoi automatique", default=False)
    status = models.CharField(
        "état", max_length=8, choices=OutgoingStatus.choices, default=OutgoingStatus.QUEUED
    )
    attempts = models.PositiveIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative")
    claimed_at = models.DateTimeField("pris en charge le", null=True, blank=True)
    last_error = models.TextField("dernière erreur", blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    # Who took it: "smtp.example.org:587", or the folder of .eml files without a server.
    accepted_by = models.CharField("accepté par", max_length=300, blank=True)
    created_at = models.DateTimeField("créé le")

    class Meta:
        verbose_name = "message envoyé"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutgoingStatus.values), name="outgoing_status_known"
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
            # The failures shown above the register: few rows, read on every register page.
            models.Index(
                fields=["organisation", "created_at"],
                condition=Q(status="failed"),
                name="outbox_failed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.get_status_display()})"

    @property
    def recipients(self) -> list[str]:
        return [address.strip() for address in self.to.split(",") if address.strip()]


class OutgoingAttachment(models.Model):
    """A file sent with a message, read from the storage where its owner keeps it (the outbox
    keeps a reference, not a second copy); its SHA-256 proves at sending time that the file
    is still the one chosen."""

    message = models.ForeignKey(
        OutgoingMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    position = models.PositiveSmallIntegerField("rang")
    filename = models.CharField("nom du fichier", max_length=255)
    content_type = models.CharField("type", max_length=100)
    stored_as = models.CharField("fichier enregistré", max_length=255)
    size = models.PositiveBigIntegerField("taille")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "pièce jointe envoyée"
        ordering = ["message", "position"]
        constraints = [
            models.UniqueConstraint(fields=["message", "position"], name="one_attachment_rank"),
        ]

    def __str__(self) -> str:
        return self.filename


class MessageTemplate(models.Model):
    """An organisation's own wording of one kind of message in one language (Django template
    syntax): the language is the recipient's (a client's recorded language).

    Absent row: the default wording, in that language, of the part of the application that
    sends that kind (an English wording never falls back to the organisation's French one).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="message_templates"
    )
    kind = models.CharField("type", max_length=KIND_MAX)
    language = models.CharField("langue", max_length=8, choices=STAFF_LANGUAGES, default=FRENCH)
    subject = models.CharField("objet", max_length=300)
    body = models.TextField("texte")
    updated_at = models.DateTimeField("modifié le")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "modèle de message"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "language"], name="one_template_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.kind} ({self.language})"


class CannedParagraph(models.Model):
    """A paragraph staff insert in what they write to a client (a refund's terms, the
    rescheduling of a session...), written once by a manager."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="canned_paragraphs"
    )
    title = models.CharField("intitulé", max_length=120)
    text = models.TextField("texte")
    updated_at = models.DateTimeField("modifié le")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "paragraphe type"
        ordering = ("title", "id")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="one_paragraph_title"),
        ]

    def __str__(self) -> str:
        return self.title
