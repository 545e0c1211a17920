"""Marking the demo's organisation: an installation that ran the demo before the mark existed
keeps its demo recognised (by the accounts `reclamations demo` made), a real one stays real."""

import pytest

from reclamations.core.models import Organisation as LatestOrganisation
from tests.harness.migrations import migrate_to

BEFORE = [("core", "0013_user_language")]
AFTER = [("core", "0014_organisation_demo")]

# Rows written through an earlier schema's models (tests/harness/register_check.py).
pytestmark = pytest.mark.tampered


@pytest.mark.django_db(transaction=True)
def test_the_organisation_of_demo_accounts_is_marked_as_the_demo(back_to_the_latest_schema):
    old = migrate_to(BEFORE)
    Organisation = old.get_model("core", "Organisation")
    User = old.get_model("core", "User")
    demo = Organisation.objects.create(name="CCS")
    real = Organisation.objects.create(name="Formations Rhin")
    User.objects.create(username="referente", organisation=demo, demo=True)
    User.objects.create(username="claire", organisation=demo, demo=False)
    User.objects.create(username="anne", organisation=real, demo=False)

    migrate_to(AFTER)

    assert dict(LatestOrganisation.objects.values_list("name", "demo")) == {
        "CCS": True,
        "Formations Rhin": False,
    }
