"""Bar charts drawn as SVG: well-formed whatever the labels, readable without colour."""

import xml.etree.ElementTree as ET

from reclamations.reporting.charts import BAR_WIDTH, Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own markup, parsed to check it


def test_each_bar_carries_its_figure_and_the_compared_one_in_text():
    svg = _parsed(bar_chart("Par canal", [Bar("E-mail", 30, 20), Bar("Courrier", 10, 0)]))

    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Par canal"
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts == ["E-mail", "30 (20)", "Courrier", "10 (0)"]
    solid = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") != "none"]
    outlined = [r for r in svg.iter(f"{SVG}rect") if r.get("fill") == "none"]
    assert [float(r.get("width")) for r in solid] == [BAR_WIDTH, round(BAR_WIDTH / 3, 1)]
    assert [float(r.get("width")) for r in outlined] == [round(BAR_WIDTH * 2 / 3, 1), 0]


def test_labels_are_escaped_shortened_and_cleaned_of_what_xml_refuses():
    label = '<script>alert("x")</script> & une formation au nom très long'
    svg = _parsed(
        bar_chart("<b>titre</b>", [Bar(label, 1), Bar("\x00\x07\ud800Excel", 2)], compared=False)
    )

    shown = [text.text for text in svg.iter(f"{SVG}text")]
    assert shown == ['<script>alert("x")</script> &…', "1", "Excel", "2"]
    assert svg.find(f"{SVG}title").text == "<b>titre</b>"
    assert not list(svg.iter("script"))


def test_an_empty_chart_says_so():
    svg = _parsed(bar_chart("Rien", []))
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["Aucune donnée"]


def test_an_empty_chart_says_so_in_the_caller_s_words():
    svg = _parsed(bar_chart("Nothing", [], empty="No data"))
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["No data"]
