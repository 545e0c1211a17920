"""Complaints made through the service layer, as the product makes them."""

from datetime import datetime, timedelta

from django.utils import timezone

from reclamations.complaints.models import Complaint
from reclamations.complaints.services import NewComplaint, complaint_register
from reclamations.core.models import Organisation, User


def make_complaint(
    organisation: Organisation,
    actor: User | None = None,
    *,
    received_at: datetime | None = None,
    **fields: str,
) -> Complaint:
    values = {
        "channel": "email",
        "client_name": "Julie Martin",
        "client_account": "CLI-001",
        "description": "Trois séances annulées sans préavis.",
        "client_email": "julie.martin@example.org",
        **fields,
    }
    when = received_at or timezone.now() - timedelta(minutes=1)
    backdated = when.date() < timezone.localdate()
    return complaint_register(
        organisation=organisation,
        actor=actor,
        complaint=NewComplaint(
            received_at=when,
            backdating_reason="Saisie a posteriori (test)" if backdated else "",
            **values,
        ),
    )
