"""`reclamations organisation create`: one more organisation on the installation, and its
first manager, with `reclamations init`'s questions or flags (--no-input), checks and report;
without its "only once" rule (docs/multi-organisation.md)."""

from collections.abc import Mapping
from typing import Any

from django.core.management.base import CommandError, CommandParser

from reclamations.complaints.installation import Installed, Via, organisation_create
from reclamations.core.installation import NewManager
from reclamations.core.models import Organisation
from reclamations.web.management.commands import init


class Command(init.Command):
    help = (
        "Organismes de l'installation : « organisation create » en crée un de plus, avec son "
        "premier compte responsable (les mêmes questions, options et règles que « reclamations "
        "init »)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser(
            "create",
            help="crée un organisme et son premier responsable (questions, ou --no-input)",
        )
        super().add_arguments(create)

    def handle(self, *args: Any, **options: Any) -> None:
        init._migrate_if_needed()
        if Organisation.objects.filter(demo=True).exists():
            raise CommandError(
                "Cette installation contient la démonstration : un registre réel ne s'y mêle "
                "pas. Créez les organismes sur une installation à part (docs/first-run.md)."
            )
        self._run(options)

    def _create(self, values: Mapping[str, Any], manager: NewManager) -> Installed:
        # The server's operator has no account: the event names the command.
        return organisation_create(
            values=values, manager=manager, actor=None, via=Via.PLATFORM_COMMAND
        )
