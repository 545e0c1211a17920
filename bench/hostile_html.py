"""Time to parse hostile HTML-only emails: what the import and the triage page both spend on them.

`intake_process` parses each message once; the triage page parses the stored original again at
every view (intake.queries.inbound_message), so the parse is the part that grows with the HTML.
Each case is a message of about 1 MB of HTML (a 10,000-deep reply chain, 200,000 unclosed
<div>, 3,000 unclosed <b> re-opened in 80,000 blocks, the deepest chain still shown, flat
paragraphs, an SVG 100,000 groups deep) parsed by `parse_message`, median of --runs runs.
`--before` also times what the parser did before bound_html (nh3 on the whole HTML, then its
text), on the same HTML cut to --before-kb (the old time grew with the square of the depth).

    .venv/bin/python bench/hostile_html.py [--runs 5] [--before] [--before-kb 100]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reclamations.intake.parsing import parse_message
from reclamations.intake.parsing.bodies import _nh3_clean, _text_of_sanitised
from reclamations.intake.parsing.htmlbounds import MAX_DEPTH

MB = 1_000_000


def _reply_chain(size: int) -> str:
    reply = (
        "<blockquote><p>Le 3 mars, Client {0} a écrit :</p>"
        "<p>Réponse {0} : la session reste à reprogrammer, merci de nous tenir informés.</p>"
    )
    depth = size // len(reply.format(1000))
    return "".join(reply.format(n) for n in range(depth)) + "fin" + "</blockquote>" * depth


def _deepest_shown(size: int) -> str:
    # As deep as a page still shows, then flat paragraphs to the size.
    head = "<blockquote>Réponse." * (MAX_DEPTH - 1)
    return head + "<p>Une ligne de la réclamation.</p>" * ((size - len(head)) // 34)


CASES: dict[str, Callable[[int], str]] = {
    "reply chain, 10,000 deep": _reply_chain,
    "unclosed <div>": lambda size: "<div>x" * (size // 6),
    "unclosed <b> re-opened": lambda size: (
        "<div>" + "".join(f'<b class="{n}">' for n in range(3000)) + "</div>"
        + "<div>x</div>" * ((size - 42_000) // 12)
    ),
    "499 deep, then paragraphs": _deepest_shown,
    "flat paragraphs": lambda size: "<p>Bonjour, je me plains.</p>\n" * (size // 30),
    "SVG 100,000 groups deep": lambda size: (
        "<svg>" + "<g>" * 100_000 + "<p>texte</p>" * ((size - 300_000) // 12)
    ),
}  # fmt: skip


def _message(html: str) -> bytes:
    return (
        "From: Client <client@example.fr>\r\nSubject: Re: session\r\n"
        "Message-ID: <hostile@example.fr>\r\nDate: Mon, 26 Oct 2026 09:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    ).encode()


def _median(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=MB, help="characters of HTML")
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--before-kb", type=int, default=100)
    args = parser.parse_args(argv)
    print("| case | HTML | parse (median) | shown as | text |")
    print("| --- | ---: | ---: | --- | ---: |")
    for name, build in CASES.items():
        html = build(args.size)
        raw = _message(html)
        message = parse_message(raw)
        seconds = _median(lambda raw=raw: parse_message(raw), args.runs)
        shown = "text" if message.html_withheld else "HTML"
        line = f"| {name} | {len(html) // 1000} KB | {seconds * 1000:.0f} ms | {shown} "
        line += f"| {len(message.text) // 1000} KB |"
        if args.before:
            cut = html[: args.before_kb * 1000]
            old = _median(lambda cut=cut: _text_of_sanitised(_nh3_clean(cut)), args.runs)
            line += f" before, first {args.before_kb} KB: {old * 1000:.0f} ms |"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
