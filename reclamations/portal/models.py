"""What the portal remembers of who asked for a link: enough to limit how often."""

from django.db import models


class LookupAttempt(models.Model):
    """One request for a link (Suivre ma réclamation), matching or not: the rate limit counts
    them per address and per reference over the last hour."""

    ip = models.GenericIPAddressField("adresse IP", unpack_ipv4=True)
    reference = models.CharField("référence demandée", max_length=40)
    at = models.DateTimeField("le")

    class Meta:
        verbose_name = "demande de lien de suivi"
        indexes = [
            models.Index(fields=["ip", "at"], name="lookup_by_ip"),
            models.Index(fields=["reference", "at"], name="lookup_by_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.ip}, {self.at:%Y-%m-%d %H:%M})"
