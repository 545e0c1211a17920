from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "reclamations.portal"
    label = "portal"
    verbose_name = "Espace client"
