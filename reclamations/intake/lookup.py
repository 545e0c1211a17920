"""What the register knows about messages, as routing.RegisterLookup asks it (one organisation)."""

from collections.abc import Sequence

from django.db import connection

from reclamations.complaints.models import Complaint, ComplaintMessage
from reclamations.core.message_ids import storable_message_id
from reclamations.core.models import Organisation
from reclamations.intake.models import InboundEmail

# The complaint reference of the same message received before (its Message-ID and its bytes
# or its content), or of our own message with that Message-ID coming back (the ORM's UNION of
# the two, written out: see DatabaseLookup.already_registered). Parameters: organisation,
# Message-ID, SHA-256, content fingerprint, organisation, Message-ID.
KNOWN_MESSAGE_ID_SQL = """
    SELECT c.reference FROM intake_inboundemail m
    LEFT OUTER JOIN complaints_complaint c ON c.id = m.complaint_id
    WHERE m.organisation_id = %s AND m.message_id = %s
      AND (m.sha256 = %s OR m.content_sha256 = %s)
    UNION ALL
    SELECT c.reference FROM outbox_outgoingmessage m
    LEFT OUTER JOIN complaints_complaintmessage l ON l.outgoing_id = m.id
    LEFT OUTER JOIN complaints_complaint c ON c.id = l.complaint_id
    WHERE m.organisation_id = %s AND m.message_id = %s
    LIMIT 1
"""


# Any message received with this Message-ID (the same one or another reusing it).
MESSAGE_ID_RECEIVED_SQL = """
    SELECT 1 FROM intake_inboundemail WHERE organisation_id = %s AND message_id = %s LIMIT 1
"""


def _first_reference(references: Sequence[str | None]) -> str | None:
    """None: no row. "": a row that belongs to no complaint. Else the complaint's reference."""
    if not references:
        return None
    return references[0] or ""


class DatabaseLookup:
    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation
        self.reference_prefix = organisation.reference_prefix

    def already_registered(
        self, message_id: str | None, sha256: str, content: str = ""
    ) -> str | None:
        message_id = storable_message_id(message_id)
        if message_id is None:
            inbound = InboundEmail.objects.filter(organisation=self.organisation)
            rows = inbound.filter(message_id__isnull=True, sha256=sha256)
            return _first_reference(list(rows.values_list("complaint__reference", flat=True)[:1]))
        # One of our own messages coming back (a copy to the mailbox, a loop) is no new message
        # either. One query for both tables, in SQL: this runs for every message fetched, and
        # building the same UNION through the ORM took 25 times longer than running it.
        with connection.cursor() as cursor:
            organisation: int = self.organisation.pk
            parameters: list[int | str] = [organisation, message_id, sha256, content or sha256]
            cursor.execute(KNOWN_MESSAGE_ID_SQL, [*parameters, organisation, message_id])
            return _first_reference([row[0] for row in cursor.fetchall()])

    def message_id_received(self, message_id: str) -> bool:
        """Whether a message with this Message-ID was received before: another message reusing
        it is kept all the same, with the reuse noted (fixed SQL, as above: every message)."""
        with connection.cursor() as cursor:
            cursor.execute(MESSAGE_ID_RECEIVED_SQL, [self.organisation.pk, message_id])
            return cursor.fetchone() is not None

    def reference_for_message_ids(self, ids: Sequence[str]) -> str | None:
        if not ids:
            return None
        sent = (
            ComplaintMessage.objects.filter(
                complaint__organisation=self.organisation, outgoing__message_id__in=ids
            )
            .order_by("-outgoing__created_at")
            .values_list("complaint__reference", flat=True)[:1]
        )
        if sent:
            return sent[0]
        received = (
            InboundEmail.objects.filter(
                organisation=self.organisation, message_id__in=ids, complaint__isnull=False
            )
            .order_by("-received_at")
            .values_list("complaint__reference", flat=True)[:1]
        )
        return received[0] if received else None

    def reference_exists(self, reference: str) -> bool:
        return Complaint.objects.filter(
            organisation=self.organisation, reference=reference
        ).exists()
