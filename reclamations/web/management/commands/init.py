"""`reclamations init`: the installation's organisation and first manager, asked question by
question, or from flags with --no-input (scripts); the same checks and the same one door as
the first-run page (docs/first-run.md)."""

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reclamations.complaints.installation import Installed, Via, installation_create
from reclamations.core.installation import InstallationRefused, NewManager, installed_refusal
from reclamations.web.first_run_prompts import InputEnded, Prompter
from reclamations.web.forms.first_run import FirstRunForm

PASSWORD_VARIABLE = "RECLAMATIONS_MANAGER_PASSWORD"  # noqa: S105 - a variable's name
# Flag -> the first-run form's field; a flag without a value sets a yes/no setting.
TEXT_FLAGS = {
    "name": "name",
    "legal-name": "legal_name",
    "siret": "siret",
    "nda": "nda",
    "address": "address",
    "phone": "phone",
    "website": "website",
    "email": "complaints_email",
    "referent-name": "referent_name",
    "referent-title": "referent_title",
    "referent-email": "referent_email",
    "time-zone": "time_zone",
    "subdivision": "holiday_subdivision",
    "deadline-days": "deadline_days",
    "calendar": "calendar_kind",
    "phone-clock": "phone_clock",
    "mediator-name": "mediator_name",
    "mediator-address": "mediator_address",
    "mediator-website": "mediator_website",
    "court": "court_name",
    "manager-username": "manager_username",
    "manager-email": "manager_email",
    "manager-first-name": "manager_first_name",
    "manager-last-name": "manager_last_name",
}
BOOLEAN_FLAGS = {
    "carry-saturday": "carry_saturday",
    "suspend-while-awaiting-information": "suspend_while_awaiting_information",
    "mediator-cecmc-listed": "mediator_cecmc_listed",
}
FLAG_OF = {name: flag for flag, name in {**TEXT_FLAGS, **BOOLEAN_FLAGS}.items()}
MULTILINE = ("address", "mediator_address")


def _migrate_if_needed() -> None:
    """A new data directory's database is created here, as `reclamations serve` does."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)


class Command(BaseCommand):
    help = (
        "Première installation : crée l'organisme (identité, adresse, boîte des réclamations, "
        "référent·e, médiateur, tribunal, calendrier, délai) et son premier compte responsable. "
        "Pose les questions une à une, ou lit les options avec --no-input. Une seule fois par "
        "installation, jamais à côté de la démonstration."
    )
    # Tests feed the answers through call_command(stdin=...), as Django's createsuperuser.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="ne pose aucune question : tout vient des options (scripts)",
        )
        for flag, name in TEXT_FLAGS.items():
            field = FirstRunForm.base_fields[name]
            parser.add_argument(f"--{flag}", dest=name, default=None, help=str(field.label))
        for flag, name in BOOLEAN_FLAGS.items():
            field = FirstRunForm.base_fields[name]
            parser.add_argument(
                f"--{flag}", dest=name, action="store_true", default=None, help=str(field.label)
            )
        parser.add_argument(
            "--manager-password-file",
            type=Path,
            default=None,
            metavar="FICHIER",
            help="le mot de passe du responsable, lu dans ce fichier (sinon la variable "
            f"{PASSWORD_VARIABLE}, sinon un mot de passe provisoire affiché une fois)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _migrate_if_needed()
        refusal = installed_refusal()
        if refusal:
            raise CommandError(refusal)
        self._run(options)

    def _create(self, values: Mapping[str, Any], manager: NewManager) -> Installed:
        """The service that makes the organisation (`reclamations organisation create`
        makes one more)."""
        try:
            return installation_create(values=values, manager=manager, via=Via.COMMAND)
        except InstallationRefused as refused:
            raise CommandError(refused.message) from None

    def _run(self, options: dict[str, Any]) -> None:
        given = self._given(options)
        if options["no_input"]:
            form = FirstRunForm(self._with_defaults(given), password_required=False)
            if not form.is_valid():
                form.add_service_checks()
                raise CommandError(self._errors_text(form))
            values, manager = form.values(), form.manager()
        else:
            stdin = options.get("stdin") or sys.stdin
            prompter = Prompter(stdin, self.stdout, self._defaults(given))
            try:
                values, manager = prompter.ask_all()
                if not prompter.confirm():
                    raise CommandError("Rien n'a été créé.")
            except InputEnded:
                raise CommandError("Saisie interrompue : rien n'a été créé.") from None
        try:
            installed = self._create(values, manager)
        except ValidationError as error:
            form = FirstRunForm(self._with_defaults(given), password_required=False)
            form.is_valid()
            form.add_service_checks()
            raise CommandError(self._errors_text(form) or "; ".join(error.messages)) from None
        self._report(installed)

    def _given(self, options: dict[str, Any]) -> dict[str, Any]:
        """The options given, as the form reads a submitted page."""
        given: dict[str, Any] = {}
        for name in (*TEXT_FLAGS.values(), *BOOLEAN_FLAGS.values()):
            value = options.get(name)
            if value is None:
                continue
            if name in MULTILINE and isinstance(value, str):
                value = value.replace("\\n", "\n")  # "\n" typed on a command line
            given[name] = "on" if value is True else value
        password = self._password(options["manager_password_file"])
        given["manager_password1"] = given["manager_password2"] = password
        return given

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                return path.read_text(encoding="utf-8").rstrip("\r\n")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(
                    f"Fichier du mot de passe illisible : {path} ({error})."
                ) from None
        return os.environ.get(PASSWORD_VARIABLE, "")

    @staticmethod
    def _with_defaults(given: dict[str, Any]) -> dict[str, Any]:
        """The options as a submitted page, the settings not given at a new organisation's
        defaults (a yes/no left unticked)."""
        defaults = {
            name: str(value)
            for name, value in FirstRunForm.defaults().items()
            if value is not None and not isinstance(value, bool)
        }
        return {**defaults, **given}

    @staticmethod
    def _defaults(given: dict[str, Any]) -> dict[str, Any]:
        """The questions' defaults: the options given, else what a new organisation starts with."""
        defaults = {**FirstRunForm.defaults(), **given}
        for name in BOOLEAN_FLAGS.values():
            defaults[name] = defaults.get(name) in (True, "on")
        return defaults

    @staticmethod
    def _errors_text(form: FirstRunForm) -> str:
        lines = ["Rien n'a été créé :"]
        for name, errors in form.errors.items():
            flag = FLAG_OF.get(name, "manager-password-file")
            label = str(form.fields[name].label) if name in form.fields else name
            for error in errors:
                lines.append(f"  --{flag} ({label}) : {error}")
        return "\n".join(lines)

    def _report(self, installed: Installed) -> None:
        manager = installed.manager
        self.stdout.write(f"Organisme « {installed.organisation.name} » créé.")
        self.stdout.write(f"Compte responsable « {manager.username} » créé.")
        if installed.provisional_password:
            self.stdout.write("Mot de passe provisoire : à changer à la première connexion.")
            self.stdout.write(
                f"Mot de passe (affiché une seule fois) : {installed.provisional_password}"
            )
        self.stdout.write(
            "Prochaine étape : « reclamations serve », puis connectez-vous : la double "
            "authentification s'active à la première connexion, et les réglages de l'organisme "
            "se complètent sur la page Réglages."
        )
