from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "reclamations.core"
    label = "core"
    verbose_name = "Organisation et utilisateurs"

    def ready(self) -> None:
        from reclamations.core.security import connect_login_signals

        connect_login_signals()
