"""The complaint's fields in the groups that services, forms and the API share.

Lengths, choices and labels are read from the model's fields, never typed again.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from django.db import models

from reclamations.complaints.models import PROCEDURE_FIELDS, Complaint

DETAIL_FIELDS: Final = (
    "client_name",
    "client_account",
    "client_type",
    "funding",
    "client_email",
    "client_phone",
    "client_address",
    "client_language",
    "training",
    "session",
    "trainer",
    "funder",
    "description",
    "remedy_sought",
    "kind",
    "not_admissible_reason",
    "category",
    "severity",
)
"""Who the client is and what the complaint is about: given at registration, corrected later
with the "update_details" action (each change kept in the chronology)."""

COMPLETABLE_FIELDS: Final = PROCEDURE_FIELDS
"""What the client's answer to a request (information, written confirmation) may complete."""


def model_field(name: str) -> models.Field[Any, Any]:
    """The complaint's column `name` (a relation's reverse side is no column)."""
    field = Complaint._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"Complaint.{name} is not a column.")
    return field


def max_length(name: str) -> int | None:
    """The column's limit; None for free text (the database has none)."""
    field = model_field(name)
    return None if isinstance(field, models.TextField) else field.max_length


def choices_of(name: str) -> list[tuple[str, str]]:
    """(value, French label) of a choice field, in the model's order."""
    return [(str(value), str(label)) for value, label in model_field(name).choices or ()]


@cache
def choice_values(name: str) -> tuple[str, ...]:
    """The values a choice field admits, in the model's order; empty for a free field. Read
    once per process: checking a value needs no label, and translating every label of every
    choice field was a tenth of a registration's time (bench/README.md, import-eml)."""
    return tuple(str(value) for value, _label in model_field(name).choices or ())


def may_be_blank(name: str) -> bool:
    """True when the model lets the field be left empty."""
    return bool(model_field(name).blank)


def is_email(name: str) -> bool:
    """True for an email address column."""
    return isinstance(model_field(name), models.EmailField)
