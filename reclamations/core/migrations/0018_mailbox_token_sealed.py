"""The mailbox's OAuth 2.0 tokens sealed like the mailbox's other secrets: the columns renamed,
the tokens already kept sealed in place (and opened again when going back)."""

from django.db import migrations, models

from reclamations.core.sealed import PREFIX, seal, unseal

COLUMNS = ("refresh_token_sealed", "access_token_sealed")


def seal_kept_tokens(apps, schema_editor):
    MailboxToken = apps.get_model("core", "MailboxToken")
    for token in MailboxToken.objects.all():
        for column in COLUMNS:
            value = getattr(token, column)
            if value and not value.startswith(PREFIX):
                setattr(token, column, seal(value))
        token.save(update_fields=list(COLUMNS))


def open_kept_tokens(apps, schema_editor):
    MailboxToken = apps.get_model("core", "MailboxToken")
    for token in MailboxToken.objects.all():
        for column in COLUMNS:
            setattr(token, column, unseal(getattr(token, column)))
        token.save(update_fields=list(COLUMNS))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0017_mailbox_token_per_organisation"),
    ]

    operations = [
        migrations.RenameField("mailboxtoken", "refresh_token", "refresh_token_sealed"),
        migrations.RenameField("mailboxtoken", "access_token", "access_token_sealed"),
        migrations.AlterField(
            model_name="mailboxtoken",
            name="refresh_token_sealed",
            field=models.TextField(blank=True, verbose_name="jeton de renouvellement (chiffré)"),
        ),
        migrations.AlterField(
            model_name="mailboxtoken",
            name="access_token_sealed",
            field=models.TextField(blank=True, verbose_name="jeton d'accès (chiffré)"),
        ),
        migrations.RunPython(seal_kept_tokens, open_kept_tokens),
    ]
