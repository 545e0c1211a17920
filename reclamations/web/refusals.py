"""The forms a page sends back refused: found in the page's context, named in its title and
noted on the request for the log's one line (core/refusal_logs.py).

Only the names of the fields in error are noted, never what was typed: the log carries no more
than the address and the account."""

from collections.abc import Iterable, Mapping

from django.forms import BaseForm
from django.http import HttpRequest

# Read by core.refusal_logs: an attribute, so that core needs nothing from here.
REFUSED_FIELDS_ATTRIBUTE = "refused_fields"


def refused_forms(values: Iterable[object]) -> list[BaseForm]:
    """The bound forms with errors among the values (and, one level down, inside a tuple or a
    list: a page passes `failed=(step, form)`), each once."""
    found: list[BaseForm] = []
    for value in values:
        candidates = value if isinstance(value, tuple | list) else (value,)
        for candidate in candidates:
            if (
                isinstance(candidate, BaseForm)
                and candidate.is_bound
                and candidate.errors
                and not any(candidate is known for known in found)
            ):
                found.append(candidate)
    return found


def fields_in_error(forms: Iterable[BaseForm]) -> list[str]:
    """ "subject", "__all__" (an error of the whole form), prefixed as the form is."""
    names: list[str] = []
    for form in forms:
        for name in form.errors:
            names.append(f"{form.prefix}-{name}" if form.prefix else name)
    return sorted(set(names))


def note_refused(request: HttpRequest | None, context: Mapping[str, object]) -> bool:
    """Whether the page shows a refused form; notes the fields in error on the request."""
    forms = refused_forms(context.values())
    if forms and request is not None:
        setattr(request, REFUSED_FIELDS_ATTRIBUTE, fields_in_error(forms))
    return bool(forms)
