# The link between a complaint and its outgoing messages moves out of the outbox (which now
# knows no complaint) into the complaint domain. outbox.0002 removes the old columns after this.

import django.db.models.deletion
from django.db import migrations, models

# The kinds of message to clients when the link moved (the others were notices to staff).
CLIENT_KINDS = ("acknowledgement", "information_request", "confirmation_request", "reply", "progress")


def copy_links(apps, schema_editor):
    OutgoingMessage = apps.get_model("outbox", "OutgoingMessage")
    ComplaintMessage = apps.get_model("complaints", "ComplaintMessage")
    rows = (
        OutgoingMessage.objects.filter(complaint__isnull=False)
        .values_list("pk", "complaint_id", "kind", "eml_id")
        .iterator(chunk_size=2000)
    )
    batch = []
    for pk, complaint_id, kind, eml_id in rows:
        batch.append(
            ComplaintMessage(
                outgoing_id=pk,
                complaint_id=complaint_id,
                to_client=kind in CLIENT_KINDS,
                copy_id=eml_id,
            )
        )
        if len(batch) == 2000:
            ComplaintMessage.objects.bulk_create(batch)
            batch = []
    ComplaintMessage.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0003_event_types_and_message_documents'),
        ('outbox', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ComplaintMessage',
            fields=[
                ('outgoing', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='complaint_link', serialize=False, to='outbox.outgoingmessage')),
                ('to_client', models.BooleanField(verbose_name='au client')),
                ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='messages', to='complaints.complaint')),
                ('copy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='complaints.document')),
            ],
            options={
                'verbose_name': "message d'une réclamation",
            },
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
    ]
