from datetime import timedelta

from django.apps import AppConfig


def _fetch_mail() -> str:
    from reclamations.intake.polling import fetch_all_mail

    return fetch_all_mail()


class IntakeConfig(AppConfig):
    name = "reclamations.intake"
    label = "intake"
    verbose_name = "Courrier entrant"

    def ready(self) -> None:
        from reclamations.complaints.anonymisation import register_purge
        from reclamations.complaints.organisation_events import register_check
        from reclamations.intake.retention import PURGE
        from reclamations.intake.triage import triage_findings
        from reclamations.worker import Job, register_job

        register_job(Job(name="fetch-mail", run=_fetch_mail, every=timedelta(minutes=1)))
        register_check("triage", triage_findings)
        register_purge("intake", PURGE)
