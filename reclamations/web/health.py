"""What the health page (/sante/) checks: the database, the stored files, the workers, the
outbox and the mailbox. Each check says whether it is fine and a few figures, never a person's
data nor an error's text (which may name a server or a bucket): the log has those."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone

from reclamations.backups.storage import HEALTH_PROBES
from reclamations.core.heartbeat import heartbeats
from reclamations.core.models import Organisation
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus

logger = logging.getLogger(__name__)

# As the staff pages say it (web.context): a quarter of an hour of failed readings.
MAILBOX_FAILING_AFTER = timedelta(minutes=15)
PROBE_CONTENT = b"reclamations: sante\n"


@dataclass
class Check:
    ok: bool
    detail: str = ""  # French, said only when something is wrong
    figures: dict[str, int | None] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        answer: dict[str, object] = {"ok": self.ok, **self.figures}
        if self.detail:
            answer["detail"] = self.detail
        return answer


def _seconds_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def _minutes(seconds: int) -> str:
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def check_database(now: datetime) -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Check(ok=True)


def check_storage(now: datetime) -> Check:
    """A file written, read back and deleted, where documents are stored (the data directory
    or object storage)."""
    name = default_storage.save(
        f"{HEALTH_PROBES}/{uuid.uuid4().hex}.txt", ContentFile(PROBE_CONTENT)
    )
    try:
        with default_storage.open(name, "rb") as stored:
            read = stored.read()
    finally:
        default_storage.delete(name)
    if read != PROBE_CONTENT:
        return Check(
            ok=False, detail="Le fichier écrit dans le stockage ne se relit pas à l'identique."
        )
    return Check(ok=True)


def check_worker(now: datetime) -> Check:
    window = timedelta(minutes=settings.RECLAMATIONS_HEALTH_WORKER_MINUTES)
    seen = heartbeats(within=window, now=now)
    since = _seconds_since(seen.last, now)
    figures: dict[str, int | None] = {"workers": seen.alive, "last_heartbeat_seconds": since}
    if since is None:
        return Check(
            ok=False,
            detail="Aucun worker n'a encore donné signe de vie : lancez « reclamations worker ».",
            figures=figures,
        )
    if seen.alive == 0:
        return Check(
            ok=False,
            detail=(
                f"Aucun worker n'a donné signe de vie depuis {_minutes(since)} : les messages "
                "ne partent plus et la boîte n'est plus relevée."
            ),
            figures=figures,
        )
    return Check(ok=True, figures=figures)


def check_outbox(now: datetime) -> Check:
    undelivered = Q(status__in=[OutgoingStatus.QUEUED, OutgoingStatus.SENDING])
    figures = OutgoingMessage.objects.aggregate(
        undelivered=Count("id", filter=undelivered),
        oldest=Min("created_at", filter=undelivered),
        failed=Count(
            "id", filter=Q(status=OutgoingStatus.FAILED, created_at__gte=now - timedelta(days=1))
        ),
    )
    age = _seconds_since(figures["oldest"], now)
    answer: dict[str, int | None] = {
        "undelivered": figures["undelivered"],
        "oldest_undelivered_seconds": age,
        "failed_last_24h": figures["failed"],
    }
    limit = settings.RECLAMATIONS_HEALTH_OUTBOX_MINUTES * 60
    if age is not None and age > limit:
        return Check(
            ok=False,
            detail=(
                f"Un message attend d'être envoyé depuis {_minutes(age)} : vérifiez le serveur "
                "SMTP et les workers."
            ),
            figures=answer,
        )
    return Check(ok=True, figures=answer)


def check_mailbox(now: datetime) -> Check:
    """Every organisation's mailbox (its own, or the IMAP_* settings'): how many cannot be read
    now, and failed once one has not been read for MAILBOX_FAILING_AFTER (a server's short
    outage pages nobody). Counts, never names: the page answers anyone who asks."""
    failing = Q(mailbox_failing_since__isnull=False)
    figures_row = Organisation.objects.aggregate(
        first=Min("mailbox_failing_since"),
        failing=Count("id", filter=failing),
        late=Count("id", filter=failing & Q(mailbox_failing_since__lt=now - MAILBOX_FAILING_AFTER)),
    )
    age = _seconds_since(figures_row["first"], now)
    figures: dict[str, int | None] = {
        "failing_for_seconds": age,
        "failing_mailboxes": figures_row["failing"],
    }
    late = figures_row["late"]
    if late:
        return Check(
            ok=False,
            detail=(
                f"{late} boîte{'s' if late > 1 else ''} des réclamations ne "
                f"{'peuvent' if late > 1 else 'peut'} plus être relevée{'s' if late > 1 else ''} "
                f"(la plus ancienne depuis {_minutes(age or 0)}) : la cause est affichée aux "
                "responsables de l'organisme et sur /plateforme/."
            ),
            figures=figures,
        )
    return Check(ok=True, figures=figures)


CHECKS: dict[str, Callable[[datetime], Check]] = {
    "database": check_database,
    "storage": check_storage,
    "worker": check_worker,
    "outbox": check_outbox,
    "mailbox": check_mailbox,
}

_NO_DATABASE = "La base de données ne répond pas."
FAILED = {
    "database": _NO_DATABASE,
    "storage": "Le stockage des fichiers ne répond pas.",
    "worker": _NO_DATABASE,
    "outbox": _NO_DATABASE,
    "mailbox": _NO_DATABASE,
}


@dataclass(frozen=True)
class Health:
    checks: dict[str, Check]

    @property
    def healthy(self) -> bool:
        return all(check.ok for check in self.checks.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, check in self.checks.items() if not check.ok]

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.healthy else "fail",
            "checks": {name: check.as_json() for name, check in self.checks.items()},
        }


def health(now: datetime | None = None) -> Health:
    """Every check's answer; a check that raises is failed, its error logged."""
    now = now or timezone.now()
    checks: dict[str, Check] = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check(now)
        except Exception as error:
            logger.exception("Santé : le contrôle %s a échoué", name)
            checks[name] = Check(ok=False, detail=f"{FAILED[name]} ({type(error).__name__})")
    return Health(checks)
