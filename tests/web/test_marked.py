"""The register's marks: every text escaped, the words a search matched in <mark>."""

from reclamations.complaints.search_text import Segment
from reclamations.web.templatetags.web_tags import highlight, marked


def test_a_text_without_a_match_is_escaped_as_it_is():
    assert marked([Segment('Dupont <b>& "fils"</b>', False)]) == (
        "Dupont &lt;b&gt;&amp; &quot;fils&quot;&lt;/b&gt;"
    )


def test_matched_words_are_marked_and_the_rest_escaped():
    segments = [Segment("Estérel", True), Segment(" <i>formation</i>", False)]
    assert marked(segments) == "<mark>Estérel</mark> &lt;i&gt;formation&lt;/i&gt;"


def test_a_marked_word_is_escaped_inside_its_mark():
    assert marked([Segment("<b>", True)]) == "<mark>&lt;b&gt;</mark>"


def test_highlight_without_terms_or_without_a_match_only_escapes():
    assert highlight("Lefèvre & fils", ()) == "Lefèvre &amp; fils"
    assert highlight("Lefèvre & fils", ("martin",)) == "Lefèvre &amp; fils"
    assert highlight("", ("martin",)) == ""


def test_highlight_marks_the_words_whatever_their_accents():
    assert highlight("M. LEFEVRE & Mme Lefèvre", ("lefevre",)) == (
        "M. <mark>LEFEVRE</mark> &amp; Mme <mark>Lefèvre</mark>"
    )
