"""Every register the test suite builds verifies: after each test that used the database, the
whole of `reclamations verify` runs on what it left (the hash chain, each complaint's stored
fields replayed from its events, each document against its file). Every code path the tests
take through the services is thereby proved to write a register `verify` finds intact: a
false alarm on a real register would be the worst outcome.

A test that changes the database behind the application's back on purpose (the tamper tests)
says so with `@pytest.mark.tampered`."""

import pytest

from reclamations.reporting.integrity import verify_all

MARKER = "tampered: changes the register behind the application's back; not verified after"


def uses_database(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "db" in names or "transactional_db" in names or item.get_closest_marker("django_db")


def heads() -> str:
    """The TÊTE lines `reclamations verify` prints after OK: each organisation's chain head,
    read from its last event."""
    from reclamations.complaints.models import ComplaintEvent
    from reclamations.core.models import Organisation

    lines = []
    for organisation in Organisation.objects.order_by("id"):
        last = ComplaintEvent.objects.filter(organisation=organisation).order_by("sequence").last()
        sequence, digest = (last.sequence, last.hash) if last else (0, "0" * 64)
        lines.append(f"TÊTE {organisation.name}:{sequence:06d}:{digest[:16]}\n")
    return "".join(lines)


def register_problems() -> list[str]:
    """What `reclamations verify` would print as errors, organisation by organisation."""
    problems = []
    for result in verify_all():
        name = result.organisation.name
        if not result.report.ok:
            problems.append(f"{name} : {result.report.where} : {result.report.problem}")
        problems.extend(f"{name} : {finding}" for finding in result.findings)
    return problems
