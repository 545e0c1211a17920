from datetime import timedelta

from django.apps import AppConfig


def _send_outbox() -> str:
    from reclamations.outbox.delivery import deliver_due

    return deliver_due().summary()


class OutboxConfig(AppConfig):
    name = "reclamations.outbox"
    label = "outbox"
    verbose_name = "Messages envoyés"

    def ready(self) -> None:
        from reclamations.worker import Job, register_job

        register_job(Job(name="send-outbox", run=_send_outbox, every=timedelta(seconds=30)))
