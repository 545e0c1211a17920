"""Time and peak memory of `reclamations import-eml` for a 25 MB message with attachments.

Builds realistic large messages (a text and an HTML body, then scanned PDFs, photos, a PNG
screenshot and a Word document, base64 in 76-character lines, CRLF, as mail clients send
them), imports them with the real command as a subprocess against a fresh database (SQLite in
a new data directory; PostgreSQL with --database-url or DATABASE_URL: that database is DROPPED
and re-created for each run), and reads the command's peak resident memory from the kernel
(`wait4`'s ru_maxrss, the child alone). The baseline is the same command on a tiny message:
Python, Django and the database driver. Each run is checked: one complaint per message, every
attachment the register keeps stored with its SHA-256 and size, the others named in the
registration event, the original kept byte for byte, `reclamations verify` OK.

    .venv/bin/python bench/large_message.py                      # SQLite, 25 MB, 3 runs
    .venv/bin/python bench/large_message.py --database-url postgres://postgres@127.0.0.1:5432/x
"""

import argparse
import base64
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_eml import COMMAND, _env, _recreate_postgres, prepare

MB = 1024 * 1024
# The baseline's message: the same parts, a few kilobytes each.
TINY = 60_000


@dataclass(frozen=True)
class Part:
    filename: str
    content_type: str
    payload: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.payload).hexdigest()


# What a client attaches to a complaint about a training, as shares of the attachments' bytes:
# scans of the invoice and the contract, photos of the room, a screenshot, their own letter.
ATTACHMENTS = [
    ("Facture F-2026-118 scannée.pdf", "application/pdf", 0.24),
    ("Contrat de formation signé.pdf", "application/pdf", 0.16),
    ("Convocation.pdf", "application/pdf", 0.04),
    ("IMG_20261112_091544.jpg", "image/jpeg", 0.13),
    ("IMG_20261112_091602.jpg", "image/jpeg", 0.12),
    ("IMG_20261112_101130.jpg", "image/jpeg", 0.11),
    ("Capture d'écran du compte CPF.png", "image/png", 0.06),
    (
        "Courrier de réclamation.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        0.14,
    ),
]
# The register keeps PDF, JPEG and PNG up to this size as documents (UPLOAD_MAX_BYTES); the
# others stay inside the raw message, which is kept whole.
UPLOAD_MAX_BYTES = int(os.environ.get("RECLAMATIONS_UPLOAD_MAX_BYTES", 10 * MB))


def _file(content_type: str, size: int, rng: random.Random) -> bytes:
    """`size` bytes that start as the real format does (the register sniffs the content) and
    do not compress, like scans and photos."""
    body = rng.randbytes(size)
    if content_type == "application/pdf":
        head = (
            b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /XObject /Subtype /Image >>\nstream\n"
        )
        tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    elif content_type == "image/jpeg":
        head = b"\xff\xd8\xff\xe1\x00\x16Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00"
        tail = b"\xff\xd9"
    elif content_type == "image/png":
        head = (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x07\x80\x00\x00\x048\x08\x02\x00\x00\x00"
        )
        tail = b"\x00\x00\x00\x00IEND\xaeB`\x82"
    else:  # a .docx is a ZIP
        head = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"
        tail = b"PK\x05\x06" + bytes(18)
    return head + body[: max(0, size - len(head) - len(tail))] + tail


def _base64_lines(payload: bytes) -> bytes:
    """Base64 in 76-character lines ending in CRLF, as MIME wants it."""
    return base64.encodebytes(payload).replace(b"\n", b"\r\n")


def build_message(size: int, number: int, seed: int) -> tuple[bytes, list[Part]]:
    """A complaint of about `size` bytes with its attachments, and what was attached."""
    rng = random.Random(f"{seed}-{number}")
    text = (
        "Bonjour,\r\n\r\nJe vous adresse une réclamation au sujet de la formation « Excel "
        "perfectionnement » (session n° 512) : la facture compte deux journées alors que la "
        "formation n'a duré qu'une journée, et la salle n'était pas équipée.\r\nVous trouverez "
        "ci-joint la facture, le contrat, la convocation, des photos de la salle, une capture "
        "de mon compte CPF et mon courrier.\r\n\r\nCordialement,\r\nHélène Chérel\r\n"
    )
    html = "".join(f"<p>{line}</p>" for line in text.split("\r\n") if line)
    html = f"<html><body style='font-family:Calibri'>{html}</body></html>"
    # Base64 makes 4 characters of 3 bytes, plus CRLF every 76: 1.3684 times the file.
    budget = int((size - 6_000) / (4 / 3 * 78 / 76))
    parts = [
        Part(name, content_type, _file(content_type, int(budget * share), rng))
        for name, content_type, share in ATTACHMENTS
    ]
    boundary, inner = f"=_mixed_{number}_{seed}", f"=_alt_{number}_{seed}"
    date = datetime.now(UTC) - timedelta(hours=2, minutes=number)
    lines = [
        'From: "Hélène Chérel" <helene.cherel@example.org>',
        "To: reclamations@ccs-legal.fr",
        f"Subject: Réclamation formation Excel perfectionnement ({number})",
        f"Date: {format_datetime(date)}",
        f"Message-ID: <large-{seed}-{number}@example.org>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        f'Content-Type: multipart/alternative; boundary="{inner}"',
        "",
        f"--{inner}",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
    ]
    head = "\r\n".join(lines).encode() + b"\r\n"
    chunks = [head, _base64_lines(text.encode())]
    chunks.append(
        f"\r\n--{inner}\r\nContent-Type: text/html; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n".encode()
    )
    chunks += [_base64_lines(html.encode()), f"\r\n--{inner}--\r\n".encode()]
    for part in parts:
        name = base64.b64encode(part.filename.encode()).decode()
        chunks.append(
            f"\r\n--{boundary}\r\nContent-Type: {part.content_type}; "
            f'name="=?utf-8?b?{name}?="\r\nContent-Disposition: attachment; '
            f'filename="=?utf-8?b?{name}?="\r\nContent-Transfer-Encoding: base64\r\n\r\n'.encode()
        )
        chunks.append(_base64_lines(part.payload))
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), parts


def kept_as_document(part: Part) -> bool:
    return part.content_type in ("application/pdf", "image/jpeg", "image/png") and (
        len(part.payload) <= UPLOAD_MAX_BYTES
    )


# --- running --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_rss: int  # bytes
    stdout: str


def measured(args: list[str], env: dict[str, str], work: Path) -> Measure:
    """Run `args`; its wall time and the peak resident memory of that process alone.

    Started from a small runner process: a child's ru_maxrss includes the memory of the
    process it was forked from (the kernel keeps the larger of the two at exec), and this
    script holds the messages it generated."""
    usage_file = work / "usage.json"
    with (work / "stdout").open("w+") as out, (work / "stderr").open("w+") as err:
        runner = [sys.executable, __file__, "--internal-run", str(usage_file), "--", *args]
        done = subprocess.run(runner, env=env, stdout=out, stderr=err)
        out.seek(0)
        err.seek(0)
        if done.returncode != 0:
            sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{err.read()[-3000:]}")
        usage = json.loads(usage_file.read_text())
        return Measure(usage["seconds"], usage["peak_rss"], out.read())


def _internal_run(usage_file: str, args: list[str]) -> int:
    """Run `args` (its output is this process's), then write its wall time and peak RSS."""
    started = time.perf_counter()
    process = subprocess.Popen(args)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    Path(usage_file).write_text(
        json.dumps({"seconds": elapsed, "peak_rss": usage.ru_maxrss * 1024})
    )
    return os.waitstatus_to_exitcode(status)


def _internal_check(expected_path: str) -> None:
    """In the run's environment: every message became one complaint whose documents are the
    original (byte for byte) and every attachment the register keeps, each file's SHA-256 and
    size as recorded; the others are named in the registration event. Prints problems."""
    from bench.django_setup import setup

    setup()
    from reclamations.complaints.enums import DocumentRole, EventType
    from reclamations.complaints.models import Complaint, ComplaintEvent

    expected = json.loads(Path(expected_path).read_text())
    problems = []
    complaints = Complaint.objects.count()
    if complaints != len(expected):
        problems.append(f"{complaints} complaints, expected {len(expected)}")
    for message in expected:
        complaint = Complaint.objects.filter(reference=message["reference"]).first()
        if complaint is None:
            problems.append(f"{message['reference']} missing")
            continue
        stored = {}
        for document in complaint.documents.all():
            digest = hashlib.sha256()
            with document.file.open("rb") as stream:
                for chunk in iter(lambda: stream.read(MB), b""):
                    digest.update(chunk)
            if digest.hexdigest() != document.sha256:
                problems.append(f"{document.original_name}: file differs from its SHA-256")
            if document.role == DocumentRole.ORIGINAL:
                stored["(original)"] = (document.sha256, document.size)
            else:
                stored[document.original_name] = (document.sha256, document.size)
        wanted = {"(original)": (message["sha256"], message["size"])}
        wanted |= {name: (sha, size) for name, sha, size in message["kept"]}
        if stored != wanted:
            problems.append(f"{complaint.reference}: documents {stored} != {wanted}")
        registered = ComplaintEvent.objects.get(
            complaint=complaint, event_type=EventType.REGISTERED
        )
        lines = registered.data.get("attachments", [])
        if len(lines) != message["attachments"]:
            problems.append(f"{complaint.reference}: attachment lines {lines}")
    print(json.dumps(problems, ensure_ascii=False))


def check(env: dict[str, str], expected: list[dict[str, object]], work: Path) -> None:
    path = work / "expected.json"
    path.write_text(json.dumps(expected))
    verify = subprocess.run([*COMMAND, "verify"], env=env, capture_output=True, text=True)
    problems = []
    if verify.returncode != 0 or not verify.stdout.startswith("OK"):
        problems.append(f"verify failed: {verify.stdout[-500:]} {verify.stderr[-500:]}")
    found = subprocess.run(
        [sys.executable, __file__, "--internal-check", str(path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    problems += json.loads(found.stdout)
    if problems:
        sys.exit("Check failed:\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Run:
    baseline: Measure
    large: Measure
    messages: int
    size: int  # of one message

    @property
    def per_message(self) -> float:
        return (self.large.seconds - self.baseline.seconds) / self.messages

    @property
    def above_baseline(self) -> int:
        return self.large.peak_rss - self.baseline.peak_rss


def run_once(folder: Path, tiny: list[Path], work: Path, database_url: str, count: int) -> Run:
    data_dir = work / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir()
    if database_url:
        _recreate_postgres(database_url)
    env = _env(data_dir, database_url)
    prepare(env)
    # The baseline registers complaints too, so that both pay the same imports and queries;
    # its time is the median of three (the start-up varies more than a large message takes).
    tinies = [measured([*COMMAND, "import-eml", str(path)], env, work) for path in tiny]
    baseline = Measure(
        statistics.median(m.seconds for m in tinies),
        statistics.median(m.peak_rss for m in tinies),
        "",
    )
    os.sync()
    large = measured([*COMMAND, "import-eml", str(folder)], env, work)
    references = [line.split(" ", 1)[1] for line in large.stdout.splitlines()]
    if len(references) != count or not all(
        line.startswith("created REC-") for line in large.stdout.splitlines()
    ):
        sys.exit(f"unexpected output: {large.stdout}")
    expected = []
    for path, reference in zip(sorted(folder.glob("*.eml")), references, strict=True):
        meta = json.loads(path.with_suffix(".json").read_text())
        expected.append({**meta, "reference": reference})
    for path, measure in zip(tiny, tinies, strict=True):
        meta = json.loads(path.with_suffix(".json").read_text())
        expected.append({**meta, "reference": measure.stdout.split(" ", 1)[1].strip()})
    check(env, expected, work)
    size = sorted(folder.glob("*.eml"))[0].stat().st_size
    return Run(baseline, large, count, size)


def _write(path: Path, raw: bytes, parts: list[Part]) -> None:
    path.write_bytes(raw)
    meta = {
        "sha256": hashlib.sha256(raw).hexdigest(),
        "size": len(raw),
        "kept": [(p.filename, p.sha256, len(p.payload)) for p in parts if kept_as_document(p)],
        "attachments": len(parts),
    }
    path.with_suffix(".json").write_text(json.dumps(meta))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=25.0, help="of each message (MiB)")
    parser.add_argument("--messages", type=int, default=3, help="large messages per import")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="PostgreSQL (dropped and re-created for each run); default SQLite",
    )
    parser.add_argument("--internal-check", help=argparse.SUPPRESS)
    parser.add_argument("--internal-run", help=argparse.SUPPRESS)
    parser.add_argument("command", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.internal_run:
        return _internal_run(args.internal_run, args.command)
    if args.internal_check:
        _internal_check(args.internal_check)
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-large-message-"))
    try:
        folder = work / "large"
        folder.mkdir()
        for number in range(1, args.messages + 1):
            raw, parts = build_message(int(args.size_mb * MB), number, args.seed)
            _write(folder / f"{number:03d}.eml", raw, parts)
        tiny_folder = work / "tiny"
        tiny_folder.mkdir()
        tiny = []
        for number in range(3):
            raw, parts = build_message(TINY, 100 + number, args.seed)
            tiny.append(tiny_folder / f"{number:03d}.eml")
            _write(tiny[-1], raw, parts)
        del raw, parts
        size = (folder / "001.eml").stat().st_size
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"{args.messages} message(s) of {size / MB:.2f} MiB ({size:,} bytes, "
            f"{len(ATTACHMENTS)} attachments), {database}; baseline: a {tiny[0].stat().st_size:,}"
            "-byte message",
            flush=True,
        )
        runs = []
        for number in range(1, args.runs + 1):
            run = run_once(folder, tiny, work, args.database_url, args.messages)
            runs.append(run)
            print(
                f"run {number}: {run.large.seconds:.2f} s (baseline {run.baseline.seconds:.2f} s; "
                f"{run.per_message:.2f} s a message, {1 / run.per_message:.2f} messages/s, "
                f"{size / MB / run.per_message:.1f} MiB/s); peak {run.large.peak_rss / MB:.0f} MiB "
                f"(baseline {run.baseline.peak_rss / MB:.0f} MiB; "
                f"+{run.above_baseline / MB:.0f} MiB, {run.above_baseline / size:.1f}x the message)"
                "; checked",
                flush=True,
            )
        per_message = statistics.median(run.per_message for run in runs)
        peak = statistics.median(run.large.peak_rss for run in runs)
        baseline = statistics.median(run.baseline.peak_rss for run in runs)
        print(
            f"median of {len(runs)}: {per_message:.2f} s a message ({1 / per_message:.2f}/s, "
            f"start-up excluded); peak {peak / MB:.0f} MiB, baseline {baseline / MB:.0f} MiB, "
            f"+{(peak - baseline) / MB:.0f} MiB ({(peak - baseline) / size:.1f}x the message)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
