from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "reclamations.letters"
    label = "letters"
    verbose_name = "Courriers"
