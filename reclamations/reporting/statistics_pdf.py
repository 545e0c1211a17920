"""The statistics of a period as a PDF to print or file with the management review: portrait
A4, the key figures beside the compared period's, then every chart drawn on the canvas (solid
bar for the period, outlined for the one compared, every figure written: readable in black and
white)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from django.utils import timezone

from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period
from reclamations.reporting.portrait_pdf import PortraitDocument, key_figure_rows
from reclamations.reporting.statistics import Statistics
from reclamations.reporting.statistics_cache import statistics_for


@dataclass(frozen=True)
class PrintedStatistics:
    organisation: str
    printed_at: datetime
    figures: Statistics


def printed_statistics(
    organisation: Organisation,
    period: Period,
    *,
    today: date,
    scope: Mapping[str, str] | None = None,
) -> PrintedStatistics:
    return PrintedStatistics(
        organisation=organisation.legal_name or organisation.name,
        printed_at=timezone.now().astimezone(local_zone(organisation)),
        figures=statistics_for(organisation, period, today=today, scope=scope),
    )


def write_statistics_pdf(target: str | IO[bytes], facts: PrintedStatistics) -> None:
    figures = facts.figures
    document = PortraitDocument(
        target,
        organisation=facts.organisation,
        printed_at=facts.printed_at,
        title="Statistiques des réclamations",
    )
    document.text(facts.organisation, size=9)
    document.text("Statistiques des réclamations", size=18, bold=True, gap=10)
    scope = f", {figures.scope_text()}" if figures.scope else ""
    document.text(f"Réclamations reçues {figures.period.text()}{scope}.", size=10)
    document.text(
        f"Comparées à celles reçues {figures.compared.text()} : entre parenthèses, et en barre "
        f"fine sous chaque barre. Délais en {figures.unit} : médiane ; 90 % en moins de "
        "(nombre de réclamations).",
        size=9,
    )
    document.y -= 8
    document.text("En bref", size=12, bold=True, gap=8)
    document.table(key_figure_rows(figures))
    document.chart("Réclamations reçues par mois", figures.by_month)
    for breakdown in figures.breakdowns:
        document.chart(breakdown.title, breakdown.lines)
    document.chart(
        "Réclamations ouvertes à ce jour, par ancienneté", figures.open_by_age, compared=False
    )
    document.y -= 10
    document.text("Réclamations répétées sur la période", size=12, bold=True, gap=8)
    counts = figures.repeat_counts
    document.text(
        f"{counts['client']} client(s), {counts['account']} compte(s) et {counts['training']} "
        "formation(s) font l'objet d'au moins deux réclamations.",
        size=9,
    )
    names = {"client": "Client", "account": "Compte", "training": "Formation"}
    for repeat in figures.repeats:
        document.text(f"{names[repeat.what]} : {repeat.value} ({repeat.complaints})", size=8.5)
    document.close()
