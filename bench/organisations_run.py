"""Time each organisation's register on an installation of many (bench/organisations.py).

    python bench/organisations_run.py [--sample 20] [--iterations 10] [--output FILE]

For a sample of organisations spread over the installation (the first, the last and evenly
between), logged in as that organisation's referent: the register's pages (default, newest
first, filtered, overdue, last page), a search for a client of that organisation, a complaint
page and the API's list. Server side, in one process, as bench/run.py measures (its Caller).
The table gives, per page, the median over every sampled organisation and request, and the
worst organisation's median. Then the time to add one more organisation (its settings, its
first manager, the event that opens its chain) through the services, a few times: constant
whatever the number of organisations already there.
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import argparse
import statistics
import sys
import time
from math import ceil
from pathlib import Path
from urllib.parse import quote

from django_setup import setup

setup()

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from run import Caller, Page, database_description

from reclamations.complaints.installation import Via, organisation_create
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.core.installation import NewManager
from reclamations.core.models import Organisation, User


def sampled(count: int) -> list[Organisation]:
    ids = list(Organisation.objects.order_by("id").values_list("id", flat=True))
    if count >= len(ids):
        chosen = ids
    else:
        step = (len(ids) - 1) / (count - 1)
        chosen = sorted({ids[round(n * step)] for n in range(count)})
    return list(Organisation.objects.filter(id__in=chosen).order_by("id"))


def pages_of(organisation: Organisation) -> list[Page]:
    complaints = Complaint.objects.filter(organisation=organisation)
    total = complaints.count()
    client = (
        complaints.exclude(client_name="").order_by("id").values_list("client_name", flat=True)
    ).first() or "Martin"
    surname = client.split()[-1]
    reference = complaints.order_by("-id").values_list("reference", flat=True).first()
    last_page = max(1, ceil(total / settings.REGISTER_PAGE_SIZE))
    return [
        Page("Register, default", "/"),
        Page("Register, newest first", "/?order=newest"),
        Page("Register, filtered (closed, e-mail)", "/?status=closed&channel=email"),
        Page("Register, overdue", "/?overdue=1"),
        Page("Register, last page", f"/?order=newest&page={last_page}"),
        Page("Register, search a client's name", f"/?q={quote(surname)}"),
        Page("Complaint page", f"/reclamations/{reference}/"),
        Page("API list", "/api/v1/complaints", api=True),
        Page("API search", f"/api/v1/complaints?q={quote(surname)}", api=True),
    ]


def measure_organisation(organisation: Organisation, iterations: int) -> dict[str, float]:
    referent = User.objects.filter(organisation=organisation, role="referent").first()
    caller = Caller(referent)
    measured = pages_of(organisation)
    for page in measured:  # warm-up
        caller.get(page)
    timings: dict[str, list[float]] = {page.name: [] for page in measured}
    for _ in range(iterations):
        for page in measured:
            timings[page.name].append(caller.get(page))
    return {name: statistics.median(values) for name, values in timings.items()}


def add_organisation(name: str) -> None:
    """One more organisation through the super-administrator's door (organisation_create):
    its settings checked, its first manager (a provisional password, hashed as in production),
    the event that opens its chain."""
    slug = name.lower().replace(" ", "-")
    organisation_create(
        values={
            "name": name,
            "address": "1 rue de la Mesure\n06370 Mouans-Sartoux",
            "complaints_email": f"reclamations@{slug}.example",
            "referent_name": "Fanny Maltese",
            "time_zone": "Europe/Paris",
            "holiday_subdivision": "",
            "deadline_days": 10,
            "calendar_kind": "ouvrables",
            "phone_clock": "call",
        },
        manager=NewManager(username=f"responsable-{slug}", email=f"responsable@{slug}.example"),
        actor=None,
        via=Via.PLATFORM_COMMAND,
    )


def adding_times(runs: int) -> list[float]:
    """Milliseconds to add one organisation, each rolled back (the installation is left as it
    was)."""
    times = []
    for number in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            add_organisation(f"Organisme mesure {number}")
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--adding-runs", type=int, default=20)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    # As `reclamations serve` does: the pages link to hashed static files from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    organisations = Organisation.objects.count()
    complaints = Complaint.objects.count()
    events = ComplaintEvent.objects.count()
    by_page: dict[str, list[float]] = {}
    for organisation in sampled(args.sample):
        for name, median in measure_organisation(organisation, args.iterations).items():
            by_page.setdefault(name, []).append(median)
    lines = [
        f"{database_description()}: {organisations:,} organisations, {complaints:,} complaints, "
        f"{events:,} events; {args.sample} organisations sampled, {args.iterations} requests "
        "per page each, server side, one process.",
        "",
        "| Page | Median (all sampled) | Worst organisation's median |",
        "| --- | ---: | ---: |",
    ]
    for name, medians in by_page.items():
        lines.append(f"| {name} | {statistics.median(medians):.1f} ms | {max(medians):.1f} ms |")
    adding = adding_times(args.adding_runs) if args.adding_runs else [0.0]
    lines += [
        "",
        f"Adding an organisation (settings, first manager, first event; {args.adding_runs} runs, "
        f"rolled back): median {statistics.median(adding):.1f} ms, "
        f"max {max(adding):.1f} ms.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
