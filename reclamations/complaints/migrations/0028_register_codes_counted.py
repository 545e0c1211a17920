"""The kept counts also count the register's codes together (status, kind, channel, category,
client type; complaints/counted.py REGISTER), and keep each complaint's status: every
organisation's register is counted again (as 0021 first counted it)."""

from django.db import migrations, models

from reclamations.complaints import counts_rebuild


def count_the_register_again(apps, schema_editor):
    counts_rebuild.rebuild_counts(
        complaints=apps.get_model("complaints", "Complaint"),
        events=apps.get_model("complaints", "ComplaintEvent"),
        counted=apps.get_model("complaints", "CountedComplaint"),
        counts=apps.get_model("complaints", "StatisticsCount"),
        using=schema_editor.connection.alias,
    )


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
        migrations.RunPython(count_the_register_again, forget_the_codes_together),
    ]
