"""Django's text inputs, checkboxes and selects written in Python, the same HTML to the byte.

Django renders every widget through templates: a select through one template per option,
each including the attributes' template. The register's filters (seventeen fields, thirty-six
options) took about a fifth of the register page's time that way (bench/README.md, "Many
organisations"). This renderer writes those widgets' HTML directly, exactly as Django's
templates write it (tests/web/test_widget_html.py renders every case both ways and compares),
and leaves every other template to Django: forms, errors, radio buttons, files, text areas,
and any of these widgets' templates that an application overrides.
"""

from functools import cache
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"
# Each of these templates is `{% include "django/forms/widgets/input.html" %}`.
_INPUTS = frozenset(
    _WIDGETS + name
    for name in (
        "input.html",
        "text.html",
        "email.html",
        "number.html",
        "date.html",
        "time.html",
        "datetime.html",
        "search.html",
        "url.html",
        "tel.html",
        "password.html",
        "hidden.html",
        "checkbox.html",
        "color.html",
    )
)
_SELECT = _WIDGETS + "select.html"
_OPTION = _WIDGETS + "select_option.html"
_DJANGOS_OWN = Path(django.forms.__file__).parent / "templates"


def _stringformat(value: Any) -> str:
    """The `stringformat:'s'` filter: what it returns, marked safe when its input was."""
    original = value
    if isinstance(value, tuple):
        value = str(value)
    try:
        text = "%s" % value  # noqa: UP031 - the filter's own operation
    except (ValueError, TypeError):
        text = ""
    return mark_safe(text) if isinstance(original, SafeData) else text  # noqa: S308 - was safe


def _shown(value: Any) -> str:
    """`{{ value }}` in an autoescaped template."""
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_shown(name)}")
        else:
            parts.append(f' {_shown(name)}="{conditional_escape(_stringformat(value))}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{conditional_escape(_stringformat(value))}"' if value is not None else ""
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _option(option: dict[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(_stringformat(option["value"]))}"'
        f"{_attrs(option['attrs'])}>{_shown(option['label'])}</option>"
    )


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            # The option's template ends with a newline, which its include keeps.
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class WidgetsInPython(DjangoTemplates):
    """The form renderer (settings.FORM_RENDERER)."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        html = None
        if self._djangos_own(template_name):
            if template_name in _INPUTS:
                html = _input(context["widget"])
            elif template_name == _SELECT:
                html = _select(context["widget"])
        if html is None:
            return super().render(template_name, context, request)
        return SafeString(html)

    @cache  # noqa: B019 - one renderer per process, a handful of names
    def _djangos_own(self, template_name: str) -> bool:
        """Whether the template the engine finds under this name is Django's own."""
        if template_name not in _INPUTS and template_name != _SELECT:
            return False
        names = (template_name, _WIDGETS + "attrs.html", _OPTION, _WIDGETS + "input.html")
        return all(
            Path(self.get_template(name).origin.name).is_relative_to(_DJANGOS_OWN) for name in names
        )
