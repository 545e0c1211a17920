"""How long the web import of an existing register takes, in the request (issue 12).

Writes an XLSX register of N lines (default 5,000: every column the import reads, values as
organisations type them, one line in fifty in error), then, against a fresh database (a new
data directory for SQLite; PostgreSQL with DATABASE_URL, whose tables must be empty), drives
the manager's pages with Django's test client as a browser would: the upload, the mapping
page, the dry run ("Simuler l'import") and the import. Each step's wall time is printed, with
the complaints created; `reclamations verify` must then find the register intact.

    RECLAMATIONS_DATA_DIR=$(mktemp -d) .venv/bin/python bench/register_import.py [--lines 5000]

The web's line limit (register_import.services.WEB_MAX_LINES) would refuse such a file: the
script raises it for its own run, to measure what the limit avoids.
"""

import argparse
import io
import time
from datetime import date, timedelta
from random import Random

from django_setup import setup

HEADERS = [
    "N°",
    "Date de réception",
    "Nature",
    "Nom du client",
    "Type de client",
    "Financement",
    "Formation",
    "Session",
    "Formateur",
    "Financeur",
    "Catégorie",
    "Description",
    "Canal",
    "Statut",
    "Date de réponse",
    "Réponse apportée",
    "Cause",
    "Remarques",
]
KINDS = ["Réclamation", "réclamation", "Aléa", "Difficulté", "Simple demande"]
CLIENT_TYPES = ["Particulier", "Professionnel", "entreprise", ""]
FUNDINGS = ["CPF", "OPCO", "Autofinancement", "Pôle emploi", "Entreprise", ""]
CATEGORIES = ["Pédagogie", "Formateur", "Logistique", "Facturation", "Plateforme", "Autre"]
CHANNELS = ["Mail", "Courrier", "Téléphone", "Site web"]
CAUSES = ["Planning, convocation ou changement de dernière minute", "Autre", ""]


def register_lines(count: int, seed: int = 1) -> list[list[object]]:
    """`count` lines received over the three years before 2026, one in fifty in error (a
    status no rule knows)."""
    rng = Random(seed)
    first = date(2023, 1, 2)
    lines: list[list[object]] = []
    for number in range(1, count + 1):
        received = first + timedelta(days=rng.randrange(0, 3 * 365 - 20))
        replied = received + timedelta(days=rng.randrange(1, 15))
        status = "en cours" if number % 7 == 0 else "Clôturée - fondée"
        if number % 50 == 0:
            status = "à voir"
        lines.append(
            [
                f"{received.year}-{number:05d}",
                received,
                rng.choice(KINDS),
                f"Client {number}",
                rng.choice(CLIENT_TYPES),
                rng.choice(FUNDINGS),
                f"Formation {number % 40}",
                f"Session {number % 120}",
                f"Formateur {number % 25}",
                "OPCO Atlas",
                rng.choice(CATEGORIES),
                f"Réclamation numéro {number} : séance annulée sans prévenir le groupe.",
                rng.choice(CHANNELS),
                status,
                None if status == "en cours" else replied,
                None if status == "en cours" else "Séance reprogrammée, excuses présentées.",
                rng.choice(CAUSES),
                "",
            ]
        )
    return lines


def register_workbook(count: int, seed: int = 1) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Registre"
    sheet.append(HEADERS)
    for line in register_lines(count, seed):
        sheet.append(line)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    args = parser.parse_args()
    setup()

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from reclamations.complaints.models import Complaint
    from reclamations.core.models import User
    from reclamations.core.roles import Role
    from reclamations.core.seed import ensure_seed_organisation
    from reclamations.register_import import services
    from reclamations.register_import.models import RegisterImport
    from reclamations.reporting.integrity import verify_all
    from tests.accounts import verified_login

    services.WEB_MAX_LINES = args.lines + 10
    # The pages' static files as in development: no collected manifest is needed to render.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}
    setup_test_environment()  # the test client's host, and the pages' context kept to read
    call_command("migrate", interactive=False, verbosity=0)
    organisation = ensure_seed_organisation()
    if Complaint.objects.filter(organisation=organisation).exists():
        print("The register already holds complaints: run on an empty database.")
        return 2
    manager, _ = User.objects.get_or_create(
        username="bench-manager",
        defaults={"organisation": organisation, "role": Role.MANAGER, "email": "m@example.org"},
    )
    client = verified_login(Client(), manager)
    content = register_workbook(args.lines)
    print(f"{connection.vendor}: {args.lines} lines, {len(content) / 1024:.0f} KiB")

    def timed(label: str, call):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - started
        print(f"  {label:<28} {elapsed:7.2f} s  (HTTP {response.status_code})")
        return response

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    upload = SimpleUploadedFile("registre.xlsx", content, content_type=xlsx)
    uploaded = timed("upload", lambda: client.post(reverse("register_import"), {"file": upload}))
    if uploaded.status_code != 302:
        print(uploaded.content.decode()[:800])
        return 1
    stored = RegisterImport.objects.latest("pk")
    page = reverse("register_import_mapping", args=[stored.pk])
    mapping = timed("mapping page", lambda: client.get(page))
    form = mapping.context["form"]
    fields = {
        field.html_name: "" if field.value() is None else str(field.value()) for field in form
    }
    simulated = timed("dry run", lambda: client.post(page, {**fields, "step": "simulate"}))
    fields = {
        field.html_name: "" if field.value() is None else str(field.value())
        for field in simulated.context["form"]
    }
    timed("import", lambda: client.post(page, {**fields, "step": "import"}))
    created = Complaint.objects.filter(organisation=organisation).count()
    print(f"  complaints created: {created}")
    results = verify_all()
    holds = all(result.ok for result in results)
    findings = [finding for result in results for finding in result.findings]
    print(f"  verify: {'the register holds' if holds else findings[:5]}")
    return 0 if created and holds else 1


if __name__ == "__main__":
    raise SystemExit(main())
