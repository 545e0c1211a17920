"""Fill the environment's database with a realistic register, for the benchmark.

    python bench/generate.py --complaints 100000 [--seed 1] [--years 5] [--no-letters]

On PostgreSQL the final phase (search texts, statistics' counts) may run in two processes side
by side: `--no-finish`, then `--finish-only --part search` beside `--finish-only --part
counts`, then `--finish-only --part vacuum`.

Uses the database of the environment (RECLAMATIONS_DATA_DIR for SQLite, DATABASE_URL for
PostgreSQL), migrates it, then creates (or reuses) the CCS organisation, a referent and an
auditor, and N complaints received over the last years, each with its chronology.

Every complaint is played in memory by the service layer's own rules (bench/lifecycle.py) and
written with bulk inserts: the rows are those the services would have written one by one, the
hash chain verifies (`reclamations verify`), references are sequential per year and the
reference counters and the chain head match. The letters the services would print (a reply
by post) are printed, their files written to the storage as they are, their rows inserted with
the register's. Start from an empty register: the chronology is one chain, in time order, that
cannot be continued backwards.
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from random import Random
from typing import TypeVar

from django_setup import setup

setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from improvements import create_improvements
from lifecycle import PendingEvent, Simulator, simulated_organisation
from population import (
    CHANNELS,
    Reception,
    client_fields,
    day_weight,
    reception_moment,
    registration_moment,
    weighted,
)

from reclamations.complaints import chain, chain_keys
from reclamations.complaints.counts_rebuild import rebuild_counts
from reclamations.complaints.models import (
    ChainHead,
    Complaint,
    ComplaintEvent,
    ComplaintSearch,
    Document,
    ReferenceCounter,
    StatisticsCount,
)
from reclamations.complaints.queries import register_counts
from reclamations.complaints.search import SEARCH_TABLE, rebuild_search_texts
from reclamations.core.localtime import local_date
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role

T = TypeVar("T")

# The tables a bulk load fills, analysed after it.
VACUUMED = (Organisation, User, Complaint, ComplaintEvent, ComplaintSearch, StatisticsCount)

STAFF = (
    ("referente", Role.REFERENT, "Fanny", "Maltese", "f.maltese@ccs-legal.fr"),
    ("auditeur", Role.AUDITOR, "Claire", "Roux", "audit@example.org"),
)


class Clock:
    """Prints each phase with the time since the start."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def say(self, message: str) -> None:
        print(f"[{self.elapsed():7.1f} s] {message}", flush=True)


def ensure_staff(organisation: Organisation) -> User:
    """The referent who handles every complaint; an auditor to read the register."""
    referent = None
    for username, role, first, last, email in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, email=email)
            user.set_unusable_password()  # log in after `reclamations user`, or force_login
        user.role, user.organisation, user.is_active = role, organisation, True
        user.save()
        if role == Role.REFERENT:
            referent = user
    assert referent is not None
    return referent


def receptions(
    rng: Random, simulator: Simulator, *, count: int, years: float, now: datetime
) -> list[Reception]:
    """Complaints as they arrive over `years` up to now, in registration order."""
    today = local_date(simulator.organisation, now)
    first = today - timedelta(days=round(365.25 * years))
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    weights = [day_weight(day, first, today) for day in days]
    result: list[Reception] = []
    while len(result) < count:
        for day in rng.choices(days, weights=weights, k=count - len(result)):
            channel = weighted(rng, CHANNELS)
            received_at = reception_moment(rng, day, channel, simulator.zone)
            registered_at = registration_moment(rng, received_at, simulator.is_office_day)
            if registered_at >= now:  # not registered yet: drawn again
                continue
            fields, withheld = client_fields(rng, received_at.date())
            result.append(Reception(channel, received_at, registered_at, fields, withheld))
    result.sort(key=lambda reception: reception.registered_at)
    return result


def lives(
    rng: Random, simulator: Simulator, arrivals: list[Reception]
) -> tuple[list[Complaint], list[PendingEvent], list[int]]:
    """Each arrival's life played: the complaints, all their events in time order, and the
    number of events of each complaint."""
    one_year_ago = local_date(simulator.organisation, simulator.now) - timedelta(days=365)
    complaints: list[Complaint] = []
    events: list[PendingEvent] = []
    events_per_complaint: list[int] = []
    for reception in arrivals:
        # Some complaints are left open: a few in the past year, rarely older ones.
        stall_rate = 0.05 if reception.received_at.date() >= one_year_ago else 0.003
        complaint, lived = simulator.live(rng, reception, stalls=rng.random() < stall_rate)
        complaints.append(complaint)
        events.extend(lived)
        events_per_complaint.append(len(lived))
    events.sort(key=lambda event: event.recorded_at)
    return complaints, events, events_per_complaint


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def simulated_timestamps() -> Iterator[None]:
    """Keep the simulated registration and update times.

    bulk_create stamps auto_now and auto_now_add fields with the current time; a register of
    five years needs the times at which each complaint was registered and last changed.
    """
    fields = [Complaint._meta.get_field(name) for name in ("registered_at", "updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def chained_events(
    events: list[PendingEvent], organisation: Organisation, actor: User
) -> Iterator[ComplaintEvent]:
    """The events in time order, each sealed exactly as chronology.append_event does, with the
    chain's current key (so that the cost of verifying a keyed register is what is measured)."""
    key = chain_keys.keyring().current
    previous = chain.GENESIS_HASH
    for sequence, event in enumerate(events, start=1):
        content = chain.EventContent(
            sequence=sequence,
            organisation_id=organisation.pk,
            complaint_reference=event.complaint.reference,
            event_type=event.event_type,
            actor_name=actor.display_name,
            occurred_on=event.occurred_on.isoformat(),
            recorded_at=event.recorded_at.isoformat(),
            status_before=event.status_before,
            status_after=event.status_after,
            data=chain.to_json_value(event.written_data()),
            document_sha256=event.document.sha256 if event.document else "",
        )
        digest = key.seal(content, previous)
        yield ComplaintEvent(
            organisation_id=organisation.pk,
            sequence=sequence,
            complaint_id=event.complaint.pk,
            event_type=event.event_type,
            actor=actor,
            actor_name=content.actor_name,
            occurred_on=event.occurred_on,
            recorded_at=event.recorded_at,
            status_before=event.status_before,
            status_after=event.status_after,
            data=content.data,
            document_id=event.document.pk if event.document else None,
            previous_hash=previous,
            hash=digest,
            key_id=key.id,
        )
        previous = digest


def insert_letters(events: list[PendingEvent], *, batch_size: int) -> int:
    """The rows of the letters the events printed, after their complaints and before the
    events: their files are in the storage already (written as each letter was printed); the
    rows get their ids here, which the events that name them then read. Returns their number."""
    letters = [event.document for event in events if event.document is not None]
    for batch in batches(letters, batch_size):
        Document.objects.bulk_create(batch)
    return len(letters)


def insert(
    complaints: list[Complaint],
    events: list[PendingEvent],
    simulator: Simulator,
    *,
    batch_size: int,
    clock: Clock,
) -> None:
    """All or nothing: a half-written register would not verify."""
    organisation, actor = simulator.organisation, simulator.actor
    with transaction.atomic():
        with simulated_timestamps():
            for batch in batches(complaints, batch_size):
                Complaint.objects.bulk_create(batch)
                clock.say(f"complaints inserted: {batch[-1].reference} ({len(batch)})")
        letters = insert_letters(events, batch_size=batch_size)
        clock.say(f"printed letters inserted: {letters:,}")
        pending: list[ComplaintEvent] = []
        written = 0
        for event in chained_events(events, organisation, actor):
            pending.append(event)
            if len(pending) == batch_size:
                ComplaintEvent.objects.bulk_create(pending)
                written += len(pending)
                pending = []
                if written % (batch_size * 10) == 0:
                    clock.say(f"events inserted: {written:,}/{len(events):,}")
        ComplaintEvent.objects.bulk_create(pending)
        last = ComplaintEvent.objects.filter(organisation=organisation).order_by("-sequence")[0]
        ChainHead.objects.update_or_create(
            organisation=organisation,
            defaults={"last_sequence": last.sequence, "last_hash": last.hash},
        )
        for year, number in sorted(simulator.counters.items()):
            ReferenceCounter.objects.update_or_create(
                organisation=organisation, series="", year=year, defaults={"last_number": number}
            )
    clock.say(f"events inserted: {len(events):,}; chain head and reference counters written")


def summary(
    simulator: Simulator, complaints: list[Complaint], events_per_complaint: list[int]
) -> str:
    today = local_date(simulator.organisation, simulator.now)
    statuses = Counter(complaint.status for complaint in complaints)
    counts = register_counts(simulator.organisation, today=today, policy=simulator.policy)
    lines = [
        f"complaints: {len(complaints):,}, from {complaints[0].received_on} "
        f"to {complaints[-1].received_on}",
        "statuses: " + ", ".join(f"{s} {n:,}" for s, n in statuses.most_common()),
        f"open {counts.open:,}, overdue {counts.overdue:,}, due soon {counts.due_soon:,}",
        f"mediation {sum(1 for c in complaints if c.mediation_seized_on):,}, "
        f"litigation {sum(1 for c in complaints if c.litigation_started_on):,}",
        f"events: {sum(events_per_complaint):,}; per complaint min {min(events_per_complaint)}, "
        f"median {statistics.median(events_per_complaint):g}, "
        f"mean {statistics.fmean(events_per_complaint):.1f}, max {max(events_per_complaint)}; "
        f"3 to 8: {sum(3 <= n <= 8 for n in events_per_complaint) / len(complaints):.1%}",
    ]
    return "\n".join(lines)


FINISH_PARTS = ("search", "counts", "vacuum")


def finish(clock: Clock, parts: tuple[str, ...] = FINISH_PARTS) -> None:
    """What the services keep as they go, written at once for the whole database (every
    organisation): the search texts, the statistics' counts, then PostgreSQL's statistics."""
    if connection.vendor == "postgresql" and {"search", "counts"} & set(parts):
        # The planner's statistics of the tables just loaded, which both parts read a chunk of
        # complaints at a time: without them (autovacuum off, or not yet come by), PostgreSQL
        # read all 6.5 million events for each 500 complaints at 1,000,000 (2.6 s a chunk:
        # 47 minutes for the search texts, more for the counts).
        with connection.cursor() as cursor:
            for model in (Complaint, ComplaintEvent):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        clock.say("ANALYZE done")
    if "search" in parts:
        # The services write each complaint's search text with each event; written here at once.
        with _full_text_indexes_set_aside(clock):
            clock.say(f"search texts written: {rebuild_search_texts():,}")
    if "counts" in parts:
        # And the counts the statistics read (decision 0029), kept by the services with each
        # event.
        clock.say(f"statistics counted: {rebuild_counts():,} complaints")
    if "vacuum" in parts and connection.vendor == "postgresql":
        # What autovacuum does after a bulk load, done now so that plans are not guessed.
        with connection.cursor() as cursor:
            for model in VACUUMED:
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        clock.say("VACUUM ANALYZE done")


@contextmanager
def _full_text_indexes_set_aside(clock: Clock) -> Iterator[None]:
    """PostgreSQL's full-text (GIN) indexes of the search texts dropped while every text is
    written, then built again as they were: a million texts added one by one to the index took
    3 to 5 ms each (190 to 360 a second), its build at once takes minutes. Nothing else reads
    the database while it is generated."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = %s AND indexdef LIKE '%%USING gin%%'",
            [SEARCH_TABLE],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for _name, definition in indexes:
                cursor.execute(definition)
    clock.say(f"full-text indexes built again: {', '.join(name for name, _ in indexes)}")


def add_finish_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-finish", action="store_true", help="leave out the final phase")
    parser.add_argument("--finish-only", action="store_true", help="only the final phase")
    # The search texts and the counts are independent: two processes may write them side by
    # side (`--finish-only --part search` beside `--part counts`), then `--part vacuum`.
    parser.add_argument(
        "--part",
        action="append",
        choices=FINISH_PARTS,
        help="with --finish-only: this part of the final phase only (repeatable)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--batch-size", type=int, default=5000)
    # Printing the replies by post (WeasyPrint, about 50 ms a letter) takes longer than the
    # rest at 1,000,000 complaints: without them, those replies go by e-mail. The register
    # pages, the search and the statistics read no letter.
    parser.add_argument(
        "--no-letters",
        action="store_true",
        help="replies by e-mail instead of by post: nothing printed",
    )
    add_finish_arguments(parser)
    args = parser.parse_args(argv)
    if args.complaints < 1 or args.years <= 0 or args.batch_size < 1:
        parser.error("--complaints, --years and --batch-size must be positive")
    if args.part and not args.finish_only:
        parser.error("--part goes with --finish-only")

    clock = Clock()
    if args.finish_only:
        finish(clock, tuple(args.part or FINISH_PARTS))
        return 0
    call_command("migrate", interactive=False, verbosity=0)
    database = connection.settings_dict["NAME"]
    clock.say(f"database {connection.vendor} {database}: migrated")
    organisation = simulated_organisation()
    if Complaint.objects.filter(organisation=organisation).exists():
        print(
            f"The register of {organisation.name} already holds complaints: generate into an "
            "empty database (remove the data directory, or drop and create the PostgreSQL "
            "database).",
            file=sys.stderr,
        )
        return 2
    referent = ensure_staff(organisation)
    now = timezone.now()
    rng = Random(args.seed)
    simulator = Simulator(organisation, referent, now, print_letters=not args.no_letters)

    arrivals = receptions(rng, simulator, count=args.complaints, years=args.years, now=now)
    clock.say(f"{len(arrivals):,} receptions drawn")
    complaints, events, events_per_complaint = lives(rng, simulator, arrivals)
    clock.say(f"{len(complaints):,} complaints and {len(events):,} events played in memory")

    insert(complaints, events, simulator, batch_size=args.batch_size, clock=clock)
    decided = create_improvements(
        organisation, referent, complaints=len(complaints), rng=Random(args.seed)
    )
    clock.say(f"improvement actions decided: {decided:,}")
    if args.no_finish:
        clock.say("final phase left out: run --finish-only")
    else:
        finish(clock)
    print(summary(simulator, complaints, events_per_complaint))
    clock.say(f"generated {len(complaints):,} complaints in {clock.elapsed():.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
