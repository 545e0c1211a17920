"""A message made of French parts is said in French by str() and in a reader's language by
text(translate); kept as JSON, it is said again the same way; anything else kept says
nothing rather than failing."""

import pytest

from reclamations.core.worded import Phrase, WordedError, as_json, from_json, said

ENGLISH = {
    "Serveur injoignable (%(error)s) :": "Server out of reach (%(error)s):",
    "vérifiez le port.": "check the port.",
    "Le serveur IMAP a refusé « %(what)s » : %(detail)s": (
        "The IMAP server refused “%(what)s”: %(detail)s"
    ),
    "ouvrir %(folder)s": "open %(folder)s",
}


def english(message: str) -> str:
    return ENGLISH.get(message, message)


def test_an_error_is_french_by_str_and_translated_part_by_part():
    error = WordedError(
        "Serveur injoignable (%(error)s) :",
        values={"error": ConnectionRefusedError(111, "Connection refused")},
        then=[("vérifiez le port.", {})],
    )

    assert str(error) == "Serveur injoignable ([Errno 111] Connection refused) : vérifiez le port."
    assert error.text(english) == (
        "Server out of reach ([Errno 111] Connection refused): check the port."
    )


def test_another_error_s_parts_are_said_after_what_this_one_adds():
    cause = WordedError("vérifiez le port.")

    wrapped = WordedError.of(
        (("Serveur injoignable (%(error)s) :", {"error": "refus"}), *cause.parts)
    )

    assert wrapped.text(english) == "Server out of reach (refus): check the port."


def test_parts_kept_as_json_are_said_again_the_same():
    error = WordedError("Serveur injoignable (%(error)s) :", values={"error": OSError("x")})

    kept = as_json(error.parts)

    assert kept == [["Serveur injoignable (%(error)s) :", {"error": "x"}]]
    assert said(from_json(kept), english) == "Server out of reach (x):"


def test_a_phrase_in_a_value_is_translated_with_its_sentence():
    error = WordedError(
        "Le serveur IMAP a refusé « %(what)s » : %(detail)s",
        values={"what": Phrase("ouvrir %(folder)s", {"folder": "Réclamations"}), "detail": "NO"},
    )

    assert str(error) == "Le serveur IMAP a refusé « ouvrir Réclamations » : NO"
    assert error.text(english) == "The IMAP server refused “open Réclamations”: NO"
    kept = as_json(error.parts)
    assert kept == [
        [
            "Le serveur IMAP a refusé « %(what)s » : %(detail)s",
            {"what": {"phrase": ["ouvrir %(folder)s", {"folder": "Réclamations"}]}, "detail": "NO"},
        ]
    ]
    assert said(from_json(kept), english) == "The IMAP server refused “open Réclamations”: NO"


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "texte",
        [],
        [["seul"]],
        [[1, {}]],
        [["a", "b"]],
        {"a": 1},
        [["%(x)s", {"x": {"phrase": "pas une liste"}}]],
        [["%(x)s", {"x": {"phrase": ["a", {"y": {"phrase": [1, {}]}}]}}]],
    ],
)
def test_anything_else_kept_says_nothing(stored):
    assert said(from_json(stored)) == ""


def test_a_percent_sign_in_a_value_is_shown_as_it_came():
    assert said([("Détail : %(detail)s", {"detail": "100 % plein"})]) == "Détail : 100 % plein"
