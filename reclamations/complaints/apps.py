from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "reclamations.complaints"
    label = "complaints"
    verbose_name = "Réclamations"

    def ready(self) -> None:
        from reclamations.complaints.notifications.delivery import ComplaintDeliveries
        from reclamations.outbox.delivery import listen

        listen(ComplaintDeliveries())
