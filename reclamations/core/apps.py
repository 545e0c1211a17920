from datetime import timedelta

from django.apps import AppConfig


def _heartbeat() -> str:
    from reclamations.core.heartbeat import heartbeat_record

    return heartbeat_record()


def _purge_security_journal() -> str:
    from reclamations.core.security_journal import kept_days, security_journal_purge

    deleted = security_journal_purge()
    return f"{deleted} événement(s) de plus de {kept_days()} jours supprimé(s)"


class CoreConfig(AppConfig):
    name = "reclamations.core"
    label = "core"
    verbose_name = "Organisation et utilisateurs"

    def ready(self) -> None:
        from reclamations.core.security import connect_login_signals

        connect_login_signals()

        from reclamations.core.heartbeat import EVERY
        from reclamations.worker import Job, register_job

        register_job(Job(name="heartbeat", run=_heartbeat, every=EVERY))
        register_job(
            Job(
                name="purge-security-journal", run=_purge_security_journal, every=timedelta(hours=6)
            )
        )
