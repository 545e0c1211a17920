"""Time the printing of a letter: a reply of one page and a long one, to PDF.

    python bench/letters.py [--runs 20]

In one process, after one warm-up letter (WeasyPrint loads its fonts and stylesheets once):
the time of `letters.printing.letter_pdf` alone (layout and PDF), median and slowest of the
runs. The wording's rendering from the database is not included (a few milliseconds).
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import argparse
import re
import shutil
import statistics
import subprocess
import time
from datetime import date

from django_setup import setup

setup()

from reclamations.letters.content import Letter
from reclamations.letters.printing import letter_pdf

PARAGRAPH = (
    "Les feuilles d'émargement confirment que vous n'avez pas suivi le module de février : il "
    "vous est remboursé (120 €) par virement sous quinze jours ; nous vous prions de nous "
    "excuser pour cette erreur de facturation."
)


def _letter(paragraphs: int) -> Letter:
    return Letter(
        organisation="CCS",
        letterhead=("351 chemin des Gourettes", "06370 Mouans-Sartoux", "07 70 16 23 81"),
        recipient=("Bernard Lefèvre", "12 rue des Lilas", "06400 CANNES"),
        place="Mouans-Sartoux",
        dated=date(2026, 11, 29),
        reference="REC-2026-0002",
        subject="Réponse à votre réclamation",
        body="Bonjour Bernard Lefèvre,\n\n"
        + "\n\n".join([PARAGRAPH] * paragraphs)
        + "\n\nCordialement,\n\nFanny Maltese\nRéférente pédagogique",
        footer="CCS \u2013 351 chemin des Gourettes, 06370 Mouans-Sartoux",
    )


def _pages(pdf: bytes) -> int:
    info = subprocess.run(
        [shutil.which("pdfinfo") or "/usr/bin/pdfinfo", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)[1])  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    letter_pdf(_letter(1))
    print("| Letter | Pages | Median | Slowest |")
    print("| --- | ---: | ---: | ---: |")
    for name, paragraphs in (("one page", 3), ("long", 40)):
        letter = _letter(paragraphs)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            pdf = letter_pdf(letter)
            times.append((time.perf_counter() - started) * 1000)
        pages = _pages(pdf)
        print(f"| {name} | {pages} | {statistics.median(times):.0f} ms | {max(times):.0f} ms |")


if __name__ == "__main__":
    main()
