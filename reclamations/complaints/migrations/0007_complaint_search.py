"""The register's full-text search: a text per complaint, indexed by the database itself
(complaints/search.py), written for the complaints already registered."""

import django.db.models.deletion
from django.db import migrations, models

from reclamations.complaints import search


def create_index(apps, schema_editor):
    search.create_search_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    search.drop_search_index(schema_editor.connection)


def write_texts(apps, schema_editor):
    search.rebuild_search_texts(
        complaints=apps.get_model("complaints", "Complaint"),
        events=apps.get_model("complaints", "ComplaintEvent"),
        texts=apps.get_model("complaints", "ComplaintSearch"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_register_open_due"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplaintSearch",
            fields=[
                (
                    "complaint",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="complaints.complaint",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="core.organisation",
                    ),
                ),
                ("text", models.TextField()),
            ],
            options={
                "db_table": "complaints_search",
            },
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(write_texts, migrations.RunPython.noop),
    ]
