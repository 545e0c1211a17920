"""Form fields the staff pages and the client's pages share."""

from typing import Any

from django import forms


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): a list, empty when none."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def several_files(label: str, *, help_text: str = "") -> MultipleFileField:
    """An optional field of PDF, JPEG or PNG files (their content is checked by the service)."""
    return MultipleFileField(
        label=label,
        required=False,
        help_text=help_text,
        allow_empty_file=True,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png", "multiple": True}),
    )
