"""What the base template needs to know of the page's forms."""

from django import template
from django.forms import BaseForm, BoundField
from django.template.context import Context

from reclamations.web.refusals import note_refused

register = template.Library()


@register.simple_tag(takes_context=True)
def refused_form(context: Context) -> bool:
    """True when the page sends back a form with errors (its title then says so)."""
    return note_refused(context.get("request"), context.flatten())


@register.filter
def fields_with_errors(form: BaseForm) -> list[BoundField]:
    """The form's fields in error, in the form's order (the summary's links to them)."""
    return [form[name] for name in form.fields if name in form.errors]
