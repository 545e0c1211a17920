"""Which field each column of a register gives: proposed from the headers, chosen or corrected
by a person (the web's mapping step) or read from a JSON file (`--mapping`). Pure: no Django.

The JSON file (docs/import.md):

    {
      "sheet": "Registre 2023",            optional: the workbook's sheet (its first by default)
      "header_line": 3,                    optional: the line of the headers (found by default)
      "columns": {"Reçue le": "received_on", "Client": "client_name", "Remarques": "note"},
      "default_channel": "letter",         the channel of a line that does not say it
      "default_outcome": ""                the outcome of a closed line that does not say it
    }

Columns the file does not name are not imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reclamations.complaints.enums import DECIDED_OUTCOMES, Channel
from reclamations.core.catalogue import as_is, gettext_noop
from reclamations.register_import.header import Header
from reclamations.register_import.reading import QUOTED
from reclamations.register_import.vocabulary import FIELDS, IGNORED, REPEATABLE, field_for_header

GENERAL = "general"
DEFAULT_CHANNEL = Channel.LETTER.value


class MappingError(Exception):
    """A mapping file that cannot be used; its messages (French) say each problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class ColumnMapping:
    """The field of each column (IGNORED: not imported), and what a line that is silent says."""

    fields: tuple[str, ...] = ()
    sheet: str = ""
    header_line: int = 0  # 0: the line found by header.header_line
    default_channel: str = DEFAULT_CHANNEL
    default_outcome: str = ""  # "": a closed line without an outcome is an error

    def column_of(self, name: str) -> int | None:
        """The first column giving field `name`."""
        return self.fields.index(name) if name in self.fields else None

    def columns_of(self, name: str) -> list[int]:
        return [index for index, given in enumerate(self.fields) if given == name]


def propose(header: Header) -> tuple[str, ...]:
    """Each column's field as its header names it, each field once (its first column) but a
    note, which any number of columns may give."""
    taken: set[str] = set()
    fields = []
    for text in header.texts:
        name = field_for_header(text)
        if name in taken and name not in REPEATABLE:
            name = IGNORED
        taken.add(name)
        fields.append(name)
    return tuple(fields)


def problems(
    mapping: ColumnMapping, header: Header, translate: Callable[[str], str] = as_is
) -> dict[str, list[str]]:
    """What makes the mapping unusable: {column index as text, or GENERAL: messages}, in French
    or through `translate` (gettext, given by the page)."""
    found: dict[str, list[str]] = {}
    if mapping.column_of("received_on") is None:
        found.setdefault(GENERAL, []).append(
            translate(
                gettext_noop(
                    "Choisissez la colonne qui donne la date de réception : elle est obligatoire."
                )
            )
        )
    for name, label in FIELDS.items():
        columns = mapping.columns_of(name)
        if name in REPEATABLE or len(columns) < 2:
            continue
        named = translate(gettext_noop(" et ")).join(
            translate(QUOTED) % {"name": header.label(index, translate)} for index in columns
        )
        for index in columns[1:]:
            found.setdefault(str(index), []).append(
                translate(
                    gettext_noop(
                        "« %(field)s » est déjà donnée par une autre colonne (%(columns)s) : "
                        "gardez-en une."
                    )
                )
                % {"field": translate(label), "columns": named}
            )
    if mapping.default_channel not in Channel.values:
        found.setdefault(GENERAL, []).append(
            translate(gettext_noop("Choisissez le canal par défaut."))
        )
    if mapping.default_outcome and mapping.default_outcome not in DECIDED_OUTCOMES:
        found.setdefault(GENERAL, []).append(
            translate(gettext_noop("Choisissez l'issue par défaut parmi celles proposées."))
        )
    return found


def to_json(mapping: ColumnMapping, header: Header) -> dict[str, Any]:
    """The mapping as its file writes it (what `--mapping` reads back)."""
    return {
        "sheet": mapping.sheet,
        "header_line": (header.lines[0] if header.lines else 0)
        if mapping.header_line == 0
        else mapping.header_line,
        "columns": {
            name: given
            for name, given in zip(header.names, mapping.fields, strict=True)
            if given != IGNORED
        },
        "default_channel": mapping.default_channel,
        "default_outcome": mapping.default_outcome,
    }


def _text(data: Mapping[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    return value if isinstance(value, str) else default


def read_options(data: object) -> tuple[str, int]:
    """The sheet and the header line a mapping file names (before the file's columns are
    known)."""
    if not isinstance(data, Mapping):
        raise MappingError(["Le fichier de correspondance doit contenir un objet JSON { ... }."])
    line = data.get("header_line", 0)
    if not isinstance(line, int) or isinstance(line, bool) or line < 0:
        raise MappingError(["« header_line » : indiquez le numéro de la ligne des en-têtes."])
    return _text(data, "sheet", ""), line


def from_json(data: object, header: Header) -> ColumnMapping:
    """The mapping a file describes, for the columns `header` found; MappingError otherwise."""
    sheet, line = read_options(data)
    assert isinstance(data, Mapping)
    messages = []
    columns = data.get("columns", {})
    if not isinstance(columns, Mapping):
        raise MappingError(["« columns » doit associer chaque en-tête à un champ."])
    fields = [IGNORED] * len(header.names)
    for name, given in columns.items():
        if name not in header.names:
            messages.append(
                f"Colonne « {name} » absente du fichier. Colonnes lues : "
                + ", ".join(f"« {known} »" for known in header.names)
                + "."
            )
        elif given != IGNORED and given not in FIELDS:
            messages.append(
                f"Colonne « {name} » : champ « {given} » inconnu. Champs : "
                + ", ".join(FIELDS)
                + "."
            )
        else:
            fields[header.names.index(name)] = str(given)
    mapping = ColumnMapping(
        fields=tuple(fields),
        sheet=sheet,
        header_line=line,
        default_channel=_text(data, "default_channel", DEFAULT_CHANNEL),
        default_outcome=_text(data, "default_outcome", ""),
    )
    for column_messages in problems(mapping, header).values():
        messages.extend(column_messages)
    if messages:
        raise MappingError(messages)
    return mapping
