"""Outlook's compressed RTF bodies read as plain text."""

from compressed_rtf import compress

from reclamations.intake.parsing.rtf import compressed_rtf_text, rtf_text


def test_compressed_rtf_read_in_its_declared_code_page():
    rtf = rb"{\rtf1\ansi\ansicpg1250{\fonttbl{\f0 Arial;}}\f0 P\'f8ijata reklamace\par}"

    assert compressed_rtf_text(compress(rtf)) == "Přijata reklamace"


def test_unicode_escapes_and_paragraphs_kept():
    rtf = rb"{\rtf1\ansi\ansicpg1252 Caf\'e9\par\par \u8364? 30\par}"

    assert rtf_text(rtf) == "Café\n\n\u20ac 30"


def test_damaged_compressed_rtf_gives_no_text():
    data = bytearray(compress(rb"{\rtf1\ansi Bonjour\par}"))
    data[-1] ^= 0xFF  # the CRC no longer matches

    assert compressed_rtf_text(bytes(data)) == ""
