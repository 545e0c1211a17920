"""Statements the ORM writes once a process and database, then run with each call's values.

Compiling a queryset costs Python time on every call, the same for a statement whose text
never changes, only its values: 7 ms a page for the work lists' counts, 2 ms for the register's
undelivered messages, against well under a millisecond of SQL. A BuiltStatements builds the
queryset once with sample values that no register holds (an organisation numbered -7,654,321,
days of 1901), finds in which parameters each sample went, and fills those with each call's
values; every other parameter is kept as the ORM wrote it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

# Parameters a sample value may stand for: what the ORM hands the driver unchanged (int, str)
# or adapted (dates and moments, by the database's own operations).
Value = int | str | date | datetime


def _adapted(database: BaseDatabaseWrapper, value: Value) -> Any:
    if isinstance(value, datetime):
        return database.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return database.ops.adapt_datefield_value(value)
    return value


def number(values: Mapping[str, Value], name: str) -> int:
    """values[name], which is a number (an id): for a build() to pass on to a lookup."""
    value = values[name]
    if not isinstance(value, int):
        raise TypeError(f"{name} is a number, not {value!r}")
    return value


@dataclass(frozen=True)
class BuiltStatement:
    sql: str
    places: tuple[str | None, ...]  # which value each parameter is (None: kept as built)
    constants: tuple[Any, ...]

    def filled(
        self, database: BaseDatabaseWrapper, values: Mapping[str, Value]
    ) -> tuple[str, list[Any]]:
        adapted = {name: _adapted(database, value) for name, value in values.items()}
        return self.sql, [
            adapted[place] if place else constant
            for place, constant in zip(self.places, self.constants, strict=True)
        ]


class BuiltStatements:
    """`build(values)` -> a queryset whose SQL depends on `values` only through its parameters;
    `samples`: a value of each name that no register holds, different from one another and
    from every other parameter of the statement (a bool is never a sample: True equals 1)."""

    def __init__(
        self,
        build: Callable[[Mapping[str, Value]], QuerySet[Any, Any]],
        samples: Mapping[str, Value],
    ) -> None:
        self.build = build
        self.samples = dict(samples)
        self._built: dict[tuple[str, str], BuiltStatement] = {}

    def statement(self, using: str = "default") -> BuiltStatement:
        database = connections[using]
        key = (database.alias, database.vendor)
        if key not in self._built:
            self._built[key] = self._compiled(database)
        return self._built[key]

    def filled(self, values: Mapping[str, Value], using: str = "default") -> tuple[str, list[Any]]:
        """The statement's SQL and its parameters for `values` (a value for each sample)."""
        if values.keys() != self.samples.keys():
            raise ValueError(f"values for {sorted(self.samples)} expected, not {sorted(values)}")
        return self.statement(using).filled(connections[using], values)

    def rows(self, values: Mapping[str, Value], using: str = "default") -> list[tuple[Any, ...]]:
        """The statement run with `values`: its rows, as the driver gives them."""
        sql, params = self.filled(values, using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def _compiled(self, database: BaseDatabaseWrapper) -> BuiltStatement:
        queryset = self.build(self.samples)
        sql, params = queryset.query.get_compiler(connection=database).as_sql()
        roles = {_adapted(database, value): name for name, value in self.samples.items()}
        places = tuple(
            roles.get(param)
            if isinstance(param, int | str | date) and not isinstance(param, bool)
            else None
            for param in params
        )
        missing = set(self.samples) - set(places)
        if missing:
            # A value the statement does not take would be silently ignored at every call.
            raise ValueError(f"the statement takes no parameter for {sorted(missing)}")
        return BuiltStatement(sql, places, tuple(params))
