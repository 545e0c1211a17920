"""Our charset guessing and HTML-to-text against the kept libraries (issue 10).

    .venv/bin/pip install --target /tmp/bench-libs \
        charset-normalizer==3.5.3 chardet==7.7.0 inscriptis==2.7.6 html2text==2025.4.15
    PYTHONPATH=/tmp/bench-libs:. .venv/bin/python bench/charset_libraries.py [--rounds 200]

Pure: no Django, no database. A library that is not installed is left out of the tables.
Two questions, each on the same inputs for every contender:

- undeclared 8-bit text (a header, a file name or a body with no charset): what reads it right?
  Ours is `parsing.bodies._decode_bytes` as the parser calls it, with the multi-byte charset the
  message declares elsewhere, if any ("hint"); the detectors get the bytes alone, as they are
  meant to be used;
- HTML to text: the text a referent reads in the description. Ours is `html_to_text` (nh3, then
  the stdlib parser); the others get the same HTML.

Correctness is the exact expected text (what the parser's tests assert for our fixtures, and
what a referent should read for the generated cases); for HTML, "same lines" also counts an
output whose lines hold the same words once spaces are collapsed and blank lines dropped, and
"same words" one with the same words in the same order: a difference of layout, not of content.
Speed is the median of `--rounds` calls, in microseconds.
"""

import argparse
import email
import importlib.metadata
import statistics
import sys
import time
from collections.abc import Callable
from email import policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reclamations.intake.parsing.bodies import (
    DECLARED_ELSEWHERE,
    _decode_bytes,
    html_to_text,
)

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "intake" / "fixtures"


# --- Undeclared 8-bit text ----------------------------------------------------------------------


def _fixture_bytes(name: str, start: bytes, end: bytes = b"\r\n") -> bytes:
    """The raw bytes of a fixture between `start` and the next `end`: undeclared 8-bit text as
    the parser meets it."""
    data = (FIXTURES / name).read_bytes()
    begin = data.index(start) + len(start)
    stop = data.index(end, begin) if end else len(data)
    return data[begin:stop]


def _body(name: str) -> bytes:
    data = (FIXTURES / name).read_bytes()
    separator = b"\r\n\r\n" if b"\r\n\r\n" in data else b"\n\n"
    return data.split(separator, 1)[1].rstrip(b"\r\n").replace(b"\r\n", b"\n")


LETTER = (
    "Bonjour,\n\nJe vous écris au sujet de la formation « Excel avancé » du 2 mars, annulée la "
    "veille sans préavis. J\u2019avais posé un congé et réservé un hôtel (coût : 95 €). Je "
    "demande le remboursement de ces frais et une nouvelle date d\u2019ici à la fin du "
    "trimestre.\n\nCordialement,\nHélène Lefèvre"
)

# Sentences of 70 to 90 bytes, the length of a complaint's first line or a short body.
SENTENCES = (
    "Le formateur est arrivé en retard à chaque séance ; nous avons perdu deux heures.",
    "Pouvez-vous me l'envoyer à l'adresse ci-dessus ? Coût du déplacement : 35 €.",
    "La salle était froide, le vidéoprojecteur en panne et le café froid. Très déçue.",
    "Madame, Monsieur, je souhaite être remboursé intégralement de la formation annulée.",
    "Élodie Fèvre-Gaëtan, 12 rue de l'Église, 75011 Paris \u2013 tél. 06 12 34 56 78",
)


def _case(label: str, text: str, encoding: str, hint: str = "") -> tuple[str, bytes, str, str]:
    return label, text.encode(encoding), text, hint


GB_BODY = "您好\uff0c我报名参加的培训课程在开课前一天被取消了\uff0c没有任何通知。请尽快退款。"
SJIS_BODY = "お世話になっております。申し込んだ研修が前日に中止されました。返金をお願いします。"

# (label, bytes, expected text, charset the message declares elsewhere)
CHARSET_CASES: list[tuple[str, bytes, str, str]] = [
    ("fixture: Latin-1 subject", _fixture_bytes("iso-8859-1-8bit-reclamation.eml", b"Subject: "),
     "Réclamation : attestation de fin de formation non reçue", ""),
    ("fixture: Latin-1 name", _fixture_bytes("iso-8859-1-8bit-reclamation.eml", b"From: ",
     b" <"), "Hélène Martin", ""),
    ("fixture: CP1252 body (says UTF-8)", _body("utf8-declared-cp1252-bytes.eml"),
     "Le remboursement de 120 € promis n\u2019est jamais arrivé.", ""),
    ("fixture: GB2312 subject", _fixture_bytes("gb2312-undeclared-subject-and-filename.eml",
     b"Subject: ", b"\n"), "投诉\uff1a培训取消", "gb2312"),
    ("fixture: GB2312 file name", _fixture_bytes("gb2312-undeclared-subject-and-filename.eml",
     b'filename="', b'"'), "发票.pdf", "gb2312"),
    _case("Latin-1 'Réclamation : formation annulée'", "Réclamation : formation annulée",
          "latin-1"),
    _case("UTF-8 'Réclamation : formation annulée'", "Réclamation : formation annulée", "utf-8"),
    _case("CP1252 'Coût : 35 €'", "Coût : 35 €", "cp1252"),
    _case("CP1252 curly quotes", "C\u2019est « urgent » \u2013 merci", "cp1252"),
    _case("Latin-1 'Dupont, Héloïse'", "Dupont, Héloïse", "latin-1"),
    _case("Latin-1 'François Léger'", "François Léger", "latin-1"),
    _case("Latin-1 'Frédéric'", "Frédéric", "latin-1"),
    _case("CP1252 'Ça m\u2019a déçu'", "Ça m\u2019a déçu", "cp1252"),
    _case("Latin-1 file name 'facture_été.pdf'", "facture_été.pdf", "latin-1"),
    _case("CP1252 file name 'Relevé \u2013 juin.pdf'", "Relevé \u2013 juin.pdf", "cp1252"),
    _case("Latin-1 'Jürgen Müller'", "Jürgen Müller", "latin-1"),
    *(_case(f"CP1252 sentence {n}", text, "cp1252") for n, text in enumerate(SENTENCES, 1)),
    _case("CP1252 letter (400 chars)", LETTER, "cp1252"),
    _case("UTF-8 letter (400 chars)", LETTER, "utf-8"),
    _case("GB2312 short, declared elsewhere", "投诉\uff1a培训取消", "gb2312", "gb2312"),
    _case("Shift_JIS short, declared elsewhere", "苦情\uff1a研修が中止されました", "shift_jis",
          "shift_jis"),
    _case("Shift_JIS file name, declared elsewhere", "請求書.pdf", "shift_jis", "shift_jis"),
    _case("Big5 short, declared elsewhere", "投訴\uff1a課程取消", "big5", "big5"),
    _case("EUC-KR short, declared elsewhere", "불만: 교육 취소", "euc-kr", "euc-kr"),
    _case("GB2312 body, declared nowhere", GB_BODY, "gb2312"),
    _case("Shift_JIS body, declared nowhere", SJIS_BODY, "shift_jis"),
    _case("CP1251 short, declared nowhere", "Жалоба: курс отменён", "cp1251"),
]  # fmt: skip


def ours(data: bytes, hint: str) -> str:
    token = DECLARED_ELSEWHERE.set(hint)
    try:
        return _decode_bytes(data, None)[0]
    finally:
        DECLARED_ELSEWHERE.reset(token)


def charset_contenders() -> dict[str, Callable[[bytes, str], str | None]]:
    contenders: dict[str, Callable[[bytes, str], str | None]] = {"ours": ours}
    try:
        import charset_normalizer
    except ImportError:
        pass
    else:

        def normalizer(data: bytes, hint: str) -> str | None:
            best = charset_normalizer.from_bytes(data).best()
            return None if best is None else str(best)

        def ours_then_normalizer(data: bytes, hint: str) -> str | None:
            # What adopting it as our last resort would give: the library only where we
            # would fall back to Windows-1252.
            token = DECLARED_ELSEWHERE.set(hint)
            try:
                text, note = _decode_bytes(data, None)
            finally:
                DECLARED_ELSEWHERE.reset(token)
            if note and "Windows-1252" in note:
                return normalizer(data, hint)
            return text

        version = importlib.metadata.version("charset-normalizer")
        contenders[f"charset-normalizer {version}"] = normalizer
        contenders[f"ours, then charset-normalizer {version} for the last resort"] = (
            ours_then_normalizer
        )
    try:
        import chardet
    except ImportError:
        pass
    else:

        def detector(data: bytes, hint: str) -> str | None:
            found = chardet.detect(data)["encoding"]
            try:
                return data.decode(found) if found else None
            except (LookupError, UnicodeDecodeError):
                return None

        contenders[f"chardet {importlib.metadata.version('chardet')}"] = detector
    return contenders


# --- HTML to text -------------------------------------------------------------------------------


def _html_part(name: str) -> str:
    message = email.message_from_bytes((FIXTURES / name).read_bytes(), policy=policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return str(part.get_content())
    raise LookupError(name)


OUTLOOK_FORWARD = (
    '<html><head><style>p.MsoNormal{margin:0cm;font-family:"Calibri",sans-serif;}</style>'
    "</head><body lang=FR><div class=WordSection1><p class=MsoNormal>Pour enregistrement."
    "<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>"
    '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
    "<p class=MsoNormal><b>De&nbsp;:</b> Julie Martin &lt;julie.martin@example.org&gt; <br>"
    "<b>Envoyé&nbsp;:</b> jeudi 5 mars 2026 18:42<br><b>À&nbsp;:</b> Accueil "
    "&lt;accueil@ccs-legal.fr&gt;<br><b>Objet&nbsp;:</b> Formation annulée<o:p></o:p></p></div>"
    "<p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Bonjour,<o:p></o:p></p>"
    "<p class=MsoNormal>La formation Excel du 2&nbsp;mars a été annulée sans préavis."
    "<o:p></o:p></p></div></body></html>"
)

# (label, HTML, expected text)
HTML_CASES: list[tuple[str, str, str]] = [
    ("fixture: HTML-only complaint", _html_part("html-only-with-script-and-remote-image.eml"),
     "Bonjour,\n\nL'accueil du 12 mars était désagréable.\nJe demande des excuses.\n\n"
     "- Retard de 45 minutes\n- Aucune explication\n\ncliquez ou mon dossier"),
    ("fixture: alternative HTML", _html_part("nested-mixed-alternative.eml"),
     "Le matériel de la salle 3 était en panne."),
    ("fixture: inline HTML in mixed", _html_part("mixed-inline-html-between-texts.eml"),
     "Le devis n° 42 compte deux fois la session."),
    ("test: breaks, pre, ordered list, entity",
     "<div>Un<br/>Deux</div><pre>  a\n  b</pre><ol><li>un</li><li>deux</li></ol>&eacute;",
     "Un\nDeux\n\n  a\n  b\n\n- un\n- deux\né"),
    ("entities", "<p>Co&ucirc;t&nbsp;: 35&nbsp;&euro; &laquo;&nbsp;TTC&nbsp;&raquo; &amp; frais "
     "&#8211; r&eacute;gl&eacute; &#x2713;</p>", "Coût : 35 € « TTC » & frais \u2013 réglé ✓"),
    ("table", "<table><tr><th>Session</th><th>Date</th></tr><tr><td>Excel</td>"
     "<td>2 mars</td></tr></table>", "Session Date\nExcel 2 mars"),
    ("list and link", "<p>Voir <a href='https://example.fr/dossier'>mon dossier</a> :</p>"
     "<ul><li>retard</li><li>pas d'explication</li></ul>",
     "Voir mon dossier :\n\n- retard\n- pas d'explication"),
    ("nested quotes", "<p>Toujours rien.</p><blockquote><p>Le 3 mars, Anne a écrit :</p>"
     "<blockquote><p>Nous revenons vers vous.</p></blockquote></blockquote>",
     "Toujours rien.\n\nLe 3 mars, Anne a écrit :\n\nNous revenons vers vous."),
    ("script, style, comment", "<style>p{color:red}</style><p>Texte</p><script>x()</script>"
     "<!-- note -->", "Texte"),
    ("Outlook forward block", OUTLOOK_FORWARD,
     "Pour enregistrement.\n\nDe : Julie Martin <julie.martin@example.org>\n"
     "Envoyé : jeudi 5 mars 2026 18:42\nÀ : Accueil <accueil@ccs-legal.fr>\n"
     "Objet : Formation annulée\n\nBonjour,\n\n"
     "La formation Excel du 2 mars a été annulée sans préavis."),
    ("markdown-like text", "<p>Ligne *importante* et 1. pas une liste, a_b_c</p>",
     "Ligne *importante* et 1. pas une liste, a_b_c"),
]  # fmt: skip


def _outlook_letter(paragraphs: int) -> str:
    """An Outlook-like HTML message: a style sheet, Word paragraphs, a signature table."""
    style = "".join(f"p.c{n}{{margin:0cm;font-size:11.0pt}}" for n in range(150))
    body = "".join(
        f"<p class=MsoNormal><span style='font-family:Calibri'>Paragraphe {n} : la session "
        f"n&deg;&nbsp;{n} a &eacute;t&eacute; d&eacute;plac&eacute;e.<o:p></o:p></span></p>"
        for n in range(paragraphs)
    )
    signature = (
        "<table><tr><td><b>Hélène Lefèvre</b></td></tr><tr><td>06 12 34 56 78</td></tr></table>"
    )
    return f"<html><head><style>{style}</style></head><body>{body}{signature}</body></html>"


def _nested(size: int, depth: int) -> str:
    """About `size` characters of HTML: a reply chain `depth` blockquotes deep, repeated."""
    unit = (
        "<blockquote><p>Le 3 mars, Anne a écrit :</p>" * depth
        + "<p>Dernier message.</p>"
        + "</blockquote>" * depth
    )
    return "<div>" + unit * max(1, size // len(unit)) + "<p>FIN</p></div>"


def html_contenders() -> dict[str, Callable[[str], str]]:
    contenders: dict[str, Callable[[str], str]] = {"ours (nh3 + stdlib parser)": html_to_text}
    try:
        import inscriptis
        from inscriptis.model.config import ParserConfig
    except ImportError:
        pass
    else:
        config = ParserConfig(display_links=False)

        def with_inscriptis(html: str) -> str:
            return inscriptis.get_text(html, config).strip()

        contenders[f"inscriptis {importlib.metadata.version('inscriptis')}"] = with_inscriptis
    try:
        import html2text
    except ImportError:
        pass
    else:

        def with_html2text(html: str) -> str:
            converter = html2text.HTML2Text()
            converter.body_width = 0  # no rewrapping: a client's lines are kept
            converter.ignore_links = True
            converter.ignore_images = True
            converter.ignore_emphasis = True  # no Markdown "**" around bold words
            converter.unicode_snob = True  # "é", not "e", for "&eacute;"
            return converter.handle(html).strip()

        contenders[f"html2text {importlib.metadata.version('html2text')} (GPL-3.0)"] = (
            with_html2text
        )
    return contenders


# --- Measuring ----------------------------------------------------------------------------------


def median_us(function: Callable[[], object], rounds: int) -> float:
    function()  # warm caches and imports
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def run_charsets(rounds: int) -> None:
    contenders = charset_contenders()
    names = list(contenders)
    print("## Undeclared 8-bit text\n")
    print("| case | " + " | ".join(names) + " |")
    print("| --- |" + " :---: |" * len(names))
    right = dict.fromkeys(names, 0)
    for label, data, expected, hint in CHARSET_CASES:
        cells = []
        for name in names:
            try:
                got = contenders[name](data, hint)
            except Exception as error:  # a contender that raises gets it wrong, visibly
                got = f"<{type(error).__name__}>"
            ok = got == expected
            right[name] += ok
            cells.append("yes" if ok else f"no: {got!r}"[:48])
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| **right** | " + " | ".join(f"**{right[n]}/{len(CHARSET_CASES)}**" for n in names))
    print()
    print("Median time per call, microseconds:\n")
    print("| input | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for label, data, hint in (
        ("Latin-1 header fragment (31 bytes)", CHARSET_CASES[5][1], ""),
        ("CP1252 letter (400 bytes)", LETTER.encode("cp1252"), ""),
        ("CP1252 body (8 KB)", LETTER.encode("cp1252") * 20, ""),
        ("GB2312 fragment, declared elsewhere", "投诉\uff1a培训取消".encode("gb2312"), "gb2312"),
    ):
        cells = [
            f"{median_us(lambda n=n, d=data, h=hint: contenders[n](d, h), rounds):,.0f}"
            for n in names
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()


def run_html(rounds: int) -> None:
    contenders = html_contenders()
    names = list(contenders)
    print("## HTML to text\n")
    print("Each cell: exact / same lines / same words.\n")
    print("| case | " + " | ".join(names) + " |")
    print("| --- |" + " :---: |" * len(names))
    totals = {name: [0, 0, 0] for name in names}
    outputs: dict[tuple[str, str], str] = {}
    for label, html, expected in HTML_CASES:
        cells = []
        for name in names:
            got = contenders[name](html)
            outputs[label, name] = got
            marks = (
                got == expected,
                _lines(got) == _lines(expected),
                got.split() == expected.split(),
            )
            for index, mark in enumerate(marks):
                totals[name][index] += mark
            cells.append(" / ".join("yes" if mark else "no" for mark in marks))
        print(f"| {label} | " + " | ".join(cells) + " |")
    count = len(HTML_CASES)
    print(
        "| **right** | "
        + " | ".join(" / ".join(f"**{v}/{count}**" for v in totals[n]) for n in names)
        + " |"
    )
    print()
    print("Median time per message, microseconds ('text lost': the end is not in the text):\n")
    print("| input | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    inputs = [
        ("HTML-only fixture", HTML_CASES[0][1], rounds),
        ("Outlook letter, 60 paragraphs", _outlook_letter(60), rounds),
        ("Outlook letter, 400 paragraphs", _outlook_letter(400), max(5, rounds // 10)),
        ("reply chain 20 deep, repeated", _nested(1_000_000, 20), 3),
        ("reply chain 300 deep, repeated", _nested(1_000_000, 300), 3),
    ]
    for label, html, times in inputs:
        cells = []
        for name in names:
            microseconds = median_us(lambda n=name, h=html: contenders[n](h), times)
            lost = "FIN" in html and "FIN" not in contenders[name](html)[-200:]
            cells.append(f"{microseconds:,.0f}" + (" (text lost)" if lost else ""))
        print(f"| {label} ({len(html) / 1000:.1f} KB) | " + " | ".join(cells) + " |")
    print()
    if "--show" in sys.argv:
        for (label, name), got in outputs.items():
            print(f"--- {label} / {name}\n{got}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--show", action="store_true", help="print every HTML output")
    arguments = parser.parse_args()
    run_charsets(arguments.rounds)
    run_html(arguments.rounds)


if __name__ == "__main__":
    main()
