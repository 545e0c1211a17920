from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from reclamations.backups.schedule import BackupAlert, backup_alert
from reclamations.core.roles import Role, can_handle, can_manage, is_superadmin

# A reading that fails once (a server restarting, a network blip) recovers a minute later; a
# quarter of an hour of failures is worth telling staff.
MAILBOX_ALERT_AFTER = timedelta(minutes=15)
# The backups' health is read once in a while, not at every page: a warning about days without
# a backup may come a few minutes late.
BACKUP_ALERT_CACHE = "backup-alert"
BACKUP_ALERT_SECONDS = 5 * 60


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    organisation = user.organisation
    context: dict[str, object] = {
        "can_handle": can_handle(user.role),
        "can_manage": can_manage(user.role),
        "is_superadmin": is_superadmin(user.role),
        "organisation": organisation,
        "role_label": Role(user.role).label if user.role in Role.values else user.role,
    }
    failing_since = organisation.mailbox_failing_since if organisation else None
    if (
        failing_since is not None
        and can_handle(user.role)
        and failing_since <= timezone.now() - MAILBOX_ALERT_AFTER
    ):
        context["mailbox_failing_since"] = failing_since
        context["mailbox_error"] = organisation.mailbox_error_shown
    if can_manage(user.role):
        context["backup_alert"] = _backup_alert()
    return context


def _backup_alert() -> BackupAlert | None:
    # Cached as a one-item list: None (all is well) is an answer to keep, not a missing key.
    cached = cache.get(BACKUP_ALERT_CACHE)
    if cached is None:
        cached = [backup_alert(timezone.now())]
        cache.set(BACKUP_ALERT_CACHE, cached, BACKUP_ALERT_SECONDS)
    alert: BackupAlert | None = cached[0]
    return alert
