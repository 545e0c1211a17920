from datetime import timedelta

from django.apps import AppConfig


def _retention() -> str:
    from reclamations.privacy.retention import scheduled_retention

    return scheduled_retention()


def _request_reminders() -> str:
    from reclamations.privacy.request_reminders import send_request_reminders

    return send_request_reminders()


class PrivacyConfig(AppConfig):
    name = "reclamations.privacy"
    label = "privacy"
    verbose_name = "Données personnelles"

    def ready(self) -> None:
        from reclamations.complaints.organisation_events import register_check
        from reclamations.privacy.request_reading import data_request_findings
        from reclamations.worker import Job, register_job

        # Daily: a complaint falls due on a day, and a day late is well within what the policy
        # promises (months).
        register_job(Job(name="retention", run=_retention, every=timedelta(days=1)))
        # As often as the complaints' reminders: they share the sending hour, which a daily
        # run could miss by a day.
        register_job(
            Job(
                name="data-request-reminders",
                run=_request_reminders,
                every=timedelta(minutes=15),
            )
        )
        register_check("data-requests", data_request_findings)
