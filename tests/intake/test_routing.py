"""route_message over parsed fixtures, with a small in-memory register. Pure: no database."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from reclamations.intake.parsing import InboundMessage, parse_message
from reclamations.intake.routing import (
    RegisterLookup,
    Route,
    RoutingDecision,
    content_fingerprint,
    is_complaint_subject,
    references_in_subject,
    route_message,
)

FIXTURES = Path(__file__).parent / "fixtures"


def parse(name: str) -> InboundMessage:
    return parse_message((FIXTURES / name).read_bytes())


@dataclass
class MemoryRegister:
    """What the database would answer, kept in dicts; records the questions asked."""

    reference_prefix: str = "REC"
    processed: dict[str, str] = field(default_factory=dict)  # Message-ID or sha256 -> ref or ""
    thread: dict[str, str] = field(default_factory=dict)  # Message-ID -> reference
    complaints: set[str] = field(default_factory=set)
    asked_ids: list[tuple[str, ...]] = field(default_factory=list)

    def already_registered(
        self, message_id: str | None, sha256: str, content: str = ""
    ) -> str | None:
        return self.processed.get(message_id or sha256)

    def reference_for_message_ids(self, ids: Sequence[str]) -> str | None:
        self.asked_ids.append(tuple(ids))
        return next((self.thread[i] for i in ids if i in self.thread), None)

    def reference_exists(self, reference: str) -> bool:
        return reference in self.complaints


def test_memory_register_satisfies_the_protocol():
    register: RegisterLookup = MemoryRegister()

    assert register.reference_prefix == "REC"


# --- Each route ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "plain-utf8-reclamation.eml",
        "iso-8859-1-8bit-reclamation.eml",
        "complaint-without-accent.eml",
        "complaint-subject-lowercase-accent.eml",
        "html-only-with-script-and-remote-image.eml",
        "attachment-pdf.eml",
    ],
)
def test_subject_saying_reclamation_is_a_new_complaint(name):
    decision = route_message(parse(name), MemoryRegister())

    assert decision == RoutingDecision(
        Route.NEW_COMPLAINT, reason="l'objet du message contient « réclamation »"
    )


def test_question_without_reclamation_goes_to_triage():
    decision = route_message(parse("not-a-complaint-question.eml"), MemoryRegister())

    assert decision == RoutingDecision(
        Route.TRIAGE,
        reason=(
            "l'objet ne contient ni « réclamation » ni une référence connue : "
            "à qualifier (réclamation, ajout à un dossier ou classement)"
        ),
    )


def test_existing_reference_in_subject_appends_to_that_complaint():
    register = MemoryRegister(complaints={"REC-2026-0042"})

    decision = route_message(parse("reply-with-reference-in-subject.eml"), register)

    assert decision == RoutingDecision(
        Route.APPEND,
        reference="REC-2026-0042",
        reason="réponse à la réclamation REC-2026-0042 (référence dans l'objet)",
    )
    assert register.asked_ids == []


def test_known_in_reply_to_appends_whatever_the_subject():
    register = MemoryRegister(thread={"<rec-2026-0042.info@ccs-legal.fr>": "REC-2026-0042"})

    decision = route_message(parse("reply-in-reply-to-only.eml"), register)

    assert decision == RoutingDecision(
        Route.APPEND,
        reference="REC-2026-0042",
        reason=(
            "réponse à un message de la réclamation REC-2026-0042 "
            "(en-têtes In-Reply-To / References)"
        ),
    )


def test_thread_ids_are_asked_in_reply_to_first_then_newest_reference_first():
    register = MemoryRegister()

    route_message(parse("reply-in-reply-to-only.eml"), register)

    assert register.asked_ids == [
        ("<rec-2026-0042.info@ccs-legal.fr>", "<caf=plain.0001@mail.example.fr>")
    ]


def test_known_references_header_alone_appends():
    message = replace(
        parse("reply-in-reply-to-only.eml"),
        in_reply_to=(),
        references=("<caf=plain.0001@mail.example.fr>",),
    )
    register = MemoryRegister(thread={"<caf=plain.0001@mail.example.fr>": "REC-2026-0007"})

    decision = route_message(message, register)

    assert decision.route == Route.APPEND
    assert decision.reference == "REC-2026-0007"


def test_unknown_thread_without_reclamation_goes_to_triage():
    decision = route_message(parse("reply-in-reply-to-only.eml"), MemoryRegister())

    assert decision.route == Route.TRIAGE
    assert decision.reference is None


def test_unknown_reference_in_subject_falls_back_to_thread_headers():
    register = MemoryRegister(thread={"<rec-2026-0042.ack@ccs-legal.fr>": "REC-2026-0041"})

    decision = route_message(parse("reply-with-reference-in-subject.eml"), register)

    assert decision.route == Route.APPEND
    assert decision.reference == "REC-2026-0041"


def test_unknown_reference_and_thread_with_reclamation_subject_is_a_new_complaint():
    decision = route_message(parse("reply-with-reference-in-subject.eml"), MemoryRegister())

    assert decision.route == Route.NEW_COMPLAINT


def test_message_id_already_processed_is_a_duplicate_of_its_complaint():
    register = MemoryRegister(processed={"<caf=plain.0001@mail.example.fr>": "REC-2026-0042"})

    decision = route_message(parse("plain-utf8-reclamation.eml"), register)

    assert decision == RoutingDecision(
        Route.DUPLICATE,
        reference="REC-2026-0042",
        reason="message déjà enregistré (même Message-ID <caf=plain.0001@mail.example.fr>)",
    )


def test_same_bytes_without_message_id_are_a_duplicate_by_hash():
    message = parse("missing-message-id.eml")
    register = MemoryRegister(processed={message.sha256: ""})

    decision = route_message(message, register)

    assert decision == RoutingDecision(
        Route.DUPLICATE,
        reference=None,
        reason="message déjà enregistré (même empreinte SHA-256, sans Message-ID)",
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "auto-reply-auto-submitted.eml",
            "réponse automatique (Auto-Submitted: auto-replied) : ignoré, aucune réponse envoyée",
        ),
        (
            "auto-reply-x-autoreply.eml",
            "réponse automatique (X-Autoreply: yes) : ignoré, aucune réponse envoyée",
        ),
        (
            "out-of-office-precedence-bulk.eml",
            "envoi en nombre (Precedence: bulk) : ignoré, aucune réponse envoyée",
        ),
        (
            "bounce-dsn.eml",
            "avis de non-remise (multipart/report; report-type=delivery-status) : "
            "ignoré, aucune réponse envoyée",
        ),
        (
            "mailing-list.eml",
            "liste de diffusion (List-Id: Lettre Qualiopi <lettre.qualiopi-infos.example>) : "
            "ignoré, aucune réponse envoyée",
        ),
    ],
)
def test_automatic_message_is_never_answered(name, reason):
    decision = route_message(parse(name), MemoryRegister())

    assert decision == RoutingDecision(Route.AUTO_REPLY, reason=reason)


# --- Order of precedence -------------------------------------------------------------------


def test_duplicate_wins_over_auto_reply():
    register = MemoryRegister(processed={"<auto.0019@example.fr>": ""})

    decision = route_message(parse("auto-reply-auto-submitted.eml"), register)

    assert decision.route == Route.DUPLICATE


def test_auto_reply_wins_over_our_reference_and_a_known_thread():
    register = MemoryRegister(
        complaints={"REC-2026-0042"},
        thread={"<rec-2026-0042.ack@ccs-legal.fr>": "REC-2026-0042"},
    )

    decision = route_message(parse("auto-reply-auto-submitted.eml"), register)

    assert decision.route == Route.AUTO_REPLY
    assert decision.reference is None


def test_reply_to_one_of_ours_wins_over_a_reclamation_subject():
    register = MemoryRegister(complaints={"REC-2026-0042"})

    decision = route_message(parse("reply-with-reference-in-subject.eml"), register)

    assert decision.route == Route.APPEND


def test_duplicate_wins_over_reply():
    register = MemoryRegister(
        processed={"<reply.0017@example.fr>": "REC-2026-0042"}, complaints={"REC-2026-0042"}
    )

    decision = route_message(parse("reply-with-reference-in-subject.eml"), register)

    assert decision.route == Route.DUPLICATE
    assert decision.reference == "REC-2026-0042"


# --- Subject helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "Réclamation",
        "RECLAMATION formation",
        "une réclamation sur le formateur",
        "RÉCLAMATIONS multiples",
        "Re\u0301clamation (accent décomposé)",
        "Objet : reclamation",
        "Fwd: [Réclamation] retard",
    ],
)
def test_subject_with_reclamation_is_a_complaint_subject(subject):
    assert is_complaint_subject(subject) is True


@pytest.mark.parametrize(
    "subject",
    ["Dates de la prochaine session ?", "Déclaration", "Je réclame mon attestation", ""],
)
def test_subject_without_reclamation_is_not_a_complaint_subject(subject):
    assert is_complaint_subject(subject) is False


@pytest.mark.parametrize(
    ("subject", "prefix", "expected"),
    [
        ("RE: Votre réclamation REC-2026-0042", "REC", ["REC-2026-0042"]),
        ("re: rec-2026-42", "REC", ["REC-2026-0042"]),
        ("Réf. REC\u20132026\u20130042 (tiret long)", "REC", ["REC-2026-0042"]),
        ("REC 2026 0042", "REC", ["REC-2026-0042"]),
        (
            "REC-2026-0042 et REC-2026-0042, REC-2025-0913",
            "REC",
            ["REC-2026-0042", "REC-2025-0913"],
        ),
        ("PREC-2026-0001", "REC", []),
        ("REC-2026-00421", "REC", ["REC-2026-0421"]),
        ("REC-2026-12345", "REC", ["REC-2026-12345"]),
        ("CCS-2026-0003 suite", "CCS", ["CCS-2026-0003"]),
        ("REC-2026-0042", "CCS", []),
        ("Re: Accusé de réception de votre réclamation [REC-2026-0001]", "REC", ["REC-2026-0001"]),
        ("Réclamation 2026", "REC", []),
    ],
)
def test_references_in_subject(subject, prefix, expected):
    assert references_in_subject(subject, prefix) == expected


def test_the_files_unpacked_from_a_winmail_dat_leave_the_content_fingerprint_as_it_was():
    message = parse("outlook-winmail-dat.eml")
    unpacked = [a for a in message.attachments if a.unpacked_from]
    assert unpacked  # the fixture's winmail.dat holds files

    # What a parser that did not unpack winmail.dat (an earlier version) made of the message.
    before_unpacking = replace(
        message, attachments=tuple(a for a in message.attachments if not a.unpacked_from)
    )

    assert content_fingerprint(message) == content_fingerprint(before_unpacking)
