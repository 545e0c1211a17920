from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from reclamations.complaints.models import Complaint, ImprovementAction
from reclamations.core.models import Organisation

DEFAULT_DAYS_BEFORE = "3,1"
DEFAULT_DIGEST_HOUR = 8


def parse_days_before(value: str) -> tuple[int, ...]:
    """ "3,1" -> (3, 1): the working days before the due date at which staff are reminded.

    Raises ValueError with a French message on anything but positive whole numbers.
    """
    days: set[int] = set()
    for item in value.replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        if not item.isdigit() or int(item) < 1:
            raise ValueError(
                gettext(
                    "« %(item)s » n'est pas un nombre de jours valide : indiquez des nombres "
                    "entiers positifs séparés par des virgules, par exemple « 3,1 »."
                )
                % {"item": item}
            )
        days.add(int(item))
    return tuple(sorted(days, reverse=True))


def validate_days_before(value: str) -> None:
    try:
        parse_days_before(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class ReminderSettings(models.Model):
    """Who receives the staff reminders and when. Missing row: the defaults apply."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    include_managers = models.BooleanField("envoyer aussi aux responsables", default=True)
    days_before = models.CharField(
        "rappels avant l'échéance (jours, selon le décompte de l'organisme)",
        max_length=40,
        default=DEFAULT_DAYS_BEFORE,
        blank=True,
        validators=[validate_days_before],
        help_text="Nombres de jours séparés par des virgules, par exemple « 3,1 ».",
    )
    digest_hour = models.PositiveSmallIntegerField(
        "heure d'envoi (heure locale)",
        default=DEFAULT_DIGEST_HOUR,
        validators=[MaxValueValidator(23)],
        help_text="Les rappels et le récapitulatif quotidien partent à partir de cette heure.",
    )

    class Meta:
        verbose_name = "réglages des rappels"
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_hour__lte=23), name="reminder_digest_hour_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Rappels de {self.organisation}"

    @property
    def thresholds(self) -> tuple[int, ...]:
        return parse_days_before(self.days_before)


class ReminderSent(models.Model):
    """One reminder given for one complaint and one due date: it is never given twice.

    The due date is part of the key so that a complaint whose due date moves (suspension,
    reopening) is reminded again for its new date.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    # "due_in_3", "due_in_1" (from the organisation's days_before) or "overdue".
    kind = models.CharField(max_length=16)
    due_date = models.DateField()
    days_left = models.SmallIntegerField("jours restant à l'envoi (selon le décompte)")
    sent_at = models.DateTimeField()
    recipients = models.TextField()

    class Meta:
        verbose_name = "rappel envoyé"
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind", "due_date"], name="one_reminder_per_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.due_date}"


class DigestSent(models.Model):
    """The daily digest of one organisation for one local day: at most one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.TextField()
    open_count = models.PositiveIntegerField()
    due_soon_count = models.PositiveIntegerField()
    overdue_count = models.PositiveIntegerField()

    class Meta:
        verbose_name = "récapitulatif envoyé"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="one_digest_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day}"


class ImprovementAlertSent(models.Model):
    """The alert given once an improvement action is past its due date, once per due date
    (a new due date set by editing the action is alerted again when it passes)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.TextField()

    class Meta:
        verbose_name = "alerte d'action d'amélioration envoyée"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "due_date"], name="one_improvement_alert_per_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action_id} {self.due_date}"
