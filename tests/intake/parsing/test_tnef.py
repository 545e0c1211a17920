"""winmail.dat (TNEF): its files unpacked, its RTF body read, a damaged one kept and flagged.

The fixtures are written by tests.intake.outlook_files from the TNEF specification; the
expected names, bytes and text below are those the generator was given.
"""

import base64
import hashlib
import struct

from reclamations.intake.parsing import parse_message
from reclamations.intake.parsing.tnef import unpack_tnef
from tests.intake.conftest import eml
from tests.intake.outlook_files import (
    NOTES,
    PDF,
    PNG,
    WINMAIL_FILES,
    fixtures,
    tnef,
    tnef_attribute,
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_fixtures_are_what_the_generator_writes():
    for name, data in fixtures().items():
        assert eml(name) == data, name


def test_winmail_dat_files_follow_it_as_attachments_of_their_own():
    message = parse_message(eml("outlook-winmail-dat.eml"))

    summary = [
        (a.filename, a.content_type, a.payload, a.sha256, a.unpacked_from)
        for a in message.attachments[1:]
    ]
    assert summary == [
        # The long name Outlook recorded wins over the 8.3 title, its double space kept.
        ("réclamation  février.pdf", "application/pdf", PDF, sha256(PDF), "winmail.dat"),
        ("photo.png", "image/png", PNG, sha256(PNG), "winmail.dat"),
        ("notes.txt", "text/plain", NOTES, sha256(NOTES), "winmail.dat"),
    ]
    (winmail,) = message.attachments[:1]
    assert (winmail.filename, winmail.content_type, winmail.unpacked_from) == (
        "winmail.dat",
        "application/ms-tnef",
        "",
    )
    assert winmail.payload == tnef(subject="Réclamation facture de février", files=WINMAIL_FILES)
    assert message.text == "Bonjour,\nvoici ma réclamation et les pièces."
    assert message.defects == ()


def test_rtf_body_of_a_winmail_dat_becomes_the_text_when_there_is_no_other():
    message = parse_message(eml("outlook-winmail-dat-rtf-body.eml"))

    assert message.subject == "Formation annulée"
    assert message.text == (
        "Bonjour,\n\nLa formation du 3 février a été annulée sans préavis.\n"
        "Je demande le remboursement.\n\nClaire Fontaine"
    )
    assert message.html == ""
    assert [(a.filename, a.payload, a.unpacked_from) for a in message.attachments] == [
        ("winmail.dat", message.attachments[0].payload, ""),
        ("devis.pdf", PDF, "winmail.dat"),
    ]
    assert message.defects == (
        "texte du message lu dans la pièce jointe Outlook « winmail.dat » (corps RTF)",
    )


def test_damaged_winmail_dat_is_kept_as_it_is_and_flagged():
    raw = eml("outlook-winmail-dat-corrupt.eml")

    message = parse_message(raw)

    (winmail,) = message.attachments
    assert (winmail.filename, winmail.content_type, len(winmail.payload)) == (
        "winmail.dat",
        "application/ms-tnef",
        822,
    )
    assert message.text == "Bonjour,\nvoici ma réclamation."
    assert message.defects == (
        "pièce jointe Outlook « winmail.dat » (TNEF) illisible : somme de contrôle incorrecte : "
        "contenu altéré ; conservée telle quelle, les fichiers qu'elle contient n'en ont pas été "
        "extraits",
    )
    assert message.raw == raw


def test_truncated_winmail_dat_is_reported_not_half_read():
    data = tnef(subject="Facture", files=WINMAIL_FILES)

    assert unpack_tnef(data[:-40]).error == "fichier tronqué"
    assert unpack_tnef(data[:5]).error == "fichier tronqué"
    assert unpack_tnef(data[4:]).error == "signature TNEF absente"
    assert unpack_tnef(b"").error == "signature TNEF absente"


def test_property_count_beyond_the_attribute_is_refused_before_the_library_reads_it():
    # tnefparse would count to four billion, logging at each step, on such a count.
    properties = struct.pack("<I", 0xFFFFFFFF) + b"\x00" * 8
    data = tnef(subject="Facture", files=[]) + tnef_attribute(1, 0x9003, 6, properties)

    unpacked = unpack_tnef(data)

    assert (unpacked.files, unpacked.error) == ((), "liste de propriétés incohérente")


def test_winmail_dat_recognised_by_its_signature_under_another_name():
    data = tnef(subject="Facture", files=[("devis.pdf", "devis.pdf", PDF)])
    raw = (
        b"From: client@example.fr\r\nSubject: Facture\r\nMessage-ID: <sig@example.fr>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="ATT00001.dat"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
    ) + base64.b64encode(data)

    message = parse_message(raw)

    assert [(a.filename, a.unpacked_from) for a in message.attachments] == [
        ("ATT00001.dat", ""),
        ("devis.pdf", "ATT00001.dat"),
    ]
