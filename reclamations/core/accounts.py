"""What an account must do before it may use the register: enter its second factor, replace a
provisional password, set up two-factor authentication where it is required. The staff pages
ask `pending_step` on every request (web/permissions.py)."""

from enum import StrEnum

from django.conf import settings

from reclamations.core.models import User
from reclamations.core.roles import Role

# The roles that always need a second factor: they change the organisation and its accounts
# (the super-administrator, organisations and their managers).
TWO_FACTOR_ROLES = frozenset({Role.MANAGER, Role.ADMIN, Role.SUPERADMIN})


class Step(StrEnum):
    SECOND_FACTOR = "second_factor"
    PASSWORD = "password"  # noqa: S105 - a step's name
    ENROL = "enrol"


def demo_exempt(user: User) -> bool:
    """A demo account, while the demo is served: its password is printed for anyone to try."""
    return user.demo and settings.RECLAMATIONS_DEMO


def two_factor_required(user: User) -> bool:
    if demo_exempt(user):
        return False
    if user.role in TWO_FACTOR_ROLES:
        return True
    organisation = user.organisation
    return (
        user.role == Role.REFERENT
        and organisation is not None
        and organisation.two_factor_for_referents
    )


def pending_step(*, user: User, enrolled: bool, verified: bool) -> Step | None:
    """The step the account must take now, in order: the second factor it has (so that a
    stolen password alone reaches nothing), its own password, then the second factor its role
    requires."""
    if enrolled and not verified:
        return Step.SECOND_FACTOR
    if user.password_provisional and not demo_exempt(user):
        return Step.PASSWORD
    if not enrolled and two_factor_required(user):
        return Step.ENROL
    return None
