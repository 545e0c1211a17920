from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reclamations.core.calendar import working_days_unit
from reclamations.core.models import Organisation
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.reminders.services import (
    reminder_settings_for,
    reminder_settings_update,
    staff_recipients,
)

_YES = {"oui": True, "yes": True, "true": True, "non": False, "no": False, "false": False}


def _yes_no(value: str) -> bool:
    try:
        return _YES[value.strip().lower()]
    except KeyError:
        raise CommandError(f"--managers attend oui ou non (reçu : « {value} »).") from None


def _organisation(name: str | None) -> Organisation:
    try:
        return organisation_for_command(name)
    except UnknownOrganisation as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = (
        "Affiche ou modifie les réglages des rappels d'une organisation : destinataires, "
        "jours de rappel avant l'échéance, heure d'envoi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="nom de l'organisation (si plusieurs)")
        parser.add_argument("--managers", help="envoyer aussi aux responsables : oui ou non")
        parser.add_argument(
            "--days-before",
            help="jours avant l'échéance (ouvrables ou ouvrés, selon le décompte de l'organisme), "
            "par exemple « 3,1 »",
        )
        parser.add_argument("--hour", type=int, help="heure locale d'envoi (0 à 23)")

    def handle(self, *args: object, **options: object) -> None:
        organisation = _organisation(options["organisation"])  # type: ignore[arg-type]
        managers = options["managers"]
        days_before = options["days_before"]
        hour = options["hour"]
        if managers is not None or days_before is not None or hour is not None:
            try:
                reminder_settings_update(
                    organisation=organisation,
                    include_managers=None if managers is None else _yes_no(str(managers)),
                    days_before=None if days_before is None else str(days_before),
                    digest_hour=None if hour is None else int(hour),  # type: ignore[call-overload]
                )
            except ValidationError as exc:
                messages = [message for errors in exc.message_dict.values() for message in errors]
                raise CommandError(" ".join(messages)) from exc
        current = reminder_settings_for(organisation)
        recipients = ", ".join(staff_recipients(organisation, current)) or "aucun"
        days = ", ".join(str(days) for days in current.thresholds) or "aucun"
        unit = working_days_unit(organisation.calendar_kind)
        self.stdout.write(f"Organisation : {organisation.name}")
        self.stdout.write(
            f"Envoi aux responsables : {'oui' if current.include_managers else 'non'}"
        )
        self.stdout.write(f"Rappels avant l'échéance ({unit}) : {days}")
        self.stdout.write(f"Heure d'envoi : {current.digest_hour} h")
        self.stdout.write(f"Destinataires : {recipients}")
