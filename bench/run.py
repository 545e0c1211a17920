"""Time the register, a complaint page and the API on the environment's database.

    python bench/run.py [--iterations 30] [--warmup 5] [--output FILE] [--show-queries]

Server side, in one process: Django's test Client calls the application directly (no network,
no HTTP server), logged in as the referent (force_login) for the web pages and with a bearer
token for the API. After a warm-up, every page is requested once per round, for N rounds; the
table gives the median and the 90th percentile of the time from request to response, and the
number of SQL queries of one request (CaptureQueriesContext). A second table shows that the
number of queries does not depend on the page size.
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from math import ceil
from pathlib import Path

from django_setup import setup

setup()

import django
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from reclamations.api.schemas import DEFAULT_PAGE_SIZE
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters
from reclamations.complaints.register_pages import register_listing
from reclamations.core.localtime import local_today
from reclamations.core.models import ApiToken, Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import CCS_PROFILE
from reclamations.core.users import token_create

TOKEN_LABEL = "bench/run.py"
PAGE_SIZES = (10, 25, 100)


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    api: bool = False
    # Measured with what the pages keep between requests (the statistics' cache); by default
    # every request starts without it, as the first after a change does.
    kept: bool = False


@dataclass(frozen=True)
class Measure:
    page: Page
    median_ms: float
    p90_ms: float
    queries: int


class Caller:
    """The two ways in: a logged-in browser session, and an API token."""

    def __init__(self, referent: User) -> None:
        self.web = Client(HTTP_HOST="localhost")
        self.web.force_login(referent)
        ApiToken.objects.filter(user=referent, label=TOKEN_LABEL).delete()
        token = token_create(user=referent, label=TOKEN_LABEL)
        self.api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, page: Page) -> float:
        """Milliseconds from request to response; stops at the first answer that is not 200."""
        client = self.api if page.api else self.web
        if not page.kept:
            cache.clear()
        started = time.perf_counter()
        response = client.get(page.url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"{page.url} answered {response.status_code}: {response.content[:300]!r}")
        return elapsed

    def queries(self, page: Page, show: bool = False) -> int:
        timed: list[tuple[float, str]] = []

        def timer(execute, sql, params, many, context):  # Django's execute_wrapper signature
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timed.append(((time.perf_counter() - started) * 1000, sql))

        # CaptureQueriesContext counts; the wrapper times to the microsecond (Django's debug
        # cursor rounds to the millisecond).
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            self.get(page)
        if show:
            print(f"\n{page.name} ({page.url}): {len(captured)} queries")
            for elapsed, sql in timed:
                print(f"  {elapsed:7.2f} ms  {sql}")
        return len(captured)


def _newest_event(organisation: Organisation) -> int:
    return (
        ComplaintEvent.objects.filter(organisation=organisation)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
        or 0
    )


def pages(organisation: Organisation) -> list[Page]:
    """The pages of the issue; the filtered ones over last year's complaints."""
    year = local_today(organisation).year - 1
    period = f"received_from={year}-01-01&received_to={year}-12-31"
    busiest = (
        Complaint.objects.filter(organisation=organisation)
        .annotate(events_count=Count("events"))
        .order_by("-events_count", "id")
        .values_list("reference", flat=True)
        .first()
    )
    complaints = Complaint.objects.filter(organisation=organisation).count()
    last_page = max(1, ceil(complaints / settings.REGISTER_PAGE_SIZE))
    last_api_page = max(1, ceil(complaints / DEFAULT_PAGE_SIZE))
    middle_page = max(1, last_page // 2)

    def after(page: int, order: str) -> int:
        """The last complaint of `page` in `order`: the next page's link starts after it."""
        listing = register_listing(
            organisation,
            RegisterFilters(order=order),
            today=local_today(organisation),
            policy=deadline_policy(organisation),
        )
        end = page * settings.REGISTER_PAGE_SIZE
        return listing[end - 1 : end][0].pk

    return [
        Page("Register, default", "/"),  # what needs work first
        # The navigation's count of the work to do kept, as between two changes to the register.
        Page("Register, default, unchanged since", "/", kept=True),
        Page("Register, newest first", "/?order=newest"),
        Page(
            "Register, filtered",
            f"/?status=closed&kind=complaint&channel=email&{period}",
        ),
        Page("Register, overdue", "/?overdue=1"),
        Page("Register, open by due date", "/?open=1&order=due"),
        Page("Register, search", "/?q=Lefèvre"),
        Page("Register, search, unchanged since", "/?q=Lefèvre", kept=True),
        Page("Register, search newest first", "/?q=Lefèvre&order=newest"),
        # Fewer matches (about 750 at 1,000,000): ranked whole, every match read.
        Page("Register, search of two words (ranked)", "/?q=Lef%C3%A8vre%20retard"),
        Page("Register, page 200", "/?page=200"),
        Page("Register, page 200 from page 199", f"/?page=200&apres={after(199, 'urgent')}"),
        Page("Register, last page", f"/?order=newest&page={last_page}"),
        Page("Register, middle page", f"/?order=newest&page={middle_page}"),
        Page(
            "Register, middle page from the one before",
            f"/?order=newest&page={middle_page}&apres={after(middle_page - 1, 'newest')}",
        ),
        Page("Register, one trainer", "/?trainer=Marc%20Olivier"),
        Page(
            "Register, one cause",
            "/?cause=Locaux%2C%20mat%C3%A9riel%20ou%20%C3%A9quipement",
        ),
        Page("Complaint page", f"/reclamations/{busiest}/"),
        Page("Statistics, year to date", "/statistiques/"),
        Page("Statistics, last year", f"/statistiques/?start={year}-01-01&end={year}-12-31"),
        Page(
            "Statistics, last year, unchanged since",
            f"/statistiques/?start={year}-01-01&end={year}-12-31",
            kept=True,
        ),
        Page(
            "Statistics, one trainer, last year",
            f"/statistiques/?start={year}-01-01&end={year}-12-31&trainer=Marc%20Olivier",
        ),
        Page("Improvement plan", "/ameliorations/"),
        Page("Improvement plan, open", "/ameliorations/?status=open"),
        Page("Journal, newest", "/journal/"),
        Page(
            "Journal, 10,000 events back",
            "/journal/?avant=" + str(_newest_event(organisation) - 10_000),
        ),
        Page("Journal, a rare type", "/journal/?event_type=litigation_started"),
        Page(
            "Journal, a month three years back",
            f"/journal/?recorded_from={year - 2}-03-01&recorded_to={year - 2}-03-31",
        ),
        Page("API list, page 2", "/api/v1/complaints?page=2", api=True),
        Page(
            "API list, filtered",
            f"/api/v1/complaints?status=closed&channel=email&{period}&page=2",
            api=True,
        ),
        Page("API list, overdue", "/api/v1/complaints?overdue=true", api=True),
        Page("API list, last page", f"/api/v1/complaints?page={last_api_page}", api=True),
        Page("API complaint", f"/api/v1/complaints/{busiest}", api=True),
    ]


def percentile_90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def measure(
    caller: Caller, measured: list[Page], *, iterations: int, warmup: int, show_queries: bool
) -> list[Measure]:
    for _ in range(warmup):
        for page in measured:
            caller.get(page)
    timings: dict[Page, list[float]] = {page: [] for page in measured}
    for _ in range(iterations):  # round robin: a noisy moment hits every page alike
        for page in measured:
            timings[page].append(caller.get(page))
    return [
        Measure(
            page,
            statistics.median(timings[page]),
            percentile_90(timings[page]),
            caller.queries(page, show_queries),
        )
        for page in measured
    ]


def by_page_size(caller: Caller, *, iterations: int) -> list[tuple[str, list[tuple[int, float]]]]:
    """(queries, median ms) of the register and the API list at each page size."""

    def web(size: int) -> tuple[int, float]:
        with override_settings(REGISTER_PAGE_SIZE=size):
            return sample(Page("register", "/"))

    def api(size: int) -> tuple[int, float]:
        return sample(Page("api", f"/api/v1/complaints?page_size={size}", api=True))

    def sample(page: Page) -> tuple[int, float]:
        caller.get(page)
        median = statistics.median(caller.get(page) for _ in range(iterations))
        return caller.queries(page), median

    rows: list[tuple[str, Callable[[int], tuple[int, float]]]] = [
        ("Register `/`", web),
        ("API `/api/v1/complaints`", api),
    ]
    return [(name, [read(size) for size in PAGE_SIZES]) for name, read in rows]


def database_description() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def report(
    measures: list[Measure],
    sizes: list[tuple[str, list[tuple[int, float]]]],
    *,
    organisation: Organisation,
    iterations: int,
) -> str:
    complaints = Complaint.objects.filter(organisation=organisation).count()
    events = ComplaintEvent.objects.filter(organisation=organisation).count()
    lines = [
        f"{database_description()}, {complaints:,} complaints, {events:,} events; "
        f"Python {sys.version.split()[0]}, Django {django.get_version()}; "
        f"{timezone.localdate():%Y-%m-%d}; median and p90 of {iterations} requests per page, "
        "server side, one process.",
        "",
        "| Page | URL | Median (ms) | p90 (ms) | SQL queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for m in measures:
        lines.append(
            f"| {m.page.name} | `{m.page.url}` | {m.median_ms:.1f} | {m.p90_ms:.1f} | {m.queries} |"
        )
    if not sizes:
        return "\n".join(lines)
    header = " | ".join(f"{size} per page" for size in PAGE_SIZES)
    lines += [
        "",
        f"SQL queries (and median ms) by page size, first page, {iterations} requests each:",
        "",
        f"| List | {header} |",
        "| --- |" + " ---: |" * len(PAGE_SIZES),
    ]
    for name, cells in sizes:
        lines.append(f"| {name} | " + " | ".join(f"{q} ({ms:.1f} ms)" for q, ms in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--output", type=Path, help="also write the Markdown table here")
    parser.add_argument(
        "--show-queries", action="store_true", help="print each page's SQL with its time"
    )
    parser.add_argument(
        "--only", default="", help="measure only the pages whose name contains this text"
    )
    args = parser.parse_args(argv)

    # As `reclamations serve` does: the pages link to hashed static files from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    organisation = Organisation.objects.filter(name=CCS_PROFILE["name"]).order_by("id").first()
    referent = (
        User.objects.filter(organisation=organisation, role=Role.REFERENT, is_active=True)
        .order_by("id")
        .first()
    )
    if organisation is None or referent is None:
        sys.exit("No CCS referent in this database: run bench/generate.py first.")
    caller = Caller(referent)
    measured = [page for page in pages(organisation) if args.only.lower() in page.name.lower()]
    results = measure(
        caller,
        measured,
        iterations=args.iterations,
        warmup=args.warmup,
        show_queries=args.show_queries,
    )
    sizes = [] if args.only else by_page_size(caller, iterations=max(10, args.iterations // 3))
    table = report(results, sizes, organisation=organisation, iterations=args.iterations)
    print(table)
    if args.output:
        args.output.write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
