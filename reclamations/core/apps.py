from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reclamations.core"
    label = "core"
    verbose_name = "Organisation et utilisateurs"
