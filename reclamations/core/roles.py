"""Staff roles and what each may do. Views and API endpoints ask these, never the role names."""

from django.db import models


class Role(models.TextChoices):
    REFERENT = "referent", "Référent·e"
    MANAGER = "manager", "Responsable"
    AUDITOR = "auditor", "Auditeur·rice"
    ADMIN = "admin", "Administrateur·rice"


HANDLERS = frozenset({Role.REFERENT, Role.MANAGER, Role.ADMIN})
SETTINGS_EDITORS = frozenset({Role.MANAGER, Role.ADMIN})
READERS = frozenset({Role.REFERENT, Role.MANAGER, Role.AUDITOR, Role.ADMIN})


def can_read(role: str) -> bool:
    """Read the register."""
    return role in READERS


def can_handle(role: str) -> bool:
    """Register and treat complaints."""
    return role in HANDLERS


def can_manage(role: str) -> bool:
    """Change the organisation's settings and its users."""
    return role in SETTINGS_EDITORS
