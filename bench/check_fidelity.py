"""Check that the generator writes what the services write, field by field.

    python bench/check_fidelity.py [--complaints 300] [--seed 7]

Plays the same complaints twice in a temporary SQLite database: in memory by the simulator, as
bench/generate.py does, and through services.complaint_register and complaint_apply at the same
moments (time-machine). Then compares every column of each complaint and every event of its
chronology (all but sequence and hashes, which depend on the whole register: `reclamations
verify` checks those on a generated database), and the statistics' counts the services kept
with a recount (what the generator writes). Exits 1 on the first difference.
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import argparse
import atexit
import os
import shutil
import sys
import tempfile
from collections import Counter
from datetime import timedelta
from random import Random

# A throw-away SQLite database, whatever the environment points at.
os.environ.pop("DATABASE_URL", None)
os.environ["RECLAMATIONS_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-fidelity-")
atexit.register(shutil.rmtree, os.environ["RECLAMATIONS_DATA_DIR"], ignore_errors=True)

from django_setup import setup

setup()

import time_machine
from django.core.management import call_command
from django.utils import timezone
from generate import ensure_staff, receptions
from lifecycle import PendingEvent, Simulator, simulated_organisation

from reclamations.complaints import chain
from reclamations.complaints.counts_rebuild import counts_findings
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.services import NewComplaint, complaint_apply, complaint_register

# The simulator stamps its registration events a few milliseconds after the registration,
# as a real request does; frozen time gives the service the same instant for both.
RECORDED_AT_TOLERANCE = timedelta(milliseconds=10)
EVENT_FIELDS = ("event_type", "occurred_on", "status_before", "status_after")


def differences(simulated: Complaint, real: Complaint) -> list[str]:
    found = []
    for field in Complaint._meta.concrete_fields:
        if field.primary_key:
            continue
        ours, theirs = getattr(simulated, field.attname), getattr(real, field.attname)
        if ours != theirs:
            found.append(f"{field.name}: simulated {ours!r}, service {theirs!r}")
    return found


# What an event says of the email it queued: the generator queues no mail (the benchmark
# measures the register, not the outbox), so these are left out of the comparison.
MAIL_FACTS = frozenset({"email", "email_message_id"})


def event_differences(
    simulated: list[PendingEvent], real: list[ComplaintEvent], actor_name: str
) -> list[str]:
    if len(simulated) != len(real):
        return [f"{len(simulated)} events simulated, {len(real)} by the service"]
    found = []
    for number, (ours, theirs) in enumerate(zip(simulated, real, strict=True), start=1):
        for name in EVENT_FIELDS:
            mine, other = getattr(ours, name), getattr(theirs, name)
            if mine != other:
                found.append(f"event {number} {name}: {mine!r} != {other!r}")
        if theirs.actor_name != actor_name:  # generate.py names the referent on every event
            found.append(f"event {number} actor_name: {actor_name!r} != {theirs.actor_name!r}")
        written = {key: value for key, value in theirs.data.items() if key not in MAIL_FACTS}
        if chain.to_json_value(ours.data) != written:
            found.append(f"event {number} data: {ours.data!r} != {written!r}")
        if abs(ours.recorded_at - theirs.recorded_at) > RECORDED_AT_TOLERANCE:
            found.append(f"event {number} recorded_at: {ours.recorded_at} != {theirs.recorded_at}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complaints", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    call_command("migrate", interactive=False, verbosity=0)
    organisation = simulated_organisation()
    referent = ensure_staff(organisation)
    now = timezone.now()
    rng = Random(args.seed)
    simulator = Simulator(organisation, referent, now)
    arrivals = receptions(rng, simulator, count=args.complaints, years=5, now=now)
    event_types: Counter[str] = Counter()
    for reception in arrivals:
        simulated, events = simulator.register(reception)
        stalls = rng.random() < 0.05
        played = simulator.timeline(rng, simulated, reception, stalls=stalls)
        for moment, step in played:
            events.append(simulator.apply(simulated, step.action, step.data, moment))

        with time_machine.travel(reception.registered_at, tick=False):
            real = complaint_register(
                organisation=organisation,
                actor=referent,
                complaint=NewComplaint(
                    channel=reception.channel,
                    received_at=reception.received_at,
                    backdating_reason=simulated.backdating_reason,
                    **reception.fields,
                ),
            )
        for moment, step in played:
            with time_machine.travel(moment, tick=False):
                complaint_apply(complaint=real, actor=referent, action=step.action, data=step.data)
        real.refresh_from_db()
        stored = list(ComplaintEvent.objects.filter(complaint=real).order_by("sequence"))
        found = differences(simulated, real)
        found += event_differences(events, stored, simulator.actor_name)
        if found:
            print(f"{simulated.reference} differs from what the services write:", file=sys.stderr)
            for line in found:
                print(f"  {line}", file=sys.stderr)
            return 1
        event_types.update(event.event_type for event in stored)
    # The generator recounts the statistics' counts once its register is written: the counts
    # the services kept event by event must be that recount.
    recount = list(counts_findings(organisation.pk))
    if recount:
        print("The statistics' counts differ from a recount:", file=sys.stderr)
        print(*recount, sep="\n", file=sys.stderr)
        return 1
    print(
        f"OK: {len(arrivals)} complaints and {event_types.total()} events identical to those "
        "the services write. Events by type: "
        + ", ".join(f"{name} {count}" for name, count in event_types.most_common())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
