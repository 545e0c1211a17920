from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "reclamations.outbox"
    label = "outbox"
    verbose_name = "Messages envoyés"
