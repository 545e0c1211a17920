"""The search's pure part: the text kept for a complaint, the words of a search, highlighting."""

import random
import unicodedata

import pytest

from reclamations.complaints.actions import CATALOGUE
from reclamations.complaints.actions.inputs import FieldKind, input_fields
from reclamations.complaints.models import Complaint
from reclamations.complaints.search_text import (
    EVENT_TEXT_KEYS,
    MAX_TERMS,
    MAX_TEXT_LENGTH,
    SEARCHED_FIELDS,
    SHOWN_FIELDS,
    Segment,
    chronology_texts,
    excerpt,
    fold,
    fts5_query,
    highlighted,
    search_phrases,
    search_terms,
    searchable_text,
    tsquery,
)

FIELDS = {
    "reference": "REC-2026-0042",
    "client_name": "Hélène Lefèvre",
    "client_account": "CLI-208",
    "training": "Comptabilité",
    "description": "Salle trop petite à l'Estérel.",
}


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Estérel", "esterel"),
        ("ESTÉREL", "esterel"),
        ("Lefèvre", "lefevre"),
        ("ŒUVRE cœur", "oeuvre coeur"),
        ("Straße", "strasse"),
        ("ﬁn", "fin"),  # a typographic ligature
    ],
)
def test_fold_ignores_case_and_accents(text, folded):
    assert fold(text) == folded


def _fold_character_by_character(text: str) -> str:
    """fold() as defined: ligatures spelt out, decomposed, every combining mark left out."""
    for ligature, letters in (("œ", "oe"), ("æ", "ae"), ("Œ", "oe"), ("Æ", "ae")):
        text = text.replace(ligature, letters)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_fold_is_its_definition_for_any_text():
    draw = random.Random(7)
    blocks = [(0x20, 0x250), (0x300, 0x370), (0x370, 0x3000), (0xAC00, 0xD7A4), (0x10000, 0x1FFFF)]
    for _ in range(500):
        text = "".join(
            chr(draw.randrange(*draw.choice(blocks))) for _ in range(draw.randrange(1, 60))
        )
        assert fold(text) == _fold_character_by_character(text), ascii(text)


@pytest.mark.parametrize(
    ("query", "phrases"),
    [
        ("esterel", (("esterel",),)),
        ("  Hélène   LEFÈVRE ", (("helene",), ("lefevre",))),
        ("REC-2026-0042", (("rec", "2026", "0042"),)),
        ("l'accueil", (("l", "accueil"),)),
        ("jean.dupont@example.org", (("jean", "dupont", "example", "org"),)),
        ("dupont Dupont DUPONT", (("dupont",),)),
        ("!!! -- ?", ()),
        ("", ()),
        ("\x00\ud800 \x7f", ()),  # NUL, a lone surrogate, DEL: no word
        ("a\x00b", (("a", "b"),)),
    ],
)
def test_a_search_is_its_phrases_of_words(query, phrases):
    assert search_phrases(query) == phrases


def test_a_search_keeps_at_most_ten_words_of_sixty_characters():
    assert sum(len(p) for p in search_phrases(" ".join(f"mot{n}" for n in range(30)))) == MAX_TERMS
    assert search_phrases("x" * 500) == (("x" * 60,),)


def test_search_terms_are_every_word_once():
    assert search_terms("REC-2026 rec dupont") == ("rec", "2026", "dupont")


def test_database_queries_take_each_phrase_with_its_last_word_as_a_prefix():
    phrases = search_phrases("REC-2026-004 lefev")
    assert fts5_query(phrases) == '"rec 2026 004"* AND "lefev"*'
    assert tsquery(phrases) == "(rec <-> 2026 <-> 004:*) & (lefev:*)"


def test_a_single_character_alone_is_looked_for_whole():
    phrases = search_phrases("m CLI-2")
    assert fts5_query(phrases) == '"m" AND "cli 2"*'
    assert tsquery(phrases) == "(m) & (cli <-> 2:*)"


def test_the_kept_text_starts_with_one_line_per_field_then_the_chronology_words():
    events = [
        {"channel": "email", "due_date": "2026-11-20", "fields": {"client_name": "Hélène"}},
        {"description": "Entretien avec le formateur.", "done_by": "Fanny Maltese"},
        {"text": "Nous vous proposons une séance.", "changes": {"resolution": "Séance offerte"}},
        {"note": "Client rappelé.", "email_message_id": "<abc@ccs-legal.fr>"},
        {
            "subject": "Re: [REC-2026-0042]",
            "excerpt": "Merci, toujours rien.",
            "outcome": "granted",
        },
        {"description": "Entretien avec le formateur."},  # said again: kept once
    ]
    lines = searchable_text(FIELDS, events).split("\n")
    assert lines[: len(SEARCHED_FIELDS)] == [FIELDS.get(name, "") for name in SEARCHED_FIELDS]
    assert lines[len(SEARCHED_FIELDS) :] == [
        "Entretien avec le formateur.",
        "Fanny Maltese",
        "Nous vous proposons une séance.",
        "Client rappelé.",
        "Re: [REC-2026-0042]",
        "Merci, toujours rien.",
    ]


def test_the_kept_text_holds_no_nul_no_line_break_inside_a_field_and_has_a_bound():
    text = searchable_text({"description": "a\x00b\nc\r\nd"}, [{"note": "x" * MAX_TEXT_LENGTH}])
    assert "\x00" not in text
    assert text.split("\n")[SEARCHED_FIELDS.index("description")] == "a b c d"
    assert len(text) == MAX_TEXT_LENGTH


def test_every_text_an_action_records_is_searched():
    """A new action's free text is found unless it is a field of the complaint (then the field
    is) or listed here as deliberately not searched."""
    complaint_fields = {f.name for f in Complaint._meta.get_fields()}
    for spec in CATALOGUE:
        for name, field in input_fields(spec.input):
            if field.kind not in (FieldKind.TEXT, FieldKind.LONG_TEXT):
                continue
            assert (
                name in EVENT_TEXT_KEYS
                or (name in complaint_fields and name in SEARCHED_FIELDS)
                or name in {"outcome", "court", "mediator"}
            ), (spec.name, name)


def _marked(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments if s.matched]


def test_highlighting_marks_words_starting_with_a_term_whatever_the_accents():
    segments = highlighted("Salle de l'Estérel, ESTEREL et esterelle; pas Lestérel.", ("esterel",))
    assert _marked(segments) == ["Estérel", "ESTEREL", "esterelle"]
    assert (
        "".join(s.text for s in segments)
        == "Salle de l'Estérel, ESTEREL et esterelle; pas Lestérel."
    )


def test_highlighting_marks_the_singular_of_a_plural_searched():
    assert _marked(highlighted("Une formation courte", ("formations",))) == ["formation"]


def test_highlighting_without_terms_is_the_text():
    assert highlighted("Texte", ()) == [Segment("Texte", False)]
    assert highlighted("", ("x",)) == []


def test_highlighting_a_text_without_any_term_is_the_text_unmarked():
    assert highlighted("Œuvre de l'Estérel", ("lefevre",)) == [Segment("Œuvre de l'Estérel", False)]
    assert _marked(highlighted("Œuvre de l'Estérel", ("oeuvre", "lefevre"))) == ["Œuvre"]


def test_an_excerpt_shows_where_the_search_matched_beyond_the_row():
    text = searchable_text(
        FIELDS,
        [
            {
                "note": "Début d'une longue note "
                + "mot " * 60
                + "où l'Estérel revient "
                + "fin " * 60
            }
        ],
    )
    segments = excerpt(text, ("esterel",), width=80)
    shown = "".join(s.text for s in segments)
    assert _marked(segments) == ["Estérel"]  # the description's, first after the shown fields
    assert shown == "Salle trop petite à l'Estérel."
    assert excerpt(text, ("revient",), width=80)[0].text.startswith("…")
    assert "".join(s.text for s in excerpt(text, ("revient",), width=80)).endswith("…")


def test_an_excerpt_is_found_in_its_line_whatever_the_accents_ligatures_and_plurals():
    text = searchable_text(
        FIELDS,
        [
            {"note": "Rien à signaler ici."},
            {"note": "La MANŒUVRE du Vidéoprojecteur a échoué."},
            {"note": "Les formations reprennent."},
        ],
    )

    def marked(terms):
        return [s.text for s in excerpt(text, terms) if s.matched]

    assert marked(("manoeuvre",)) == ["MANŒUVRE"]
    assert marked(("videoprojecteurs",)) == ["Vidéoprojecteur"]  # a plural's root
    assert marked(("echoue",)) == ["échoué"]
    assert marked(("formation",)) == ["formations"]
    assert marked(("signaler", "absent")) == ["signaler"]
    assert marked(("absent",)) == []


def test_no_excerpt_when_only_the_row_matched():
    text = searchable_text(FIELDS, [])
    assert SHOWN_FIELDS == ("reference", "client_name", "client_account")
    assert excerpt(text, ("lefevre",)) == []
    assert excerpt(text, ("absent",)) == []


def test_a_new_event_adds_its_texts_after_the_earlier_ones_kept():
    kept = searchable_text(FIELDS, [{"note": "Premier appel."}, {"text": "Réponse envoyée."}])
    changed = {**FIELDS, "client_name": "Hélène Giraud"}

    again = searchable_text(changed, [{"note": "Relance."}], earlier=chronology_texts(kept))

    assert again == searchable_text(
        changed,
        [{"note": "Premier appel."}, {"text": "Réponse envoyée."}, {"note": "Relance."}],
    )
    assert chronology_texts(again) == ["Premier appel.", "Réponse envoyée.", "Relance."]
