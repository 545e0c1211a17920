"""The kept counts also count the register's codes together (status, kind, channel, category,
client type; complaints/counted.py REGISTER), and keep each complaint's status: every
organisation's register is counted again (as 0021 first counted it)."""

from django.db import migrations, models

from reclamations.complaints import counts_rebuild


def forget_the_codes_together(apps, schema_editor):
    """Back before 0028, whose recount and verify know nothing of them."""
    counts = apps.get_model("complaints", "StatisticsCount")
    counts.objects.using(schema_editor.connection.alias).filter(figure="register").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0027_register_open_urgent"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="statisticscount",
            index=models.Index(
                condition=models.Q(("figure", "register")),
                fields=["organisation", "figure", "month", "day", "value", "complaints"],
                name="statistics_register_codes",
            ),
        ),
        migrations.RunPython(counts_rebuild.rebuild_counts_in_migration, forget_the_codes_together),
    ]
