"""A letter printed to PDF: what it says, where the address falls, its fonts, its pages."""

import shutil
import subprocess
from datetime import date

import pytest
from PIL import Image

from reclamations.core.fonts import font_files
from reclamations.letters.content import Letter
from reclamations.letters.printing import letter_date, letter_html, letter_pdf
from reclamations.letters.typography import NARROW_NBSP, NBSP
from tests.pdf_text import pdf_pages, pdf_text, pdf_words

PDFFONTS = shutil.which("pdffonts") or "/usr/bin/pdffonts"  # Debian's poppler-utils
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
LETTER = Letter(
    organisation="CCS",
    letterhead=("351 chemin des Gourettes", "06370 Mouans-Sartoux", "07 70 16 23 81"),
    recipient=("Amélie Laurent", "12 rue des Lilas", "06400 CANNES"),
    place="Mouans-Sartoux",
    dated=date(2026, 11, 29),
    reference="REC-2026-0003",
    subject="Réponse à votre réclamation",
    body="Bonjour Amélie Laurent,\n\nVos séances sont reprogrammées : le 20 mars ? Oui !\n"
    'Le "rattrapage" coûte 0 €, œuvre comprise.\n\nCordialement,\n\nFanny Maltese\n'
    "Référente pédagogique",
    footer="CCS - SIRET 123 - 351 chemin des Gourettes, 06370 Mouans-Sartoux",
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return letter_pdf(LETTER)


def test_the_letter_says_who_writes_to_whom_when_and_about_what(pdf):
    (page,) = pdf_pages(pdf)

    assert page[0] == "CCS"
    assert "Mouans-Sartoux, le 29 novembre 2026" in page
    assert "Réf. : REC-2026-0003" in page
    assert "Objet : Réponse à votre réclamation" in page
    assert page[-1] == (
        "CCS - SIRET 123 - 351 chemin des Gourettes, 06370 Mouans-Sartoux Page 1 / 1"
    )
    for line in ("Bonjour Amélie Laurent,", "Cordialement,", "Fanny Maltese"):
        assert line in page


def test_french_signs_keep_their_no_break_spaces_and_quotes_become_guillemets(pdf):
    html = letter_html(LETTER)

    assert f"reprogrammées{NBSP}: le 20 mars{NARROW_NBSP}? Oui{NARROW_NBSP}!" in html
    # pdftotext reads every space as a plain one; the signs and guillemets are printed.
    assert "Le « rattrapage » coûte 0 €, œuvre comprise." in pdf_text(pdf)


def test_the_address_block_falls_in_the_window_of_a_dl_envelope(pdf):
    positions: dict[str, tuple[float, float]] = {}
    for page, word, left, top in pdf_words(pdf):
        if page == 1:
            positions.setdefault(word, (left, top))  # the first: the block, not the greeting

    for word in ("Amélie", "Lilas", "CANNES"):
        left, top = positions[word]
        assert 105 <= left <= 195, (word, left)  # the window: 100 mm wide, 20 mm from the right
        assert 45 <= top <= 90, (word, top)  # 45 mm high, its top about 45 mm down
    assert positions["Amélie"][0] == pytest.approx(110, abs=1.5)
    assert positions["Amélie"][1] == pytest.approx(50, abs=3)


def test_its_own_fonts_are_embedded_never_a_substitute(pdf):
    fonts = subprocess.run(  # noqa: S603 - a fixed program reading bytes the test made
        [PDFFONTS, "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()

    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert len(rows) == 2
    assert all(row[0].endswith(("+LetterSans", "+LetterSans-Bold")) for row in rows)
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows)  # embedded, subset, unicode
    assert font_files().regular.name in ("DejaVuSans.ttf", "Vera.ttf")


def test_a_long_letter_numbers_its_pages_and_repeats_the_footer():
    body = "\n\n".join(f"Paragraphe {n} : la séance a été reprogrammée." for n in range(90))

    pages = pdf_pages(letter_pdf(Letter(**{**LETTER.__dict__, "body": body})))

    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page[-1].endswith(f"Page {number} / {len(pages)}")
        assert page[-1].startswith("CCS - SIRET 123")


def test_what_a_letter_says_is_text_never_markup_nor_a_link_to_fetch():
    body = (
        '<img src="http://127.0.0.1:9/x.png"><b>gras</b> <link rel="stylesheet" href="/etc/passwd">'
    )

    text = pdf_text(letter_pdf(Letter(**{**LETTER.__dict__, "body": body})))

    assert '<img src="http://127.0.0.1:9/x.png"><b>gras</b>' in " ".join(text.split())


@pytest.mark.parametrize(
    ("day", "written"),
    [(date(2026, 12, 1), "1er décembre 2026"), (date(2027, 8, 15), "15 août 2027")],
)
def test_the_date_is_written_as_a_french_letter_writes_it(day, written):
    assert letter_date(Letter(**{**LETTER.__dict__, "dated": day})) == written


def _ink(image, left_mm: float, top_mm: float, right_mm: float, bottom_mm: float) -> int:
    """Dark pixels of a page rendered at 72 dpi, in a rectangle given in millimetres."""
    scale = 72 / 25.4
    box = tuple(round(value * scale) for value in (left_mm, top_mm, right_mm, bottom_mm))
    return sum(image.crop(box).histogram()[:128])  # grey levels 0 to 127


def test_rendered_as_an_image_the_window_shows_the_address_and_nothing_else(pdf, tmp_path):
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(  # noqa: S603 - a fixed program reading a file the test wrote
        [PDFTOPPM, "-r", "72", "-gray", "-singlefile", "-png", "letter.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    page = Image.open(tmp_path / "page.png").convert("L")

    assert page.size in ((595, 842), (596, 842))  # A4 at 72 dpi (rounded either way)
    assert _ink(page, 105, 45, 195, 90) > 200  # the address, in the DL envelope's window
    assert _ink(page, 100, 0, 210, 44) == 0  # above the window: nothing a fold would cut
    assert _ink(page, 196, 0, 210, 297) == 0  # the right margin stays blank
