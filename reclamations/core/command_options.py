"""Options the `reclamations` commands share, read the same way with the same French words."""

from datetime import date

from django.core.management.base import CommandError


def day_option(value: str | None, option: str) -> date | None:
    """The day an option gives (AAAA-MM-JJ); None when it is not given."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{option} : date invalide « {value} », utilisez le format AAAA-MM-JJ."
        ) from None
