from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "reclamations.privacy"
    label = "privacy"
    verbose_name = "Données personnelles"
