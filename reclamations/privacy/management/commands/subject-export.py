"""`reclamations subject-export --email E [--name NOM] -o FILE.zip`: everything the register holds
about one person, for their access request (GDPR art. 15)."""

import getpass
import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from reclamations.core.models import Organisation
from reclamations.core.organisations import UnknownOrganisation, organisation_for_command
from reclamations.privacy.export_journal import record_subject_export
from reclamations.privacy.subject_export import write_subject_export
from reclamations.privacy.subject_search import Subject, find_subject, nothing_found_message


def _organisation(given: str | None) -> Organisation:
    """The organisation named (or, failing that, numbered) by --organisation; the only one
    without it."""
    try:
        return organisation_for_command(given)
    except UnknownOrganisation as error:
        if given and given.isdigit():
            found = Organisation.objects.filter(pk=int(given)).first()
            if found is not None:
                return found
        raise CommandError(str(error)) from None


def _who() -> str:
    """Who ran the command, as the export's note says: the system account, when it is known
    (a container may run under a user id without a name)."""
    try:
        return f"ligne de commande (compte système {getpass.getuser()})"
    except (KeyError, OSError):
        return "ligne de commande"


class Command(BaseCommand):
    help = (
        "Exporte tout ce que le registre conserve sur une personne (droit d'accès, article 15 du "
        "RGPD) : ses réclamations avec leur chronologie et leurs documents, les e-mails reçus "
        "d'elle et les messages qui lui ont été envoyés, dans un fichier ZIP."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--email",
            action="append",
            required=True,
            help="adresse e-mail de la personne (répétez l'option pour plusieurs adresses)",
        )
        parser.add_argument(
            "--name",
            default="",
            help="nom de la personne : ajoute les réclamations enregistrées à ce nom (à vérifier)",
        )
        parser.add_argument("-o", "--output", required=True, help="le fichier ZIP à écrire")
        parser.add_argument("--organisation", help="nom ou numéro de l'organisation (si plusieurs)")

    def handle(self, *args: Any, **options: Any) -> None:
        for address in options["email"]:
            try:
                validate_email(address.strip())
            except ValidationError:
                raise CommandError(
                    f"Adresse e-mail invalide « {address} » : donnez l'adresse de la personne, "
                    "de la forme nom@domaine.fr."
                ) from None
        organisation = _organisation(options["organisation"])
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"Le dossier {output.parent} n'existe pas : créez-le d'abord.")
        found = find_subject(organisation, Subject.of(options["email"], options["name"]))
        if found.empty:
            raise CommandError(nothing_found_message(found))
        # Written beside, then renamed: an export that failed half-way never looks complete.
        # Readable by its owner only: it is a person's data.
        partial = output.with_name(f".{output.name}.partiel")
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as target:
                summary = write_subject_export(target, found, made_by=_who())
            partial.replace(output)
            record_subject_export(found, summary, command_user=_who())
        except OSError as error:
            raise CommandError(f"Impossible d'écrire « {output} » : {error.strerror}.") from None
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(
            f"Données de {found.subject.text()} exportées dans {output} : {summary.text()}."
        )
        if summary.warning():
            self.stdout.write(self.style.WARNING(summary.warning()))
