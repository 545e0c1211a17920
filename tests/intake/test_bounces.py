"""Delivery reports read: which of our messages, and why it was not delivered. Pure."""

from reclamations.intake.bounces import bounce_of
from reclamations.intake.parsing import parse_message
from tests.intake.test_parsing import eml


def test_a_failed_delivery_names_the_message_the_recipient_and_the_status():
    bounce = bounce_of(parse_message(eml("bounce-dsn.eml")))

    assert bounce is not None
    assert bounce.message_ids == ("<rec-2026-0042.ack@ccs-legal.fr>",)
    assert bounce.reason == "Avis de non-remise reçu (inconnu@example.fr : 5.1.1)."


def test_a_delay_is_not_a_failure():
    delayed = eml("bounce-dsn.eml").replace(b"Action: failed", b"Action: delayed")

    assert bounce_of(parse_message(delayed)) is None


def test_a_human_message_is_no_report():
    assert bounce_of(parse_message(eml("plain-utf8-reclamation.eml"))) is None
