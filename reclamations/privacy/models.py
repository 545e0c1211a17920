"""The data subjects' requests (GDPR articles 15 to 21) and the reminders sent about them.

A request is changed only by privacy.requests, each creation, extension and decision an event
of the organisation's chronology in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.models import Complaint
from reclamations.core.models import Organisation


class RequestKind(models.TextChoices):
    """The right the person exercises (the GDPR's article)."""

    ACCESS = "access", _("Accès (article 15)")
    RECTIFICATION = "rectification", _("Rectification (article 16)")
    ERASURE = "erasure", _("Effacement (article 17)")
    OBJECTION = "objection", _("Opposition (article 21)")


class RequestStatus(models.TextChoices):
    OPEN = "open", "En cours"
    ANSWERED = "answered", "Répondue"


class Decision(models.TextChoices):
    GRANTED = "granted", _("Accordée")
    PARTLY = "partly", _("Accordée en partie")
    REFUSED = "refused", _("Refusée")


# A decision that does not grant everything says why (GDPR article 12(4)).
REASONED_DECISIONS = (Decision.PARTLY, Decision.REFUSED)


class DataRequest(models.Model):
    """A person's request about their personal data, with its one-month clock (GDPR article
    12(3)), its extension if any, and the organisation's decision."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisme"
    )
    kind = models.CharField("droit exercé", max_length=16, choices=RequestKind.choices)
    person_name = models.CharField("nom de la personne", max_length=200)
    person_email = models.EmailField("e-mail de la personne", blank=True)
    received_on = models.DateField("reçue le")
    due_on = models.DateField("échéance (un mois)")
    extended_to = models.DateField("échéance prolongée", null=True, blank=True)
    extension_reason = models.TextField("motif de la prolongation", blank=True)
    extension_told_on = models.DateField(
        "prolongation annoncée à la personne le", null=True, blank=True
    )
    status = models.CharField(
        "état", max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    decision = models.CharField("décision", max_length=16, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("motif de la décision", blank=True)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    notes = models.TextField("notes", blank=True)
    complaints = models.ManyToManyField(
        Complaint, related_name="data_requests", blank=True, verbose_name="réclamations concernées"
    )
    recorded_at = models.DateTimeField("enregistrée le")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="enregistrée par",
    )

    class Meta:
        verbose_name = "demande sur des données personnelles"
        verbose_name_plural = "demandes sur des données personnelles"
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="data_requests_open"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status=RequestStatus.OPEN, decision="", decided_on__isnull=True)
                    | (Q(status=RequestStatus.ANSWERED, decided_on__isnull=False) & ~Q(decision=""))
                ),
                name="data_request_answered_with_decision",
            ),
            models.CheckConstraint(
                condition=~Q(decision__in=REASONED_DECISIONS) | ~Q(decision_reason=""),
                name="data_request_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True)
                | (~Q(extension_reason="") & Q(extension_told_on__isnull=False)),
                name="data_request_extension_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande n° {self.pk} ({self.get_kind_display()})"

    @property
    def deadline(self) -> date:
        """The day the answer is due: the extended one if the request was extended."""
        return self.extended_to or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class DataRequestReminder(models.Model):
    """A reminder sent to the managers about a request, once per kind and deadline: "due_soon"
    (due within days) and "overdue". An extended request is reminded again for its new
    deadline."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16)
    deadline = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.TextField()

    class Meta:
        verbose_name = "rappel de demande envoyé"
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "deadline"], name="one_data_request_reminder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.deadline}"
