"""Workflow actions from the complaint page: one form each, applied through complaint_apply."""

import hashlib

import pytest
from django.urls import reverse

from reclamations.complaints.apply import complaint_apply
from reclamations.complaints.enums import EventType, Status
from reclamations.complaints.models import Complaint, ComplaintEvent
from tests.clock import at
from tests.factories import complaint_in_state, make_complaint
from tests.pdf_text import pdf_pages

from .helpers import PDF, field_errors, messages_of, png, text_of, upload

REPLY = {
    "channel": "email",
    "resolution": "Séances reprogrammées.",
    "text": "Vos séances sont reprogrammées.",
}


def _url(complaint, action):
    return reverse("complaint_action", args=[complaint.reference, action])


# action -> (state it needs, the form's field names in order)
FORMS = {
    "request_confirmation": ("awaiting_confirmation", ["channel"]),
    "request_information": (
        "in_progress",
        ["missing", "sent_via", "sent_on", "message", "enclosures"],
    ),
    "record_information": (
        "awaiting_information",
        ["received_on", "summary", "client_name", "client_account", "description", "document"],
    ),
    "record_confirmation": (
        "awaiting_confirmation",
        [
            "received_on",
            "via",
            "summary",
            "client_name",
            "client_account",
            "description",
            "document",
        ],
    ),
    "update_details": (
        "in_progress",
        [
            "client_name",
            "client_account",
            "funding",
            "client_type",
            "client_email",
            "client_phone",
            "client_address",
            "client_language",
            "training",
            "session",
            "trainer",
            "funder",
            "description",
            "remedy_sought",
            "kind",
            "not_admissible_reason",
            "category",
            "severity",
            "received_date",
            "received_time",
            "reason",
        ],
    ),
    "add_action": ("in_progress", ["description", "done_on", "done_by", "document"]),
    "add_note": ("in_progress", ["text"]),
    "add_document": ("in_progress", ["document", "role", "description"]),
    "reply": (
        "in_progress",
        [
            "replied_on",
            "channel",
            "registered_number",
            "resolution",
            "outcome",
            "text",
            "enclosures",
            "document",
        ],
    ),
    "close": ("replied", ["outcome", "closed_on", "client_acceptance", "comment"]),
    "declare_not_admissible": ("in_progress", ["reason"]),
    "reopen": ("closed", ["reason"]),
    "escalate_mediation": ("replied", ["seized_on", "mediator"]),
    "record_mediation_outcome": ("mediation", ["outcome", "decided_on"]),
    "escalate_litigation": ("replied", ["started_on", "court"]),
    "record_litigation_outcome": ("litigation", ["outcome", "decided_on"]),
}


@pytest.mark.parametrize("action", list(FORMS))
def test_action_form_shows_its_fields(referent_client, organisation, referent, action):
    state, names = FORMS[action]
    complaint = complaint_in_state(organisation, referent, state)

    response = referent_client.get(_url(complaint, action))

    assert response.status_code == 200
    assert list(response.context["form"].fields) == names


# action -> (state it needs, POST data, status after, event type)
SUCCESSES = {
    "request_information": (
        "in_progress",
        {"missing": "Le compte client.", "sent_via": "email", "sent_on": "2026-11-02"},
        Status.AWAITING_INFORMATION,
        EventType.INFORMATION_REQUESTED,
    ),
    "record_information": (
        "awaiting_information",
        {"received_on": "2026-11-02", "summary": "Compte donné par téléphone."},
        Status.IN_PROGRESS,
        EventType.INFORMATION_RECEIVED,
    ),
    "record_confirmation": (
        "awaiting_confirmation",
        {"received_on": "2026-11-02", "via": "email", "summary": "Courriel reçu."},
        Status.IN_PROGRESS,
        EventType.CONFIRMATION_RECEIVED,
    ),
    "add_action": (
        "in_progress",
        {"description": "Appel du formateur.", "done_on": "2026-11-02", "done_by": "Fanny"},
        Status.IN_PROGRESS,
        EventType.ACTION_ADDED,
    ),
    "add_note": ("in_progress", {"text": "À rappeler."}, Status.IN_PROGRESS, EventType.NOTE_ADDED),
    "reply": ("in_progress", REPLY, Status.REPLIED, EventType.REPLIED),
    "close": (
        "replied",
        {"outcome": "rejected", "closed_on": "2026-11-02", "client_acceptance": "unknown"},
        Status.CLOSED,
        EventType.CLOSED,
    ),
    "declare_not_admissible": (
        "in_progress",
        {"reason": "Simple demande de dates."},
        Status.CLOSED,
        EventType.DECLARED_NOT_ADMISSIBLE,
    ),
    "reopen": ("closed", {"reason": "Le client conteste."}, Status.IN_PROGRESS, EventType.REOPENED),
    "escalate_mediation": (
        "replied",
        {"seized_on": "2026-11-02", "mediator": "Alpes-Maritimes Médiation"},
        Status.REPLIED,
        EventType.MEDIATION_SEIZED,
    ),
    "record_mediation_outcome": (
        "mediation",
        {"outcome": "Accord trouvé.", "decided_on": "2026-11-02"},
        Status.REPLIED,
        EventType.MEDIATION_OUTCOME,
    ),
    "escalate_litigation": (
        "replied",
        {"started_on": "2026-11-02", "court": "Tribunal judiciaire de Grasse"},
        Status.REPLIED,
        EventType.LITIGATION_STARTED,
    ),
    "record_litigation_outcome": (
        "litigation",
        {"outcome": "Demande rejetée.", "decided_on": "2026-11-02"},
        Status.REPLIED,
        EventType.LITIGATION_OUTCOME,
    ),
}
SUCCESS_MESSAGES = {
    "request_information": "demande d'informations enregistrée.",
    "record_information": "informations reçues enregistrées.",
    "record_confirmation": "confirmation écrite enregistrée.",
    "add_action": "action enregistrée.",
    "add_note": "note ajoutée.",
    "reply": "réponse enregistrée.",
    "close": "réclamation clôturée.",
    "declare_not_admissible": "réclamation déclarée non recevable.",
    "reopen": "réclamation rouverte.",
    "escalate_mediation": "saisine du médiateur enregistrée.",
    "record_mediation_outcome": "issue de la médiation enregistrée.",
    "escalate_litigation": "contentieux enregistré.",
    "record_litigation_outcome": "issue du contentieux enregistrée.",
}


@pytest.mark.parametrize("action", list(SUCCESSES))
def test_action_applied_redirects_with_message(referent_client, organisation, referent, action):
    state, data, status_after, event_type = SUCCESSES[action]
    complaint = complaint_in_state(organisation, referent, state)

    response = referent_client.post(_url(complaint, action), data, follow=True)

    complaint.refresh_from_db()
    last = ComplaintEvent.objects.filter(complaint=complaint).order_by("-sequence").first()
    assert response.redirect_chain == [(f"/reclamations/{complaint.reference}/", 302)]
    assert messages_of(response) == [f"{complaint.reference} : {SUCCESS_MESSAGES[action]}"]
    assert (complaint.status, last.event_type, last.actor) == (status_after, event_type, referent)


def test_action_dates_default_to_today(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.get(_url(complaint, "request_information"))

    assert 'name="sent_on" value="2026-11-02"' in response.content.decode()


def test_add_action_done_by_defaults_to_user_name(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.get(_url(complaint, "add_action"))

    assert response.context["form"]["done_by"].value() == "Referente"


def test_mediation_and_court_default_to_organisation_settings(
    referent_client, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "replied")

    mediation = referent_client.get(_url(complaint, "escalate_mediation"))
    litigation = referent_client.get(_url(complaint, "escalate_litigation"))

    assert mediation.context["form"]["mediator"].value() == "Alpes-Maritimes Médiation"
    assert litigation.context["form"]["court"].value() == "Tribunal judiciaire de Grasse"


def test_action_validation_error_shows_message_and_keeps_input(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)

    response = referent_client.post(
        _url(complaint, "reply"),
        {"replied_on": "2026-11-02", "channel": "email", "resolution": "Remboursement partiel."},
    )

    assert response.status_code == 400
    assert field_errors(response, "text") == [
        "Saisissez le texte de la réponse ou joignez la copie envoyée."
    ]
    assert "\nRemboursement partiel.</textarea>" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


def test_action_future_date_refused_on_its_field(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.post(
        _url(complaint, "add_action"), {"description": "Appel.", "done_on": "2026-11-03"}
    )

    assert field_errors(response, "done_on") == [
        "Cette date est dans le futur : indiquez la date réelle."
    ]


def test_action_empty_note_refused(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.post(_url(complaint, "add_note"), {"text": "  "})

    assert response.status_code == 400
    assert field_errors(response, "text") == ["La note est vide."]


def test_close_requires_one_of_three_outcomes(referent_client, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")

    response = referent_client.post(_url(complaint, "close"), {"closed_on": "2026-11-02"})

    assert field_errors(response, "outcome") == [
        "Choisissez l'issue : satisfaite, partiellement satisfaite ou rejetée."
    ]


def test_action_not_allowed_by_status_shows_message_with_409(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)

    response = referent_client.get(_url(complaint, "close"))
    posted = referent_client.post(_url(complaint, "close"), {"outcome": "granted"})

    message = "Action « Clôturer » impossible : la réclamation est « en cours de traitement »."
    assert (response.status_code, posted.status_code) == (409, 409)
    assert message in text_of(response)
    link = reverse("complaint_detail", args=[complaint.reference])
    assert f'<a class="button" href="{link}">Retour à la réclamation' in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


def test_mediation_outcome_without_mediation_is_409(referent_client, organisation, referent):
    complaint = complaint_in_state(organisation, referent, "replied")

    response = referent_client.post(
        _url(complaint, "record_mediation_outcome"), {"outcome": "Accord."}
    )

    assert response.status_code == 409
    assert "Aucune médiation n'est en cours pour cette réclamation." in text_of(response)


def test_unknown_action_is_404(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.get(_url(complaint, "delete"))

    assert response.status_code == 404
    assert "Action inconnue « delete »." in text_of(response)


def test_update_details_prefilled_with_current_values(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent, received_at=at(2026, 11, 2, 8, 45))

    response = referent_client.get(_url(complaint, "update_details"))

    form = response.context["form"]
    assert (form["client_name"].value(), form["client_account"].value()) == (
        "Julie Martin",
        "CLI-001",
    )
    page = response.content.decode()
    assert 'name="received_date" value="2026-11-02"' in page
    assert 'name="received_time" value="08:45"' in page


def test_update_details_records_only_what_changed(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    form = referent_client.get(_url(complaint, "update_details")).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["client_name"] = "Julie Martin-Durand"

    referent_client.post(_url(complaint, "update_details"), data)

    event = ComplaintEvent.objects.filter(complaint=complaint).order_by("-sequence").first()
    assert (event.event_type, event.data["changes"]) == (
        EventType.DETAILS_UPDATED,
        {"client_name": ["Julie Martin", "Julie Martin-Durand"]},
    )


def test_update_details_partial_post_changes_only_given_fields(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, training="Excel")

    referent_client.post(_url(complaint, "update_details"), {"client_account": "CLI-042"})

    complaint.refresh_from_db()
    event = ComplaintEvent.objects.filter(complaint=complaint).order_by("-sequence").first()
    assert event.data["changes"] == {"client_account": ["CLI-001", "CLI-042"]}
    assert (complaint.training, complaint.received_on.isoformat()) == ("Excel", "2026-11-02")


def test_update_details_new_reception_date_requires_reason(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.post(
        _url(complaint, "update_details"),
        {"received_date": "2026-10-30", "received_time": "09:00"},
    )

    assert response.status_code == 400
    assert field_errors(response, "reason") == [
        "Indiquez pourquoi la date de réception est corrigée."
    ]


def test_update_details_new_reception_date_moves_due_date(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    referent_client.post(
        _url(complaint, "update_details"),
        {"received_date": "2026-10-30", "received_time": "09:00", "reason": "Erreur de saisie."},
    )

    complaint.refresh_from_db()
    assert (complaint.received_on.isoformat(), complaint.due_date.isoformat()) == (
        "2026-10-30",
        "2026-11-12",
    )


def test_add_document_stores_png_with_role(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    image = png()

    referent_client.post(
        _url(complaint, "add_document"),
        {
            "role": "information",
            "description": "Photo de la salle",
            "document": upload("salle.png", image, "image/png"),
        },
    )

    document = Complaint.objects.get().documents.get()
    assert (document.original_name, document.role, document.content_type, document.sha256) == (
        "salle.png",
        "information",
        "image/png",
        hashlib.sha256(image).hexdigest(),
    )


def test_add_document_without_file_says_to_choose_one(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.post(_url(complaint, "add_document"), {"role": "attachment"})

    assert field_errors(response, "document") == ["Choisissez le fichier à joindre."]


def test_reply_with_text_file_named_pdf_refused(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    response = referent_client.post(
        _url(complaint, "reply"),
        {**REPLY, "document": upload("reponse.pdf", b"Ceci n'est pas un PDF.")},
    )

    assert field_errors(response, "document") == [
        "Le fichier « reponse.pdf » n'est pas un PDF, JPEG ou PNG valide (son contenu ne "
        "correspond pas). Enregistrez-le en PDF, JPEG ou PNG puis réessayez."
    ]
    assert (
        "Le fichier « reponse.pdf » n'a pas été conservé : choisissez-le à nouveau avant "
        "d'enregistrer."
    ) in text_of(response)
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


def test_a_scan_that_is_also_a_web_page_is_refused_and_nothing_stored(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    polyglot = b"%PDF-1.4\n1 0 obj << >> endobj\n<html><script>alert(1)</script></html>\n%%EOF\n"

    response = referent_client.post(
        _url(complaint, "add_document"),
        {"role": "attachment", "document": upload("scan.pdf", polyglot)},
    )

    assert field_errors(response, "document") == [
        "Le fichier « scan.pdf » contient du code (HTML, script ou PHP) : il n'est pas "
        "conservé, par sécurité. Imprimez-le en PDF (ou faites-en une capture) et joignez "
        "cette copie."
    ]
    assert not complaint.documents.exists()


def test_reply_with_copy_only_is_accepted(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    referent_client.post(
        _url(complaint, "reply"),
        {"channel": "letter", "resolution": "Remboursé.", "document": upload("copie.pdf", PDF)},
    )

    complaint.refresh_from_db()
    assert (complaint.status, complaint.documents.get().role) == (Status.REPLIED, "reply_copy")


def test_the_cause_is_chosen_from_the_organisations_list(referent_client, organisation, referent):
    organisation.cause_list = ["Salle inadaptée", "Retard de convocation"]
    organisation.save()
    complaint = make_complaint(organisation, referent)

    form = referent_client.get(_url(complaint, "analyse_cause")).context["form"]
    response = referent_client.post(
        _url(complaint, "analyse_cause"),
        {"cause": "Salle inadaptée", "cause_analysis": "Salle de 12 places pour 16."},
        follow=True,
    )

    assert form.fields["cause"].choices == [
        ("", "Choisissez la cause"),
        ("Salle inadaptée", "Salle inadaptée"),
        ("Retard de convocation", "Retard de convocation"),
    ]
    complaint.refresh_from_db()
    assert complaint.cause == "Salle inadaptée"
    assert "Cause Salle inadaptée Analyse Salle de 12 places pour 16." in text_of(response)


def test_a_complaint_without_a_cause_says_so_and_how(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    text = text_of(referent_client.get(reverse("complaint_detail", args=[complaint.reference])))

    assert "Cause non analysée. Utilisez « Analyser la cause »" in text


def test_the_closure_starts_from_the_outcome_the_reply_announced(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={**REPLY, "outcome": "partly_granted"},
    )

    page = referent_client.get(_url(complaint, "close")).content.decode()

    assert 'value="partly_granted" id="id_outcome_1" checked>' in page
    assert page.count(" checked") == 1


def test_the_closure_chooses_nothing_when_the_reply_did_not_say(
    referent_client, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "replied")

    page = referent_client.get(_url(complaint, "close")).content.decode()

    assert 'name="outcome"' in page
    assert " checked" not in page.split('name="outcome"', 1)[1].split("</fieldset>", 1)[0]


def test_no_acknowledgement_once_the_reply_has_gone_even_reopened(
    referent_client, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "closed")
    complaint_apply(
        complaint=complaint, actor=referent, action="reopen", data={"reason": "Client relancé."}
    )

    detail = text_of(referent_client.get(reverse("complaint_detail", args=[complaint.reference])))
    response = referent_client.post(_url(complaint, "send_acknowledgement"))

    assert "Envoyer l'accusé de réception" not in detail
    assert response.status_code == 409
    assert "un accusé de réception, qui annonce la date de la réponse, n'a plus lieu" in text_of(
        response
    )
    assert not ComplaintEvent.objects.filter(
        complaint=complaint, event_type=EventType.ACKNOWLEDGEMENT_QUEUED
    ).exists()


def _reply_form(**typed):
    return {
        "replied_on": "2026-11-02",
        "channel": "email",
        "resolution": "Séances reprogrammées.",
        "outcome": "",
        **typed,
    }


def test_the_reply_form_shows_what_the_message_adds_around_the_text(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, funding="cpf")

    page = text_of(referent_client.get(_url(complaint, "reply")))

    assert "Aperçu de l'e-mail" in page
    assert "Bonjour Julie Martin," in page
    assert "médiateur de la consommation" in page
    assert "Prévisualiser" in page


def test_previewing_a_reply_shows_it_as_it_will_go_and_applies_nothing(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, funding="cpf")
    typed = "Vos trois séances sont reprogrammées les 20, 21 et 22 mars."

    response = referent_client.post(
        _url(complaint, "reply"), _reply_form(text=typed, outcome="granted", preview="email")
    )

    page = response.content.decode()
    assert response.status_code == 200
    preview = page.split('class="mail-body">', 1)[1].split("</pre>", 1)[0]
    assert preview.startswith("Bonjour Julie Martin,\n\nVoici notre réponse")
    assert f"\n\n{typed}\n" in preview
    assert "médiateur" not in preview  # fully granted: no recourse to state
    assert f"{typed}</textarea>" in page  # what was typed is kept
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert not complaint.events.filter(event_type=EventType.REPLIED).exists()


def test_previewing_a_reply_that_greets_and_signs_itself_says_what_to_remove(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent)
    typed = "Madame,\n\nVos séances sont reprogrammées.\n\nBien cordialement,\nFanny"

    response = referent_client.post(
        _url(complaint, "reply"), _reply_form(text=typed, preview="email")
    )

    assert response.status_code == 400
    assert field_errors(response, "text") == [
        "Le message commence déjà par « Bonjour Julie Martin, » : retirez « Madame, » du début "
        "de votre texte.",
        "Le message se termine déjà par « Cordialement, » suivi de la signature : retirez "
        "« Bien cordialement, » et ce qui suit de la fin de votre texte.",
    ]
    assert "Bien cordialement," in text_of(response)  # kept, and shown in the preview
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


def test_the_letter_of_a_reply_is_previewed_as_a_pdf_and_nothing_is_kept(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")
    typed = "Vos trois séances sont reprogrammées les 20, 21 et 22 mars."

    response = referent_client.post(
        _url(complaint, "reply"), _reply_form(channel="letter", text=typed, preview="letter")
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="apercu-reponse-REC-2026-0001-2026-11-02.pdf"'
    )
    (page,) = pdf_pages(response.content)
    assert typed in page
    assert "06400 CANNES" in page
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert not complaint.documents.exists()


def test_a_letter_that_cannot_be_printed_is_not_previewed_the_form_says_why(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter", client_address="")

    response = referent_client.post(
        _url(complaint, "reply"),
        _reply_form(channel="letter", text="Reprogrammé.", preview="letter"),
    )

    assert response.status_code == 400
    assert field_errors(response, "channel") == [
        "Pour imprimer la lettre, il manque son adresse postale : complétez la fiche avec "
        "« Modifier la fiche »."
    ]


def test_the_register_and_the_page_say_how_the_reply_left_and_when_it_arrived(
    referent_client, organisation, referent
):
    complaint = complaint_in_state(organisation, referent, "replied_registered")
    detail_url = reverse("complaint_detail", args=[complaint.reference])

    waiting = text_of(referent_client.get(reverse("register")))
    page = text_of(referent_client.get(detail_url))
    referent_client.post(
        _url(complaint, "record_delivery"), {"delivered_on": complaint.replied_on.isoformat()}
    )
    delivered = text_of(referent_client.get(reverse("register")))

    assert "recommandé" in waiting and "avis de réception attendu" in waiting
    assert "recommandé avec AR n° 1A 234 567 8901 2" in page
    assert "Enregistrer l'avis de réception" in page
    assert f"distribuée le {complaint.replied_on:%d/%m/%Y}" in delivered
    assert "Enregistrer l'avis de réception" not in text_of(referent_client.get(detail_url))


def test_the_acknowledgement_letter_is_previewed_then_printed_from_the_page(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter", client_email="")

    form = referent_client.get(_url(complaint, "send_acknowledgement")).context["form"]
    preview = referent_client.post(
        _url(complaint, "send_acknowledgement"), {"channel": "letter", "preview": "letter"}
    )
    sent = referent_client.post(_url(complaint, "send_acknowledgement"), {"channel": "letter"})

    assert form["channel"].initial == "letter"  # no e-mail address: by post first
    assert preview["Content-Type"] == "application/pdf"
    assert "06400 CANNES" in pdf_pages(preview.content)[0]
    assert sent.status_code == 302
    (letter,) = complaint.documents.all()
    assert letter.original_name == "accuse-de-reception-REC-2026-0001-2026-11-02.pdf"


def test_the_reply_form_flags_a_mediator_the_settings_do_not_mark_as_listed(
    referent_client, organisation, referent
):
    organisation.mediator_cecmc_listed = False
    organisation.save()
    complaint = make_complaint(organisation, referent, funding="cpf")
    url = _url(complaint, "reply")

    unlisted = text_of(referent_client.get(url))
    organisation.mediator_cecmc_listed = True
    organisation.mediator_address = "12 avenue de la Paix\n06000 Nice"
    organisation.save()
    listed = text_of(referent_client.get(url))

    assert "n'est pas indiqué comme référencé par la CECMC" in unlisted
    assert "CECMC" not in listed


def test_a_reply_naming_an_unlisted_mediator_waits_for_a_manager(
    referent_client, manager_client, organisation, referent
):
    organisation.mediator_cecmc_listed = False
    organisation.save()
    complaint = make_complaint(organisation, referent, funding="cpf")
    reply = {
        "replied_on": "2026-11-02",
        "channel": "email",
        "resolution": "Refus motivé.",
        "outcome": "rejected",
        "text": "Les séances ont eu lieu comme prévu.",
    }

    refused = referent_client.post(_url(complaint, "reply"), reply)
    sent = manager_client.post(_url(complaint, "reply"), reply)

    assert refused.status_code == 400
    (error,) = refused.context["form"].errors["outcome"]
    assert "que les réglages n'indiquent pas comme référencé par la CECMC" in error
    assert "Un responsable doit la valider" in error
    assert sent.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "replied"


def test_a_printed_letter_is_offered_for_its_posting_to_be_recorded(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")
    referent_client.post(_url(complaint, "send_acknowledgement"), {"channel": "letter"})

    page = referent_client.get(reverse("complaint_detail", args=[complaint.reference]))
    form = referent_client.get(_url(complaint, "record_posting")).context["form"]
    letter_id, label = form.fields["letter"].choices[0]
    posted = referent_client.post(
        _url(complaint, "record_posting"), {"letter": letter_id, "posted_on": "2026-11-02"}
    )

    assert dict(page.context["actions"])["record_posting"] == "Enregistrer l'envoi d'un courrier"
    assert (
        label == f"accuse-de-reception-{complaint.reference}-2026-11-02.pdf (imprimé le 02/11/2026)"
    )
    assert form["letter"].initial == letter_id
    assert posted.status_code == 302
    page = referent_client.get(reverse("complaint_detail", args=[complaint.reference]))
    assert "record_posting" not in dict(page.context["actions"])
    assert "Courrier posté" in text_of(page)


def test_the_request_for_information_starts_with_what_the_record_lacks(
    referent_client, organisation, referent
):
    complaint = make_complaint(organisation, referent, client_account="")

    page = referent_client.get(_url(complaint, "request_information"))

    assert page.context["form"]["missing"].value() == "Compte client."
