from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "reclamations.web"
    label = "web"
    verbose_name = "Interface web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from reclamations.web.sessions import session_start

        user_logged_in.connect(session_start, dispatch_uid="reclamations.web.session_start")
