from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "reclamations.backups"
    label = "backups"
    verbose_name = "Sauvegardes"
