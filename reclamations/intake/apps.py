from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "reclamations.intake"
    label = "intake"
    verbose_name = "Courrier entrant"
