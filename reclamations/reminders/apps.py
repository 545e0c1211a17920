from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reclamations.reminders"
    label = "reminders"
    verbose_name = "Rappels"
