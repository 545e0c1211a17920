"""PostgreSQL: the search index leads with the organisation (btree_gin), so that a search of one
organisation reads its own matches only, however many organisations share the installation
(bench/README.md: a name common to 3,017 organisations took 90 ms with the index of the whole
installation). Built CONCURRENTLY: the register keeps taking complaints while it is built.
SQLite's FTS5 table is left as it is (an embedded installation)."""

from django.db import migrations

SEARCH_TABLE = "complaints_search"
NEW_INDEX = "complaints_search_organisation_document"
OLD_INDEX = "complaints_search_document"


def lead_with_the_organisation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Trusted since PostgreSQL 13: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NEW_INDEX} "
        f"ON {SEARCH_TABLE} USING gin (organisation_id, document)"
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {OLD_INDEX}")


def back_to_the_whole_installation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {OLD_INDEX} "
        f"ON {SEARCH_TABLE} USING gin (document)"
    )
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NEW_INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("complaints", "0022_client_language"),
    ]

    operations = [
        migrations.RunPython(lead_with_the_organisation, back_to_the_whole_installation),
    ]
