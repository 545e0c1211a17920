"""Conditions written for the databases' planners: so that SQLite takes the partial indexes of
the open complaints (their statuses written into the statement, as the indexes' condition says
them), and does not seek a bound it should only test (a column written `+column`). Without
statistics, SQLite chooses its index from the statement's shape alone (bench/README.md)."""

import re
from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateField, F, Func, Q
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

from reclamations.complaints.enums import OPEN_STATUSES


class InWritten(In):
    """`IN` with its values written into the statement instead of bound as parameters. SQLite
    takes a partial index only for a query whose WHERE repeats the index's condition; it
    matches a bound value with the condition in `status = ?`, but not in `status IN (?, ?)`:
    with bound statuses, it never used register_open_urgent (and sorted 16,000 complaints for
    the first page at 1,000,000). Only for the application's own constant codes."""

    def process_rhs(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[()]]:
        return written(list(self.rhs)), ()


_CODE = re.compile(r"[a-z_]+")


def written(codes: Sequence[str]) -> str:
    """The codes as an SQL list of literals: "('closed', 'replied')"."""
    if not all(_CODE.fullmatch(code) for code in codes):
        raise ValueError(f"Not a status code to write into SQL: {codes!r}")
    return "(" + ", ".join(f"'{code}'" for code in codes) + ")"


class NotSought(Func):
    """A date column compared as a value, never sought in an index: SQLite writes it
    `+column`. Without statistics SQLite took a bound on the due date as the best way in
    (register_urgency), found the 14,606 overdue complaints and sorted them for the 25 newest
    (25 ms at 1,000,000), when register_open_received gives them in order (0.6 ms). PostgreSQL
    weighs both with its statistics: written as it is."""

    arity = 1
    template = "%(expressions)s"
    output_field = DateField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        sql, params = super().as_sql(
            compiler, connection, template="+%(expressions)s", **extra_context
        )
        return sql, tuple(params)


def open_q() -> Q:
    """The open complaints, as the partial indexes' condition says it (the same statuses in the
    same order: models.Complaint.Meta.indexes)."""
    return Q(InWritten(F("status"), sorted(OPEN_STATUSES)))
