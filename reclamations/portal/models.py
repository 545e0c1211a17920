"""What the portal remembers: who asked for a link or sent the form (to limit how often), and
the complaints filed online until their author confirms their e-mail address."""

from django.db import models

from reclamations.core.models import Organisation


class LookupAttempt(models.Model):
    """One request for a link (Suivre ma réclamation), matching or not: the rate limit counts
    them per address and per reference over the last hour."""

    ip = models.GenericIPAddressField("adresse IP", unpack_ipv4=True)
    # "lookup": a link asked for (reference); "filing": the online form sent (e-mail address).
    kind = models.CharField("nature", max_length=8, default="lookup")
    reference = models.CharField("référence ou adresse", max_length=254)
    at = models.DateTimeField("le")

    class Meta:
        verbose_name = "demande de lien de suivi"
        indexes = [
            models.Index(fields=["ip", "at"], name="lookup_by_ip"),
            models.Index(fields=["reference", "at"], name="lookup_by_reference"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.ip}, {self.at:%Y-%m-%d %H:%M})"


class PendingComplaint(models.Model):
    """A complaint filed with the online form, kept until its author confirms their e-mail
    address by the link sent to it: then registered, received at that moment (so that it is
    written, from a known address). Unconfirmed, it is deleted after a day with its files."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    secret_sha256 = models.CharField(max_length=64, unique=True)
    fields = models.JSONField("champs saisis")
    files = models.JSONField("fichiers joints", default=list)  # [{"name", "stored_as"}]
    email = models.EmailField("adresse e-mail")
    ip = models.GenericIPAddressField("adresse IP", unpack_ipv4=True)
    created_at = models.DateTimeField("déposée le")
    expires_at = models.DateTimeField("expire le")
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    reference = models.CharField("référence enregistrée", max_length=40, blank=True)

    class Meta:
        verbose_name = "réclamation en ligne à confirmer"

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"
