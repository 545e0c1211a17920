"""The worker as a real process, killed or doubled: nothing lost, nothing registered or sent twice.

Every test here runs `reclamations` commands as subprocesses on a register of their own
(tests/harness/worker_process.py), against the test Dovecot and a test SMTP server on loopback
ports, configured by environment variables as in production.

- Crash injection: `fetch-mail` and `send-outbox` killed with SIGKILL at seeded random moments,
  then run to their end. The promises checked are those of intake/mailbox.py (a message is
  marked processed only after its transaction committed; read again, it is a duplicate) and of
  outbox/delivery.py (exactly once, except a kill between the server's acceptance and the
  commit that follows it: that row, left "sending", is queued again after STUCK_AFTER and may
  go twice; at-least-once there only, rather than never).
- Two workers at once on PostgreSQL, one mailbox and one outbox: each message registered once,
  each outgoing message sent once (no kill here, so not even the exception above).
"""

import os
import random
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime
from functools import partial

import pytest

from tests.harness.dovecot import Account, DovecotServer
from tests.harness.smtp import SmtpServer
from tests.harness.worker_process import (
    Register,
    Victim,
    kill_in_the_work,
    postgres_database_url,
)
from tests.intake.conftest import eml

SEED = 11
KILLS = 50
# Work after a kill's delay starts: the process's start-up time is measured, and each kill
# falls within this much of the moment the work begins.
KILL_SPREAD = 0.6

ROWS = """
from collections import Counter
from reclamations.complaints.enums import DocumentRole
from reclamations.complaints.models import Complaint, Document
from reclamations.intake.models import InboundEmail
from reclamations.outbox.models import OutgoingMessage
print(json.dumps({
    "complaints": Complaint.objects.count(),
    "clients": sorted(Complaint.objects.values_list("client_email", flat=True)),
    "inbound": sorted(InboundEmail.objects.values_list("message_id", flat=True)),
    "outcomes": Counter(InboundEmail.objects.values_list("outcome", flat=True)),
    "originals": sorted(Counter(
        Document.objects.filter(role=DocumentRole.ORIGINAL).values_list("complaint_id", flat=True)
    ).values()),
    "outgoing": sorted(
        [message_id, status, attempts]
        for message_id, status, attempts in OutgoingMessage.objects.values_list(
            "message_id", "status", "attempts"
        )
    ),
}))
"""

# Time moves on by the outbox's STUCK_AFTER: a row left "sending" by a killed deliverer is
# queued again by the next run, as it would be ten minutes later.
TIME_PASSES_FOR_STUCK_ROWS = """
from django.db.models import F
from reclamations.outbox.delivery import STUCK_AFTER
from reclamations.outbox.models import OutgoingMessage, OutgoingStatus
print(json.dumps(OutgoingMessage.objects.filter(status=OutgoingStatus.SENDING).update(
    claimed_at=F("claimed_at") - STUCK_AFTER - timedelta(seconds=1)
)))
""".replace("import F\n", "import F\nfrom datetime import timedelta\n", 1)


def _pdf() -> bytes:
    """A real invoice PDF, as a client attaches one (from the corpus)."""
    message = message_from_bytes(eml("attachment-pdf.eml"), policy=policy.default)
    (part,) = message.iter_attachments()  # type: ignore[attr-defined]
    return part.get_content()


def mailbox_messages(count: int, *, tag: str) -> tuple[list[bytes], Counter[str]]:
    """`count` messages as a mailbox receives them: complaints (some in HTML, some with a PDF),
    clients' replies to their own complaint, questions for the triage inbox, out-of-office
    replies; and how many of each outcome they should give."""
    rng = random.Random(f"{SEED}-{tag}")
    pdf = _pdf()
    now = datetime.now(UTC)
    messages: list[bytes] = []
    expected: Counter[str] = Counter()
    complaints: list[str] = []
    for index in range(count):
        message = EmailMessage()
        address = f"client{index}@example.fr"
        message["From"] = f"Client {index} <{address}>"
        message["To"] = "f.maltese@ccs-legal.fr"
        message["Date"] = format_datetime(now - timedelta(minutes=count - index))
        message["Message-ID"] = f"<{tag}-{index}@example.fr>"
        kind = rng.choice(["complaint"] * 6 + ["pdf", "html", "reply", "reply", "question"])
        if index % 17 == 16:
            kind = "auto"
        if kind == "reply" and not complaints:
            kind = "complaint"
        body = f"Bonjour,\n\nLa session n° {index} a été annulée sans prévenir.\n\nClient {index}\n"
        if kind == "reply":
            message["Subject"] = "Re: votre accusé de réception"
            message["In-Reply-To"] = rng.choice(complaints)
            body = f"Précision n° {index} : la convention de formation était signée.\n"
            expected["appended"] += 1
        elif kind == "question":
            message["Subject"] = f"Question sur les dates de la session {index}"
            body = f"Bonjour,\n\nQuand commence la session {index} ?\n"
            expected["triage"] += 1
        elif kind == "auto":
            message["Subject"] = "Réponse automatique : absent du bureau"
            message["Auto-Submitted"] = "auto-replied"
            body = "Je suis absent du bureau jusqu'à lundi.\n"
            expected["auto_reply"] += 1
        else:
            message["Subject"] = f"Réclamation formation {index}"
            complaints.append(message["Message-ID"])
            expected["created"] += 1
        message.set_content(body, cte="quoted-printable")
        if kind == "html":
            message.add_alternative(f"<p>{body}</p><p><b>Merci</b></p>", subtype="html")
        elif kind == "pdf":
            message.add_attachment(
                pdf, maintype="application", subtype="pdf", filename=f"facture-{index}.pdf"
            )
        messages.append(message.as_bytes())
    return messages, expected


def fill_mailbox(dovecot: DovecotServer, account: Account, messages: list[bytes]) -> None:
    connection = dovecot.client(account)
    try:
        for raw in messages:
            status, data = connection.append("INBOX", None, None, raw)
            assert status == "OK", data
    finally:
        connection.logout()


def mail_env(dovecot: DovecotServer, account: Account, smtp: SmtpServer) -> dict[str, str]:
    return {
        "IMAP_HOST": dovecot.host,
        "IMAP_PORT": str(dovecot.port),
        "IMAP_SECURITY": "none",
        "IMAP_USER": account.user,
        "IMAP_PASSWORD": account.password,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
    }


@pytest.fixture
def smtp() -> SmtpServer:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def processed(dovecot: DovecotServer, account: Account) -> int:
    """The messages fetch-mail has moved to its folder, each after its transaction committed
    (read from the Maildir on disk: no IMAP session to slow the run down)."""
    folder = dovecot.base / "homes" / account.user / "Maildir" / ".Traitees"
    return sum(
        len(os.listdir(folder / part)) for part in ("cur", "new") if (folder / part).exists()
    )


def run_to_the_end(register: Register, command: str) -> None:
    """Run `command` until a run finds nothing left to do."""
    for _ in range(20):
        summary = register.run(command)
        if summary.startswith(("IMAP : 0 message", "0 envoyé(s), 0 à réessayer, 0 en échec")):
            return
    raise AssertionError(f"{command} still had work after 20 runs: {summary}")


def assert_registered_once(rows: dict, messages: list[bytes], expected: Counter[str]) -> None:
    ids = [str(message_from_bytes(raw)["Message-ID"]) for raw in messages]
    assert rows["inbound"] == sorted(ids)  # every message, once
    assert {key: value for key, value in rows["outcomes"].items() if value} == dict(expected)
    assert rows["complaints"] == expected["created"]
    assert len(set(rows["clients"])) == rows["complaints"]  # one complaint per client
    assert rows["originals"] == [1] * expected["created"]  # one original document each


def delivered(smtp: SmtpServer) -> Counter[str]:
    return Counter(str(received.message["Message-ID"]) for received in smtp.received)


def assert_no_orphan_file(register: Register) -> int:
    """The stored files every row names, and no other (sweep-files, as if an hour had gone:
    a file younger than that is not judged). Returns how many orphans the kills had left,
    which the sweep moved to quarantine as the design has it (decision 0023)."""
    files = register.data_dir / "files"
    an_hour_and_more_ago = time.time() - 2 * 3600
    for path in files.rglob("*"):
        if path.is_file():
            os.utime(path, (an_hour_and_more_ago, an_hour_and_more_ago))
    listed = register.run("sweep-files", "--dry-run")
    orphans = [line for line in listed.splitlines() if line.startswith("orphelin : ")]
    if orphans:
        register.run("sweep-files")
    again = register.run("sweep-files", "--dry-run")
    assert again.strip().splitlines() == [
        "fichiers orphelins : 0 (simulation, rien déplacé) ; trop récents pour en juger : 0"
    ]
    return len(orphans)


@pytest.mark.own_sqlite_register
@pytest.mark.crash
def test_workers_killed_fifty_times_lose_and_double_nothing(
    dovecot, mailbox_account, smtp, tmp_path
):
    messages, expected = mailbox_messages(72, tag="crash")
    fill_mailbox(dovecot, mailbox_account, messages)
    register = Register.create(tmp_path / "register", **mail_env(dovecot, mailbox_account, smtp))
    rng = random.Random(SEED)
    kills: Counter[str] = Counter()

    started = time.monotonic()
    turns = 0
    while sum(kills.values()) < KILLS:
        turns += 1
        assert turns <= 2 * KILLS, f"only {dict(kills)} kills in {turns} turns"
        # Both at once, as the worker's jobs meet those of another worker or of cron. Each is
        # killed a random moment after moving its n-th message (fetch-mail) or after
        # the server accepted its n-th message (send-outbox): before or after a commit, or
        # between the server's "250" and the row marked sent.
        kills.update(
            kill_in_the_work(
                register,
                [
                    Victim(
                        "fetch-mail",
                        partial(processed, dovecot, mailbox_account),
                        after=rng.randint(0, 2),
                        extra=rng.uniform(0, 0.12),
                    ),
                    Victim(
                        "send-outbox",
                        lambda: len(smtp.received),
                        after=rng.randint(1, 2),
                        extra=rng.choice([0, rng.uniform(0, 0.03)]),
                    ),
                ],
            )
        )
    killing = time.monotonic() - started

    run_to_the_end(register, "fetch-mail")
    stuck = register.query(TIME_PASSES_FOR_STUCK_ROWS)
    run_to_the_end(register, "send-outbox")

    rows = register.query(ROWS)
    assert_registered_once(rows, messages, expected)
    assert rows["outgoing"], "the complaints' acknowledgements were queued"
    assert {status for _id, status, _attempts in rows["outgoing"]} == {"sent"}
    sent = delivered(smtp)
    assert set(sent) == {message_id for message_id, *_ in rows["outgoing"]}
    # At most once, but for a kill between the server's "250" and the commit that follows:
    # only a row queued again after such a kill may have gone twice, never more often than
    # it was tried.
    attempts = {message_id: tries for message_id, _status, tries in rows["outgoing"]}
    twice = {message_id: times for message_id, times in sent.items() if times > 1}
    assert all(times <= attempts[message_id] for message_id, times in twice.items()), twice
    assert sum(times - 1 for times in twice.values()) <= min(kills["send-outbox"], stuck)
    assert "OK" in register.run("verify")
    orphans = assert_no_orphan_file(register)
    print(
        f"\n{sum(kills.values())} kills ({dict(kills)}) in {turns} turns, {killing:.0f} s; "
        f"{len(messages)} messages, {len(rows['outgoing'])} sent; {stuck} left sending, "
        f"{len(twice)} sent twice; {orphans} orphan file(s) quarantined"
    )


@pytest.mark.postgres_only
def test_two_workers_on_postgresql_register_and_send_each_message_once(
    dovecot, mailbox_account, smtp, tmp_path
):
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        pytest.skip("Two workers at once need PostgreSQL (set DATABASE_URL).")
    messages, expected = mailbox_messages(30, tag="two-workers")
    fill_mailbox(dovecot, mailbox_account, messages)
    register = Register.create(
        tmp_path / "register",
        database_url=postgres_database_url(server_url),
        # Small batches: the two workers take turns on the mailbox and on the outbox.
        IMAP_BATCH="5",
        RECLAMATIONS_OUTBOX_BATCH="3",
        **mail_env(dovecot, mailbox_account, smtp),
    )
    try:
        # Neither command may fail: a message the other worker took first is left to it
        # (intake.mailbox.MessageGone), not an error of the mailbox.
        loop = (
            "from django.core.management import call_command\n"
            "for _ in range(12):\n"
            "    for command in ('fetch-mail', 'send-outbox'):\n"
            "        call_command(command)\n"
        )
        workers = [register.start("shell", "--no-imports", "-c", loop) for _ in range(2)]
        for worker in workers:
            assert worker.wait(timeout=120) == 0, register.errors()
        run_to_the_end(register, "fetch-mail")
        run_to_the_end(register, "send-outbox")
        rows = register.query(ROWS)
        assert_registered_once(rows, messages, expected)
        assert {status for _id, status, _attempts in rows["outgoing"]} == {"sent"}
        assert {attempts for *_rest, attempts in rows["outgoing"]} == {1}
        sent = delivered(smtp)
        assert sent == Counter({message_id: 1 for message_id, *_ in rows["outgoing"]})
        assert "OK" in register.run("verify")
    finally:
        register.drop()
