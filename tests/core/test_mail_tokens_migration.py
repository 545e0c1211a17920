"""The OAuth 2.0 tokens kept in clear before core 0018 are sealed in place by it (the mailbox
keeps working without a new consent), and opened again when the migration is reversed."""

from datetime import UTC, datetime

import pytest

from reclamations.core import mail_tokens
from reclamations.core.models import MailboxToken
from reclamations.core.sealed import PREFIX
from tests.harness.migrations import migrate_to

BEFORE = [("core", "0017_mailbox_token_per_organisation")]
AFTER = [("core", "0018_mailbox_token_sealed")]
CONSENTED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

# Rows written through an earlier schema's models (tests/harness/register_check.py).
pytestmark = pytest.mark.tampered


@pytest.mark.django_db(transaction=True)
def test_tokens_kept_in_clear_are_sealed_and_still_used(back_to_the_latest_schema, oauth_authority):
    refresh = oauth_authority.give_refresh_token("rec@rhin.example")
    old = migrate_to(BEFORE)
    old.get_model("core", "MailboxToken").objects.create(
        account="rec@rhin.example",
        refresh_token=refresh,
        access_token="at-en-clair",
        expires_at=LATER,
        authorized_at=CONSENTED,
    )
    old.get_model("core", "MailboxToken").objects.create(account="rec@loire.example")

    migrate_to(AFTER)

    kept, empty = MailboxToken.objects.order_by("-account")
    assert kept.refresh_token_sealed.startswith(PREFIX)
    assert refresh not in kept.refresh_token_sealed
    assert kept.access_token_sealed.startswith(PREFIX)
    assert (kept.refresh_token, kept.access_token) == (refresh, "at-en-clair")
    assert (empty.refresh_token_sealed, empty.access_token_sealed) == ("", "")
    # The sealed refresh token still renews: no new consent needed.
    renewed = mail_tokens.access_token("rec@rhin.example", renew=True, now=LATER)
    assert oauth_authority.access_tokens[renewed].user == "rec@rhin.example"


@pytest.mark.django_db(transaction=True)
def test_reversed_the_tokens_are_opened_again(back_to_the_latest_schema):
    migrate_to(AFTER)
    MailboxToken.objects.create(
        account="rec@rhin.example", refresh_token="rt-1", access_token="at-1"
    )

    old = migrate_to(BEFORE)

    row = old.get_model("core", "MailboxToken").objects.get()
    assert (row.refresh_token, row.access_token) == ("rt-1", "at-1")
