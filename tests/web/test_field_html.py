"""A form field's markup: its label (and whether it is required, in words), help, errors linked
to the widget, a group of choices in a fieldset, a checkbox before its label, the CNIL's
reminder under free text once a form, every text escaped."""

from django import forms
from django.utils.translation import override

from reclamations.web.field_html import field_html
from reclamations.web.forms.fields import FlagInput, choice, free_text, mark_required, text


class SampleForm(forms.Form):
    name = text("Nom <du client>", help_text="Tel qu'il signe & écrit")
    kind = mark_required(choice("Nature", [("a", "Avis"), ("b", "Besoin")], radio=True))
    urgent = forms.BooleanField(label="Urgent", required=False, widget=FlagInput)
    description = free_text("Description")
    outcome = free_text("Issue")
    attachment = forms.FileField(label="Pièce", required=False)


def html_of(form: forms.Form, name: str) -> str:
    with override("fr"):
        return str(field_html(form[name]))


def test_a_text_field_its_label_help_and_widget_escaped_in_order():
    html = html_of(SampleForm(), "name")
    assert '<div class="field">' in html
    assert '<label for="id_name">Nom &lt;du client&gt;</label>' in html
    assert '<p class="help" id="id_name_helptext">Tel qu&#x27;il signe &amp; écrit</p>' in html
    assert html.index("<label") < html.index("id_name_helptext") < html.index("<input")
    assert 'aria-describedby="id_name_helptext"' in html


def test_a_required_field_says_so_in_words():
    html = html_of(SampleForm(), "kind")
    assert '<legend class="required" data-required="(obligatoire)">Nature</legend>' in html
    with override("en"):
        assert 'data-required="(required)"' in str(field_html(SampleForm()["kind"]))


def test_a_group_of_choices_is_a_fieldset():
    html = html_of(SampleForm(), "kind")
    assert html.lstrip().startswith('<fieldset class="field field-choices">')
    assert 'type="radio"' in html and html.rstrip().endswith("</fieldset>")


def test_errors_are_listed_escaped_and_linked_to_the_widget():
    form = SampleForm({"name": "x"})
    form.add_error("name", "Trop court <vraiment>")
    html = html_of(form, "name")
    assert '<div class="field has-error">' in html
    assert (
        '<ul class="errorlist" id="id_name_error"><li>Trop court &lt;vraiment&gt;</li></ul>' in html
    )
    assert "id_name_error" in html[html.index("<input") :]


def test_a_checkbox_comes_before_its_label():
    html = html_of(SampleForm(), "urgent")
    assert '<div class="field field-checkbox">' in html
    assert html.index('type="checkbox"') < html.index('<label for="id_urgent">Urgent</label>')


def test_the_reminder_goes_under_each_free_text_and_its_explanation_once():
    form = SampleForm()
    first, second = html_of(form, "description"), html_of(form, "outcome")
    assert '<div class="reminder">' in first and '<div class="reminder">' in second
    assert 'id="id_description_reminder"' in first
    assert first.count("<details>") == 1 and "<details>" not in second
    assert "id_description_reminder" in first[first.index("<textarea") : first.index("</textarea")]


def test_a_file_to_choose_again_is_noted_above_its_widget():
    form = SampleForm()
    form.fields["attachment"].reupload_note = "Choisissez « a.pdf » à nouveau"  # type: ignore[attr-defined]
    html = html_of(form, "attachment")
    note = '<p class="reupload" role="status">Choisissez « a.pdf » à nouveau</p>'
    assert note in html and html.index(note) < html.index('type="file"')
