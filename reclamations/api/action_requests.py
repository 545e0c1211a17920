"""The body of POST /complaints/{reference}/actions, read and documented from the actions'
own declarations (complaints.actions): JSON, or multipart/form-data when a file goes with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from pydantic import ValidationError as PydanticValidationError

from reclamations.api.errors import BODY_MISSING, GENERAL, UNREADABLE_BODY, schema_errors
from reclamations.api.schemas import FREE_TEXT, ActionIn
from reclamations.complaints.actions import CATALOGUE, ActionSpec
from reclamations.complaints.actions.inputs import FieldKind, InputField, input_fields

MULTIPART = "multipart/form-data"
FIELD_GIVEN_TWICE = "Champ donné deux fois, au premier niveau et dans « data » : gardez-en un."
NO_DATA_IN_FORMS = (
    "En multipart/form-data, envoyez les champs de l'action au premier niveau, sans « data »."
)
NOT_AN_OBJECT = "Objet JSON attendu."
FILE_AS_TEXT = (
    "Fichier attendu : envoyez-le comme partie de fichier, avec un nom de fichier (filename) "
    "dans son en-tête Content-Disposition."
)
# The parts that carry files: given as text, they would be read as no file at all, and the
# action done without it (a reply sent without the enclosures the caller meant to send).
FILE_FIELDS = ("document", "enclosures")


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        raise ValidationError({GENERAL: [BODY_MISSING]})
    try:
        parsed = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError({GENERAL: [UNREADABLE_BODY]}) from None
    try:
        checked = ActionIn.model_validate(parsed)
    except PydanticValidationError as error:
        located = [
            {**problem, "loc": ("body", "payload", *problem["loc"])}
            for problem in error.errors(include_url=False, include_input=False)
        ]
        raise ValidationError(schema_errors(located)) from None
    duplicated = checked.duplicated_fields()
    if duplicated:
        raise ValidationError({name: [FIELD_GIVEN_TWICE] for name in duplicated})
    return {"action": checked.action, **checked.action_fields()}


def _form_body(request: HttpRequest) -> dict[str, Any]:
    fields: dict[str, Any] = {name: request.POST.get(name) for name in request.POST}
    as_text = [name for name in FILE_FIELDS if name in fields]
    if as_text:
        raise ValidationError({name: [FILE_AS_TEXT] for name in as_text})
    if "data" in fields:
        raise ValidationError({"data": [NO_DATA_IN_FORMS]})
    if not fields.get("action"):
        raise ValidationError({"action": ["Ce champ est obligatoire."]})
    return fields


@dataclass(frozen=True)
class ActionRequest:
    """What a caller asks: the action, its fields, its file, the files its message sends."""

    name: str
    fields: dict[str, Any]
    document: UploadedFile[bytes] | None = None
    enclosures: list[UploadedFile[bytes]] = field(default_factory=list)


def action_request(request: HttpRequest) -> ActionRequest:
    """The request from a JSON or multipart body; a ValidationError (French, per field) when
    the body cannot be read."""
    if request.content_type != MULTIPART:
        fields = _json_body(request)
        return ActionRequest(str(fields.pop("action")), fields)
    fields = _form_body(request)
    return ActionRequest(
        str(fields.pop("action")),
        fields,
        document=request.FILES.get("document"),
        enclosures=request.FILES.getlist("enclosures"),
    )


# --- OpenAPI ----------------------------------------------------------------------------------


def _property(declared: InputField) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "title": str(declared.label)}
    if declared.help:
        schema["description"] = declared.help
    if declared.kind == FieldKind.CHOICE and declared.options is not None:
        schema["description"] = (
            f"{schema.get('description', '')} One of the organisation's list (GET /api/v1/causes)."
        ).strip()
    elif declared.kind == FieldKind.CHOICE:
        values = [value for value, _label in declared.choices]
        schema["enum"] = ["", *values] if declared.blank is not None else values
        labels = "; ".join(f"{value}: {label}" for value, label in declared.choices)
        schema["description"] = f"{schema.get('description', '')} ({labels})".strip()
    elif declared.kind == FieldKind.DAY:
        schema["format"] = "date"
        schema["description"] = "YYYY-MM-DD; today when not given."
    elif declared.kind == FieldKind.MOMENT:
        schema["format"] = "date-time"
        schema["description"] = "ISO 8601 with its offset."
    elif declared.max_length is not None:
        schema["maxLength"] = declared.max_length
    if declared.free_text:
        schema["description"] = f"{schema.get('description', '')} {FREE_TEXT}".strip()
    return schema


def _required(declared: InputField) -> bool:
    """Whether a caller must send the field: nothing fills it in when it is left out."""
    if declared.default is not None:
        return False
    if declared.kind == FieldKind.CHOICE:
        return declared.blank is None or bool(declared.required)
    return bool(declared.required)


def _action_schema(spec: ActionSpec[Any], *, with_file: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {"action": {"type": "string", "const": spec.name}}
    required = ["action"]
    for name, declared in input_fields(spec.input):
        properties[name] = _property(declared)
        if _required(declared):
            required.append(name)
    if with_file and spec.document is not None:
        properties["document"] = {
            "type": "string",
            "format": "binary",
            "title": str(spec.document.label),
            "description": "PDF, JPEG or PNG, checked by its content; stored unchanged.",
        }
        if spec.document.required:
            required.append("document")
    if with_file and spec.encloses:
        properties["enclosures"] = {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "title": spec.encloses,
            "description": "Up to 10 PDF, JPEG or PNG files (15 MB together), checked by their "
            "content: attached to the e-mail, or listed under the printed letter; each stored.",
        }
    if not with_file:
        properties["data"] = {
            "type": "object",
            "description": "Alternative place for the action's fields.",
        }
    return {
        "title": str(spec.label),
        "description": spec.intro,
        "type": "object",
        "properties": properties,
        "required": required,
    }


def _schema_name(spec: ActionSpec[Any], *, with_file: bool) -> str:
    stem = "".join(part.title() for part in spec.name.split("_"))
    return f"{stem}ActionForm" if with_file else f"{stem}Action"


def _ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def _one_of(specs: Iterable[ActionSpec[Any]], *, with_file: bool) -> dict[str, Any]:
    names = {spec.name: _schema_name(spec, with_file=with_file) for spec in specs}
    return {
        "oneOf": [{"$ref": _ref(name)} for name in names.values()],
        "discriminator": {
            "propertyName": "action",
            "mapping": {action: _ref(name) for action, name in names.items()},
        },
    }


def action_components() -> dict[str, Any]:
    """The schemas of every action's body, JSON and multipart, for components/schemas."""
    components: dict[str, Any] = {}
    for spec in CATALOGUE:
        for with_file in (False, True):
            components[_schema_name(spec, with_file=with_file)] = _action_schema(
                spec, with_file=with_file
            )
    components["ActionRequest"] = _one_of(CATALOGUE, with_file=False)
    components["ActionRequestForm"] = _one_of(CATALOGUE, with_file=True)
    return components


REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": _ref("ActionRequest")}},
        MULTIPART: {"schema": {"$ref": _ref("ActionRequestForm")}},
    },
}


def _field_line(spec: ActionSpec[Any]) -> str:
    names = [
        f"{name}{'*' if _required(declared) else ''}" for name, declared in input_fields(spec.input)
    ]
    if spec.document is not None:
        names.append(f"document{'*' if spec.document.required else ''} (multipart)")
    if spec.encloses:
        names.append("enclosures (multipart, repeated)")
    return f"- `{spec.name}` ({spec.label}): {', '.join(names) or 'no field'}"


def actions_description() -> str:
    """The operation's description: the rules, then each action's fields (* required)."""
    lines = "\n".join(_field_line(spec) for spec in CATALOGUE)
    return (
        "Answers 201 with the complaint as it now is and the chronology event recorded; 400 "
        "with the fields to correct; 409 when the complaint cannot take the action now (its "
        "`allowed_actions` say which it can). Send JSON, or multipart/form-data with the same "
        "fields and a `document` file when a file goes with the action. Dates are YYYY-MM-DD "
        "and default to today. The schema of each action is in components "
        "(`ActionRequest`, `ActionRequestForm`).\n\nFields of each action (* required):\n"
        f"{lines}\n"
    )
