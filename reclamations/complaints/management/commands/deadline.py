from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from reclamations.complaints.deadlines import DeadlinePolicy, due_date
from reclamations.complaints.policy import deadline_policy
from reclamations.core.calendar import CALENDAR_KINDS, WorkingCalendar, normalise_subdivision
from reclamations.core.models import Organisation
from reclamations.core.procedure import deadline_days_problem


def _organisation_policy() -> DeadlinePolicy:
    """The first organisation's policy; the procedure's defaults when there is no database yet."""
    try:
        organisation = Organisation.objects.order_by("id").first()
    except DatabaseError:
        organisation = None
    return deadline_policy(organisation) if organisation else DeadlinePolicy()


class Command(BaseCommand):
    help = "Affiche l'échéance de réponse (AAAA-MM-JJ) d'une réclamation reçue à la date donnée."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("received", help="date de réception, AAAA-MM-JJ")
        parser.add_argument("--days", type=int, help="nombre de jours (défaut : réglage, 10)")
        parser.add_argument("--calendar", choices=[kind.value for kind in CALENDAR_KINDS])
        parser.add_argument("--subdivision", help="57, 6AE, 971, 972, 973, 974, 976...")

    def handle(self, *args: object, **options: object) -> None:
        try:
            received = date.fromisoformat(str(options["received"]))
        except ValueError as exc:
            raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from exc
        policy = _organisation_policy()
        subdivision = options["subdivision"]
        try:
            calendar = WorkingCalendar(
                kind=options["calendar"] or policy.calendar_kind,
                subdivision=normalise_subdivision(subdivision)
                if subdivision is not None
                else policy.subdivision,
                extra_closures=policy.extra_closures,
                worked_holidays=policy.worked_holidays,
            )
            days = options["days"] if options["days"] is not None else policy.days
            problem = deadline_days_problem(days)
            if problem:
                raise ValueError(problem)
            result = due_date(
                received, days=days, calendar=calendar, carry_saturday=policy.carry_saturday
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.isoformat())
