"""The register's statistics for a period, beside the period compared with (every reader).
The figures are French (cached, shared with the PDF); the page words them in its reader's
language (decision 0036)."""

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reclamations.core.languages import working_days_unit
from reclamations.core.localtime import local_today
from reclamations.reporting.annual_synthesis import YearNotStarted
from reclamations.reporting.charts import Bar, bar_chart
from reclamations.reporting.downloads import (
    annual_synthesis_response,
    audit_pack_response,
    statistics_response,
)
from reclamations.reporting.statistics import Line
from reclamations.reporting.statistics_cache import statistics_for
from reclamations.reporting.statistics_wording import label
from reclamations.web.forms.statistics import StatisticsPeriodForm
from reclamations.web.permissions import reader_required


def _worded(lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """The lines with their labels in the page's language."""
    return tuple(replace(line, label=label(line.label, line.wording)) for line in lines)


def _chart(title: str, lines: tuple[Line, ...], *, compared: bool = True) -> str:
    # bar_chart escapes every text it draws: the markup is safe to show as it is.
    bars = [Bar(line.label, line.value, line.previous) for line in lines]
    return mark_safe(  # noqa: S308
        bar_chart(title, bars, compared=compared, empty=_("Aucune donnée"))
    )


@reader_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    today = local_today(organisation)
    form = StatisticsPeriodForm(request.GET)
    form.is_valid()  # a wrong date is reported next to its field; the default period is shown
    figures = statistics_for(organisation, form.period(today), today=today, scope=form.scope())
    by_month = _worded(figures.by_month)
    charts = [(_("Réclamations reçues par mois"), by_month, _chart(_("Par mois"), by_month))]
    for breakdown in figures.breakdowns:
        title, lines = _(breakdown.title), _worded(breakdown.lines)
        charts.append((title, lines, _chart(title, lines)))
    open_by_age = _worded(figures.open_by_age)
    return render(
        request,
        "web/statistics.html",
        {
            "form": form,
            "figures": figures,
            "charts": charts,
            "open_by_age": open_by_age,
            "age_chart": _chart(
                _("Réclamations ouvertes par ancienneté"), open_by_age, compared=False
            ),
            "unit": working_days_unit(figures.calendar_kind),
            "scope_note": f" ({figures.scope_text()})" if figures.scope else "",
            "pdf_query": request.GET.urlencode(),
            # The audit pack is the whole register's for the period, whatever the scope.
            "period_query": urlencode(
                {name: request.GET[name] for name in ("start", "end") if request.GET.get(name)}
            ),
            "causes": organisation.causes,
            "synthesis_years": list(range(today.year, today.year - 4, -1)),
            "scoped": bool(figures.scope),
            "nav": "statistics",
        },
    )


@reader_required
@require_GET
def statistics_pdf(request: HttpRequest) -> HttpResponseBase:
    """The same figures as the page, for the same period, as a PDF."""
    organisation = request.user.organisation
    form = StatisticsPeriodForm(request.GET)
    form.is_valid()  # the page said what was wrong; the file takes the period the page showed
    return statistics_response(organisation, form.period(local_today(organisation)), form.scope())


@reader_required
@require_GET
def audit_pack(request: HttpRequest) -> HttpResponseBase:
    """The audit pack of the period the statistics page shows (a ZIP)."""
    organisation = request.user.organisation
    form = StatisticsPeriodForm(request.GET)
    form.is_valid()
    return audit_pack_response(organisation, form.period(local_today(organisation)))


@reader_required
@require_GET
def annual_synthesis_pdf(request: HttpRequest) -> HttpResponseBase:
    """The annual synthesis of the year asked (`annee`), for the management review."""
    organisation = request.user.organisation
    text = request.GET.get("annee", "").strip()
    year = int(text) if text.isdigit() and 1 <= int(text) <= 9999 else None
    if year is None:
        messages.error(request, _("Année invalide : indiquez une année sur quatre chiffres."))
        return redirect("statistics")
    try:
        return annual_synthesis_response(organisation, year)
    except YearNotStarted as error:
        messages.error(request, str(error))
        return redirect("statistics")
