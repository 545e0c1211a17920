"""A register's lines read into the complaints they describe, or into errors naming the line
and the column. Pure: no Django, no database.

A line is one complaint. Empty lines and section titles (a cell merged across the table) are
skipped and counted. A line with an error is not imported; every error of the line is said.
Two lines with the same reference received the same year, or identical without a reference, are
one complaint: the later line is an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, time

from reclamations.complaints.enums import Kind
from reclamations.core.catalogue import as_is, gettext_noop
from reclamations.core.reception import EARLIEST_RECEPTION
from reclamations.register_import import vocabulary
from reclamations.register_import.choices import (
    CHOICE_FIELDS,
    Choices,
    read_funding,
    unknown_choice,
)
from reclamations.register_import.dates import read_date
from reclamations.register_import.header import Header, cell_text
from reclamations.register_import.mapping import ColumnMapping
from reclamations.register_import.reading import Cell, Table
from reclamations.register_import.vocabulary import (
    CLOSED,
    NOT_ADMISSIBLE,
    OPEN,
    REPLIED,
    STATE_LABELS,
    fold,
)

# The complaint's own text fields a column may give as they are.
TEXT_FIELDS = (
    "client_name",
    "client_account",
    "client_email",
    "client_phone",
    "training",
    "session",
    "trainer",
    "funder",
    "remedy_sought",
)
OUTCOMES_RECOGNISED = "fondée (satisfaite), partiellement, rejetée (non fondée)"


@dataclass(frozen=True)
class LineError:
    """An error of a line: `message` is French, with `values` for its %(name)s placeholders
    (none: a message already worded), so that a page says it in its reader's language."""

    line: int
    column: str  # the column's name; "" for the line as a whole
    message: str
    values: Mapping[str, object] = field(default_factory=dict)

    def text(
        self,
        translate: Callable[[str], str] = as_is,
        column_labels: Mapping[str, str] | None = None,
    ) -> str:
        """The error in French, or through `translate` (gettext, given by a page), the column
        named as `column_labels` show it (Header.labels, by name)."""
        message = translate(self.message)
        if self.values:
            message %= self.values
        if self.column:
            return translate(
                gettext_noop("Ligne %(line)s, colonne « %(column)s » : %(message)s")
            ) % {
                "line": self.line,
                "column": (column_labels or {}).get(self.column, self.column),
                "message": message,
            }
        return translate(gettext_noop("Ligne %(line)s : %(message)s")) % {
            "line": self.line,
            "message": message,
        }

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Candidate:
    """One line of the register, read: the complaint it describes and where it comes from."""

    line: int
    key: str  # what makes it the same complaint in another import: reference and year, else content
    source_reference: str
    received_on: date
    received_time: time | None
    channel: str
    texts: Mapping[str, str]  # TEXT_FIELDS and "description"
    status_read: str  # as the register wrote it ("" when it said none)
    state: str  # vocabulary.OPEN, REPLIED, CLOSED or NOT_ADMISSIBLE
    replied_on: date | None = None
    resolution: str = ""
    actions: str = ""
    closed_on: date | None = None
    outcome: str = ""
    notes: tuple[str, ...] = ()
    # The product's choices the register gives ("" when it says nothing): kind, category,
    # funding, client type, and the cause among the organisation's.
    choices: Mapping[str, str] = field(default_factory=dict)
    not_admissible_by: str = ""  # what made the line not admissible: its status, or its kind
    # The column each field came from, to name it in an error found later (field -> name).
    columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Reading:
    candidates: tuple[Candidate, ...]
    errors: tuple[LineError, ...]
    lines: int  # lines that describe a complaint (read, with or without an error)
    empty_lines: int
    title_lines: int


def line_fingerprint(row: tuple[Cell, ...]) -> str:
    """The SHA-256 of a line's cells as they read (spaces and case ignored): the same line in
    another file, or the same file again, has the same fingerprint."""
    text = "\x1f".join(fold(cell_text(value)) for value in row).rstrip("\x1f")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def reference_key(reference: str, received_on: date) -> str:
    """A line's key by its old reference and its year of reception: a register numbered anew
    each year (1, 2... in 2023, then 1, 2... in 2024) gives each line its own key, while the same
    line imported again has the same."""
    return f"reference:{received_on.year}:{fold(reference)}"


class _Line:
    """One line being read: its cells by field, and the errors found in it."""

    def __init__(self, number: int, row: tuple[Cell, ...], header: Header, mapping: ColumnMapping):
        self.number, self.row, self.header, self.mapping = number, row, header, mapping
        self.errors: list[LineError] = []

    def cell(self, name: str) -> Cell:
        index = self.mapping.column_of(name)
        if index is None or index >= len(self.row):
            return None
        return self.row[index]

    def text(self, name: str) -> str:
        value = self.cell(name)
        if isinstance(value, str):
            return value.strip()
        return cell_text(value)

    def column(self, name: str) -> str:
        index = self.mapping.column_of(name) if name else None
        return "" if index is None else self.header.name(index)

    def error(self, name: str, message: str, **values: object) -> None:
        """`message`: French, marked (gettext_noop), with `values` for its placeholders."""
        self.errors.append(LineError(self.number, self.column(name), message, values))

    def day(self, name: str, today: date) -> date | None:
        value = self.cell(name)
        if not cell_text(value):
            return None
        read = read_date(value)
        if read is None:
            self.error(name, gettext_noop("date illisible « %(value)s »"), value=cell_text(value))
            return None
        if read.day > today:
            self.error(
                name,
                gettext_noop("date « %(value)s » postérieure à aujourd'hui"),
                value=cell_text(value),
            )
            return None
        return read.day

    def notes(self) -> tuple[str, ...]:
        found = []
        for index in self.mapping.columns_of("note"):
            value = cell_text(self.row[index]) if index < len(self.row) else ""
            if value:
                found.append(f"{self.header.name(index)} : {value}")
        return tuple(found)


def _state(line: _Line) -> tuple[str, str] | None:
    """(state, outcome) the line's status says; ("", "") when it says none."""
    status = line.text("status")
    if not status:
        return "", ""
    found = vocabulary.read_status(status)
    if found is None:
        line.error(
            "status",
            gettext_noop(
                "statut « %(status)s » inconnu. Statuts reconnus : en cours, en attente, "
                "répondu, clos, clôturée, traité, non recevable (suivis au besoin de l'issue : "
                "« clôturée - fondée »)."
            ),
            status=status,
        )
    return found


def _outcome(line: _Line, from_status: str) -> str:
    given = line.text("outcome")
    if not given:
        return from_status or line.mapping.default_outcome
    found = vocabulary.read_outcome(given)
    if found is None:
        line.error(
            "outcome",
            gettext_noop("issue « %(outcome)s » inconnue. Issues reconnues : %(recognised)s."),
            outcome=given,
            recognised=OUTCOMES_RECOGNISED,
        )
        return ""
    return found


def _channel(line: _Line) -> str:
    given = line.text("channel")
    if not given:
        return line.mapping.default_channel
    found = vocabulary.read_channel(given)
    if found is None:
        line.error(
            "channel",
            gettext_noop(
                "canal « %(channel)s » inconnu. Canaux reconnus : %(recognised)s ; corrigez la "
                "cellule, ou videz-la pour le canal par défaut."
            ),
            channel=given,
            recognised=vocabulary.CHANNELS_RECOGNISED,
        )
        return ""
    return found


def _received(line: _Line, today: date) -> tuple[date | None, time | None]:
    value = line.cell("received_on")
    if not cell_text(value):
        line.error("received_on", gettext_noop("date de réception manquante"))
        return None, None
    read = read_date(value)
    if read is None:
        line.error(
            "received_on", gettext_noop("date illisible « %(value)s »"), value=cell_text(value)
        )
        return None, None
    if read.day < EARLIEST_RECEPTION:
        line.error(
            "received_on",
            gettext_noop(
                "date « %(value)s » antérieure au 01/01/2000 : le registre ne remonte pas plus "
                "loin (vérifiez l'année)"
            ),
            value=cell_text(value),
        )
        return None, None
    if read.day > today:
        line.error(
            "received_on",
            gettext_noop("date « %(value)s » postérieure à aujourd'hui"),
            value=cell_text(value),
        )
        return None, None
    return read.day, read.time


def _dates_in_order(
    line: _Line, received: date | None, replied: date | None, closed: date | None
) -> None:
    if received and replied and replied < received:
        line.error(
            "replied_on",
            gettext_noop("réponse du %(replied)s antérieure à la réception (%(received)s)"),
            replied=f"{replied:%d/%m/%Y}",
            received=f"{received:%d/%m/%Y}",
        )
    if closed and replied and closed < replied:
        line.error(
            "closed_on",
            gettext_noop("clôture du %(closed)s antérieure à la réponse (%(replied)s)"),
            closed=f"{closed:%d/%m/%Y}",
            replied=f"{replied:%d/%m/%Y}",
        )
    elif received and closed and closed < received:
        line.error(
            "closed_on",
            gettext_noop("clôture du %(closed)s antérieure à la réception (%(received)s)"),
            closed=f"{closed:%d/%m/%Y}",
            received=f"{received:%d/%m/%Y}",
        )


def _final_state(line: _Line, said: str, replied: date | None, closed: date | None) -> str:
    """The state the line's status and dates give, with an error where they disagree."""
    status = line.text("status")
    if not said:  # no status: the dates say how far it went
        return CLOSED if closed else REPLIED if replied else OPEN
    if said == OPEN and replied:
        line.error(
            "status",
            gettext_noop(
                "statut « %(status)s » (en cours) alors qu'une date de réponse est indiquée : "
                "corrigez le statut ou effacez la date"
            ),
            status=status,
        )
    elif said == OPEN and closed:
        line.error(
            "status",
            gettext_noop(
                "statut « %(status)s » (en cours) alors qu'une date de clôture est indiquée : "
                "corrigez le statut ou effacez la date"
            ),
            status=status,
        )
    elif said == REPLIED and not replied:
        line.error(
            "status",
            gettext_noop("statut « %(status)s » sans date de réponse : indiquez-la"),
            status=status,
        )
    elif said == REPLIED and closed:
        line.error(
            "status",
            gettext_noop(
                "statut « %(status)s » (répondue) alors qu'une date de clôture est indiquée : "
                "corrigez le statut ou effacez la date"
            ),
            status=status,
        )
    elif said == CLOSED and not (replied or closed):
        line.error(
            "status",
            gettext_noop(
                "statut « %(status)s » sans date de réponse ni de clôture : indiquez-en une"
            ),
            status=status,
        )
    return said


def _choices(line: _Line, causes: Choices) -> dict[str, str]:
    """The product's choices the line's cells name; an error for a value none accepts."""
    found = {}
    for name, accepted in (*CHOICE_FIELDS.items(), ("cause", causes)):
        given = line.text(name)
        if not given:
            continue
        value = read_funding(given) if name == "funding" else accepted.read(given)
        if value is not None:
            found[name] = value
            continue
        message, values = unknown_choice(name, given, accepted)
        line.error(name, message, **values)
    return found


def _admissibility(line: _Line, state: str, kind: str) -> str:
    """What makes the line not admissible ("" when nothing does), with an error where its
    status and its kind disagree."""
    if state == NOT_ADMISSIBLE and kind and kind != Kind.NOT_ADMISSIBLE:
        line.error(
            "kind",
            gettext_noop(
                "nature « %(kind)s » alors que le statut « %(status)s » dit la demande non "
                "recevable : corrigez l'une des deux cellules"
            ),
            kind=line.text("kind"),
            status=line.text("status"),
        )
    if state == NOT_ADMISSIBLE:
        return f"statut « {line.text('status')} »"
    if kind == Kind.NOT_ADMISSIBLE:
        return f"nature « {line.text('kind')} »"
    return ""


def _read_line(line: _Line, today: date, causes: Choices) -> Candidate | None:
    received, received_time = _received(line, today)
    replied = line.day("replied_on", today)
    closed = line.day("closed_on", today)
    _dates_in_order(line, received, replied, closed)
    channel = _channel(line)
    said = _state(line)
    state = _final_state(line, said[0], replied, closed) if said is not None else ""
    outcome = _outcome(line, said[1] if said is not None else "")
    choices = _choices(line, causes)
    not_admissible_by = _admissibility(line, state, choices.get("kind", ""))
    if state == CLOSED and not outcome and said is not None and not not_admissible_by:
        line.error(
            "outcome" if line.mapping.column_of("outcome") is not None else "status",
            gettext_noop(
                "réclamation clôturée sans issue : indiquez-la (fondée, partiellement, rejetée) "
                "ou choisissez une issue par défaut"
            ),
        )
    if not_admissible_by:
        state = NOT_ADMISSIBLE
    if line.errors or received is None:
        return None
    subject, description = line.text("subject"), line.text("description")
    texts = {name: line.text(name) for name in TEXT_FIELDS}
    texts["description"] = "\n\n".join(part for part in (subject, description) if part)
    reference = line.text("reference")
    return Candidate(
        line=line.number,
        key=(
            reference_key(reference, received)
            if reference
            else "fingerprint:" + line_fingerprint(line.row)
        ),
        source_reference=reference,
        received_on=received,
        received_time=received_time,
        channel=channel,
        texts=texts,
        status_read=line.text("status"),
        state=state,
        replied_on=replied,
        resolution=line.text("resolution"),
        actions=line.text("actions"),
        closed_on=(closed or replied) if state in (CLOSED, NOT_ADMISSIBLE) else None,
        outcome=outcome if state in (CLOSED, REPLIED) else "",
        notes=line.notes(),
        choices=choices,
        not_admissible_by=not_admissible_by,
        columns={name: line.column(name) for name in vocabulary.FIELDS if line.column(name)},
    )


def read_lines(
    table: Table, header: Header, mapping: ColumnMapping, *, today: date, causes: Choices
) -> Reading:
    """Every line after the header read into a candidate complaint, or into its errors;
    `causes`: the organisation's (choices.causes_choices)."""
    candidates: list[Candidate] = []
    errors: list[LineError] = []
    first_line: dict[str, int] = {}
    lines = empty = titles = 0
    for index in range(header.last_line, len(table.rows)):
        number, row = index + 1, table.rows[index]
        if number in table.title_lines:
            titles += 1
            continue
        if not any(cell_text(value) for value in row):
            empty += 1
            continue
        lines += 1
        line = _Line(number, row, header, mapping)
        candidate = _read_line(line, today, causes)
        if candidate is not None:
            earlier = first_line.get(candidate.key)
            if earlier is not None and candidate.source_reference:
                line.error(
                    "reference",
                    gettext_noop(
                        "référence « %(reference)s » déjà présente ligne %(line)s : ligne non "
                        "importée"
                    ),
                    reference=candidate.source_reference,
                    line=earlier,
                )
            elif earlier is not None:
                line.error(
                    "",
                    gettext_noop("ligne identique à la ligne %(line)s : non importée"),
                    line=earlier,
                )
            else:
                first_line[candidate.key] = number
                candidates.append(candidate)
        errors.extend(line.errors)
    return Reading(tuple(candidates), tuple(errors), lines, empty, titles)
