"""Message-IDs in one form everywhere: intake, outbox and threading compare them by equality."""

import pytest

from reclamations.core.message_ids import MESSAGE_ID_MAX, normalise_message_id, storable_message_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<ABC@Example.org>", "<abc@example.org>"),
        (" <abc@ex\r\n ample.org> ", "<abc@example.org>"),
        ("abc@example.org", "<abc@example.org>"),
        ("<first@x.org> <second@x.org>", "<first@x.org>"),
        ("", None),
        (None, None),
        ("<>", None),
        ("   ", None),
    ],
)
def test_normalise_message_id(value, expected):
    assert normalise_message_id(value) == expected


def test_an_id_as_long_as_the_columns_is_kept_one_longer_is_not():
    fits = "<" + "x" * (MESSAGE_ID_MAX - len("<@a.org>")) + "@a.org>"
    too_long = "<x" + fits[1:]

    assert len(fits) == MESSAGE_ID_MAX
    assert storable_message_id(fits.upper()) == fits
    assert storable_message_id(too_long) is None


def test_the_columns_holding_message_ids_have_the_same_size():
    from reclamations.intake.models import InboundEmail
    from reclamations.outbox.models import OutgoingMessage

    sizes = {
        OutgoingMessage._meta.get_field("message_id").max_length,
        OutgoingMessage._meta.get_field("in_reply_to").max_length,
        InboundEmail._meta.get_field("message_id").max_length,
    }
    assert sizes == {MESSAGE_ID_MAX}
