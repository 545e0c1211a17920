"""PostgreSQL: the search table also gets a plain index of the organisation, so that the planner
can read a small organisation's own search texts and test them (well under a millisecond for
100), where the full-text index (0023) would fetch every organisation's matches of a common
word first: PostgreSQL left the organisation out of that index's scan and searching a name took
139 ms at 10,000 organisations (bench/README.md). A large organisation is still searched
through the full-text index. Built CONCURRENTLY, as 0023."""

from django.db import migrations

SEARCH_TABLE = "complaints_search"
INDEX = "complaints_search_organisation"


def index_the_organisation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON {SEARCH_TABLE} (organisation_id)"
    )


def drop_the_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("complaints", "0025_register_replied_index"),
    ]

    operations = [
        migrations.RunPython(index_the_organisation, drop_the_index),
    ]
