"""A complaint's related complaints: the organisation's others of the same account, client,
training or trainer, open or recent, named on its page from its registration on."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext_noop

from reclamations.complaints.models import Complaint
from reclamations.complaints.redaction import PLACEHOLDER
from reclamations.complaints.search import matching
from reclamations.complaints.sql_terms import open_q

# A complaint received within this many days is "recent" for the related complaints' notice.
RELATED_WITHIN_DAYS = 365
RELATED_SHOWN = 5
# The reasons are French, translated where the page shows them ({% translate group.reason %}).
_RELATED_BY = (
    ("client_account", gettext_noop("Même compte client")),
    ("client_name", gettext_noop("Même client")),
    ("training", gettext_noop("Même formation")),
    # The trainer as written, by its index (register_by_trainer): a pattern to notice early.
    ("trainer", gettext_noop("Même formateur ou formatrice")),
)


@dataclass(frozen=True)
class RelatedComplaints:
    reason: str
    value: str  # the account, client, training or trainer they share
    complaints: list[Complaint]  # the latest received first, RELATED_SHOWN at most
    more: bool  # there are others (the register's search lists them all)


def related_complaints(complaint: Complaint, *, today: date) -> list[RelatedComplaints]:
    """The organisation's other complaints, open or received in the last year, with the same
    client account, client name, training or trainer: what the referent should know at
    registration. The account, the training and the trainer are compared as written, each by
    its index (the latest first); the client with the case ignored (by SQLite for ASCII letters
    only: "É" is not "é" there) among the candidates the search index finds. One query per
    field given."""
    since = today - timedelta(days=RELATED_WITHIN_DAYS)
    others = (
        Complaint.objects.filter(organisation_id=complaint.organisation_id)
        .exclude(pk=complaint.pk)
        .filter(open_q() | Q(received_on__gte=since))
        .only("id", "reference", "status", "received_on")
        .order_by("-received_on", "-id")
    )
    found = []
    for field, reason in _RELATED_BY:
        value = getattr(complaint, field).strip()
        if not value or value == PLACEHOLDER:  # anonymised: the same placeholder is no one
            continue
        if field == "client_name":
            same = matching(others, value, organisation_id=complaint.organisation_id).filter(
                client_name__iexact=value
            )
        else:
            same = others.filter(**{field: getattr(complaint, field)})
        latest = list(same[: RELATED_SHOWN + 1])
        if latest:
            found.append(
                RelatedComplaints(
                    reason, value, latest[:RELATED_SHOWN], len(latest) > RELATED_SHOWN
                )
            )
    return found
