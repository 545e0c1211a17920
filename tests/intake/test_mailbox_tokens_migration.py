"""The tokens kept by login until decision 0037 are copied under the organisation whose own
mailbox has that login: its next reading goes on without a new consent, and the row without an
organisation stays for the OAUTH2_* settings' mailbox (sending mail with the same login)."""

from datetime import UTC, datetime

import pytest
from django.db.models import F

from tests.harness.migrations import migrate_to

BEFORE = [("core", "0016_account_changed_journal"), ("intake", "0004_organisation_mailbox")]
AFTER = [("intake", "0005_mailbox_tokens_per_organisation")]
CONSENTED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

# Rows written through an earlier schema's models (tests/harness/register_check.py).
pytestmark = pytest.mark.tampered


@pytest.mark.django_db(transaction=True)
def test_a_mailbox_s_tokens_are_copied_under_its_organisation(back_to_the_latest_schema):
    old = migrate_to(BEFORE)
    Organisation = old.get_model("core", "Organisation")
    Mailbox = old.get_model("intake", "Mailbox")
    Token = old.get_model("core", "MailboxToken")
    oauth = Organisation.objects.create(name="Formations Rhin", reference_prefix="RHI")
    password = Organisation.objects.create(name="Formations Loire", reference_prefix="LOI")
    Mailbox.objects.create(organisation=oauth, host="h", user="rec@rhin.example", auth="oauth2")
    Mailbox.objects.create(organisation=password, host="h", user="rec@loire.example")
    Token.objects.create(
        account="rec@rhin.example",
        refresh_token="rt-1",
        access_token="at-1",
        authorized_at=CONSENTED,
    )
    Token.objects.create(account="rec@loire.example", refresh_token="rt-2")

    after = migrate_to(AFTER)

    # Read through that migration's schema: the columns have been sealed and renamed since
    # (core 0018, tests/core/test_mail_tokens_migration.py).
    rows = (
        after.get_model("core", "MailboxToken")
        .objects.order_by("account", F("organisation_id").asc(nulls_first=True))
        .values_list(
            "organisation__name", "account", "refresh_token", "access_token", "authorized_at"
        )
    )
    assert list(rows) == [
        (None, "rec@loire.example", "rt-2", "", None),
        (None, "rec@rhin.example", "rt-1", "at-1", CONSENTED),
        ("Formations Rhin", "rec@rhin.example", "rt-1", "at-1", CONSENTED),
    ]
