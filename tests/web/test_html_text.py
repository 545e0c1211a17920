"""Text put into markup: what conditional_escape() writes, value for value."""

import pytest
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from reclamations.web.html_text import html_text

lazy_safe = lazy(lambda: mark_safe("<b>gras</b>"), str)


@pytest.mark.parametrize(
    "value",
    [
        'Dupont & fils <"l\'atelier">',
        mark_safe("<mark>déjà sûr</mark>"),
        gettext_lazy("Client"),
        lazy_safe(),
        42,
        None,
        "",
        "\x00\ud800",
    ],
)
def test_html_text_is_conditional_escape(value):
    assert html_text(value) == str(conditional_escape(value))


def test_an_unsafe_text_is_escaped_and_a_safe_one_kept():
    assert html_text("<script>") == "&lt;script&gt;"
    assert html_text(mark_safe("<br>")) == "<br>"
