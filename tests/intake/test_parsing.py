"""parse_message over the .eml corpus (one test per case) and a few hand-made messages.

Pure: no database. Every expected value below was read in the fixture by a person, not copied
from the parser's output.
"""

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reclamations.intake.forwarding import forwarded_original
from reclamations.intake.parsing import (
    Attachment,
    InboundMessage,
    UnparseableMessage,
    html_to_text,
    normalise_message_id,
    parse_message,
    sanitise_html,
)
from reclamations.intake.routing import Route, route_message
from tests.intake.test_routing import MemoryRegister

FIXTURES = Path(__file__).parent / "fixtures"
PARIS_WINTER = timezone(timedelta(hours=1))
PDF_SHA256 = "2b24fcf5320d68dd14ba3f74c1e65c570f0b0fdfe35e52dc3d6e5a81c1e9b7e2"
PNG_SHA256 = "b1ff9c8ea3a780bad09b346c423d2d0e46815926879b18e841d928376a946640"


def eml(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(name: str) -> InboundMessage:
    return parse_message(eml(name))


def summary(attachments: tuple[Attachment, ...]) -> list[tuple[str, str, int, str]]:
    return [(a.filename, a.content_type, len(a.payload), a.sha256) for a in attachments]


# --- The corpus, one case each ---------------------------------------------------------------


def test_plain_utf8_complaint_is_decoded_exactly():
    raw = eml("plain-utf8-reclamation.eml")
    message = parse_message(raw)

    assert message.raw == raw
    assert message.sha256 == "cce09a3702e3953fbd5bc78134bdedfeab483d55328c8b44141e2eb1f2b87310"
    assert message.message_id == "<caf=plain.0001@mail.example.fr>"
    assert message.in_reply_to == ()
    assert message.references == ()
    assert message.subject == "Réclamation formation Excel avancé"
    assert message.from_name == "Jeanne Dupont"
    assert message.from_address == "jeanne.dupont@example.fr"
    assert message.reply_to_address == ""
    assert message.sender_name == "Jeanne Dupont"
    assert message.sender_address == "jeanne.dupont@example.fr"
    assert message.date == datetime(2026, 3, 3, 9, 15, 31, tzinfo=PARIS_WINTER)
    assert message.arrived_at == datetime(2026, 3, 3, 9, 15, 42, tzinfo=PARIS_WINTER)
    assert message.text == (
        "Bonjour,\n\n"
        "Je souhaite déposer une réclamation concernant la formation « Excel avancé »\n"
        "du 12 février 2026 : la salle n'était pas chauffée et le support promis\n"
        "ne m'a jamais été envoyé.\n\n"
        "Merci de me tenir informée.\n"
        "Jeanne Dupont"
    )
    assert message.html == ""
    assert message.attachments == ()
    assert message.auto_submitted is False
    assert message.auto_reason == ""
    assert message.defects == ()


def test_raw_8bit_latin1_without_transfer_encoding_is_read_not_refused():
    message = parse("iso-8859-1-8bit-reclamation.eml")

    assert message.subject == "Réclamation : attestation de fin de formation non reçue"
    assert message.from_name == "Hélène Martin"
    assert message.sender_address == "helene.martin@example.fr"
    assert message.text == (
        "Bonjour,\n\n"
        "Je n'ai toujours pas reçu mon attestation de fin de formation (session de février).\n"
        "Pouvez-vous me l'envoyer à l'adresse ci-dessus ? Coût du déplacement : 35 €.\n\n"
        "Hélène Martin"
    )
    assert message.defects == (
        "en-tête Subject : jeu de caractères non déclaré, lu en Windows-1252",
        "en-tête From : jeu de caractères non déclaré, lu en Windows-1252",
    )


def test_windows_1252_quotes_euro_and_ellipsis_are_decoded():
    message = parse("windows-1252-quotes.eml")

    assert message.subject == "Réclamation \u2013 \u201cfacturation\u201d"
    assert message.text == (
        "Bonjour,\n\n"
        "La facture n° 2026-117 indique 1\xa0250 € au lieu de 1\xa0050 €… C\u2019est une erreur, "
        "merci de la corriger \u201cau plus vite\u201d.\n\n"
        "Marc Lefèvre"
    )
    assert message.defects == ()


def test_unknown_charset_falls_back_to_utf8_with_a_note():
    message = parse("unknown-charset.eml")

    assert message.subject == "Réclamation délai"
    assert message.text == "Le délai de réponse annoncé n'a pas été respecté."
    assert message.defects == (
        "en-tête Subject : jeu de caractères inconnu « x-unknown-charset », lu en UTF-8",
        "texte du message : jeu de caractères inconnu « x-unknown-charset », lu en UTF-8",
    )


def test_latin1_declared_but_utf8_bytes_are_read_as_utf8():
    message = parse("latin1-declared-utf8-bytes.eml")

    assert message.text == "La convocation est arrivée après le début de la formation."
    assert message.defects == (
        "texte du message : déclaré en « iso-8859-1 » mais écrit en UTF-8, lu en UTF-8",
    )


def test_utf8_declared_but_windows_1252_bytes_fall_back_with_a_note():
    message = parse("utf8-declared-cp1252-bytes.eml")

    assert message.text == "Le remboursement de 120 € promis n\u2019est jamais arrivé."
    assert message.date is None
    assert message.arrived_at is None
    assert message.defects == (
        "date illisible (« mardi dernier vers midi ») : ignorée",
        "texte du message : non conforme à son jeu de caractères « utf-8 », lu en Windows-1252",
    )


def test_rfc2047_q_and_b_words_split_characters_and_mixed_charsets_are_joined():
    message = parse("rfc2047-subject-q-and-b.eml")

    assert message.subject == "Réclamation : été 2026 et coût Dossier n°12"
    assert message.from_name == "François Léger"
    assert message.from_address == "francois.leger@example.fr"
    assert message.defects == ()


def test_rfc2231_and_rfc2047_file_names_are_decoded():
    message = parse("rfc2231-filename.eml")

    assert message.subject == "Reclamation - justificatifs"
    assert message.text == "Vous trouverez les justificatifs en pièces jointes."
    assert summary(message.attachments) == [
        ("Relevé de présence \u2013 juin 2026.pdf", "application/pdf", 554, PDF_SHA256),
        (
            "résumé.txt",
            "text/plain",
            6,
            "3840f0d2cbcd15015c6d2ed002d9c0fa4f85cae6a3fe0114a5003e77427cfd1d",
        ),
        ("photo de la salle.png", "image/png", 69, PNG_SHA256),
    ]
    assert message.attachments[1].payload == "résumé".encode("latin-1")
    assert message.defects == ()


def test_html_only_body_is_sanitised_and_converted_to_text():
    message = parse("html-only-with-script-and-remote-image.eml")

    assert message.subject == "Réclamation accueil"
    assert message.text == (
        "Bonjour,\n\n"
        "L'accueil du 12 mars était désagréable.\n"
        "Je demande des excuses.\n\n"
        "- Retard de 45 minutes\n"
        "- Aucune explication\n\n"
        "cliquez ou mon dossier"
    )
    assert message.html == (
        "<p>Bonjour,</p>\n"
        "<p>L'accueil du <b>12&nbsp;mars</b> était désagréable.<br>Je demande des excuses.</p>"
        "\n\n<ul><li>Retard de 45 minutes</li><li>Aucune explication</li></ul>\n\n"
        '<p><a rel="noopener noreferrer">cliquez</a> ou\n'
        '<a href="https://www.example.fr/dossier" rel="noopener noreferrer">mon dossier</a></p>'
    )
    assert message.attachments == ()
    assert message.defects == ()


def test_quoted_printable_soft_breaks_make_one_long_line():
    message = parse("quoted-printable-long-lines.eml")

    sentence = "Les supports de cours nécessaires à l'examen n'ont pas été fournis."
    assert message.text == " ".join([sentence] * 60)
    assert len(message.text) == 4079
    assert message.defects == ()


def test_base64_with_bad_padding_is_repaired():
    message = parse("base64-bad-padding.eml")

    assert message.subject == "Réclamation certificat"
    assert message.text == "Réclamation : le certificat joint comporte une faute à mon nom."
    assert summary(message.attachments) == [("certificat.pdf", "application/pdf", 554, PDF_SHA256)]
    assert message.defects == ("base64 mal complété (padding) : corrigé",)


def test_missing_message_id_is_none_and_a_zoneless_date_is_utc():
    message = parse("missing-message-id.eml")

    assert message.message_id is None
    assert message.date == datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    assert message.arrived_at is None
    assert message.subject == "Réclamation sans identifiant"
    assert message.defects == (
        "Message-ID absent : les doublons seront reconnus par l'empreinte SHA-256",
    )


def test_missing_date_keeps_the_arrival_from_received():
    message = parse("missing-date.eml")

    assert message.date is None
    assert message.arrived_at == datetime(2026, 3, 3, 9, 15, 42, tzinfo=PARIS_WINTER)
    assert message.text == "Les horaires annonces n'ont pas ete respectes."
    assert message.defects == ("en-tête Date absent",)


def test_multipart_without_boundary_is_repaired_from_the_body():
    message = parse("broken-mime-no-boundary.eml")

    assert message.text == "Mon inscription a été annulée sans prévenir."
    assert summary(message.attachments) == [("inscription.pdf", "application/pdf", 554, PDF_SHA256)]
    assert message.defects == (
        "structure MIME sans délimiteur (boundary)",
        "délimiteur MIME « ----=_NextPart_000_0001 » retrouvé dans le corps",
    )


def test_truncated_multipart_keeps_the_text_and_what_arrived_of_the_attachment():
    message = parse("truncated-multipart.eml")

    assert message.text == "Voici le devis contesté."
    assert summary(message.attachments) == [
        (
            "devis.pdf",
            "application/pdf",
            148,
            "9e1ea5b92779a574afc94ad7f1df2a39e753b9aacf03c8fb713ac83b0a54d2a4",
        )
    ]
    assert message.attachments[0].payload.startswith(b"%PDF-1.4\n")
    assert message.defects == (
        "base64 mal complété (padding) : corrigé",
        "message tronqué : fin de la structure MIME absente",
    )


def test_pdf_attachment_is_kept_byte_for_byte():
    message = parse("attachment-pdf.eml")

    assert message.subject == "Réclamation facture 2026-117"
    assert message.text == "La facture jointe ne correspond pas au devis signé."
    assert summary(message.attachments) == [
        ("facture-2026-117.pdf", "application/pdf", 554, PDF_SHA256)
    ]
    pdf = message.attachments[0].payload
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.endswith(b"%%EOF\n")
    assert hashlib.sha256(pdf).hexdigest() == PDF_SHA256


def test_nested_mixed_alternative_prefers_plain_text_and_keeps_every_attachment():
    message = parse("nested-mixed-alternative.eml")

    assert message.subject == "Réclamation \u2013 matériel"
    assert message.text == "Le matériel de la salle 3 était en panne."
    assert message.html == "<p>Le matériel de la <b>salle 3</b> était en panne.</p>"
    assert summary(message.attachments) == [
        ("piece-jointe-1.png", "image/png", 69, PNG_SHA256),
        ("constat.pdf", "application/pdf", 554, PDF_SHA256),
    ]
    assert message.defects == ()


def test_reply_to_wins_over_from():
    message = parse("reply-to-wins.eml")

    assert message.from_name == "Secrétariat Entreprise Durand"
    assert message.from_address == "noreply@entreprise.example"
    assert message.reply_to_address == "paul.durand@entreprise.example"
    assert message.sender_name == "Durand, Paul"
    assert message.sender_address == "paul.durand@entreprise.example"


def test_reply_with_reference_in_subject_keeps_thread_headers():
    message = parse("reply-with-reference-in-subject.eml")

    assert message.subject == "RE: Votre réclamation REC-2026-0042"
    assert message.in_reply_to == ("<rec-2026-0042.ack@ccs-legal.fr>",)
    assert message.references == (
        "<caf=plain.0001@mail.example.fr>",
        "<rec-2026-0042.ack@ccs-legal.fr>",
    )
    assert message.text == (
        "Voici les informations demandées : session du 12 février, groupe B.\n\n"
        "> Bonjour, pourriez-vous préciser la session concernée ?"
    )


def test_reply_in_reply_to_only_is_normalised_without_its_comment():
    message = parse("reply-in-reply-to-only.eml")

    assert message.subject == "Re: Votre demande"
    assert message.in_reply_to == ("<rec-2026-0042.info@ccs-legal.fr>",)
    assert message.references == (
        "<caf=plain.0001@mail.example.fr>",
        "<rec-2026-0042.info@ccs-legal.fr>",
    )


def test_auto_submitted_auto_replied_is_flagged():
    message = parse("auto-reply-auto-submitted.eml")

    assert message.subject == "Réponse automatique : Votre réclamation REC-2026-0042"
    assert message.auto_submitted is True
    assert message.auto_reason == "réponse automatique (Auto-Submitted: auto-replied)"


def test_x_autoreply_is_flagged():
    message = parse("auto-reply-x-autoreply.eml")

    assert message.auto_submitted is True
    assert message.auto_reason == "réponse automatique (X-Autoreply: yes)"


def test_out_of_office_with_precedence_bulk_is_flagged():
    message = parse("out-of-office-precedence-bulk.eml")

    assert message.auto_submitted is True
    assert message.auto_reason == "envoi en nombre (Precedence: bulk)"
    assert message.text == "Je suis en congé, réponse à mon retour."


def test_bounce_dsn_is_flagged_and_its_parts_kept():
    message = parse("bounce-dsn.eml")

    assert message.auto_submitted is True
    assert message.auto_reason == (
        "avis de non-remise (multipart/report; report-type=delivery-status)"
    )
    assert message.from_address == "mailer-daemon@mx.ccs-legal.fr"
    assert message.text.startswith("This is the mail system at host mx.ccs-legal.fr.\n")
    assert message.text.endswith("550 5.1.1 User unknown")
    assert summary(message.attachments) == [
        (
            "piece-jointe-1.txt",
            "message/delivery-status",
            115,
            "b08590e7f23bdd87c674a96d35705fd885f88511ab8326ced61f03332b04f098",
        ),
        (
            "Accusé de réception REC-2026-0042.eml",
            "message/rfc822",
            222,
            "cb1d92a2d43986391c3dbf6a830aa552fe01048359e09d808db7728bf10ffdd6",
        ),
    ]
    assert message.attachments[1].payload.startswith(b"From: CCS <f.maltese@ccs-legal.fr>\r\n")


def test_mailing_list_is_flagged():
    message = parse("mailing-list.eml")

    assert message.subject == "Lettre d'information : réclamations et Qualiopi"
    assert message.auto_submitted is True
    assert message.auto_reason == (
        "liste de diffusion (List-Id: Lettre Qualiopi <lettre.qualiopi-infos.example>)"
    )


def test_question_is_parsed_as_a_human_message():
    message = parse("not-a-complaint-question.eml")

    assert message.subject == "Dates de la prochaine session ?"
    assert message.sender_name == "Julie Blanc"
    assert message.sender_address == "julie.blanc@example.fr"
    assert message.auto_submitted is False
    assert message.text == (
        "Bonjour, quelles sont les dates de la prochaine session « Word initiation » ?"
    )


def test_upper_case_subject_without_accent_is_kept_as_written():
    message = parse("complaint-without-accent.eml")

    assert message.subject == "RECLAMATION formation"
    assert message.text == "Formation annulee au dernier moment, je demande le remboursement."


def test_lower_case_accented_subject_is_decoded():
    message = parse("complaint-subject-lowercase-accent.eml")

    assert message.subject == "une réclamation sur le formateur"
    assert message.from_name == "Chloé Mathieu"


def test_very_long_line_is_kept_whole():
    message = parse("very-long-line.eml")

    assert message.text == ("x" * 99 + "é") * 200 + "\nfin"
    assert message.defects == ()


def test_attached_message_is_kept_as_an_eml_named_after_its_subject():
    message = parse("message-rfc822-attachment.eml")

    assert message.subject == "Fwd: Réclamation de mon équipe"
    assert message.text == "Je vous transfère la réclamation de mon équipe."
    assert summary(message.attachments) == [
        (
            "Problème formation.eml",
            "message/rfc822",
            315,
            "e7c7a0a8e8308345a96e40d831d16b1c927eb65cb4a25a4afdf5a44a1c6c5b9c",
        )
    ]
    inner = parse_message(message.attachments[0].payload)
    assert inner.message_id == "<inner.0028@example.fr>"
    assert inner.text == "La formation ne correspondait pas au programme."


def test_garbage_bytes_are_unparseable():
    with pytest.raises(UnparseableMessage) as caught:
        parse("garbage.bin.eml")

    assert str(caught.value) == (
        "aucun en-tête de courriel reconnu (From, Subject, Date...) : "
        "ce fichier n'est pas un message électronique"
    )


def test_empty_file_is_unparseable():
    with pytest.raises(UnparseableMessage) as caught:
        parse("empty.eml")

    assert str(caught.value) == "message vide : le fichier ne contient aucun octet utile"


# --- Hand-made messages for what the corpus does not show -----------------------------------


def message_with(headers: str, body: str = "Bonjour.") -> bytes:
    return f"{headers}\r\n\r\n{body}\r\n".replace("\r\n", "\n").replace("\n", "\r\n").encode()


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (
            "From: a@example.fr\nAuto-Submitted: auto-generated",
            "message automatique (Auto-Submitted: auto-generated)",
        ),
        ("From: a@example.fr\nX-Autorespond: 1", "réponse automatique (X-Autorespond: 1)"),
        ("From: a@example.fr\nPrecedence: junk", "message indésirable (Precedence: junk)"),
        ("From: a@example.fr\nPrecedence: list", "liste de diffusion (Precedence: list)"),
        (
            "From: a@example.fr\nPrecedence: auto_reply",
            "réponse automatique (Precedence: auto_reply)",
        ),
        (
            "From: a@example.fr\nList-Unsubscribe: <mailto:u@example.fr>",
            "liste de diffusion (List-Unsubscribe)",
        ),
        (
            "Return-Path: <>\nFrom: a@example.fr",
            "avis de non-remise ou message automatique (Return-Path: <>)",
        ),
        ("From: postmaster@example.fr", "avis de non-remise (expéditeur POSTMASTER)"),
        (
            'From: a@example.fr\nContent-Type: multipart/report; report-type="disposition-'
            'notification"; boundary="r"',
            "accusé de lecture (multipart/report)",
        ),
    ],
)
def test_automatic_message_is_flagged_with_its_reason(headers, reason):
    message = parse_message(message_with(headers + "\nSubject: Reclamation"))

    assert message.auto_submitted is True
    assert message.auto_reason == reason


def test_auto_submitted_no_is_a_human_message():
    message = parse_message(message_with("From: a@example.fr\nAuto-Submitted: no"))

    assert message.auto_submitted is False
    assert message.auto_reason == ""


def test_iso_8601_date_from_a_broken_client_is_read():
    message = parse_message(message_with("From: a@example.fr\nDate: 2026-03-03T09:15:00+01:00"))

    assert message.date == datetime(2026, 3, 3, 9, 15, tzinfo=PARIS_WINTER)


def test_bare_reply_to_pointing_at_the_author_keeps_the_author_name():
    message = parse_message(
        message_with("From: Jeanne Dupont <jeanne@example.fr>\nReply-To: JEANNE@example.fr")
    )

    assert message.sender_name == "Jeanne Dupont"
    assert message.sender_address == "jeanne@example.fr"


def test_bare_reply_to_elsewhere_has_no_name():
    message = parse_message(
        message_with("From: Secrétariat <noreply@example.fr>\nReply-To: paul@example.fr")
    )

    assert message.sender_name == ""
    assert message.sender_address == "paul@example.fr"


def test_attachment_without_name_gets_a_numbered_one_and_paths_are_dropped():
    raw = message_with(
        'From: a@example.fr\nContent-Type: multipart/mixed; boundary="x"',
        "--x\nContent-Type: application/octet-stream\nContent-Disposition: attachment\n\n"
        "abc\n--x\nContent-Type: application/pdf\n"
        'Content-Disposition: attachment; filename="C:\\\\Users\\\\jd\\\\devis.pdf"\n\n'
        "%PDF\n--x--",
    )
    message = parse_message(raw)

    assert [a.filename for a in message.attachments] == ["piece-jointe-1.bin", "devis.pdf"]
    assert [a.payload for a in message.attachments] == [b"abc", b"%PDF"]


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_undeclared_8bit_file_name_is_decoded(encoding):
    name = "réclamation.pdf".encode(encoding)
    raw = (
        b'From: a@example.fr\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\n--x\r\n'
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="'
        + name
        + b'"\r\n\r\n%PDF\r\n--x--\r\n'
    )

    assert [a.filename for a in parse_message(raw).attachments] == ["réclamation.pdf"]


def test_empty_plain_alternative_uses_the_html_body():
    raw = message_with(
        'From: a@example.fr\nContent-Type: multipart/alternative; boundary="x"',
        "--x\nContent-Type: text/plain\n\n \n--x\nContent-Type: text/html\n\n"
        "<p>Le vrai contenu</p>\n--x--",
    )
    message = parse_message(raw)

    assert message.text == "Le vrai contenu"
    assert message.html == "<p>Le vrai contenu</p>"


def test_unreadable_reply_to_leaves_the_from_address():
    message = parse_message(
        message_with("From: Jeanne <jeanne@example.fr>\nReply-To: voir plus bas")
    )

    assert message.reply_to_address == ""
    assert (message.sender_name, message.sender_address) == ("Jeanne", "jeanne@example.fr")
    assert message.defects[0] == "adresse Reply-To illisible : l'adresse From est retenue"


def test_damaged_first_line_skips_to_the_headers():
    raw = b"\x8f\x00garbage line\r\n" + message_with("From: a@example.fr\nSubject: Reclamation")
    message = parse_message(raw)

    assert message.raw == raw
    assert message.subject == "Reclamation"
    assert message.from_address == "a@example.fr"
    assert message.defects[0] == (
        "début du message illisible : 16 octets ignorés avant les en-têtes"
    )


def test_nul_bytes_never_reach_the_text():
    message = parse_message(message_with("From: a@example.fr\nSubject: Re\x00clamation", "a\x00b"))

    assert message.subject == "Reclamation"
    assert message.text == "ab"


def test_deep_nesting_still_gives_the_headers():
    levels = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(3000)
    )
    raw = b"From: a@example.fr\r\nSubject: Reclamation\r\n" + levels + b"\r\nfond\r\n"
    message = parse_message(raw)

    assert message.subject == "Reclamation"
    assert message.from_address == "a@example.fr"
    assert message.defects[-1] == (
        "structure MIME illisible : corps lu comme du texte brut (RecursionError)"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<ABC.123@Example.COM>", "<abc.123@example.com>"),
        ("  <abc@\r\n example.com>  ", "<abc@example.com>"),
        ("abc@example.com", "<abc@example.com>"),
        ("<abc@example.com> (commentaire)", "<abc@example.com>"),
        ("", None),
        ("   ", None),
        ("<>", None),
    ],
)
def test_normalise_message_id(value, expected):
    assert normalise_message_id(value) == expected


def test_sanitise_html_removes_scripts_images_styles_and_handlers():
    html = (
        '<div style="color:red" onclick="x()">Texte<script>alert(1)</script>'
        '<img src="https://tracker.example.com/p.gif"><a href="mailto:a@example.fr">écrire</a>'
        '<a href="data:text/html,x">lien</a></div>'
    )

    assert sanitise_html(html) == (
        '<div>Texte<a href="mailto:a@example.fr" rel="noopener noreferrer">écrire</a>'
        '<a rel="noopener noreferrer">lien</a></div>'
    )


def test_broken_html_that_stalls_the_stdlib_parser_is_read_quickly():
    # 20,000 unclosed "<a " took the stdlib HTMLParser minutes (quadratic); nh3 goes first.
    raw = message_with("From: a@example.fr\nContent-Type: text/html", "Bonjour " + "<a " * 20000)

    message = parse_message(raw)

    assert message.text == "Bonjour"
    assert message.html == "Bonjour"


def test_html_to_text_keeps_breaks_and_preformatted_text():
    html = "<div>Un<br/>Deux</div><pre>  a\n  b</pre><ol><li>un</li><li>deux</li></ol>&eacute;"

    assert html_to_text(html) == "Un\nDeux\n\n  a\n  b\n\n- un\n- deux\né"


def test_html_to_text_puts_each_table_row_on_its_line():
    html = "<table><tr><th>Session</th><th>Date</th></tr><tr><td>Excel</td><td>2 mars</td></tr>"

    assert html_to_text(html + "</table>") == "Session Date\nExcel 2 mars"


# --- Properties ------------------------------------------------------------------------------

HEADER_LINES = st.sampled_from(
    [
        b"From: =?utf-8?q?Jos=C3=A9?= <jose@example.fr>",
        b"Subject: =?utf-8?b?UsOp?= =?x-bad?q?=FF?=",
        b"Date: Tue, 03 Mar 2026 09:15:31 +0100",
        b"Message-ID: <a@b>",
        b"Content-Type: multipart/mixed; boundary=b",
        b"Content-Type: text/html; charset=x-unknown",
        b"Content-Transfer-Encoding: base64",
        b"Content-Transfer-Encoding: quoted-printable",
        b"Content-Disposition: attachment; filename*0*=utf-8''%C3; filename*1=a",
        b"Reply-To: \xe9@\xff",
        # What real clients send (issue 10): damaged or unusual headers.
        b"From: =?iso-8859-1?Q?Lef=E8vre,_H=E9l=E8ne?= <h@example.fr>",
        b"From: =?utf-8?Q?Jos=C3=A9_=3Cjose=40example.es=3E?=",
        b"From: Jean Dupont jean.dupont@example.fr",
        b"non chauff\xc3\xa9e)",
        b"Subject: TR: =?ISO-2022-JP?B?GyRCNmxKczsbKEI=?=",
        b"Subject: \xcd\xb6\xcb\xdf",
        b"Content-Type: text/plain; charset=gb2312",
        b"Content-Type: text/plain; charset=unicode-1-1-utf-7",
        b"Content-Type: message/rfc822",
        b"-------- Message transf\xc3\xa9r\xc3\xa9 --------",
        b"De : Julie <julie@example.org>",
        b"Envoy\xc3\xa9 : jeudi 5 mars 2026 18:42",
        b"--b",
        b"--b--",
        b"",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_either_parse_or_are_unparseable(raw):
    try:
        message = parse_message(raw)
    except UnparseableMessage as exc:
        assert str(exc)
        return
    assert message.raw == raw
    assert message.sha256 == hashlib.sha256(raw).hexdigest()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(HEADER_LINES, st.binary(max_size=40)), max_size=30))
def test_email_like_bytes_give_text_a_database_accepts(lines):
    raw = b"\r\n".join(lines)
    try:
        message = parse_message(raw)
    except UnparseableMessage:
        return
    assert message.raw == raw
    for value in (message.subject, message.text, message.html, message.sender_name):
        assert "\x00" not in value
        value.encode("utf-8")  # no lone surrogate: PostgreSQL would refuse it
    for attachment in message.attachments:
        assert attachment.filename
        assert attachment.sha256 == hashlib.sha256(attachment.payload).hexdigest()
    # Every message gets a route, and a forward is read or not, never a crash.
    assert route_message(message, MemoryRegister()).route in set(Route)
    forwarded = forwarded_original(message)
    assert forwarded is None or forwarded.sender_address


# --- What real mail clients send (issue 10) ----------------------------------------------------


def test_a_comma_inside_an_encoded_name_does_not_split_the_mailbox():
    message = parse("encoded-word-comma-in-name.eml")

    assert message.from_name == "Lefèvre, Hélène"
    assert message.from_address == "helene.lefevre@example.fr"
    assert message.subject == "Réclamation session de mars"


def test_a_whole_from_inside_one_encoded_word_gives_name_and_address():
    message = parse("whole-from-in-one-encoded-word.eml")

    assert message.from_name == "José García"
    assert message.from_address == "jose.garcia@example.es"


def test_a_continuation_line_not_indented_keeps_the_headers_that_follow():
    message = parse("header-continuation-not-indented.eml")

    assert message.subject == (
        "Réclamation formation Word du 10 mars et du 17 mars (salle non chauffée)"
    )
    assert message.from_address == "marc.petit@example.fr"
    assert message.text.strip() == "La salle n'était pas chauffée."
    assert message.defects[0] == (
        "1 ligne(s) d'en-tête non indentée(s) rattachée(s) à l'en-tête précédent"
    )
    assert message.raw == eml("header-continuation-not-indented.eml")  # kept as received


def test_a_name_and_an_address_run_together_never_invent_an_address():
    message = parse("name-and-address-run-together.eml")

    assert message.from_address == "jean.dupont@example.fr"
    assert message.from_name == "Jean Dupont"
    assert any("nom et adresse accolés sans chevrons" in note for note in message.defects)


def test_iso_2022_jp_is_decoded_in_headers_names_and_body():
    message = parse("iso-2022-jp.eml")

    assert message.subject == "苦情\uff1a研修の日程について"  # a full-width colon
    assert message.from_name == "山田 太郎"
    assert message.text.strip() == "研修が中止されました。返金をお願いします。\n山田太郎"
    assert "\x1b" not in message.subject + message.from_name + message.text


def test_the_unicode_1_1_utf_7_label_is_read_as_utf_7():
    message = parse("utf-7-label.eml")

    assert message.text.strip() == "Réclamation : la séance a été annulée."


def test_an_inline_html_part_beside_text_parts_is_in_the_text_and_file_names_keep_spaces():
    message = parse("mixed-inline-html-between-texts.eml")

    assert message.text.split("\n\n") == [
        "Bonjour, voici ma réclamation.",
        "Le devis n° 42 compte deux fois la session.",
        "Cordialement, Claire Roux",
    ]
    assert [attachment.filename for attachment in message.attachments] == ["devis  final  v2.pdf"]


def test_undeclared_8_bit_headers_and_names_follow_the_charset_declared_elsewhere():
    message = parse("gb2312-undeclared-subject-and-filename.eml")

    assert message.subject == "投诉\uff1a培训取消"  # a full-width colon
    assert message.text.strip() == "培训被取消了\uff0c请退款。"
    assert [attachment.filename for attachment in message.attachments] == ["发票.pdf"]
    assert any("lu en « gb2312 » comme le reste du message" in note for note in message.defects)
