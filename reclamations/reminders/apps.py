from datetime import timedelta

from django.apps import AppConfig


def _send_reminders() -> str:
    from reclamations.reminders.services import send_reminders

    return send_reminders()


class RemindersConfig(AppConfig):
    name = "reclamations.reminders"
    label = "reminders"
    verbose_name = "Rappels"

    def ready(self) -> None:
        from reclamations.worker import Job, register_job

        register_job(Job(name="send-reminders", run=_send_reminders, every=timedelta(minutes=15)))
