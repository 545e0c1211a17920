"""A new row inserted as `Model.save()` inserts it, its INSERT statement built once.

Django's `save()` builds its INSERT again for every row: for a message registered as a
complaint (the complaint, its event, the original, the inbound record, the acknowledgement),
building the five statements took longer than the database took to run them (bench/README.md,
import-eml). The statement depends only on the model and the database, so it is built once per
process. The values are still what `save()` would write: each field's own `pre_save` (dates
set on creation, files stored) and `get_db_prep_save` (aware datetimes, JSON, foreign keys).

What this does not do, it leaves to `save()`: a model with signal receivers, a parent model,
a primary key given in advance, database defaults, generated columns or fields with their own
SQL placeholder is saved the ordinary way.
"""

from functools import cache

from django.db import connections, router
from django.db.models import Field, Model, signals

Statement = tuple[str, tuple[Field, ...]]


@cache
def _statement(model: type[Model], alias: str) -> Statement | None:
    """The INSERT … RETURNING pk for `model` on this database; None where save() must do it."""
    connection = connections[alias]
    meta = model._meta
    if meta.parents or not connection.features.can_return_columns_from_insert:
        return None
    pk = meta.pk
    if pk is None or pk is not meta.auto_field or meta.db_returning_fields != [pk]:
        return None
    fields = tuple(field for field in meta.local_concrete_fields if field is not pk)
    for field in fields:
        if field.generated or field.has_db_default() or hasattr(field, "get_placeholder"):
            return None
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 - names from the model
        f"VALUES ({placeholders}) RETURNING {quote(pk.column)}"
    )
    return sql, fields


def _observed(model: type[Model]) -> bool:
    return signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)


def insert_new(instance: Model) -> None:
    """Insert `instance`, not yet saved, and give it its primary key, as `save()` would."""
    if instance.pk is not None:
        raise ValueError(f"{instance!r} already has a primary key: insert_new adds new rows.")
    model = type(instance)
    alias = router.db_for_write(model, instance=instance)
    statement = _statement(model, alias)
    if statement is None or _observed(model):
        instance.save(using=alias)
        return
    sql, fields = statement
    # Raises, as save() does, for a related object assigned before it was saved.
    instance._prepare_related_fields_for_save(operation_name="save")
    connection = connections[alias]
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        (instance.pk,) = cursor.fetchone()
    instance._state.adding = False
    instance._state.db = alias
