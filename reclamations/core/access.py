"""An auditor's access: it ends by itself after its last day, and what an auditor opens is
kept (AccessRecord). Used by the staff pages (web/permissions.py), the login form and the API's
token check, so that every way in says the same."""

from django.http import HttpRequest
from django.utils import timezone

from reclamations.core.french import long_date
from reclamations.core.localtime import local_today
from reclamations.core.models import AccessRecord, User
from reclamations.core.roles import Role

MAX_PATH = 500


def access_ended(user: User) -> bool:
    """True once the organisation's today is past the account's last day of access."""
    if user.access_until is None or user.organisation is None:
        return False
    return user.access_ended(local_today(user.organisation))


def access_ended_message(user: User) -> str:
    assert user.access_until is not None
    return (
        f"Votre accès a pris fin le {long_date(user.access_until)}. Pour le prolonger, "
        "adressez-vous à un responsable de l'organisme."
    )


def record_access(request: HttpRequest, user: User, status: int) -> None:
    """Keep what an auditor opened (other roles change the register, whose chronology keeps
    what they did)."""
    if user.role != Role.AUDITOR or user.organisation_id is None:
        return
    path = request.get_full_path()
    AccessRecord.objects.create(
        organisation_id=user.organisation_id,
        user=user,
        at=timezone.now(),
        method=request.method or "",
        path=path[:MAX_PATH],
        status=status,
    )
