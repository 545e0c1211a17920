"""Staff roles and what each may do. Views and API endpoints ask these, never the role names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REFERENT = "referent", _("Référent·e")
    MANAGER = "manager", _("Responsable")
    AUDITOR = "auditor", _("Auditeur·rice")
    ADMIN = "admin", _("Administrateur·rice")
    # The installation's, not an organisation's: creates organisations and their first manager,
    # and reads no register (docs/multi-organisation.md).
    SUPERADMIN = "superadmin", _("Super-administrateur·rice")


# The roles an organisation's account may have (the users page, `reclamations user add`).
ORGANISATION_ROLES = tuple(role for role in Role if role != Role.SUPERADMIN)
ORGANISATION_ROLE_CHOICES = [(role.value, role.label) for role in ORGANISATION_ROLES]


HANDLERS = frozenset({Role.REFERENT, Role.MANAGER, Role.ADMIN})
SETTINGS_EDITORS = frozenset({Role.MANAGER, Role.ADMIN})
READERS = frozenset({Role.REFERENT, Role.MANAGER, Role.AUDITOR, Role.ADMIN})
# An archived complaint (its active retention over, decision 0024) is no longer day-to-day work:
# its file is for those who answer for the register, and for the auditor who checks it.
ARCHIVE_READERS = frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN})


def can_read(role: str) -> bool:
    """Read the register."""
    return role in READERS


def can_read_archived(role: str) -> bool:
    """Open an archived complaint's file (its page, documents, chronology)."""
    return role in ARCHIVE_READERS


def can_handle(role: str) -> bool:
    """Register and treat complaints."""
    return role in HANDLERS


def is_superadmin(role: str) -> bool:
    """Administer the installation: its organisations, never their registers."""
    return role == Role.SUPERADMIN


def can_manage(role: str) -> bool:
    """Change the organisation's settings and its users."""
    return role in SETTINGS_EDITORS
