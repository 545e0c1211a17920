"""Form fields and helpers the staff pages and the client's pages share."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext


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


def add_service_errors(
    form: forms.Form, error: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put each message of a service's ValidationError next to its field (others on the form)."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        target = aliases.get(name, name)
        form.add_error(target if target in form.fields else None, messages)


def note_files_to_choose_again(form: forms.Form, files: MultiValueDict[str, UploadedFile]) -> None:
    """A form shown again cannot keep the chosen files: say so next to each file field."""
    for name, uploads in files.lists():
        field = form.fields.get(name)
        if field is None or not uploads:
            continue
        if len(uploads) == 1:
            field.reupload_note = gettext(  # type: ignore[attr-defined]
                "Le fichier « %(name)s » n'a pas été conservé : choisissez-le à nouveau avant "
                "d'enregistrer."
            ) % {"name": uploads[0].name}
        else:
            names = ", ".join(f"« {upload.name} »" for upload in uploads)
            field.reupload_note = gettext(  # type: ignore[attr-defined]
                "Les fichiers %(names)s n'ont pas été conservés : choisissez-les à nouveau avant "
                "d'enregistrer."
            ) % {"names": names}
