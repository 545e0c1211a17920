"""An email's HTML checked before the sanitiser: SVG and MathML text kept, hostile nesting
found, and its text read without the sanitiser. Timings are in bench/hostile_html.py."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reclamations.intake.parsing.bodies import html_to_text, sanitise_email_html, sanitise_html
from reclamations.intake.parsing.htmlbounds import (
    MAX_DEPTH,
    MAX_REOPENED,
    bound_html,
    stripped_text,
)

KEPT = {"p", "div", "b", "a", "br", "blockquote"}


# --- SVG and MathML: their text kept ---------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # After an unclosed <svg><style>, nh3 kept only what a block tag broke out: here nothing.
        (
            '<p>Madame,</p><svg><style>Je demande le remboursement, <a href="https://x.fr">'
            "voir la facture</a>, <font>merci</font>.",
            "Madame,\n\nJe demande le remboursement, voir la facture, merci.",
        ),
        (
            "<p>Voici :</p><math><mi>x</mi><mo>=</mo><mn>2</mn></math><p>fin</p>",
            "Voici :\n\nx=2\n\nfin",
        ),
        ("<svg><text>Logo Dupont SARL</text></svg><p>Bonjour</p>", "Logo Dupont SARL\n\nBonjour"),
        ("<svg><desc>a<div>b</div>c</desc></svg>", "a\nb\nc"),
        (
            "<svg><foreignObject><p>dans le SVG</p></foreignObject></svg>après",
            "dans le SVG\n\naprès",
        ),
    ],
)
def test_text_inside_or_after_svg_and_math_is_kept(html, text):
    assert html_to_text(html) == text


def test_an_svg_style_sheet_and_script_are_not_text():
    html = "<p>Bonjour</p><svg><style>.a{fill:red}</style><script>go()</script><path/></svg>"

    assert bound_html(html, KEPT).html == "<p>Bonjour</p>"
    assert html_to_text(html) == "Bonjour"


def test_an_svg_style_holding_tags_is_text():
    assert bound_html("<svg><style>a <b>b</b> c</style></svg>d", KEPT).html == "a <b>b</b> cd"


def test_tags_the_sanitiser_keeps_stay_inside_svg():
    html = '<SVG width="10"><g><a href="https://x.fr">lien</a><br></g></SVG><p>suite</p>'

    assert bound_html(html, KEPT).html == '<a href="https://x.fr">lien</a><br><p>suite</p>'


def test_a_self_closed_svg_opens_nothing():
    assert bound_html("<svg/><style>p{}</style><p>x</p>", KEPT).html == (
        "<style>p{}</style><p>x</p>"
    )


def test_tags_named_as_svg_elements_in_plain_html_keep_their_text():
    # nh3 removes a <text> or <g> with its text wherever it is.
    assert html_to_text("<p>Bonjour <text>Madame</text>, <g>voici</g></p>") == (
        "Bonjour Madame, voici"
    )


def test_html_without_svg_or_math_is_returned_as_it_is():
    html = "<div><p>Bonjour <b>Madame</b></p></div>"

    assert bound_html(html, KEPT) == (html, False)


def test_svg_is_still_sanitised_after():
    html = '<svg><a href="javascript:alert(1)" onclick="x()">lien</a><image href="http://t/x"/>'

    assert sanitise_html(html) == '<a rel="noopener noreferrer">lien</a>'


# --- Nesting ---------------------------------------------------------------------------------


def nested(depth: int, tag: str = "blockquote") -> str:
    return f"<{tag}>Réponse." * depth + "Fin du message." + f"</{tag}>" * depth


def test_a_reply_chain_up_to_the_bound_is_sanitised_and_shown():
    result = sanitise_email_html(nested(MAX_DEPTH))

    assert result.showable
    assert result.too_complex == ""
    assert result.html.count("<blockquote>") == MAX_DEPTH
    assert result.text().endswith("Réponse.\nRéponse.Fin du message.")


def test_nesting_beyond_the_bound_is_not_sanitised_but_read_as_text():
    html = nested(MAX_DEPTH + 1)

    result = sanitise_email_html(html)

    assert (result.html, result.showable) == ("", False)
    assert result.text() == "\n".join(["Réponse."] * MAX_DEPTH + ["Réponse.Fin du message."])
    assert sanitise_html(html) == ""


def test_ten_thousand_unclosed_divs_are_too_deep():
    assert bound_html("<div>mot " * 10_000, KEPT).too_complex


def test_closed_elements_side_by_side_are_not_deep():
    assert not bound_html("<div><span>mot</span></div>" * 10_000, KEPT).too_complex


def test_elements_the_parser_never_nests_are_not_counted():
    assert not bound_html("<p>un<li>deux<td>trois<br>" * 2_000, KEPT).too_complex


def test_a_link_inside_a_link_closes_the_first():
    assert not bound_html('<a href="https://x.fr">lien ' * 2_000, KEPT).too_complex


def test_formatting_reopened_in_every_block_is_too_complex():
    # Each unclosed <b> is opened again in every later block by the parser.
    bolds = "".join(f'<b class="{number}">' for number in range(14))
    blocks = (MAX_REOPENED // 10) + 1

    assert bound_html(f"<div>{bolds}</div>" + "<div>x</div>" * blocks, KEPT).too_complex
    assert not bound_html(f"<div>{bolds}</div>" + "<div>x</div>" * (blocks - 2), KEPT).too_complex


def test_a_message_wrapped_in_a_few_formatting_elements_is_ordinary():
    html = "<font face=Arial><b><i><u>" + "<p>ligne</p>" * 30_000

    assert not bound_html(html, KEPT).too_complex


# --- Text without the sanitiser --------------------------------------------------------------


def test_stripped_text_keeps_lines_items_and_cells_and_drops_what_is_not_text():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<p>Bonjour&nbsp;Madame,\n  la   session</p><!-- note --><script>x()</script>"
        "<ul><li>un</li><li>deux</li></ul><table><tr><td>a</td><td>b</td></tr></table>"
        "<blockquote>cité &lt;ici&gt;</blockquote>"
    )

    assert stripped_text(html) == (
        "Bonjour Madame, la session\n\n- un\n- deux\n\na b\n\ncité <ici>"
    )


def test_stripped_text_of_unclosed_comment_or_style_ends_there():
    assert stripped_text("avant<!-- après") == "avant"
    assert stripped_text("avant<style>après") == "avant"


def test_stripped_text_leaves_broken_tags_as_text():
    assert stripped_text("Bonjour <a <a <a") == "Bonjour <a <a <a"


# --- Properties ------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "<div>", "</div>", "<blockquote>", "</blockquote>", "<b>", "</b>", "<p>", "<svg>",
        "</svg>", "<math>", "</math>", "<style>", "</style>", "<g>", "<text>", "<a href=x>",
        "</a>", "<br>", "<!--", "-->", "mot", " ", "&amp;", "a < b",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(FRAGMENTS, max_size=60), st.integers(min_value=0, max_value=3000))
def test_every_word_written_outside_markup_is_in_the_text(fragments, depth):
    # Deep nesting (the strategy's second part) goes either way, never losing the last word.
    html = "".join(fragments) + "<div>" * depth + " Signature"
    lost = "<style>" in html or "<!--" in html

    text = html_to_text(html)

    assert lost or text.endswith("Signature")
