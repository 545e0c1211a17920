"""Throughput of `reclamations import-eml`: how many messages per second it registers.

Generates N distinct, realistic .eml messages (plain UTF-8 complaints, 8-bit ISO-8859-1
complaints, HTML multipart/alternative complaints, complaints with a small PDF, replies quoting
the reference of a complaint created earlier in the same import, auto-replies and questions for
the triage inbox), then runs the real command, `reclamations import-eml DIR`, as a subprocess
against a fresh database (SQLite in a new data directory; PostgreSQL with --database-url or
DATABASE_URL: that database is DROPPED and re-created for each run). Each run is checked
afterwards: `reclamations verify` must say the chain holds, and the outcome counts, the rows
and the files must be what the mix implies.

    .venv/bin/python bench/import_eml.py                       # SQLite, 2,000 messages, 3 runs
    .venv/bin/python bench/import_eml.py --database-url postgres://postgres@127.0.0.1:5432/x
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COMMAND = [str(PROJECT_ROOT / ".venv" / "bin" / "reclamations")]
if not Path(COMMAND[0]).exists():
    COMMAND = [sys.executable, "-m", "reclamations.cli"]

# Share of each kind of message (they add up to 1).
MIX = {
    "plain": 0.45,  # text/plain UTF-8 (quoted-printable), "Réclamation ..." in the subject
    "latin1": 0.15,  # text/plain ISO-8859-1, 8-bit, accents in headers and body
    "html": 0.20,  # multipart/alternative, text and HTML
    "pdf": 0.10,  # multipart/mixed with a small PDF kept as a document
    "reply": 0.05,  # "RE: ... REC-YYYY-NNNN": a client's answer to an earlier complaint
    "auto": 0.03,  # out-of-office (Auto-Submitted: auto-replied)
    "question": 0.02,  # no "réclamation" and no reference: triage inbox
}
CREATES = ("plain", "latin1", "html", "pdf")
EXPECTED_LINE = {
    "plain": "created",
    "latin1": "created",
    "html": "created",
    "pdf": "created",
    "reply": "appended",
    "auto": "auto-reply ignored",
    "question": "not a complaint",
}

FIRST_NAMES = [
    "Julie", "Thomas", "Camille", "Nicolas", "Léa", "Hugo", "Chloé", "Mathéo", "Inès", "Louis",
    "Zoé", "Gaël", "Maëlle", "François", "Hélène", "Jérôme", "Cécile", "Benoît", "Anaïs", "Loïc",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Lefèvre", "Moreau", "Girard", "Chérel", "Dupré", "Lemaître", "Bélanger",
    "Rousseau", "Fournier", "Gauthier", "Noël", "Besançon", "Faure", "Mercier", "Hébert", "Roux",
]  # fmt: skip
TRAININGS = [
    "Excel perfectionnement", "Anglais professionnel", "Management d'équipe",
    "Sauveteur secouriste du travail", "Comptabilité générale", "Prise de parole en public",
    "Word initiation",
]  # fmt: skip
GRIEVANCES = [
    "la formation a été annulée la veille sans explication et sans proposition de report",
    "la facture mentionne deux journées alors que la formation n'a duré qu'une journée",
    "l'attestation de fin de formation ne m'a toujours pas été envoyée malgré deux relances",
    "le formateur est arrivé avec une heure de retard et le programme n'a pas été couvert",
    "la salle était trop petite, sans chauffage, et le vidéoprojecteur ne fonctionnait pas",
    "le support de cours promis n'a jamais été transmis, ni sur papier ni par e-mail",
    "mon compte CPF a été débité deux fois pour la même session de formation",
]  # fmt: skip


def tiny_pdf(text: str) -> bytes:
    """A small valid one-page PDF (the register keeps only files whose content is a PDF)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass(frozen=True)
class Mailbox:
    directory: Path
    kinds: Counter[str]
    pdfs: int

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


def _kinds(count: int, rng: random.Random) -> list[str]:
    """`count` kinds in the MIX proportions, shuffled, with replies only after a complaint."""
    kinds: list[str] = []
    for kind, share in MIX.items():
        kinds += [kind] * round(count * share)
    kinds = (kinds + ["plain"] * count)[:count]
    rng.shuffle(kinds)
    # The first message must create a complaint for the first reply to have one to quote.
    first = next(i for i, kind in enumerate(kinds) if kind in CREATES)
    kinds[0], kinds[first] = kinds[first], kinds[0]
    return kinds


def generate(directory: Path, count: int, seed: int, year: int) -> Mailbox:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    kinds = _kinds(count, rng)
    created = 0
    pdfs = 0
    for index, kind in enumerate(kinds, start=1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        local_part = unicodedata.normalize("NFKD", f"{first}.{last}".lower())
        address = f"{local_part.encode('ascii', 'ignore').decode()}.{index}@example.org"
        training = rng.choice(TRAININGS)
        grievance = rng.choice(GRIEVANCES)
        date = now - timedelta(days=rng.uniform(0, 6), minutes=count - index)
        session = rng.randint(100, 999)
        body = (
            f"Bonjour,\n\nJ'ai suivi la formation « {training} » (session n° {session})"
            f" et {grievance}.\nJe vous remercie de me répondre rapidement et de m'indiquer "
            f"la suite que vous comptez donner.\n\nCordialement,\n{name}\n"
            f"Tél. 06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}\n"
        )
        message = EmailMessage()
        message["From"] = f"{name} <{address}>"
        message["To"] = "f.maltese@ccs-legal.fr"
        message["Date"] = format_datetime(date)
        message["Message-ID"] = f"<bench-{seed}-{index:06d}@example.org>"
        subject = f"Réclamation formation {training} ({index})"
        if kind == "reply":
            quoted = rng.randint(max(1, created - 50), created)
            subject = f"RE: Accusé de réception de votre réclamation REC-{year}-{quoted:04d}"
            message["In-Reply-To"] = f"<ack-{quoted}@ccs-legal.fr>"
            body = (
                f"Bonjour,\n\nComme demandé, voici les précisions : {grievance}.\n"
                f"Mon numéro de dossier CPF est {rng.randint(10**9, 10**10 - 1)}.\n\n{name}\n"
            )
        elif kind == "auto":
            subject = f"Réponse automatique : {subject}"
            message["Auto-Submitted"] = "auto-replied"
            body = f"Je suis absent(e) du bureau jusqu'au {date + timedelta(days=9):%d/%m}.\n"
        elif kind == "question":
            subject = f"Question sur les dates de la session {training}"
            body = f"Bonjour,\n\nQuelles sont les dates de « {training} » ?\n\n{name}\n"
        message["Subject"] = subject
        if kind == "latin1":
            raw = _latin1(message, body)
        else:
            message.set_content(body, cte="quoted-printable")
            if kind == "html":
                paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line)
                message.add_alternative(
                    f"<html><body style='font-family:Arial'>{paragraphs}"
                    "<img src='https://tracker.example.com/pixel.gif'></body></html>",
                    subtype="html",
                )
            elif kind == "pdf":
                message.add_attachment(
                    tiny_pdf(f"Facture F-{year}-{index}"),
                    maintype="application",
                    subtype="pdf",
                    filename=f"facture-{index}.pdf",
                )
                pdfs += 1
            raw = message.as_bytes()
        if kind in CREATES:
            created += 1
        (directory / f"{index:06d}-{kind}.eml").write_bytes(raw)
    return Mailbox(directory, Counter(kinds), pdfs)


def _latin1(message: EmailMessage, body: str) -> bytes:
    """8-bit ISO-8859-1 as old mail clients send it: raw accented bytes, headers included."""
    headers = "".join(f"{key}: {value}\r\n" for key, value in message.items())
    headers += (
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    text = body.replace("«", '"').replace("»", '"').replace("\n", "\r\n")
    return (headers + text).encode("iso-8859-1", "replace")


# --- running --------------------------------------------------------------------------------------


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {**os.environ, "RECLAMATIONS_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _recreate_postgres(database_url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(database_url)
    with psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def prepare(env: dict[str, str]) -> None:
    """An empty register with the CCS organisation, as a first installation has."""
    subprocess.run([*COMMAND, "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([sys.executable, __file__, "--internal-prepare"], env=env, check=True)


def _internal_prepare() -> None:
    sys.path.insert(0, str(PROJECT_ROOT))
    from bench.django_setup import setup

    setup()
    from reclamations.core.seed import ensure_seed_organisation

    ensure_seed_organisation()


def _internal_counts() -> None:
    """The rows one run wrote, as JSON, for the checks."""
    sys.path.insert(0, str(PROJECT_ROOT))
    from bench.django_setup import setup

    setup()
    from django.conf import settings

    from reclamations.complaints.models import Complaint, ComplaintEvent, Document
    from reclamations.intake.models import InboundEmail
    from reclamations.outbox.models import OutgoingMessage

    files = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    print(
        json.dumps(
            {
                "complaints": Complaint.objects.count(),
                "events": ComplaintEvent.objects.count(),
                "documents": Document.objects.count(),
                "documents_pdf": Document.objects.filter(content_type="application/pdf").count(),
                "inbound": dict(Counter(InboundEmail.objects.values_list("outcome", flat=True))),
                "outbox": OutgoingMessage.objects.count(),
                "files": len(files),
            }
        )
    )


@dataclass(frozen=True)
class Run:
    seconds: float
    startup: float
    lines: Counter[str]
    # CPU time of the command (user + system): on a machine shared with other work, wall
    # time varies by a factor of two from one run to the next, CPU time much less.
    cpu: float

    def rate(self, count: int) -> float:
        return count / self.seconds

    def in_process_rate(self, count: int) -> float:
        return count / (self.seconds - self.startup)


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(
    args: list[str], env: dict[str, str]
) -> tuple[float, subprocess.CompletedProcess[str], float]:
    """Wall time, result and CPU time (user + system) of the command."""
    cpu = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    cpu = _cpu_of_children() - cpu
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed, done, cpu


def run_once(mailbox: Mailbox, work: Path, database_url: str, number: int = 1) -> Run:
    # A new data directory for each run, the earlier runs' left in place until the end: on an
    # ext4 file system without a journal (this kind of machine), creating a file within 30 s
    # of deleting thousands makes the kernel skip each recently deleted inode, one by one
    # (0.6 to 0.8 ms of system time a file instead of 20 to 40 µs), which measured the
    # previous run's clean-up rather than the import.
    data_dir = work / f"data-{number}"
    data_dir.mkdir()
    if database_url:
        _recreate_postgres(database_url)
    env = _env(data_dir, database_url)
    prepare(env)
    empty = work / "empty"
    empty.mkdir(exist_ok=True)
    # Start-up: the same command on a folder without messages (Python, Django, settings, the
    # database connection and the organisation): what every invocation pays once.
    startup = statistics.median(
        _timed([*COMMAND, "import-eml", str(empty)], env)[0] for _ in range(3)
    )
    # Each run starts with the disk idle: the files written and deleted by the previous run
    # would otherwise be flushed during this one (each run was slower than the one before).
    os.sync()
    seconds, done, cpu = _timed([*COMMAND, "import-eml", str(mailbox.directory)], env)
    lines = Counter(line.split(" REC-")[0] for line in done.stdout.splitlines())
    check(mailbox, lines, env)
    return Run(seconds, startup, lines, cpu)


def check(mailbox: Mailbox, lines: Counter[str], env: dict[str, str]) -> None:
    """The import did exactly what the mix implies, and the chain holds."""
    expected: Counter[str] = Counter()
    for kind, count in mailbox.kinds.items():
        expected[EXPECTED_LINE[kind]] += count
    problems = []
    if lines != expected:
        problems.append(f"output lines {dict(lines)} != expected {dict(expected)}")
    verify = subprocess.run([*COMMAND, "verify"], env=env, capture_output=True, text=True)
    if verify.returncode != 0 or not verify.stdout.startswith("OK"):
        problems.append(f"verify failed: {verify.stdout[-500:]} {verify.stderr[-500:]}")
    counts = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--internal-counts"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    created = expected["created"]
    appended = expected["appended"]
    kept = expected["auto-reply ignored"] + expected["not a complaint"]
    wanted = {
        "complaints": created,
        # registered + one per PDF (document_added) + one per reply (message_received)
        "events": created + mailbox.pdfs + appended,
        "documents": created + mailbox.pdfs + appended,  # raw .eml kept + the PDFs
        "documents_pdf": mailbox.pdfs,
        "inbound": {
            key: value
            for key, value in {
                "created": created,
                "appended": appended,
                "auto_reply": expected["auto-reply ignored"],
                "triage": expected["not a complaint"],
            }.items()
            if value
        },
        "outbox": created,  # one acknowledgement per complaint (every sender has an address)
        "files": created + mailbox.pdfs + appended + kept,
    }
    for key, value in wanted.items():
        if counts[key] != value:
            problems.append(f"{key}: {counts[key]} in the database, expected {value}")
    if problems:
        sys.exit("Check failed:\n  " + "\n  ".join(problems))
    print(f"  checked: verify OK, {json.dumps(counts, ensure_ascii=False)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL (dropped and re-created for each run); default SQLite",
    )
    parser.add_argument("--internal-prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--internal-counts", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.internal_prepare:
        _internal_prepare()
        return 0
    if args.internal_counts:
        _internal_counts()
        return 0
    if args.messages < 20 or args.runs < 1:
        parser.error("--messages must be at least 20 and --runs at least 1")

    work = Path(tempfile.mkdtemp(prefix="bench-import-eml-"))
    try:
        mail_dir = work / "mail"
        mail_dir.mkdir()
        year = datetime.now().year  # references are numbered by year of registration
        mailbox = generate(mail_dir, args.messages, args.seed, year)
        size = sum(path.stat().st_size for path in mail_dir.iterdir())
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"{mailbox.total} messages ({size / 1024 / 1024:.1f} MB), {database}:")
        for kind in MIX:
            share = mailbox.kinds[kind] / mailbox.total
            print(f"  {kind:<9} {mailbox.kinds[kind]:>6}  {share:6.1%}")
        runs = []
        for number in range(1, args.runs + 1):
            run = run_once(mailbox, work, args.database_url, number)
            runs.append(run)
            print(
                f"run {number}: {run.seconds:.2f} s, {run.rate(mailbox.total):.0f} messages/s "
                f"(start-up {run.startup:.2f} s; without it "
                f"{run.in_process_rate(mailbox.total):.0f} messages/s); CPU {run.cpu:.2f} s, "
                f"{mailbox.total / run.cpu:.0f} messages per CPU second; "
                f"{', '.join(f'{k} {v}' for k, v in sorted(run.lines.items()))}",
                flush=True,
            )
        seconds = statistics.median(run.seconds for run in runs)
        startup = statistics.median(run.startup for run in runs)
        cpu = statistics.median(run.cpu for run in runs)
        print(
            f"median of {len(runs)}: {seconds:.2f} s, {mailbox.total / seconds:.0f} messages/s; "
            f"start-up {startup:.2f} s ({startup / seconds:.0%} of the total); without start-up "
            f"{mailbox.total / (seconds - startup):.0f} messages/s; CPU {cpu:.2f} s "
            f"({mailbox.total / cpu:.0f} messages per CPU second)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
