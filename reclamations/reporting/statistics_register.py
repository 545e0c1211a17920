"""A period's tallies read from the complaints themselves: for figures limited to a scope (a
training, a trainer...: its own index finds its few complaints), and as the reference the kept
counts are proved equal to (tests/reporting/test_statistics_kept.py). Reads every complaint
of both periods: its time grows with them (bench/README.md, "Statistics")."""

from collections.abc import Mapping
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from reclamations.complaints.counted import CODES
from reclamations.complaints.counts import ACKNOWLEDGEMENT_EVENTS, ACKNOWLEDGEMENT_TYPES
from reclamations.complaints.enums import OPEN_STATUSES
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.models import Organisation
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics_tallies import Tallies, WorkingDays
from reclamations.reporting.statistics_texts import count_texts


def register_tallies(
    organisation: Organisation,
    period: Period,
    compared: Period,
    working_days: WorkingDays,
    today: date,
    scope: Mapping[str, str],
) -> Tallies:
    tallies = Tallies.empty()
    register = Complaint.objects.filter(organisation=organisation, **scope)
    # One range of reception days from the compared period's start to the period's end: the
    # index statistics_by_reception serves it alone (two ranges made PostgreSQL read the table).
    # The days between the two periods, when there are any, are counted in neither.
    span = register.filter(received_on__gte=compared.start, received_on__lte=period.end)
    _by_month(span, period, compared, tallies)
    _by_code(span, period, compared, tallies)
    count_texts(organisation, period, compared, scope, tallies.counted)
    _replies(span, period, compared, working_days, tallies)
    _acknowledgements(organisation, period, compared, working_days, scope, tallies)
    _open_by_age(register, today, working_days, tallies)
    return tallies


def _by_month(
    span: QuerySet[Complaint], period: Period, compared: Period, tallies: Tallies
) -> None:
    # By day, then months in Python: SQLite extracts a month with a Python function per row
    # (150 ms a year), while a count by day reads the index only.
    for day, n in span.values_list("received_on").annotate(n=Count("*")).order_by():
        if period.start <= day <= period.end or compared.start <= day <= compared.end:
            tallies.months[(day.year, day.month)] += n


def _by_code(span: QuerySet[Complaint], period: Period, compared: Period, tallies: Tallies) -> None:
    """One count by all the codes at once, read from the index."""
    side = Case(
        When(period.q(), then=Value(1)),
        When(compared.q(), then=Value(0)),
        default=Value(None),
        output_field=IntegerField(),
    )
    for row in (
        span.annotate(side=side).values_list("side", *CODES).annotate(n=Count("*")).order_by()
    ):
        if row[0] is None:
            continue
        current, n = bool(row[0]), row[-1]
        for field, value in zip(CODES, row[1:-1], strict=True):
            tallies.counted[field][(current, value)] += n


def _replies(
    span: QuerySet[Complaint],
    period: Period,
    compared: Period,
    working_days: WorkingDays,
    tallies: Tallies,
) -> None:
    for received_on, clock_started_on, first_replied_on, replied_on_time, n in (
        span.filter(first_replied_on__isnull=False)
        .values_list("received_on", "clock_started_on", "first_replied_on", "replied_on_time")
        .annotate(n=Count("*"))
        .order_by()
    ):
        current = period.start <= received_on <= period.end
        if not current and not compared.start <= received_on <= compared.end:
            continue
        assert first_replied_on is not None  # filtered on
        days = working_days[(clock_started_on or received_on, first_replied_on)]
        tallies.reply_days[current][days] += n
        if replied_on_time is not None:
            tallies.replied[current] += n
            tallies.on_time[current] += n if replied_on_time else 0


def _acknowledgements(
    organisation: Organisation,
    period: Period,
    compared: Period,
    working_days: WorkingDays,
    scope: Mapping[str, str],
    tallies: Tallies,
) -> None:
    """Working days from reception to the first acknowledgement sent: an e-mail once
    delivered (its copy recorded), a letter on the day it was printed to post."""
    # Unordered, and by their types: ordered by sequence, SQLite walked the organisation's
    # whole chronology to find them (2 s at 100,000 complaints); the first is found here.
    first: dict[int, tuple[int, date, date]] = {}
    for sequence, complaint_id, received_on, sent_on in (
        ComplaintEvent.objects.filter(
            Q(complaint__received_on__gte=period.start, complaint__received_on__lte=period.end)
            | Q(
                complaint__received_on__gte=compared.start, complaint__received_on__lte=compared.end
            ),
            ACKNOWLEDGEMENT_EVENTS,
            organisation=organisation,
            event_type__in=ACKNOWLEDGEMENT_TYPES,
            **{f"complaint__{name}": value for name, value in scope.items()},
        )
        .order_by()
        .values_list("sequence", "complaint_id", "complaint__received_on", "occurred_on")
    ):
        known = first.get(complaint_id)
        if known is None or sequence < known[0]:
            first[complaint_id] = (sequence, received_on, sent_on)
    for _sequence, received_on, sent_on in first.values():
        current = period.start <= received_on <= period.end
        tallies.acknowledgement_days[current][working_days[(received_on, sent_on)]] += 1


def _open_by_age(
    register: QuerySet[Complaint], today: date, working_days: WorkingDays, tallies: Tallies
) -> None:
    """The complaints open today by working days since their reception."""
    for received_on, count in (
        register.filter(status__in=sorted(OPEN_STATUSES))
        .values_list("received_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        tallies.open_ages[working_days[(received_on, today)]] += count
