"""The register's full-text search in the database: the index kept up to date and read.

Each complaint has one ComplaintSearch row (its text: complaints/search_text.py), rewritten by
refresh_search_text whenever an event is appended (chronology.append_event), so in the same
transaction as the change. PostgreSQL indexes the text in a generated tsvector column with a
GIN index, in a French configuration that removes accents (unaccent); SQLite in an FTS5 table
(unicode61, remove_diacritics 2) that triggers keep in step. matching() filters a queryset of
complaints on the words of a search; ranked_window() orders a window of them by relevance.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from reclamations.complaints.models import Complaint, ComplaintEvent, ComplaintSearch
from reclamations.complaints.search_text import (
    SEARCHED_FIELDS,
    chronology_texts,
    fts5_query,
    search_phrases,
    searchable_text,
    tsquery,
)
from reclamations.core.models import Organisation

SEARCH_TABLE = ComplaintSearch._meta.db_table
FTS_TABLE = "complaints_search_fts"
# True when the database holds one organisation: SQLite's index then holds its complaints alone.
_ALONE_SQL = f"(SELECT count(*) FROM {Organisation._meta.db_table}) = 1"  # noqa: S608 - fixed names
TEXT_SEARCH_CONFIG = "reclamations_fr"
# A search's matches: an organisation's, by its tsquery (PostgreSQL); every organisation's, by
# its FTS5 query (SQLite's index holds them all).
_POSTGRESQL_MATCHES = (
    f"FROM {SEARCH_TABLE} "
    f"WHERE organisation_id = %s AND document @@ to_tsquery('{TEXT_SEARCH_CONFIG}', %s)"
)
_SQLITE_MATCHES = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608

_POSTGRESQL_INDEX = [
    # A trusted extension (PostgreSQL 13+): the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TEXT_SEARCH_CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {TEXT_SEARCH_CONFIG} (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION {TEXT_SEARCH_CONFIG}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$
    """,  # noqa: S608 - fixed names
    # The punctuation inside words becomes spaces, so that PostgreSQL's parser reads words
    # as SQLite's does: "REC-2026-0042" is rec, 2026, 0042 (not rec, -2026, -0042, signed
    # integers) and an e-mail address its parts.
    f"""
    ALTER TABLE {SEARCH_TABLE} ADD COLUMN document tsvector GENERATED ALWAYS AS (
        to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, translate(text, '-./@+:_', '       '))
    ) STORED
    """,
    f"CREATE INDEX complaints_search_document ON {SEARCH_TABLE} USING gin (document)",
]
_POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS complaints_search_document",
    "DROP INDEX IF EXISTS complaints_search_organisation_document",
    f"ALTER TABLE {SEARCH_TABLE} DROP COLUMN IF EXISTS document",
]
_FTS_DELETE = (
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) "  # noqa: S608 - fixed names
    "VALUES ('delete', old.complaint_id, old.text);"
)
_FTS_INSERT = (
    f"INSERT INTO {FTS_TABLE}(rowid, text) "  # noqa: S608 - fixed names
    "VALUES (new.complaint_id, new.text);"
)
_SQLITE_INDEX = [
    f"""
    CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        text, content='{SEARCH_TABLE}', content_rowid='complaint_id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON {SEARCH_TABLE} BEGIN {_FTS_INSERT} END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON {SEARCH_TABLE} BEGIN {_FTS_DELETE} END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE ON {SEARCH_TABLE} "
    f"BEGIN {_FTS_DELETE} {_FTS_INSERT} END",
]
_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def create_search_index(connection: BaseDatabaseWrapper) -> None:
    """The database's own index of ComplaintSearch.text (migration 0007)."""
    statements = {"postgresql": _POSTGRESQL_INDEX, "sqlite": _SQLITE_INDEX}[connection.vendor]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_search_index(connection: BaseDatabaseWrapper) -> None:
    statements = {"postgresql": _POSTGRESQL_DROP, "sqlite": _SQLITE_DROP}[connection.vendor]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# The search text's statements, written out: one or two run with every event, and the ORM took
# about ten times longer to build each than the database to run it (bench/README.md).
_INSERT_TEXT_SQL = (
    f"INSERT INTO {SEARCH_TABLE} (complaint_id, organisation_id, text) "  # noqa: S608 - fixed names
    "VALUES (%s, %s, %s)"
)
_READ_TEXT_SQL = f"SELECT text FROM {SEARCH_TABLE} WHERE complaint_id = %s"  # noqa: S608
_UPDATE_TEXT_SQL = f"UPDATE {SEARCH_TABLE} SET text = %s WHERE complaint_id = %s"  # noqa: S608


def refresh_search_text(
    complaint: Complaint, event_data: Mapping[str, Any], *, first: bool = False
) -> None:
    """Bring the complaint's search text up to date with the event just written (called by
    chronology.append_event, in its transaction): its fields as they now are, the texts of
    its chronology so far, and this event's. The earlier events are not read again: their
    texts are the stored text's last lines. One statement for the `first` event (the
    registration), at most two for the others."""
    fields = {name: getattr(complaint, name) for name in SEARCHED_FIELDS}
    with connection.cursor() as cursor:
        if first:
            cursor.execute(
                _INSERT_TEXT_SQL,
                [complaint.pk, complaint.organisation_id, searchable_text(fields, [event_data])],
            )
            return
        cursor.execute(_READ_TEXT_SQL, [complaint.pk])
        row = cursor.fetchone()
    stored = None if row is None else str(row[0])
    if stored is None:  # lost (a restored database): from the whole chronology
        events_data = (
            ComplaintEvent.objects.filter(complaint_id=complaint.pk)
            .order_by("sequence")
            .values_list("data", flat=True)
        )
        ComplaintSearch.objects.create(
            complaint_id=complaint.pk,
            organisation_id=complaint.organisation_id,
            text=searchable_text(fields, events_data),
        )
        return
    text = searchable_text(fields, [event_data], earlier=chronology_texts(stored))
    if text != stored:
        with connection.cursor() as cursor:
            cursor.execute(_UPDATE_TEXT_SQL, [text, complaint.pk])


def search_texts(complaint_ids: list[int]) -> dict[int, str]:
    """The kept texts of these complaints (a page's, for its excerpts), by complaint: one
    statement written out (the ORM's took longer to build than to run)."""
    if not complaint_ids:
        return {}
    places = ", ".join(["%s"] * len(complaint_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT complaint_id, text FROM {SEARCH_TABLE} WHERE complaint_id IN ({places})",  # noqa: S608 - fixed names, placeholders
            complaint_ids,
        )
        return {int(row[0]): str(row[1]) for row in cursor.fetchall()}


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def rebuild_search_texts(
    *,
    complaints: type[Model] = Complaint,
    events: type[Model] = ComplaintEvent,
    texts: type[Model] = ComplaintSearch,
    using: str = "default",
    chunk_size: int = 1000,
) -> int:
    """Write every complaint's search text again, a chunk at a time (the migration that
    creates the index, `reclamations search-index`, the benchmark's generator). The models are
    parameters so that a migration passes its historical ones. Returns the number written."""
    ids = list(complaints._default_manager.using(using).order_by("pk").values_list("pk", flat=True))
    # A migration's historical model may lack fields searched since: their lines stay empty.
    known = {field.name for field in complaints._meta.get_fields()}
    present = [name for name in SEARCHED_FIELDS if name in known]
    written = 0
    for chunk in _chunks(ids, chunk_size):
        fields = complaints._default_manager.using(using).filter(pk__in=chunk)
        data: dict[int, list[dict[str, Any]]] = {pk: [] for pk in chunk}
        for complaint_id, event_data in (
            events._default_manager.using(using)
            .filter(complaint_id__in=chunk)
            .order_by("sequence")
            .values_list("complaint_id", "data")
        ):
            data[complaint_id].append(event_data)
        rows = [
            texts(
                complaint_id=row["pk"],
                organisation_id=row["organisation_id"],
                text=searchable_text(row, data[row["pk"]]),
            )
            for row in fields.values("pk", "organisation_id", *present)
        ]
        texts._default_manager.using(using).filter(pk__in=chunk).delete()
        texts._default_manager.using(using).bulk_create(rows)
        written += len(rows)
    return written


def matching(
    queryset: QuerySet[Complaint], search: str, *, organisation_id: int
) -> QuerySet[Complaint]:
    """The complaints of `queryset` (of the organisation `organisation_id`) whose text holds
    every phrase of `search` (its last word as the start of a word, whatever the case and
    accents). A search without any word matches nothing. The database's index finds them first
    (a subquery: the planners then never read every complaint of the organisation to test each
    against the index); on PostgreSQL the index leads with the organisation (migration 0023),
    so a name common to many organisations costs one organisation's matches."""
    phrases = search_phrases(search)
    if not phrases:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        found = f"SELECT complaint_id {_POSTGRESQL_MATCHES}"
        parameters = [organisation_id, tsquery(phrases)]
        return queryset.filter(pk__in=RawSQL(found, parameters))  # noqa: S611
    return queryset.filter(pk__in=RawSQL(_SQLITE_MATCHES, [fts5_query(phrases)]))  # noqa: S611


def matches_count(
    search: str, *, organisation_id: int, using: str = "default", up_to: int | None = None
) -> int:
    """How many of the organisation's complaints match `search` (as matching() finds them),
    counted in the index: on SQLite, the only organisation's matches are not looked up one by
    one for their organisation (27 ms for a name among 1,000,000). `up_to`: counted until
    that many are found (PostgreSQL reads each match's row to count it: 16,934 rows for a
    name among 1,000,000, 37 to 103 ms)."""
    phrases = search_phrases(search)
    if not phrases:
        return 0
    limit, limited = ("", []) if up_to is None else (" LIMIT %s", [up_to])
    connection = connections[using]
    if connection.vendor == "postgresql":
        sql = f"SELECT count(*) FROM (SELECT 1 {_POSTGRESQL_MATCHES}{limit}) AS found"  # noqa: S608 - fixed names
        params: list[Any] = [organisation_id, tsquery(phrases), *limited]
    else:
        sql = (
            f"SELECT CASE WHEN {_ALONE_SQL} "  # noqa: S608 - fixed names
            f"THEN (SELECT count(*) FROM ({_SQLITE_MATCHES}{limit})) "
            f"ELSE (SELECT count(*) FROM (SELECT 1 FROM {Complaint._meta.db_table} "
            f"WHERE organisation_id = %s AND id IN ({_SQLITE_MATCHES}){limit})) END"
        )
        query = fts5_query(phrases)
        params = [query, *limited, organisation_id, query, *limited]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def ranked_window(
    queryset: QuerySet[Complaint],
    search: str,
    window: slice,
    *,
    organisation_id: int,
    searched_only: bool,
) -> tuple[list[int], int | None]:
    """The ids of `queryset`'s complaints (already filtered by matching(), all of the
    organisation `organisation_id`) in the order of relevance to `search`, best first (then the
    latest registered), cut to `window`, and how many there are in all (None when the window is
    past the last one). One statement that starts from the index's matches, whatever the other
    filters, and counts them on the way. `searched_only`: the queryset has no filter but the
    organisation and the search; PostgreSQL then reads the search table alone (8 ms instead of
    37 for a name among 100,000)."""
    phrases = search_phrases(search)
    start, stop = window.start or 0, window.stop
    # Past any register (and what SQLite's integers hold): nothing, as past the last page.
    if not phrases or stop is None or stop <= start or start >= 2**31:
        return [], None
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        query = f"to_tsquery('{TEXT_SEARCH_CONFIG}', %s)"
        among, among_params = "organisation_id = %s", [organisation_id]
        if not searched_only:
            within, within_params = queryset.order_by().values("id").query.sql_with_params()
            among += f" AND complaint_id IN ({within})"
            among_params += list(within_params)
        # Each match ranked as it is read, then counted and sorted by its rank alone: with the
        # rank in the ORDER BY, each match's document (870 bytes) went through the count
        # beside it, which spilt to disk past work_mem (185 against 143 ms for 16,934 matches
        # among 1,000,000).
        sql = (
            f"WITH ranked AS MATERIALIZED (SELECT complaint_id, "  # noqa: S608 - fixed names
            f"ts_rank_cd(document, {query}) AS rank FROM {SEARCH_TABLE} "
            f"WHERE document @@ {query} AND {among}) "
            "SELECT complaint_id, count(*) OVER () FROM ranked "
            "ORDER BY rank DESC, complaint_id DESC LIMIT %s OFFSET %s"
        )
        params = [tsquery(phrases), tsquery(phrases), *among_params, stop - start, start]
    else:
        within, within_params = queryset.order_by().values("id").query.sql_with_params()
        match = f"{FTS_TABLE} MATCH %s"
        # "+rowid": the list is not a constraint handed to FTS5, which would run the search
        # again for each complaint of it (270 ms instead of 5 at 100,000).
        among = f"+rowid IN ({within})"
        if searched_only:
            # The only organisation of the database: the index holds its complaints alone,
            # none is looked up (16,000 for a name among 1,000,000), and its matches are
            # counted without their rank (count(*) OVER () beside it took 30 ms). SQLite
            # reads the list, and the count among it, only when another organisation exists.
            among = f"({_ALONE_SQL} OR {among})"
            counted = (
                f"CASE WHEN {_ALONE_SQL} THEN (SELECT count(*) FROM {FTS_TABLE} WHERE {match}) "  # noqa: S608 - fixed names
                f"ELSE (SELECT count(*) FROM {FTS_TABLE} WHERE {match} AND {among}) END"
            )
            counted_params = [fts5_query(phrases), fts5_query(phrases), *within_params]
        else:
            counted, counted_params = "count(*) OVER ()", []
        sql = (
            f"SELECT rowid, {counted} FROM {FTS_TABLE} "  # noqa: S608 - fixed names
            f"WHERE {match} AND {among} ORDER BY rank, rowid DESC LIMIT %s OFFSET %s"
        )
        params = [*counted_params, fts5_query(phrases), *within_params, stop - start, start]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [int(row[0]) for row in rows], (int(rows[0][1]) if rows else None)
