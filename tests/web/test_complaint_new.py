"""Registering a complaint from the staff form."""

import hashlib

from django.urls import reverse

from reclamations.complaints.enums import DocumentRole, EventType, Status
from reclamations.complaints.models import Complaint, ComplaintEvent, Document

from .helpers import PDF, field_errors, messages_of, text_of, upload

NEW = reverse("complaint_new")


def _letter(**changes):
    """What staff type for a letter received this morning."""
    return {
        "channel": "letter",
        "received_date": "2026-11-02",
        "received_time": "08:30",
        "client_name": "Julie Martin",
        "client_account": "CLI-001",
        "description": "Trois séances annulées sans préavis.",
        "kind": "complaint",
        "severity": "medium",
        "confirmation_requested_via": "email",
        **changes,
    }


def test_new_complaint_form_defaults_to_now_in_organisation_zone(referent_client):
    response = referent_client.get(NEW)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="received_date" value="2026-11-02"' in page
    assert 'name="received_time" value="10:00"' in page
    assert (
        '<label for="id_confirmation_requested_via">Confirmation écrite demandée par</label>'
        in (page)
    )
    assert "Laissé vide, il est déduit du financement" in page


def test_new_complaint_registers_and_redirects_with_message(referent_client, referent):
    response = referent_client.post(
        NEW, {**_letter(), "original": upload("courrier.pdf", PDF)}, follow=True
    )

    complaint = Complaint.objects.get()
    assert response.redirect_chain == [(f"/reclamations/{complaint.reference}/", 302)]
    assert messages_of(response) == ["Réclamation REC-2026-0001 enregistrée."]
    assert (complaint.reference, complaint.status, complaint.channel) == (
        "REC-2026-0001",
        Status.IN_PROGRESS,
        "letter",
    )
    assert complaint.received_at.isoformat() == "2026-11-02T07:30:00+00:00"
    assert (complaint.client_name, complaint.client_account) == ("Julie Martin", "CLI-001")
    assert complaint.registered_by == referent
    document = Document.objects.get()
    assert (document.original_name, document.role, document.sha256) == (
        "courrier.pdf",
        "original",
        hashlib.sha256(PDF).hexdigest(),
    )


def test_new_complaint_text_is_kept_with_line_breaks(referent_client):
    referent_client.post(NEW, _letter(description="Ligne 1\r\nLigne 2"))

    assert Complaint.objects.get().description == "Ligne 1\nLigne 2"


def test_new_complaint_client_type_derived_from_funding(referent_client):
    referent_client.post(NEW, _letter(funding="cpf", client_type=""))

    assert Complaint.objects.get().client_type == "consumer"


def test_new_complaint_phone_records_confirmation_request(referent_client):
    referent_client.post(
        NEW,
        _letter(
            channel="phone",
            confirmation_requested_via="letter",
            client_address="12 rue des Lilas\n06400 Cannes",
        ),
    )

    complaint = Complaint.objects.get()
    assert complaint.status == Status.AWAITING_CONFIRMATION
    events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("sequence"))
    assert [event.event_type for event in events] == [
        EventType.REGISTERED,
        EventType.CONFIRMATION_REQUESTED,
    ]
    assert events[1].data["sent_via"] == "letter"
    # The request by post is printed with the registration, kept as the letter sent.
    assert events[1].document.role == DocumentRole.SENT_LETTER
    assert events[1].document.original_name.startswith("demande-de-confirmation-")


def test_new_complaint_backdated_without_reason_shows_message_and_keeps_input(referent_client):
    response = referent_client.post(
        NEW, _letter(received_date="2026-10-30", client_name="Julie Martin-Durand")
    )

    assert response.status_code == 400
    assert field_errors(response, "backdating_reason") == [
        "La réception est antérieure à aujourd'hui : indiquez pourquoi elle est enregistrée "
        "maintenant (ce motif est conservé dans la chronologie)."
    ]
    page = response.content.decode()
    assert (
        'aria-describedby="id_backdating_reason_helptext id_backdating_reason_error '
        'id_backdating_reason_reminder"'
    ) in page
    assert 'value="Julie Martin-Durand"' in page
    assert 'name="received_date" value="2026-10-30"' in page
    assert "\nTrois séances annulées sans préavis.</textarea>" in page
    assert Complaint.objects.count() == 0


def test_new_complaint_backdated_with_reason_is_registered(referent_client):
    referent_client.post(
        NEW,
        _letter(
            received_date="2026-10-30", backdating_reason="Courrier ouvert au retour de congé."
        ),
    )

    complaint = Complaint.objects.get()
    assert (complaint.received_on.isoformat(), complaint.backdating_reason) == (
        "2026-10-30",
        "Courrier ouvert au retour de congé.",
    )


def test_new_complaint_future_reception_refused(referent_client):
    response = referent_client.post(NEW, _letter(received_time="12:00"))

    assert field_errors(response, "received_date") == [
        "La date de réception est dans le futur : corrigez-la."
    ]
    assert Complaint.objects.count() == 0


def test_new_complaint_without_reception_date_says_so(referent_client):
    response = referent_client.post(NEW, _letter(received_date="", received_time=""))

    assert field_errors(response, "received_date") == ["Indiquez la date et l'heure de réception."]
    assert Complaint.objects.count() == 0


def test_new_complaint_without_channel_says_what_to_choose(referent_client):
    response = referent_client.post(NEW, _letter(channel=""))

    assert response.status_code == 400
    assert field_errors(response, "channel") == [
        "Choisissez le canal par lequel la réclamation est arrivée."
    ]
    assert 'aria-describedby="id_channel_error"' in response.content.decode()


def test_new_complaint_not_admissible_requires_reason(referent_client):
    response = referent_client.post(NEW, _letter(kind="not_admissible"))

    assert field_errors(response, "not_admissible_reason") == [
        "Indiquez pourquoi la demande n'est pas une réclamation recevable."
    ]


def test_new_complaint_invalid_email_message_from_service(referent_client):
    response = referent_client.post(NEW, _letter(client_email="julie.martin"))

    assert field_errors(response, "client_email") == [
        "Adresse e-mail invalide : vérifiez qu'elle a la forme nom@domaine.fr."
    ]


def test_new_complaint_text_file_named_pdf_refused(referent_client):
    response = referent_client.post(
        NEW, {**_letter(), "original": upload("lettre.pdf", b"Bonjour, ceci est du texte.\n")}
    )

    assert response.status_code == 400
    assert field_errors(response, "original") == [
        "Le fichier « lettre.pdf » n'est pas un PDF, JPEG ou PNG valide (son contenu ne "
        "correspond pas). Enregistrez-le en PDF, JPEG ou PNG puis réessayez."
    ]
    assert Complaint.objects.count() == 0
    assert Document.objects.count() == 0


def test_new_complaint_upload_over_limit_refused(referent_client, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    too_big = PDF + b"0" * (2048 - len(PDF))

    response = referent_client.post(NEW, {**_letter(), "original": upload("gros.pdf", too_big)})

    assert field_errors(response, "original") == [
        "Le fichier « gros.pdf » pèse 2 Ko : la limite est de 1 Ko. Réduisez la résolution du "
        "scan ou découpez le document."
    ]
    assert Complaint.objects.count() == 0


def test_new_complaint_file_must_be_chosen_again_after_error(referent_client):
    response = referent_client.post(
        NEW, {**_letter(channel=""), "original": upload("courrier.pdf", PDF)}
    )

    assert (
        "Le fichier « courrier.pdf » n'a pas été conservé : choisissez-le à nouveau avant "
        "d'enregistrer."
    ) in text_of(response)


def test_new_complaint_incomplete_when_account_missing(referent_client):
    response = referent_client.post(NEW, _letter(client_account=""), follow=True)

    assert Complaint.objects.get().status == Status.INCOMPLETE
    assert "Fiche incomplète : il manque compte client." in text_of(response)
