"""A register's lines read into the complaints they describe, or into French errors naming the
line and the column. Pure: no Django, no database.

A line is one complaint. Empty lines and section titles (a cell merged across the table) are
skipped and counted. A line with an error is not imported; every error of the line is said.
Two lines with the same reference received the same year, or identical without a reference, are
one complaint: the later line is an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time

from reclamations.complaints.enums import Kind
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
    line: int
    column: str  # the column's name; "" for the line as a whole
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"Ligne {self.line}, colonne « {self.column} » : {self.message}"
        return f"Ligne {self.line} : {self.message}"


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

    def error(self, name: str, message: str) -> None:
        self.errors.append(LineError(self.number, self.column(name), message))

    def day(self, name: str, today: date) -> date | None:
        value = self.cell(name)
        if not cell_text(value):
            return None
        read = read_date(value)
        if read is None:
            self.error(name, f"date illisible « {cell_text(value)} »")
            return None
        if read.day > today:
            self.error(name, f"date « {cell_text(value)} » postérieure à aujourd'hui")
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
            f"statut « {status} » inconnu. Statuts reconnus : en cours, en attente, répondu, "
            "clos, clôturée, traité, non recevable (suivis au besoin de l'issue : « clôturée - "
            "fondée »).",
        )
    return found


def _outcome(line: _Line, from_status: str) -> str:
    given = line.text("outcome")
    if not given:
        return from_status or line.mapping.default_outcome
    found = vocabulary.read_outcome(given)
    if found is None:
        line.error(
            "outcome", f"issue « {given} » inconnue. Issues reconnues : {OUTCOMES_RECOGNISED}."
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
            f"canal « {given} » inconnu. Canaux reconnus : {vocabulary.CHANNELS_RECOGNISED} ; "
            "corrigez la cellule, ou videz-la pour le canal par défaut.",
        )
        return ""
    return found


def _received(line: _Line, today: date) -> tuple[date | None, time | None]:
    value = line.cell("received_on")
    if not cell_text(value):
        line.error("received_on", "date de réception manquante")
        return None, None
    read = read_date(value)
    if read is None:
        line.error("received_on", f"date illisible « {cell_text(value)} »")
        return None, None
    if read.day < EARLIEST_RECEPTION:
        line.error(
            "received_on",
            f"date « {cell_text(value)} » antérieure au 01/01/2000 : le registre ne remonte pas "
            "plus loin (vérifiez l'année)",
        )
        return None, None
    if read.day > today:
        line.error("received_on", f"date « {cell_text(value)} » postérieure à aujourd'hui")
        return None, None
    return read.day, read.time


def _dates_in_order(
    line: _Line, received: date | None, replied: date | None, closed: date | None
) -> None:
    if received and replied and replied < received:
        line.error(
            "replied_on",
            f"réponse du {replied:%d/%m/%Y} antérieure à la réception ({received:%d/%m/%Y})",
        )
    if closed and replied and closed < replied:
        line.error(
            "closed_on",
            f"clôture du {closed:%d/%m/%Y} antérieure à la réponse ({replied:%d/%m/%Y})",
        )
    elif received and closed and closed < received:
        line.error(
            "closed_on",
            f"clôture du {closed:%d/%m/%Y} antérieure à la réception ({received:%d/%m/%Y})",
        )


def _final_state(line: _Line, said: str, replied: date | None, closed: date | None) -> str:
    """The state the line's status and dates give, with an error where they disagree."""
    status = line.text("status")
    if not said:  # no status: the dates say how far it went
        return CLOSED if closed else REPLIED if replied else OPEN
    if said == OPEN and (replied or closed):
        line.error(
            "status",
            f"statut « {status} » (en cours) alors qu'une date de "
            f"{'réponse' if replied else 'clôture'} est indiquée : corrigez le statut ou "
            "effacez la date",
        )
    elif said == REPLIED and not replied:
        line.error("status", f"statut « {status} » sans date de réponse : indiquez-la")
    elif said == REPLIED and closed:
        line.error(
            "status",
            f"statut « {status} » (répondue) alors qu'une date de clôture est indiquée : "
            "corrigez le statut ou effacez la date",
        )
    elif said == CLOSED and not (replied or closed):
        line.error(
            "status", f"statut « {status} » sans date de réponse ni de clôture : indiquez-en une"
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
        line.error(name, unknown_choice(name, given, accepted))
    return found


def _admissibility(line: _Line, state: str, kind: str) -> str:
    """What makes the line not admissible ("" when nothing does), with an error where its
    status and its kind disagree."""
    if state == NOT_ADMISSIBLE and kind and kind != Kind.NOT_ADMISSIBLE:
        line.error(
            "kind",
            f"nature « {line.text('kind')} » alors que le statut « {line.text('status')} » dit "
            "la demande non recevable : corrigez l'une des deux cellules",
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
            "réclamation clôturée sans issue : indiquez-la (fondée, partiellement, rejetée) ou "
            "choisissez une issue par défaut",
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
                    f"référence « {candidate.source_reference} » déjà présente ligne {earlier} : "
                    "ligne non importée",
                )
            elif earlier is not None:
                line.error("", f"ligne identique à la ligne {earlier} : non importée")
            else:
                first_line[candidate.key] = number
                candidates.append(candidate)
        errors.extend(line.errors)
    return Reading(tuple(candidates), tuple(errors), lines, empty, titles)
