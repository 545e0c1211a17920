"""An organisation's own layout of its letters: absent, the letters use the default one."""

from django.conf import settings
from django.db import models

from reclamations.core.models import Organisation


class LetterLayout(models.Model):
    """The HTML template and CSS of the organisation's letters ("": the default ones) and its
    logo, kept in the row (a few hundred kilobytes at most) so that it is saved, backed up and
    restored with the rest."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="letter_layout"
    )
    html = models.TextField("HTML", blank=True)
    css = models.TextField("CSS", blank=True)
    logo = models.BinaryField("logo", blank=True, default=b"")
    logo_type = models.CharField("type du logo", max_length=20, blank=True)
    logo_name = models.CharField("fichier du logo", max_length=255, blank=True)
    updated_at = models.DateTimeField("modifiée le")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "mise en page des lettres"

    def __str__(self) -> str:
        return f"Mise en page des lettres de {self.organisation}"
