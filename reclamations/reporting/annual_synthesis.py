"""The annual synthesis for the management review (revue de direction): the year's figures
beside the year before, the recurring causes, and the improvement actions of the year with
their effect, on portrait A4 pages to file and sign.

The effect of an action is measured where the register can measure it: the complaints of the
cause it addresses received in the EFFECT_DAYS before it was decided, and since it was closed
(EFFECT_DAYS at most), beside the check of its effectiveness as recorded.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import (
    CheckResult,
    ImprovementSource,
    ImprovementStatus,
    improvement_status_label,
)
from reclamations.complaints.improvement_queries import PlanLine, improvement_actions, plan_lines
from reclamations.complaints.models import Complaint
from reclamations.complaints.validation import lazy_message
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation
from reclamations.core.procedures import label_in_force
from reclamations.reporting.periods import Period
from reclamations.reporting.portrait_pdf import PortraitDocument, key_figure_rows
from reclamations.reporting.statistics import Line, Statistics
from reclamations.reporting.statistics_cache import statistics_for
from reclamations.reporting.statistics_wording import NotGiven

EFFECT_DAYS = 90
TOP_CAUSES = 10
# Read when shown: in French by the command and the API, in the page's language on the page.
NOT_STARTED = _(
    "L'année %(year)s n'a pas commencé : choisissez une année passée ou celle en cours."
)


class YearNotStarted(ValueError):
    """The synthesis of a year to come: nothing to sum up."""


@dataclass(frozen=True)
class ActionEffect:
    line: PlanLine
    before: int | None  # complaints of its cause in the EFFECT_DAYS before it was decided
    after: int | None  # ... since it was closed, EFFECT_DAYS at most; None while not closed
    after_days: int  # the days counted after its closure


@dataclass(frozen=True)
class Synthesis:
    year: int
    organisation: str
    printed_at: datetime
    figures: Statistics
    causes: tuple[Line, ...]
    actions: list[ActionEffect]  # open at some point of the year
    procedure: str
    today: date

    @property
    def complete(self) -> bool:
        """The year is over: its figures are final."""
        return self.figures.period.end.year == self.year and self.today > self.figures.period.end

    def count(self, status: str) -> int:
        return sum(1 for effect in self.actions if effect.line.action.status == status)

    def checks(self) -> Counter[str]:
        return Counter(
            effect.line.action.check_result
            for effect in self.actions
            if effect.line.action.check_result
        )

    @property
    def decided(self) -> int:
        return sum(1 for effect in self.actions if effect.line.action.created_on.year == self.year)


def year_period(year: int, today: date) -> Period:
    """The calendar year, to today while it runs."""
    if year > today.year:
        raise YearNotStarted(lazy_message(NOT_STARTED, year=year))
    start = date(year, 1, 1)
    return Period(start, min(date(year, 12, 31), today))


def _effects(organisation: Organisation, lines: list[PlanLine], today: date) -> list[ActionEffect]:
    """Each action with the complaints of its cause before its decision and after its closure,
    from one query."""
    causes = {line.action.cause for line in lines if line.action.cause}
    if not causes:
        return [ActionEffect(line, None, None, 0) for line in lines]
    earliest = min(line.action.created_on for line in lines) - timedelta(days=EFFECT_DAYS)
    received: dict[str, Counter[date]] = {cause: Counter() for cause in causes}
    for cause, day in Complaint.objects.filter(
        organisation=organisation, cause__in=causes, received_on__gte=earliest
    ).values_list("cause", "received_on"):
        received[cause][day] += 1
    effects = []
    for line in lines:
        action = line.action
        if not action.cause:
            effects.append(ActionEffect(line, None, None, 0))
            continue
        days = received[action.cause]
        window = action.created_on - timedelta(days=EFFECT_DAYS)
        before = sum(n for day, n in days.items() if window <= day < action.created_on)
        after, after_days = None, 0
        if action.status == ImprovementStatus.CLOSED and action.closed_on is not None:
            end = min(action.closed_on + timedelta(days=EFFECT_DAYS), today)
            after_days = (end - action.closed_on).days
            after = sum(n for day, n in days.items() if action.closed_on < day <= end)
        effects.append(ActionEffect(line, before, after, after_days))
    return effects


def annual_synthesis(organisation: Organisation, year: int, *, today: date) -> Synthesis:
    period = year_period(year, today)
    figures = statistics_for(organisation, period, today=today)
    causes = next(b.lines for b in figures.breakdowns if b.key == "cause")
    lines = plan_lines(
        improvement_actions(
            organisation, today=today, active_from=period.start, active_to=period.end
        ),
        today,
    )
    return Synthesis(
        year=year,
        organisation=organisation.legal_name or organisation.name,
        printed_at=timezone.now().astimezone(local_zone(organisation)),
        figures=figures,
        causes=causes[:TOP_CAUSES],
        actions=_effects(organisation, lines, today),
        procedure=label_in_force(organisation, period.end),
        today=today,
    )


# --- PDF ----------------------------------------------------------------------------------

_RESULTS = dict(CheckResult.choices)
_SOURCES = dict(ImprovementSource.choices)


def _effect_text(effect: ActionEffect) -> str:
    action = effect.line.action
    parts = []
    if action.check_result:
        parts.append(
            f"Efficacité : {_RESULTS.get(action.check_result, action.check_result).lower()} "
            f"(vérifiée le {action.checked_on:%d/%m/%Y}) : {action.check_evidence}"
        )
    elif action.status == ImprovementStatus.DONE:
        parts.append("Efficacité à vérifier.")
    if effect.before is not None:
        measured = (
            f"Réclamations de cette cause : {effect.before} dans les {EFFECT_DAYS} jours avant "
            "la décision"
        )
        if effect.after is not None and effect.after_days:
            measured += f", {effect.after} dans les {effect.after_days} jours depuis la clôture"
        elif effect.after is not None:
            measured += " ; clôturée trop récemment pour en mesurer l'effet"
        parts.append(measured + ".")
    return " ".join(parts)


def write_annual_synthesis(target: str | IO[bytes], synthesis: Synthesis) -> None:
    figures = synthesis.figures
    document = PortraitDocument(
        target,
        organisation=synthesis.organisation,
        printed_at=synthesis.printed_at,
        title=f"Synthèse annuelle des réclamations {synthesis.year}",
    )
    document.text(synthesis.organisation, size=9)
    document.text(
        f"Synthèse annuelle des réclamations {synthesis.year}", size=18, bold=True, gap=10
    )
    document.text("Pour la revue de direction (Qualiopi, indicateurs 31 et 32).", size=10)
    state = "" if synthesis.complete else " L'année est en cours : chiffres à ce jour."
    document.text(
        f"Réclamations reçues {figures.period.text()}, comparées à celles reçues "
        f"{figures.compared.text()} (entre parenthèses). Délais en {figures.unit}.{state} "
        f"Procédure en vigueur : {synthesis.procedure or 'non renseignée'}.",
        size=9,
    )
    document.y -= 8
    document.text("1. Les chiffres de l'année", size=13, bold=True, gap=8)
    document.table(key_figure_rows(figures))
    document.chart("Réclamations reçues par mois", figures.by_month)
    for breakdown in figures.breakdowns:
        if breakdown.key in ("kind", "category"):
            document.chart(breakdown.title, breakdown.lines)

    document.y -= 10
    document.keep(120)
    document.text("2. Les causes récurrentes", size=13, bold=True, gap=8)
    analysed = [line for line in synthesis.causes if not isinstance(line.wording, NotGiven)]
    if analysed:
        document.table(
            [
                ("Cause", "Réclamations", "Année précédente"),
                *((line.label, str(line.value), str(line.previous or 0)) for line in analysed),
            ]
        )
        unknown = sum(line.value for line in synthesis.causes if isinstance(line.wording, NotGiven))
        if unknown:
            document.text(f"Cause non analysée : {unknown} réclamation(s).", size=9)
    else:
        document.text(
            "Aucune cause n'a été analysée cette année (« Analyser la cause » sur chaque "
            "réclamation).",
            size=9,
        )
    counts = figures.repeat_counts
    document.text(
        f"{counts['client']} client(s), {counts['account']} compte(s) et {counts['training']} "
        "formation(s) font l'objet d'au moins deux réclamations dans l'année.",
        size=9,
    )

    document.y -= 10
    document.keep(120)
    document.text("3. Les actions d'amélioration et leur effet", size=13, bold=True, gap=8)
    checks = synthesis.checks()
    document.text(
        f"{len(synthesis.actions)} action(s) ouverte(s) pendant l'année, dont "
        f"{synthesis.decided} décidée(s) dans l'année ; "
        f"{synthesis.count(ImprovementStatus.CLOSED)} clôturée(s), "
        f"{synthesis.count(ImprovementStatus.ABANDONED)} abandonnée(s), "
        f"{sum(1 for e in synthesis.actions if e.line.overdue)} en retard. Vérifications : "
        f"{checks[CheckResult.EFFECTIVE]} efficace(s), {checks[CheckResult.PARTLY]} "
        f"partiellement, {checks[CheckResult.NOT_EFFECTIVE]} non efficace(s).",
        size=9,
    )
    if not synthesis.actions:
        document.text("Aucune action d'amélioration n'a été ouverte cette année.", size=9)
    for effect in synthesis.actions:
        action = effect.line.action
        origin = str(_SOURCES.get(action.source, action.source))
        if effect.line.complaints:
            origin += f" ({', '.join(effect.line.complaints)})"
        document.y -= 4
        document.text(f"{action.reference} · {action.title}", size=9.5, bold=True, gap=3)
        document.text(
            f"Origine : {origin}. Cause : {action.cause or 'non précisée'}. Statut : "
            f"{improvement_status_label(action.status).lower()}"
            + (f", échéance {action.due_date:%d/%m/%Y}" if action.status != "closed" else "")
            + (f", clôturée le {action.closed_on:%d/%m/%Y}" if action.status == "closed" else "")
            + ".",
            size=8.5,
            gap=3,
        )
        effect_text = _effect_text(effect)
        if effect_text:
            document.text(effect_text, size=8.5, gap=3)

    document.y -= 14
    document.keep(110)
    document.text("Revue de direction", size=13, bold=True, gap=8)
    document.text("Date de la revue : ......................................", size=10, gap=12)
    document.text("Décisions prises : ......................................", size=10, gap=12)
    document.text("Visa de la direction : ..................................", size=10, gap=12)
    document.close()
