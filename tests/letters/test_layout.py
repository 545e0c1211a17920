"""An organisation's own letter layout is checked before it is kept: its HTML and CSS (with the
line of an error), every part of the letter shown, the address in the envelope's window, nothing
read from outside, and a logo that is a real, small PNG or JPEG."""

from io import BytesIO

import pytest
from PIL import Image

from reclamations.letters.content import Layout
from reclamations.letters.layout import LOGO_MAX_BYTES, layout_problems, logo_problems
from reclamations.letters.printing import DEFAULT_CSS, DEFAULT_HTML, letter_html, letter_pdf
from tests.letters.test_printing import LETTER
from tests.pdf_text import pdf_words


def _image(kind: str = "PNG", size: tuple[int, int] = (120, 40)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (20, 60, 140)).save(buffer, format=kind)
    return buffer.getvalue()


def test_the_default_layout_passes_every_check():
    assert layout_problems(Layout()) == {}
    assert layout_problems(Layout(html=DEFAULT_HTML, css=DEFAULT_CSS)) == {}


def test_a_template_syntax_error_names_its_line():
    broken = DEFAULT_HTML.replace("{% endfor %}</address>", "</address>")

    problems = layout_problems(Layout(html=broken))

    (message,) = problems["html"]
    assert message.startswith("HTML, ligne ")
    assert "syntaxe incorrecte" in message


def test_a_css_error_names_its_line():
    broken = DEFAULT_CSS + "\n.signature { color red; }\n"
    line = broken.count("\n", 0, broken.index(".signature")) + 1

    problems = layout_problems(Layout(css=broken))

    assert problems == {
        "css": [f"CSS, ligne {line} : « : » manquant après le nom d'une propriété."]
    }


@pytest.mark.parametrize(
    ("removed", "named"),
    [
        (
            "{% for line in letter.recipient %}<span>{{ line }}</span>{% endfor %}",
            "l'adresse du client (letter.recipient)",
        ),
        ("{{ subject }}", "l'objet (subject)"),
        ("{{ letter.reference }}", "la référence (letter.reference)"),
        ("{{ dated }}", "la date (dated)"),
    ],
)
def test_a_layout_that_drops_a_part_of_the_letter_is_refused(removed, named):
    problems = layout_problems(Layout(html=DEFAULT_HTML.replace(removed, "")))

    assert problems == {"html": [f"La mise en page n'affiche pas {named}."]}


def test_an_address_block_out_of_the_window_is_refused():
    moved = DEFAULT_CSS.replace("left: 90mm;", "left: 5mm;")

    problems = layout_problems(Layout(css=moved))

    (message,) = problems["css"]
    assert message.startswith("Le bloc adresse tombe de 25 à 110 mm du bord gauche")
    assert "entre 100 et 200 mm, et entre 45 et 95 mm" in message


def test_a_layout_without_the_recipient_class_is_refused():
    problems = layout_problems(Layout(html=DEFAULT_HTML.replace('class="recipient"', "")))

    assert problems["css"][0].startswith("L'adresse du client doit être dans un élément")


@pytest.mark.parametrize(
    ("html", "css"),
    [
        (DEFAULT_HTML.replace("<main", '<img src="https://tracker.example/p.png"><main'), ""),
        ("", '@import url("https://cdn.example/style.css");\n' + DEFAULT_CSS),
        ("", DEFAULT_CSS + '\n.head { background: url("file:///etc/passwd"); }\n'),
    ],
)
def test_nothing_is_read_from_outside_while_printing(html, css):
    problems = layout_problems(Layout(html=html, css=css))

    (message,) = problems["html"]
    assert message.startswith("La mise en page demande « ")
    assert "rien d'extérieur n'est lu à l'impression" in message


def test_a_real_png_or_jpeg_logo_is_accepted_and_printed():
    for kind in ("PNG", "JPEG"):
        logo = _image(kind)
        assert logo_problems(logo) == []
    layout = Layout(logo=_image("PNG"), logo_type="image/png")

    html = letter_html(LETTER, layout)
    pdf = letter_pdf(LETTER, layout)

    assert '<img class="logo" src="data:image/png;base64,' in html
    assert b"/Subtype /Image" in pdf
    assert "CCS" in [word for _page, word, _left, _top in pdf_words(pdf)]  # still its letterhead


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + b"0" * 200,  # a PNG's signature, not a PNG
        b"GIF89a" + b"0" * 200,
        b"%PDF-1.4\n",
    ],
)
def test_a_logo_that_is_not_a_png_or_jpeg_image_is_refused(content):
    assert logo_problems(content) == [
        "Le logo doit être une image PNG ou JPEG valide (son contenu ne l'est pas)."
    ]


def test_a_heavy_logo_is_refused():
    problems = logo_problems(b"\x89PNG" + b"0" * LOGO_MAX_BYTES)

    assert problems[0].startswith("Le logo pèse 512 Ko : 512 Ko au plus.")
