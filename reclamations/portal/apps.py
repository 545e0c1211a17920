from collections.abc import Iterator

from django.apps import AppConfig


def _pending_files() -> Iterator[str]:
    from reclamations.portal.models import PendingComplaint

    for files in PendingComplaint.objects.values_list("files", flat=True).iterator():
        for item in files or ():
            yield item["stored_as"]


class PortalConfig(AppConfig):
    name = "reclamations.portal"
    label = "portal"
    verbose_name = "Espace client"

    def ready(self) -> None:
        from reclamations.backups.storage import register_references

        # The files of a complaint filed online wait in the storage for its confirmation.
        register_references("portal", _pending_files)
