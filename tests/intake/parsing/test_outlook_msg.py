"""Outlook .msg attachments: kept as they are, their sender, date, subject and text read.

The .msg fixtures are compound files written by tests.intake.outlook_files; the values below
are those the generator was given.
"""

from datetime import UTC, datetime

from reclamations.intake.parsing import parse_message
from reclamations.intake.parsing.model import OutlookMessage
from reclamations.intake.parsing.outlook_msg import read_outlook_message
from tests.intake.conftest import eml
from tests.intake.outlook_files import PDF, SENT_AT, outlook_msg


def test_msg_attachment_kept_with_what_it_says():
    message = parse_message(eml("outlook-msg-attachment.eml"))

    (attachment,) = message.attachments
    assert (attachment.filename, attachment.content_type, attachment.unpacked_from) == (
        "message du client.msg",
        "application/vnd.ms-outlook",
        "",
    )
    assert attachment.payload.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert attachment.outlook == OutlookMessage(
        sender_name="Paul Martin",
        # The SMTP address, not the Exchange directory name Outlook also records.
        sender_address="paul.martin@example.com",
        sent_at=datetime(2026, 3, 2, 8, 30, 15, tzinfo=UTC),
        subject="Commande 4512 livrée incomplète",
        text="Bonjour,\n\nIl manque deux cartons à la livraison d'hier.\n\nPaul Martin",
    )
    assert message.text == "Bonjour,\nje vous transmets le message de mon client."
    assert message.defects == ()


def test_unreadable_msg_is_kept_and_flagged():
    message = parse_message(eml("outlook-msg-unreadable.eml"))

    (attachment,) = message.attachments
    assert (attachment.filename, len(attachment.payload), attachment.outlook) == (
        "message du client.msg",
        1000,
        None,
    )
    assert message.defects == (
        "message Outlook « message du client.msg » illisible : pièce jointe conservée telle quelle",
    )


def test_long_body_read_from_the_regular_sectors():
    # 4,096 bytes and more live outside the mini stream: the other half of the format.
    body = "Ligne de réclamation.\r\n" * 300
    data = outlook_msg(
        sender_name="Paul Martin",
        sender_address="paul.martin@example.com",
        sent_at=SENT_AT,
        subject="Longue",
        body=body,
    )

    outlook = read_outlook_message(data)

    assert outlook is not None
    assert outlook.text == "\n".join(["Ligne de réclamation."] * 300)


def test_a_file_that_is_no_compound_file_is_not_read():
    assert read_outlook_message(PDF) is None
    assert read_outlook_message(b"") is None
