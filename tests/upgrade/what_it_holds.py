"""What an installation holds, printed as JSON by `reclamations shell -c` (run by
scripts/make-upgrade-fixture.sh with the previous release's code, and by tests/upgrade with
today's): each model's rows, the chain heads, the migrations applied, the complaints and the
documents' fingerprints."""

import json

from django.apps import apps
from django.db.migrations.recorder import MigrationRecorder

from reclamations.complaints.models import ChainHead, Complaint, Document

print(
    json.dumps(
        {
            "counts": {
                model._meta.label: model.objects.count()
                for model in apps.get_models()
                if model._meta.app_config.name.startswith("reclamations.")
            },
            "chain_heads": sorted(
                [h.organisation_id, h.last_sequence, h.last_hash] for h in ChainHead.objects.all()
            ),
            "migrations": sorted(
                f"{m.app}.{m.name}" for m in MigrationRecorder.Migration.objects.all()
            ),
            "references": sorted(
                Complaint.objects.values_list("reference", "status", "client_name")
            ),
            "documents": sorted(Document.objects.values_list("sha256", flat=True)),
        }
    )
)
