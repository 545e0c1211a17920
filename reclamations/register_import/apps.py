from django.apps import AppConfig


class RegisterImportConfig(AppConfig):
    name = "reclamations.register_import"
    label = "register_import"
    verbose_name = "Import d'un registre existant"

    def ready(self) -> None:
        from reclamations.complaints.organisation_events import register_check
        from reclamations.register_import.checks import imported_register_findings

        register_check("register-imports", imported_register_findings)
