from django.db import migrations, models


def mark_demo_organisations(apps, schema_editor):
    """An organisation whose accounts `reclamations demo` made is the demo's: before this field,
    the demo's accounts were the only mark it left."""
    Organisation = apps.get_model("core", "Organisation")
    Organisation.objects.filter(users__demo=True).update(demo=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0013_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="demo",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="organisme de démonstration"
            ),
        ),
        migrations.RunPython(mark_demo_organisations, migrations.RunPython.noop),
    ]
