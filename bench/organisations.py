"""Fill the environment's database with many organisations on one installation, for the
benchmark of issue 12 ("10,000 organisations with 100 complaints each").

    python bench/organisations.py --organisations 10000 --complaints 100 [--seed 1]

Each organisation gets the seed's profile under its own name and mailbox, a referent
(`referente-00001`, ...) and an auditor, and its own register played as bench/generate.py plays
one: the same simulated lives (bench/lifecycle.py), its own hash chain, chain head and
reference counters, so that `reclamations verify` checks every organisation. Organisations are
generated one at a time (memory stays flat whatever their number) and each is written in its
own transaction. Start from an empty database.
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import argparse
import sys
from random import Random

from django_setup import setup

setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from generate import (
    FINISH_PARTS,
    Clock,
    add_finish_arguments,
    batches,
    chained_events,
    finish,
    insert_letters,
    lives,
    receptions,
    simulated_timestamps,
)
from lifecycle import PendingEvent, Simulator

from reclamations.complaints.models import (
    ChainHead,
    Complaint,
    ComplaintEvent,
    ReferenceCounter,
)
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import CCS_PROFILE


def organisation_name(number: int) -> str:
    return f"Organisme {number:05d}"


def referent_name(number: int) -> str:
    return f"referente-{number:05d}"


def create_organisation(number: int) -> tuple[Organisation, User]:
    """The seed's profile under the organisation's own name, mailbox and reference prefix."""
    organisation = Organisation.objects.create(
        **{
            **CCS_PROFILE,
            "name": organisation_name(number),
            "complaints_email": f"reclamations@organisme-{number:05d}.example",
            "reference_prefix": "REC",
            "mediator_cecmc_listed": True,
        }
    )
    referent = User(
        username=referent_name(number),
        first_name="Fanny",
        last_name=f"Maltese {number}",
        email=f"referente@organisme-{number:05d}.example",
        role=Role.REFERENT,
        organisation=organisation,
    )
    auditor = User(
        username=f"auditeur-{number:05d}",
        email=f"audit@organisme-{number:05d}.example",
        role=Role.AUDITOR,
        organisation=organisation,
    )
    for user in (referent, auditor):
        user.set_unusable_password()  # bench/organisations_run.py logs in with force_login
    User.objects.bulk_create([referent, auditor])
    return organisation, User.objects.get(username=referent.username)


def write_register(simulator: Simulator, complaints: list[Complaint], events: list[PendingEvent]):
    """One organisation's complaints, printed letters, events, chain head and counters: all or
    nothing."""
    organisation = simulator.organisation
    with simulated_timestamps():
        Complaint.objects.bulk_create(complaints)  # first: the events take their ids
    insert_letters(events, batch_size=2000)  # the replies by post it printed
    sealed = list(chained_events(events, organisation, simulator.actor))
    for batch in batches(sealed, 2000):
        ComplaintEvent.objects.bulk_create(batch)
    last = sealed[-1]
    ChainHead.objects.create(
        organisation=organisation, last_sequence=last.sequence, last_hash=last.hash
    )
    ReferenceCounter.objects.bulk_create(
        ReferenceCounter(organisation=organisation, series="", year=year, last_number=number)
        for year, number in sorted(simulator.counters.items())
    )


def generate_one(
    number: int, *, complaints: int, years: float, seed: int, print_letters: bool = True
) -> int:
    """Organisation `number` with its register; returns the number of events written."""
    rng = Random(f"{seed}-{number}")
    now = timezone.now()
    with transaction.atomic():
        organisation, referent = create_organisation(number)
        simulator = Simulator(organisation, referent, now, print_letters=print_letters)
        arrivals = receptions(rng, simulator, count=complaints, years=years, now=now)
        rows, events, _ = lives(rng, simulator, arrivals)
        write_register(simulator, rows, events)
    return len(events)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--complaints", type=int, default=100, help="per organisation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=float, default=5.0)
    # Several processes may share the generation (a machine's cores): each its own range of
    # organisation numbers, with --no-finish; then one `--finish-only` writes what is global.
    parser.add_argument("--start", type=int, default=1, help="number of the first organisation")
    add_finish_arguments(parser)
    # Printing the replies by post is three quarters of the generation's time (WeasyPrint,
    # about 50 ms a letter, 19 letters an organisation): without them, those replies go by
    # e-mail. The pages measured read no letter.
    parser.add_argument(
        "--no-letters",
        action="store_true",
        help="replies by e-mail instead of by post: nothing printed (four times faster)",
    )
    args = parser.parse_args(argv)
    if args.organisations < 1 or args.complaints < 1 or args.years <= 0 or args.start < 1:
        parser.error("--organisations, --complaints, --years and --start must be positive")

    clock = Clock()
    if args.part and not args.finish_only:
        parser.error("--part goes with --finish-only")
    if args.finish_only:
        finish(clock, tuple(args.part or FINISH_PARTS))
        return 0
    call_command("migrate", interactive=False, verbosity=0)
    clock.say(f"database {connection.vendor} {connection.settings_dict['NAME']}: migrated")
    if args.start == 1 and Organisation.objects.exists():
        print(
            "The database already holds organisations: generate into an empty one (remove the "
            "data directory, or drop and create the PostgreSQL database).",
            file=sys.stderr,
        )
        return 2
    events = 0
    last = args.start + args.organisations - 1
    for number in range(args.start, last + 1):
        events += generate_one(
            number,
            complaints=args.complaints,
            years=args.years,
            seed=args.seed,
            print_letters=not args.no_letters,
        )
        done = number - args.start + 1
        if done % 100 == 0 or number == last:
            clock.say(
                f"{number:,} ({done:,} organisations, {done * args.complaints:,} complaints, "
                f"{events:,} events)"
            )
    if not args.no_finish:
        finish(clock)
    clock.say(f"generated {args.organisations:,} organisations in {clock.elapsed():.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
