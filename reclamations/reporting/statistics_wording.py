"""The statistics' words in the reader's language (decision 0036).

The figures are computed once, in French, and cached for every reader: the PDF, the audit pack
and the API print their French labels. Each line also keeps what it counts (a month, a code of
one of the register's lists, the open complaints of an age...), from which `say` words it in
the active language: French, the same label again; English for an English page. A value typed
on the complaints (a training, a trainer) has no wording: it is shown as typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext, ngettext_lazy

from reclamations.complaints.enums import (
    Category,
    Channel,
    ClientAcceptance,
    ClientType,
    Funding,
    Kind,
    Satisfaction,
)
from reclamations.core.catalogue import gettext_noop
from reclamations.core.languages import month_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Month:
    year: int
    month: int  # 1 to 12


@dataclass(frozen=True)
class Choice:
    """A code of one of the register's lists (CHOICES' field), or an old code it no longer
    has (shown as stored)."""

    field: str
    code: str


@dataclass(frozen=True)
class NotGiven:
    """The complaints on which the field is blank."""


@dataclass(frozen=True)
class Others:
    """The values of a free-text field beyond the ten most frequent, together."""

    field: str  # training, trainer, funder or cause
    count: int


@dataclass(frozen=True)
class Age:
    """The complaints open for `low` to `high` working days (`high` None: more than low - 1)."""

    low: int
    high: int | None


Wording = Month | Choice | NotGiven | Others | Age

CHOICES: Mapping[str, Mapping[str, StrOrPromise]] = {
    "kind": dict(Kind.choices),
    "channel": dict(Channel.choices),
    "category": dict(Category.choices),
    "client_type": dict(ClientType.choices),
    "funding": dict(Funding.choices),
    "client_satisfaction": dict(Satisfaction.choices),
    "client_acceptance": dict(ClientAcceptance.choices),
}
NOT_GIVEN = gettext_noop("Non renseigné")
_OTHERS = {
    "training": ngettext_lazy("%(count)d autre formation", "%(count)d autres formations", "count"),
    "trainer": ngettext_lazy(
        "%(count)d autre formateur ou formatrice",
        "%(count)d autres formateurs ou formatrices",
        "count",
    ),
    "funder": ngettext_lazy("%(count)d autre financeur", "%(count)d autres financeurs", "count"),
    "cause": ngettext_lazy("%(count)d autre cause", "%(count)d autres causes", "count"),
}


def say(wording: Wording) -> str:
    """What a line counts, in the active language."""
    match wording:
        case Month(year, month):
            return f"{month_name(month)} {year}"
        case Choice(field, code):
            return str(CHOICES[field].get(code, code))
        case NotGiven():
            return gettext(NOT_GIVEN)
        case Others(field, count):
            return _OTHERS[field] % {"count": count}
        case Age(low, None):
            return gettext("plus de %(days)d j") % {"days": low - 1}
        case Age(low, high):
            return gettext("%(low)d à %(high)d j") % {"low": low, "high": high}
    raise AssertionError(f"Unknown wording: {wording!r}")


def label(text: str, wording: Wording | None) -> str:
    """A line's label in the active language: `text` (its French label) for a value as typed."""
    return text if wording is None else say(wording)
