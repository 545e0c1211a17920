"""Dates as mail clients print them in a forward, what is no forward, and the original read from
forwards that are HTML only. Pure."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reclamations.intake.forwarding import (
    Forwarded,
    forwarded_date,
    forwarded_original,
    is_forward,
)
from reclamations.intake.parsing import parse_message
from tests.intake.conftest import eml

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("printed", "moment"),
    [
        ("jeudi 5 mars 2026 18:42", datetime(2026, 3, 5, 18, 42, tzinfo=PARIS)),
        ("Fri, Mar 6, 2026 at 4:05 PM", datetime(2026, 3, 6, 16, 5, tzinfo=PARIS)),
        ("mar. 3 mars 2026 à 09:15", datetime(2026, 3, 3, 9, 15, tzinfo=PARIS)),
        ("1er juillet 2026 14h30", datetime(2026, 7, 1, 14, 30, tzinfo=PARIS)),
        ("Tue, 03 Mar 2026 08:30:00 +0100", datetime.fromisoformat("2026-03-03T08:30:00+01:00")),
    ],
)
def test_a_printed_date_is_read_in_paris_time_when_it_has_no_offset(printed, moment):
    assert forwarded_date(printed) == moment


@pytest.mark.parametrize("printed", ["", "hier", "32 mars 2026", "5 brumaire 2026"])
def test_an_illegible_date_is_none(printed):
    assert forwarded_date(printed) is None


def test_forward_prefixes_in_french_english_and_german():
    assert all(is_forward(s) for s in ("TR: x", "Fwd: x", "FW : x", "WG: x", "RE: TR: x"[4:]))
    assert not any(is_forward(s) for s in ("Réclamation", "RE: x", "Transfert de formation"))


# --- HTML-only forwards: read in the text the parser makes of their HTML -------------------------


def forwarded(name: str) -> Forwarded | None:
    return forwarded_original(parse_message(eml(name)))


def test_an_outlook_html_forward_is_read():
    assert forwarded("forward-outlook-fr-html-only.eml") == Forwarded(
        sender_name="Paul Durand",
        sender_address="paul.durand@example.fr",
        date=datetime(2026, 3, 9, 17, 5, tzinfo=PARIS),
        subject="Session Word du 6 mars",
        text=(
            "Bonjour,\n\nLa session Word du 6 mars s\u2019est terminée deux heures plus tôt que "
            "prévu.\n\nPaul Durand"
        ),
        forwarder="Fanny Maltese <f.maltese@ccs-legal.fr>",
    )


def test_an_apple_mail_html_forward_with_one_block_per_field_is_read():
    # Each field in its own <div>: blank lines inside the header block once read as text.
    assert forwarded("forward-apple-mail-fr-html-only.eml") == Forwarded(
        sender_name="Marc Petit",
        sender_address="marc.petit@example.fr",
        date=datetime(2026, 3, 11, 21, 17, tzinfo=PARIS),
        subject="Formation Excel du 10 mars",
        text=(
            "Bonjour,\n\nLe formateur n\u2019est pas venu le 10 mars et personne ne nous a "
            "prévenus.\n\nMarc Petit"
        ),
        forwarder="Léa Garnier <l.garnier@ccs-legal.fr>",
    )


def test_a_thunderbird_html_forward_with_its_header_table_is_read():
    # "Sujet :" and "Pour :" are Thunderbird's French names for Subject and To.
    assert forwarded("forward-thunderbird-fr-html-only.eml") == Forwarded(
        sender_name="Sophie Leroy",
        sender_address="sophie.leroy@example.fr",
        date=datetime.fromisoformat("2026-03-09T11:02:13+01:00"),
        subject="Attestation manquante",
        text="Bonjour,\n\nJe n'ai pas reçu l'attestation de la session du 2 mars.\n\nSophie Leroy",
        forwarder="Accueil CCS <contact@ccs-legal.fr>",
    )


def test_an_attached_original_written_in_html_only_is_read():
    assert forwarded("forward-attached-html-only.eml") == Forwarded(
        sender_name="Claire Roux",
        sender_address="claire.roux@example.fr",
        date=datetime.fromisoformat("2026-03-10T19:45:00+01:00"),
        subject="Facture en double",
        text=(
            "Bonjour,\n\nMa facture n° 2026-301 compte deux fois la session du 4 mars.\n\n"
            "Merci de la corriger.\nClaire Roux"
        ),
        forwarder="Fanny Maltese <f.maltese@ccs-legal.fr>",
    )
