"""One form field's markup, written in Python: label ("(obligatoire)" after it when required,
in words: a star needs a legend; written by the style sheet from data-required, so that the
label's own text stays the field's name), help, errors (linked by aria-describedby), then the
widget; under a free-text field, the CNIL's reminder (linked too).

Through a template included once a field, a form's fields were a fifth of the register page's
time (seventeen filters, each attribute the template asked of a field tried as a key, then an
attribute, then an index: bench/README.md). Every text is escaped as the template escaped it.
"""

from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from reclamations.web.html_text import html_text


def _required(field: BoundField) -> str:
    if field.field.required or getattr(field.field, "declared_required", False):
        required = gettext("(obligatoire)")
        return f' class="required" data-required="{html_text(required)}"'
    return ""


def _help(field: BoundField) -> str:
    if not field.help_text:
        return ""
    help_id = f"{html_text(field.auto_id)}_helptext"
    return f'<p class="help" id="{help_id}">{html_text(field.help_text)}</p>'


def _errors(field: BoundField) -> str:
    errors = field.errors
    if not errors:
        return ""
    items = "".join(f"<li>{html_text(error)}</li>" for error in errors)
    return f'<ul class="errorlist" id="{html_text(field.auto_id)}_error">{items}</ul>'


def _reminder(field: BoundField) -> str:
    reminder = getattr(field, "reminder", None)
    if not reminder:
        return ""
    reminder_id = getattr(field, "reminder_id", "")
    named = f' id="{html_text(reminder_id)}"' if reminder_id else ""
    more = ""
    if getattr(field, "explains", False):
        summary = gettext("En savoir plus")
        more = (
            f"<details><summary>{html_text(summary)}</summary>"
            f"<p>{html_text(field.reminder_explanation)}</p></details>"  # type: ignore[attr-defined]
        )
    return f'\n<div class="reminder">\n  <p{named}>{html_text(reminder)}</p>\n  {more}\n</div>\n'


def field_html(field: BoundField) -> SafeString:
    """The field's markup: a group of choices in a fieldset, a checkbox before its label, any
    other field after its label."""
    error_class = " has-error" if field.errors else ""
    label = html_text(field.label)
    if field.use_fieldset:
        described = field.aria_describedby
        describedby = f' aria-describedby="{html_text(described)}"' if described else ""
        html = (
            f'\n\n<fieldset class="field field-choices{error_class}"{describedby}>\n'
            f"  <legend{_required(field)}>{label}</legend>\n"
            f"  {_help(field)}\n"
            f"  {_errors(field)}\n\n"
            f"  {html_text(field)}\n"
            "</fieldset>\n\n"
        )
    elif getattr(field.field.widget, "input_type", None) == "checkbox":
        html = (
            f'\n\n<div class="field field-checkbox{error_class}">\n'
            f"  {html_text(field)}\n"
            f'  <label for="{html_text(field.id_for_label)}"{_required(field)}>{label}</label>\n'
            f"  {_help(field)}\n"
            f"  {_errors(field)}\n\n"
            "</div>\n\n"
        )
    else:
        note = getattr(field.field, "reupload_note", "")
        reupload = f'<p class="reupload" role="status">{html_text(note)}</p>' if note else ""
        html = (
            f'\n\n<div class="field{error_class}">\n'
            f'  <label for="{html_text(field.id_for_label)}"{_required(field)}>{label}</label>\n'
            f"  {_help(field)}\n"
            f"  {_errors(field)}\n\n"
            f"  {reupload}\n"
            f"  {html_text(field)}\n"
            f"  {_reminder(field)}\n"
            "</div>\n\n"
        )
    return mark_safe(html)  # noqa: S308 - every value escaped by html_text
