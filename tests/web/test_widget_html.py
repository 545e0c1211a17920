"""The widgets written in Python give Django's templates' HTML, byte for byte."""

from datetime import date, datetime, time

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from reclamations.web.forms.fields import FlagInput
from reclamations.web.forms.register import RegisterFilterForm
from reclamations.web.widget_html import WidgetsInPython

TEMPLATES = DjangoTemplates()
PYTHON = WidgetsInPython()

ATTRS = [
    None,
    {"id": "id_x", "class": "a b", "required": True, "disabled": False},
    {"data-x": 'guillemets " et <balises> & « français »', "list": "causes"},
    {"aria-describedby": mark_safe("déjà <b>sûr</b>"), "maxlength": 200, "none": None},
    {"placeholder": gettext_lazy("Rechercher")},
]

INPUTS = [
    forms.TextInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.TimeInput,
    forms.DateTimeInput,
    forms.SearchInput,
    forms.TelInput,
    forms.ColorInput,
]

VALUES = [
    None,
    "",
    "texte",
    "a<b>&\"'",
    mark_safe("<i>sûr</i>"),
    gettext_lazy("Rechercher"),
    1234,
    12.5,
    date(2026, 3, 2),
    datetime(2026, 3, 2, 9, 30),
    time(9, 30),
    (1, 2),
    "\x00 nul et \ud800 seul",
]


def both(widget: forms.Widget, value: object, attrs: dict | None) -> tuple[str, str]:
    return (
        widget.render("champ", value, attrs=attrs, renderer=TEMPLATES),
        widget.render("champ", value, attrs=attrs, renderer=PYTHON),
    )


@pytest.mark.parametrize("widget_class", INPUTS)
def test_inputs(widget_class):
    for value in VALUES:
        for attrs in ATTRS:
            templates, python = both(widget_class(), value, attrs)
            assert python == templates, (value, attrs)


@pytest.mark.parametrize("value", [None, "", True, False, "on", "1", 0])
@pytest.mark.parametrize("widget", [forms.CheckboxInput(), FlagInput()])
def test_checkboxes(widget, value):
    templates, python = both(widget, value, {"id": "id_drapeau"})
    assert python == templates


CHOICES = [
    ("", "Tous les statuts"),
    ("ouverte", "Ouverte"),
    ("close", gettext_lazy("Close")),
    (3, 'Trois <"&">'),
    ("sûre", mark_safe("<b>déjà sûr</b>")),
    (
        "Groupe « un »",
        [("g1", "Premier"), ("g2", "Deuxième")],
    ),
    (None, "Aucun"),
]


@pytest.mark.parametrize("widget_class", [forms.Select, forms.SelectMultiple])
def test_selects(widget_class):
    for value in [None, "", "ouverte", 3, "3", "g2", ["ouverte", "g1"]]:
        for attrs in ATTRS:
            templates, python = both(widget_class(choices=CHOICES), value, attrs)
            assert python == templates, (value, attrs)


@pytest.mark.parametrize("value", [None, "", True, False, "unknown", "2", "3"])
def test_yes_no_unknown(value):
    templates, python = both(forms.NullBooleanSelect(), value, {"id": "id_oui_non"})
    assert python == templates


@pytest.mark.parametrize(
    "widget",
    [
        forms.RadioSelect(choices=CHOICES[:3]),
        forms.CheckboxSelectMultiple(choices=CHOICES[:3]),
        forms.Textarea(),
        forms.ClearableFileInput(),
        forms.SplitDateTimeWidget(),
    ],
)
def test_other_widgets_are_left_to_the_templates(widget):
    templates, python = both(widget, None, {"id": "id_x"})
    assert python == templates


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=Est%C3%A9rel&status=ouverte&overdue=1&order=newest",
        "received_from=2026-13-45&status=inconnu&q=%3Cscript%3E",
    ],
)
def test_the_register_filters_whole(language, query):
    rendered = {}
    with override(language):
        for renderer in (TEMPLATES, PYTHON):
            form = RegisterFilterForm(QueryDict(query))
            form.is_valid()
            form.renderer = renderer
            rendered[renderer] = "".join(str(form[name]) for name in form.fields)
    assert rendered[PYTHON] == rendered[TEMPLATES]
    assert "<select" in rendered[PYTHON]


def test_it_is_the_installation_s_renderer(settings):
    assert settings.FORM_RENDERER == "reclamations.web.widget_html.WidgetsInPython"
