"""bench/pack_documents.py gives the complaints received by e-mail in a period the messages a
mail channel keeps (the original, the acknowledgement's copy, the reply's once replied), each a
chained event with its file, so that the audit pack's benchmark copies a register's documents."""

import io
import zipfile
from datetime import date
from email import message_from_bytes, policy

import pytest
from generate import main as generate
from pack_documents import main as keep_messages

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint, ComplaintEvent, Document
from reclamations.reporting.audit_pack import write_audit_pack
from reclamations.reporting.integrity import verify_all
from reclamations.reporting.periods import Period

START, END = date(2026, 1, 1), date(2026, 10, 31)


@pytest.mark.django_db(transaction=True)
def test_each_complaint_received_by_email_keeps_its_messages_and_the_pack_holds_them(clock):
    assert generate(["--complaints", "120", "--seed", "3", "--years", "1", "--no-letters"]) == 0
    by_email = Complaint.objects.filter(
        channel="email", received_on__gte=START, received_on__lte=END
    )
    expected = {complaint.pk: 3 if complaint.replied_on else 2 for complaint in by_email}
    assert expected, "the generated register holds complaints received by e-mail in the period"

    assert keep_messages(["--from", START.isoformat(), "--to", END.isoformat()]) == 0

    kept = Document.objects.order_by("complaint_id", "pk")
    assert {pk: kept.filter(complaint_id=pk).count() for pk in expected} == expected
    assert kept.count() == sum(expected.values())  # none for the other complaints
    for document in kept:
        complaint = document.complaint
        with document.file.open("rb") as stored:
            message = message_from_bytes(stored.read(), policy=policy.default)
        assert document.content_type == "message/rfc822"
        if document.original_name.startswith("e-mail-"):
            assert complaint.description in message.get_content()
        else:
            assert message["Subject"].startswith(f"[{complaint.reference}] ")
    added = ComplaintEvent.objects.filter(event_type=EventType.DOCUMENT_ADDED)
    assert sorted(added.values_list("document_id", flat=True)) == sorted(
        kept.values_list("pk", flat=True)
    )
    assert [check.ok for check in verify_all()] == [True]

    pack = io.BytesIO()
    organisation = by_email.first().organisation
    summary = write_audit_pack(pack, organisation, Period(START, END), today=date(2026, 11, 2))
    assert summary.documents == kept.count()
    first = by_email.order_by("pk").first()
    folder = f"reclamations/{first.reference}/"
    in_folder = [name for name in zipfile.ZipFile(pack).namelist() if name.startswith(folder)]
    assert len(in_folder) == expected[first.pk]


@pytest.mark.django_db
def test_without_a_generated_register_it_says_so_and_stores_nothing(capsys):
    assert keep_messages(["--from", START.isoformat(), "--to", END.isoformat()]) == 2
    assert "run bench/generate.py first" in capsys.readouterr().err
    assert not Document.objects.exists()
