"""An organisation's own OAuth 2.0 mailbox keeps its tokens under its organisation (core 0017).
The tokens it used until now were kept by login only: each is copied under the organisation
whose mailbox has that login, so that the next reading goes on without a new consent. The row
without an organisation stays for the OAUTH2_* settings (sending mail with the same login)."""

from django.db import migrations


def copy_tokens(apps, schema_editor):
    Mailbox = apps.get_model("intake", "Mailbox")
    MailboxToken = apps.get_model("core", "MailboxToken")
    for mailbox in Mailbox.objects.filter(auth="oauth2").order_by("organisation_id"):
        shared = MailboxToken.objects.filter(account=mailbox.user, organisation=None).first()
        owned = MailboxToken.objects.filter(
            account=mailbox.user, organisation_id=mailbox.organisation_id
        )
        if shared is None or owned.exists():
            continue
        MailboxToken.objects.create(
            organisation_id=mailbox.organisation_id,
            account=shared.account,
            refresh_token=shared.refresh_token,
            access_token=shared.access_token,
            expires_at=shared.expires_at,
            scope=shared.scope,
            authorized_at=shared.authorized_at,
            refreshed_at=shared.refreshed_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0017_mailbox_token_per_organisation"),
        ("intake", "0004_organisation_mailbox"),
    ]

    operations = [migrations.RunPython(copy_tokens, migrations.RunPython.noop)]
