"""Check that the generator writes what the services write, field by field.

    python bench/check_fidelity.py [--complaints 300] [--seed 7]

Plays the same complaints twice in a temporary SQLite database: in memory by the simulator, as
bench/generate.py does, and through services.complaint_register and complaint_apply at the same
moments (time-machine). Then compares every column of each complaint, of each document (the
letters printed, with their stored files' bytes) and of every event of its chronology (all but
sequence and hashes, which depend on the whole register: `reclamations verify` checks those on
a generated database), and the statistics' counts the services kept with a recount (what the
generator writes). Exits 1 on the first difference.

main() also runs on the database already set up (the test suite's): run as a script, it makes
its own.
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

if __name__ == "__main__":
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
from lifecycle import PendingEvent, Simulator, Step, simulated_organisation

from reclamations.complaints import chain
from reclamations.complaints.actions import ACTIONS, Action
from reclamations.complaints.actions.inputs import input_fields
from reclamations.complaints.counts_rebuild import counts_findings
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.complaints.services import NewComplaint, complaint_apply, complaint_register
from reclamations.core.localtime import local_date
from reclamations.core.models import User

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


# The stored file's name is drawn at random (models.document_path): its bytes are compared
# instead. The row's id and its complaint's are the database's.
DOCUMENT_FIELDS_ASIDE = frozenset({"id", "complaint", "file"})


def document_differences(simulated: list[Document], real: list[Document]) -> list[str]:
    """Each document the simulator made against the service's, in order of creation, the
    stored files' bytes included. Those that match take the ids of the service's rows, as the
    generator's documents take theirs when inserted, so that the events can then be compared
    with the ids they name."""
    if len(simulated) != len(real):
        return [f"{len(simulated)} documents simulated, {len(real)} stored by the service"]
    found = []
    for number, (ours, theirs) in enumerate(zip(simulated, real, strict=True), start=1):
        for field in Document._meta.concrete_fields:
            if field.name in DOCUMENT_FIELDS_ASIDE:
                continue
            mine, other = getattr(ours, field.attname), getattr(theirs, field.attname)
            if mine != other:
                found.append(f"document {number} {field.name}: {mine!r} != {other!r}")
        if _stored_bytes(ours) != _stored_bytes(theirs):
            found.append(f"document {number}: the stored files differ")
        ours.pk = theirs.pk
    return found


def _stored_bytes(document: Document) -> bytes:
    with document.file.open("rb") as stored:
        return stored.read()


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
        if chain.to_json_value(ours.written_data()) != written:
            found.append(f"event {number} data: {ours.written_data()!r} != {written!r}")
        linked = ours.document.pk if ours.document is not None else None
        if linked != theirs.document_id:
            found.append(f"event {number} document: {linked!r} != {theirs.document_id!r}")
        if abs(ours.recorded_at - theirs.recorded_at) > RECORDED_AT_TOLERANCE:
            found.append(f"event {number} recorded_at: {ours.recorded_at} != {theirs.recorded_at}")
    return found


def form_data(step: Step, real: Complaint, referent: User) -> dict[str, object]:
    """What the referent submits for `step` now. A posting's letter and day are the
    simulator's own choice (Simulator._record_posting): the letter the form offers first,
    posted today."""
    if step.action != Action.RECORD_POSTING:
        return step.data
    letter = dict(input_fields(ACTIONS[step.action].input))["letter"]
    return {
        "letter": letter.starting_value(real, referent),
        "posted_on": local_date(real.organisation, timezone.now()).isoformat(),
    }


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
                data = form_data(step, real, referent)
                complaint_apply(complaint=real, actor=referent, action=step.action, data=data)
        real.refresh_from_db()
        stored = list(ComplaintEvent.objects.filter(complaint=real).order_by("sequence"))
        found = differences(simulated, real)
        found += document_differences(
            [event.document for event in events if event.document is not None],
            list(Document.objects.filter(complaint=real).order_by("created_at", "pk")),
        )
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
