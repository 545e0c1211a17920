"""The complaint page: header, deadline box, fields, warnings, documents, chronology, actions."""

import hashlib
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.services import complaint_apply
from reclamations.intake.models import IntakeSource
from reclamations.intake.services import intake_process
from tests.clock import at
from tests.factories import make_complaint

from .helpers import PDF, text_of, upload


def _url(complaint):
    return reverse("complaint_detail", args=[complaint.reference])


def test_detail_shows_header_deadline_and_procedure_fields(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 11, 2, 8, 45))

    response = referent_client.get(_url(complaint))

    text = text_of(response)
    assert response.status_code == 200
    assert (
        "Réclamation REC-2026-0001 En cours de traitement Nature : Réclamation Canal : E-mail"
    ) in text
    assert "Délai de réponse Échéance : 14/11/2026 10 j restants" in text
    assert (
        "Date de réception 02/11/2026 à 08:45 Nom du client Julie Martin Compte client CLI-001 "
        "Description Trois séances annulées sans préavis."
    ) in text
    assert "Version de la procédure CCS procédure réclamations v1" in text


def test_detail_times_shown_in_organisation_time_zone(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 11, 2, 8, 45))
    organisation.time_zone = "Indian/Reunion"
    organisation.save()

    text = text_of(referent_client.get(_url(complaint)))

    assert "Date de réception 02/11/2026 à 11:45" in text
    assert "Enregistrée le 02/11/2026 à 13:00 par Referente" in text


def test_detail_overdue_shows_red_badge(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 10, 19))

    response = referent_client.get(_url(complaint))

    assert '<span class="badge badge-danger">En retard de 2 j</span>' in response.content.decode()


def test_detail_incomplete_warning_lists_missing_fields(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, client_account="", description="")

    response = referent_client.get(_url(complaint))

    text = text_of(response)
    assert "Fiche incomplète : il manque compte client, description." in text
    assert "Compte client Non renseigné" in text


def test_detail_no_incomplete_warning_once_declared_not_admissible(
    referent_client, organisation, referent
):
    complaint = make_complaint(
        organisation,
        referent,
        client_account="",
        kind="not_admissible",
        not_admissible_reason="Simple demande d'information.",
    )

    text = text_of(referent_client.get(_url(complaint)))

    assert "Clôturée" in text
    assert "Fiche incomplète" not in text


def test_detail_phone_complaint_awaiting_confirmation_warning(
    referent_client, organisation, referent
):
    organisation.phone_clock = "confirmation"
    organisation.save()
    complaint = make_complaint(organisation, referent, channel="phone")

    response = referent_client.get(_url(complaint))

    text = text_of(response)
    assert "Échéance fixée à la réception de la confirmation écrite." in text
    assert (
        "Confirmation écrite attendue : réclamation reçue par téléphone, la confirmation écrite "
        "demandée au client n'est pas encore arrivée."
    ) in text


def test_detail_replied_shows_reply_date_and_on_time(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={
            "channel": "letter",
            "resolution": "Séances reprogrammées.",
            "text": "Reprogrammées.",
        },
    )

    response = referent_client.get(_url(complaint))

    text = text_of(response)
    assert "Répondue le 02/11/2026 (dans le délai) , échéance du 14/11/2026." in text
    assert "Résolution Séances reprogrammées." in text
    assert "Réponse 02/11/2026, courrier (dans le délai)" in text


def test_detail_documents_with_short_hash_and_download_link(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={"role": "attachment"},
        document=upload("emargement.pdf", PDF),
    )
    digest = hashlib.sha256(PDF).hexdigest()
    document = complaint.documents.get()

    response = referent_client.get(_url(complaint))

    page = response.content.decode()
    link = reverse("document_download", args=[complaint.reference, document.pk])
    assert f'<a href="{link}" download>emargement.pdf</a>' in page
    assert f'<code title="{digest}">{digest[:12]}…</code>' in page
    assert "emargement.pdf Pièce jointe 1 Ko" in text_of(response)


def test_detail_chronology_in_order_with_readable_data(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, client_account="")
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="update_details",
        data={"client_account": "CLI-042", "reason": "Compte retrouvé dans le CRM."},
    )
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_action",
        data={"description": "Appel au formateur.", "done_by": "Fanny Maltese"},
    )
    events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("sequence"))

    response = referent_client.get(_url(complaint))

    text = text_of(response)
    assert [entry.label for entry in response.context["timeline"]] == [
        "Réclamation enregistrée",
        "Fiche modifiée",
        "Action menée",
    ]
    assert (
        "Fiche modifiée Le 02/11/2026 · enregistré le 02/11/2026 à 10:00 · par Referente "
        "Statut : Incomplète → En cours de traitement Détail Motif Compte retrouvé dans le CRM. "
        "Modifications Compte client : (vide) → CLI-042"
    ) in text
    assert (
        "Action menée Le 02/11/2026 · enregistré le 02/11/2026 à 10:00 · par Referente "
        "Détail Description Appel au formateur. Réalisée par Fanny Maltese"
    ) in text
    assert "Informations manquantes compte client" in text
    page = response.content.decode()
    for event in events:
        assert f'<code title="{event.hash}">{event.hash[:12]}…</code>' in page


def test_detail_close_event_shows_outcome_label(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={
            "channel": "email",
            "resolution": "Remboursement.",
            "text": "Votre demande est acceptée.",
        },
    )
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="close",
        data={"outcome": "partly_granted", "client_acceptance": "disputed", "comment": "Suite"},
    )

    text = text_of(referent_client.get(_url(complaint)))

    assert (
        "Réclamation clôturée Le 02/11/2026 · enregistré le 02/11/2026 à 10:00 · par Referente "
        "Statut : Répondue → Clôturée Détail Commentaire Suite Modifications Issue : Partiellement "
        "satisfaite Clôturée le : 02/11/2026 Position du client : Contestée par le client"
    ) in text


def test_detail_action_buttons_follow_workflow_for_handler(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.get(_url(complaint))

    assert response.context["actions"] == [
        ("request_information", "Demander des informations complémentaires"),
        ("update_details", "Modifier la fiche"),
        ("add_action", "Ajouter une action"),
        ("analyse_cause", "Analyser la cause"),
        ("add_note", "Ajouter une note"),
        ("add_document", "Joindre un document"),
        ("reply", "Répondre au client"),
        ("declare_not_admissible", "Déclarer non recevable"),
        ("send_acknowledgement", "Envoyer l'accusé de réception"),
        ("send_progress", "Informer le client de l'avancement"),
    ]
    link = reverse("complaint_action", args=[complaint.reference, "reply"])
    assert f'<a class="button" href="{link}">Répondre au client</a>' in response.content.decode()


def test_detail_offers_mediation_outcome_only_after_seizing(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={"channel": "email", "resolution": "Refus.", "text": "Votre demande est acceptée."},
    )
    before = [name for name, _ in referent_client.get(_url(complaint)).context["actions"]]
    complaint_apply(complaint=complaint, actor=referent, action="escalate_mediation", data={})
    after = [name for name, _ in referent_client.get(_url(complaint)).context["actions"]]

    assert ("escalate_mediation" in before, "record_mediation_outcome" in before) == (True, False)
    assert ("escalate_mediation" in after, "record_mediation_outcome" in after) == (False, True)


def test_detail_auditor_sees_no_action_button(auditor_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = auditor_client.get(_url(complaint))

    assert response.status_code == 200
    assert response.context["actions"] == []
    assert "/actions/" not in response.content.decode()


def test_detail_query_count_does_not_depend_on_events(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    referent_client.get(_url(complaint))  # warm-up: first-use queries of the session
    with CaptureQueriesContext(connection) as few_events:
        referent_client.get(_url(complaint))
    for number in range(10):
        complaint_apply(
            complaint=complaint, actor=referent, action="add_note", data={"text": f"Note {number}"}
        )
        complaint_apply(
            complaint=complaint,
            actor=referent,
            action="add_document",
            data={},
            document=upload(f"piece-{number}.pdf", PDF),
        )
    with CaptureQueriesContext(connection) as many_events:
        response = referent_client.get(_url(complaint))

    assert len(response.context["timeline"]) == 21
    assert len(many_events) == len(few_events)


def test_detail_shows_an_attached_outlook_message_and_unpacked_files(referent_client, organisation):
    fixtures = Path(__file__).parents[1] / "intake" / "fixtures"
    references = [
        intake_process(
            organisation=organisation,
            raw=(fixtures / name).read_bytes(),
            arrived_at=at(2026, 3, 2, 9, 15),
            source=IntakeSource.EML,
        ).reference
        for name in ("outlook-msg-attachment.eml", "outlook-winmail-dat.eml")
    ]

    msg_page = text_of(referent_client.get(reverse("complaint_detail", args=[references[0]])))
    winmail_page = text_of(referent_client.get(reverse("complaint_detail", args=[references[1]])))

    assert (
        "message Outlook de Paul Martin <paul.martin@example.com>, envoyé le 02/03/2026 à "
        "08:30 UTC, objet « Commande 4512 livrée incomplète »"
    ) in msg_page
    assert "photo.png (extraite de winmail.dat) : conservée comme document" in winmail_page
