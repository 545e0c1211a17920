from datetime import timedelta

from django.apps import AppConfig

# The scheduled backup looks every quarter of an hour whether one is due (the last success is
# older than RECLAMATIONS_BACKUP_EVERY_HOURS): a worker restarted often does not back up at
# every start, and a failed backup is tried again within the hour.
BACKUP_CHECK_EVERY = timedelta(minutes=15)


def _scheduled_backup() -> str:
    from reclamations.backups.schedule import scheduled_backup

    return scheduled_backup()


def _sweep_files() -> str:
    from reclamations.backups.sweep import sweep_orphan_files

    return sweep_orphan_files().summary()


class BackupsConfig(AppConfig):
    name = "reclamations.backups"
    label = "backups"
    verbose_name = "Sauvegardes"

    def ready(self) -> None:
        from reclamations.worker import Job, register_job

        register_job(Job(name="backup", run=_scheduled_backup, every=BACKUP_CHECK_EVERY))
        register_job(Job(name="sweep-files", run=_sweep_files, every=timedelta(days=1)))
