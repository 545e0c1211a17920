"""The triage inbox: list, message page, the three decisions, permissions, raw download."""

import hashlib
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.complaints.enums import (
    Channel,
    DocumentRole,
    EventType,
    Kind,
    Status,
)
from reclamations.complaints.models import Complaint, Document
from reclamations.complaints.services import complaint_apply
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.parsing import parse_message
from reclamations.intake.services import intake_process
from reclamations.intake.triage import triage_dismiss
from tests.clock import NOW
from tests.factories import make_complaint

from .helpers import text_of

FIXTURES = Path(__file__).parents[1] / "intake" / "fixtures"
TRIAGE = reverse("triage")

HTML_QUESTION = (
    b"From: Paul Girard <paul.girard@example.fr>\r\n"
    b"To: reclamations@ccs-legal.fr\r\n"
    b"Subject: Question sur la session de juin\r\n"
    b"Message-ID: <html-question.1@example.fr>\r\n"
    b"Date: Mon, 26 Oct 2026 09:00:00 +0100\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b'<p onclick="steal()">Bonjour, <b>la session</b> est-elle maintenue ?</p>'
    b"<script>alert('x')</script>"
    b'<img src="http://tracker.example/pixel.gif">'
    b'<a href="https://ccs-legal.fr/sessions">programme</a>\r\n'
)


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def plain_question(number: int) -> bytes:
    """A short message that is not a complaint: it waits in the triage inbox."""
    return (
        f"From: Client {number} <client{number}@example.fr>\r\n"
        f"Subject: Question {number}\r\n"
        f"Message-ID: <question-{number}@example.fr>\r\n"
        f"Date: Mon, 26 Oct 2026 09:{number:02d}:00 +0100\r\n"
        "\r\n"
        f"Question numéro {number}.\r\n"
    ).encode()


def receive(organisation, data: bytes) -> InboundEmail:
    result = intake_process(
        organisation=organisation, raw=data, arrived_at=None, source=IntakeSource.EML
    )
    assert result.inbound is not None
    return result.inbound


def page(pk: int, action: str = "") -> str:
    names = {
        "": "triage_message",
        "register": "triage_register",
        "attach": "triage_attach",
        "dismiss": "triage_dismiss",
        "raw": "triage_raw",
    }
    return reverse(names[action], kwargs={"pk": pk})


@pytest.fixture
def question(organisation) -> InboundEmail:
    return receive(organisation, raw("not-a-complaint-question.eml"))


@pytest.fixture
def garbage(organisation) -> InboundEmail:
    return receive(organisation, raw("garbage.bin.eml"))


# --- the list -----------------------------------------------------------------------------------


def test_inbox_lists_waiting_messages_newest_first(referent_client, organisation, garbage):
    question = receive(organisation, raw("not-a-complaint-question.eml"))
    html = receive(organisation, HTML_QUESTION)
    receive(organisation, raw("plain-utf8-reclamation.eml"))  # registered: not listed

    response = referent_client.get(TRIAGE)

    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert listed == [garbage, html, question]  # garbage arrived now, then 26 Oct, 19 March
    text = text_of(response)
    assert "En attente de décision (3)" in text
    assert "Dates de la prochaine session ? Bonjour, quelles sont les dates" in text
    assert "Julie Blanc julie.blanc@example.fr" in text
    assert "Illisible" in text
    assert "Aucune décision prise pour l'instant." in text


def test_inbox_says_when_nothing_waits(referent_client, organisation):
    response = referent_client.get(TRIAGE)

    assert "Aucun message en attente de tri." in text_of(response)


def _queries_for_inbox(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TRIAGE).status_code == 200
    return len(queries)


def test_inbox_query_count_does_not_grow_with_messages(referent_client, organisation, referent):
    receive(organisation, plain_question(1))
    triage_dismiss(inbound=receive(organisation, plain_question(2)), actor=referent, reason="x")
    with_one = _queries_for_inbox(referent_client)
    receive(organisation, plain_question(3))
    receive(organisation, raw("garbage.bin.eml"))
    complaint = make_complaint(organisation, referent)
    for number in (4, 5):
        message = receive(organisation, plain_question(number))
        referent_client.post(page(message.pk, "attach"), {"reference": complaint.reference})

    with_three = _queries_for_inbox(referent_client)

    # session, user, whether the account has a second factor, organisation, page count, page
    # rows, recent decisions, the navigation's counts (triage; the work lists: the chain head
    # that keys the kept figure, then the figure)
    assert with_one == with_three == 10


def test_navigation_shows_the_waiting_count_to_handlers(referent_client, organisation, question):
    receive(organisation, HTML_QUESTION)

    response = referent_client.get(reverse("register"))

    assert "Tri des e-mails (2)" in text_of(response)


def test_navigation_has_no_triage_link_for_auditors(auditor_client, question):
    response = auditor_client.get(reverse("register"))

    assert "Tri des e-mails" not in text_of(response)


# --- one message --------------------------------------------------------------------------------


def test_message_page_shows_text_attachments_and_decisions(referent_client, question):
    response = referent_client.get(page(question.pk))

    assert response.status_code == 200
    text = text_of(response)
    assert "Dates de la prochaine session ?" in text
    assert "Julie Blanc <julie.blanc@example.fr>" in text
    assert "Aucune pièce jointe." in text
    assert "Enregistrer comme réclamation" in text
    assert "Rattacher à une réclamation existante" in text
    form = response.context["register_form"]
    assert form.initial == {
        "client_name": "Julie Blanc",
        "client_email": "julie.blanc@example.fr",
        "description": parse_message(raw("not-a-complaint-question.eml")).text.strip(),
        "client_language": "fr",  # the message declares no Content-Language
    }


def test_html_message_shown_sanitised(referent_client, organisation):
    inbound = receive(organisation, HTML_QUESTION)

    response = referent_client.get(page(inbound.pk))

    body = response.content.decode()
    assert "<b>la session</b> est-elle maintenue ?" in body
    assert "<script>alert" not in body
    assert "steal()" not in body
    assert "tracker.example" not in body
    assert 'rel="noopener noreferrer"' in body


def test_quarantined_message_page_offers_the_raw_file(referent_client, garbage):
    response = referent_client.get(page(garbage.pk))

    text = text_of(response)
    assert "Message illisible : son contenu n'a pas pu être décodé." in text
    assert "Télécharger le fichier .eml" in text


def test_outlook_attachments_shown_unpacked_and_summarised(referent_client, organisation):
    winmail = receive(organisation, raw("outlook-winmail-dat-rtf-body.eml"))
    msg = receive(organisation, raw("outlook-msg-attachment.eml"))

    winmail_text = text_of(referent_client.get(page(winmail.pk)))
    msg_text = text_of(referent_client.get(page(msg.pk)))

    assert "La formation du 3 février a été annulée sans préavis." in winmail_text
    assert "devis.pdf (application/pdf, 1 Ko), extraite de winmail.dat" in winmail_text
    assert "Message Outlook de Paul Martin <paul.martin@example.com>" in msg_text
    assert "Envoyé le 02/03/2026 à 09:30" in msg_text  # Paris time
    assert "Objet Commande 4512 livrée incomplète" in msg_text
    assert "Il manque deux cartons à la livraison d'hier." in msg_text


@pytest.mark.parametrize("client_name", ["referent_client", "auditor_client"])
def test_raw_bytes_downloadable_by_staff(request, client_name, garbage):
    client = request.getfixturevalue(client_name)

    response = client.get(page(garbage.pk, "raw"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == raw("garbage.bin.eml")
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="message-{garbage.pk}.eml"'


def test_auditor_reads_the_message_without_decision_forms(auditor_client, question):
    response = auditor_client.get(page(question.pk))

    assert response.status_code == 200
    assert response.context["decide"] is False
    assert "Enregistrer comme réclamation" not in text_of(response)


@pytest.mark.parametrize("action", ["register", "attach", "dismiss"])
def test_auditor_cannot_decide(auditor_client, question, action):
    response = auditor_client.post(
        page(question.pk, action),
        {"kind": "complaint", "reference": "REC-2026-0001", "reason": "x"},
    )

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.outcome == IntakeOutcome.TRIAGE


@pytest.mark.parametrize("action", ["", "raw", "register", "attach", "dismiss"])
def test_message_of_another_organisation_is_not_found(outsider_client, question, action):
    if action in ("", "raw"):
        response = outsider_client.get(page(question.pk, action))
    else:
        response = outsider_client.post(page(question.pk, action), {"reason": "x"})

    assert response.status_code == 404
    question.refresh_from_db()
    assert question.outcome == IntakeOutcome.TRIAGE


# --- decisions ----------------------------------------------------------------------------------


def test_register_creates_the_complaint_with_the_message_as_original(
    referent_client, referent, question
):
    response = referent_client.post(
        page(question.pk, "register"),
        {
            "kind": Kind.COMPLAINT,
            "client_name": "Julie Blanc",
            "client_email": "julie.blanc@example.fr",
            "client_account": "CLI-204",
            "description": "Dates de session jamais communiquées malgré trois relances.",
        },
    )

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaint_detail", args=[complaint.reference])
    assert (complaint.reference, complaint.channel, complaint.status) == (
        "REC-2026-0001",
        Channel.EMAIL,
        Status.IN_PROGRESS,
    )
    assert complaint.received_at == question.received_at
    assert complaint.registered_by == referent
    assert complaint.client_account == "CLI-204"
    original = Document.objects.get(complaint=complaint)
    assert original.role == DocumentRole.ORIGINAL
    with original.file.open("rb") as stream:
        assert stream.read() == raw("not-a-complaint-question.eml")
    registered = complaint.events.get(event_type=EventType.REGISTERED)
    assert registered.data["message_id"] == "<question.0024@example.fr>"
    assert registered.data["triage"] == "Enregistrée depuis le tri des e-mails"
    question.refresh_from_db()
    assert (question.outcome, question.complaint, question.document) == (
        IntakeOutcome.REGISTERED_FROM_TRIAGE,
        complaint,
        original,
    )
    assert (question.decided_by, question.decided_at) == (referent, NOW)
    assert question.decision_reason == "Enregistré comme « Réclamation » (REC-2026-0001)."


def test_register_as_not_admissible_needs_a_reason(referent_client, question):
    response = referent_client.post(
        page(question.pk, "register"), {"kind": Kind.NOT_ADMISSIBLE, "client_name": "Julie"}
    )

    assert response.status_code == 400
    assert response.context["register_form"].errors["not_admissible_reason"] == [
        "Indiquez pourquoi la demande n'est pas une réclamation recevable."
    ]
    assert not Complaint.objects.exists()
    question.refresh_from_db()
    assert question.outcome == IntakeOutcome.TRIAGE


def test_register_as_not_admissible_records_the_request_closed(referent_client, question):
    referent_client.post(
        page(question.pk, "register"),
        {
            "kind": Kind.NOT_ADMISSIBLE,
            "not_admissible_reason": "Simple demande d'information sur les dates.",
            "client_name": "Julie Blanc",
        },
    )

    complaint = Complaint.objects.get()
    assert (complaint.kind, complaint.status) == (Kind.NOT_ADMISSIBLE, Status.CLOSED)
    question.refresh_from_db()
    assert question.decision_reason == "Enregistré comme « Non recevable » (REC-2026-0001)."


def test_register_with_a_wrong_email_shows_the_error(referent_client, question):
    response = referent_client.post(
        page(question.pk, "register"), {"kind": Kind.COMPLAINT, "client_email": "julie@"}
    )

    assert response.status_code == 400
    assert response.context["register_form"].errors["client_email"] == [
        "Adresse e-mail invalide : vérifiez qu'elle a la forme nom@domaine.fr."
    ]


def test_attach_adds_the_message_to_the_complaint_chronology(
    referent_client, referent, organisation, question
):
    complaint = make_complaint(organisation, referent)

    response = referent_client.post(
        page(question.pk, "attach"), {"reference": complaint.reference.lower()}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("complaint_detail", args=[complaint.reference])
    event = complaint.events.get(event_type=EventType.MESSAGE_RECEIVED)
    assert event.actor == referent
    assert event.data["subject"] == "Dates de la prochaine session ?"
    assert event.document.role == DocumentRole.RECEIVED_MESSAGE
    question.refresh_from_db()
    assert (question.outcome, question.complaint, question.decided_by) == (
        IntakeOutcome.ATTACHED_FROM_TRIAGE,
        complaint,
        referent,
    )
    assert question.decision_reason == f"Rattaché à la réclamation {complaint.reference}."


def test_attach_a_quarantined_message_keeps_its_bytes(
    referent_client, referent, organisation, garbage
):
    complaint = make_complaint(organisation, referent)

    referent_client.post(page(garbage.pk, "attach"), {"reference": complaint.reference})

    event = complaint.events.get(event_type=EventType.MESSAGE_RECEIVED)
    assert event.data["subject"] == "(message illisible)"
    assert event.document.sha256 == hashlib.sha256(raw("garbage.bin.eml")).hexdigest()


def test_attach_to_an_unknown_reference_shows_the_error(referent_client, question):
    response = referent_client.post(page(question.pk, "attach"), {"reference": "REC-2026-0999"})

    assert response.status_code == 400
    assert response.context["attach_form"].errors["reference"] == [
        "Aucune réclamation « REC-2026-0999 » dans votre registre : vérifiez la référence "
        "(par exemple REC-2026-0042)."
    ]


def test_attach_to_a_complaint_of_another_organisation_is_refused(
    referent_client, other_organisation, question
):
    theirs = make_complaint(other_organisation)

    response = referent_client.post(page(question.pk, "attach"), {"reference": theirs.reference})

    assert response.status_code == 400
    assert not theirs.events.filter(event_type=EventType.MESSAGE_RECEIVED).exists()


def test_dismiss_needs_a_reason(referent_client, question):
    response = referent_client.post(page(question.pk, "dismiss"), {"reason": "  "})

    assert response.status_code == 400
    assert response.context["dismiss_form"].errors["reason"] == [
        "Indiquez pourquoi ce message est écarté : le motif est conservé."
    ]


def test_dismiss_records_who_when_and_why(referent_client, referent, question):
    response = referent_client.post(
        page(question.pk, "dismiss"), {"reason": "Question transmise au service commercial."}
    )

    assert response.status_code == 302
    assert response["Location"] == TRIAGE
    question.refresh_from_db()
    assert (question.outcome, question.decided_by, question.decided_at) == (
        IntakeOutcome.DISMISSED,
        referent,
        NOW,
    )
    assert question.decision_reason == "Question transmise au service commercial."
    text = text_of(referent_client.get(TRIAGE))
    assert "Aucun message en attente de tri." in text
    assert "Écarté" in text
    assert "Question transmise au service commercial." in text


def test_a_decided_message_cannot_be_decided_again(referent_client, referent, question):
    referent_client.post(page(question.pk, "dismiss"), {"reason": "Publicité."})

    response = referent_client.post(
        page(question.pk, "register"), {"kind": Kind.COMPLAINT}, follow=True
    )

    assert response.redirect_chain == [(page(question.pk), 302)]
    assert "Ce message a déjà été traité (écarté) : aucune nouvelle décision" in text_of(response)
    assert not Complaint.objects.exists()


# --- the complaint page -------------------------------------------------------------------------


def test_complaint_page_says_when_the_awaited_answer_arrived(
    referent_client, referent, organisation
):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "La session concernée.", "sent_via": "letter"},
    )
    answer = (
        "From: Julie Martin <julie.martin@example.org>\r\n"
        f"Subject: Re: {complaint.reference}\r\n"
        "Message-ID: <answer.7@example.org>\r\n"
        "\r\n"
        "Session du 12 octobre.\r\n"
    ).encode()
    notice = "Un message du client est arrivé : enregistrez les informations reçues"
    url = reverse("complaint_detail", args=[complaint.reference])
    assert notice not in text_of(referent_client.get(url))

    receive(organisation, answer)

    assert notice in text_of(referent_client.get(url))
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="record_information",
        data={"summary": "Session du 12 octobre."},
    )
    assert notice not in text_of(referent_client.get(url))


def test_a_forward_shows_the_original_sender_and_proposes_the_original(
    referent_client, organisation
):
    forward = receive(organisation, raw("forward-apple-mail-fr-html-only.eml"))

    response = referent_client.get(page(forward.pk))

    text = text_of(response)
    assert (
        "E-mail transféré Transfert d'un e-mail de Marc Petit <marc.petit@example.fr>, écrit le "
        "11/03/2026 à 21:17, objet « Formation Excel du 10 mars ». Enregistré comme réclamation, "
        "son client est l'expéditeur d'origine, sa réception le 11/03/2026 à 21:17, et Léa "
        "Garnier <l.garnier@ccs-legal.fr> le témoin de cette réception."
    ) in text
    assert response.context["register_form"].initial == {
        "client_name": "Marc Petit",
        "client_email": "marc.petit@example.fr",
        "description": (
            "Bonjour,\n\nLe formateur n\u2019est pas venu le 10 mars et personne ne nous a "
            "prévenus.\n\nMarc Petit"
        ),
    }


def test_a_message_that_is_no_forward_says_nothing_of_one(referent_client, question):
    response = referent_client.get(page(question.pk))

    assert "E-mail transféré" not in text_of(response)


# --- hostile HTML (issue 11) --------------------------------------------------------------------


def reply_chain(depth: int) -> bytes:
    """An HTML-only message quoting `depth` replies, each inside the last: about 1 MB at 10,000
    (nh3 took minutes on it, and the page could never be shown)."""
    reply = (
        "<blockquote><p>Le 3 mars, Client {0} a écrit :</p>"
        "<p>Réponse {0} : la session reste à reprogrammer, merci de nous tenir informés.</p>"
    )
    html = "".join(reply.format(number) for number in range(depth))
    html += "<p>Premier message : la formation du 2 mars n'a pas eu lieu.</p>"
    return (
        "From: Client <client@example.fr>\r\n"
        "Subject: Re: session\r\n"
        "Message-ID: <reply-chain@example.fr>\r\n"
        "Date: Mon, 26 Oct 2026 09:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "\r\n" + html + "</blockquote>" * depth + "\r\n"
    ).encode()


def test_html_too_deep_to_show_is_shown_as_its_whole_text_with_the_original(
    referent_client, organisation
):
    data = reply_chain(10_000)
    assert len(data) > 1_000_000
    inbound = receive(organisation, data)

    response = referent_client.get(page(inbound.pk))

    body = response.content.decode()
    text = text_of(response)
    assert response.status_code == 200
    assert (
        "Message HTML trop volumineux pour être affiché tel quel : voici son texte ; "
        "l'original est conservé ( télécharger le fichier .eml )."
    ) in text
    assert f'href="{page(inbound.pk, "raw")}" download>télécharger le fichier .eml' in body
    assert "<blockquote>" not in body
    assert "Réponse 9999 : la session reste à reprogrammer" in text
    assert text.count("a écrit :") == 2 * 10_000  # the message, and the form's description
    description = response.context["register_form"].initial["description"]
    assert description.endswith(
        "Réponse 9999 : la session reste à reprogrammer, merci de nous tenir informés.\n\n"
        "Premier message : la formation du 2 mars n'a pas eu lieu."
    )
    assert referent_client.get(page(inbound.pk, "raw")).getvalue() == data


def test_a_complaint_registered_from_html_too_deep_shows_its_text(referent_client, organisation):
    inbound = receive(organisation, reply_chain(10_000))
    description = (
        referent_client.get(page(inbound.pk)).context["register_form"].initial["description"]
    )

    response = referent_client.post(
        page(inbound.pk, "register"),
        {
            "kind": Kind.COMPLAINT,
            "client_name": "Client",
            "client_email": "client@example.fr",
            "description": description,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert Complaint.objects.get().description == description
    assert "Premier message : la formation du 2 mars n'a pas eu lieu." in text_of(response)


def test_svg_and_math_in_a_message_keep_their_text(referent_client, organisation):
    inbound = receive(
        organisation,
        HTML_QUESTION.replace(
            b"<p onclick",
            b'<svg><style>Je maintiens ma demande, <a href="https://x.fr">voir ici</a>.'
            b"</svg><math><mi>x</mi></math><p onclick",
        ),
    )

    response = referent_client.get(page(inbound.pk))

    assert "Je maintiens ma demande, voir ici.x" in text_of(response)
    assert "Message HTML trop volumineux" not in text_of(response)
