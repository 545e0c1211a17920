"""The managers' page for the wording of messages to clients."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reclamations.complaints.notifications.wording import DEFAULT_TEMPLATES
from reclamations.outbox.models import MessageTemplate, OutgoingMessage
from tests.factories import make_complaint
from tests.pdf_text import pdf_text

from .helpers import field_errors, messages_of, text_of

LIST = reverse("message_templates")


def _edit(kind: str) -> str:
    return reverse("message_template_edit", args=[kind])


def test_list_shows_every_client_message_with_its_default_state(manager_client):
    response = manager_client.get(LIST)

    assert response.status_code == 200
    lines = response.context["lines"]
    assert [line.kind for line in lines] == [
        "acknowledgement",
        "confirmation_request",
        "information_request",
        "progress",
        "reply",
        "closure",
    ]
    assert [line.own for line in lines] == [None] * 6
    page = text_of(response)
    assert "Accusé de réception" in page
    assert page.count("Texte par défaut") == 6


def test_list_warns_when_the_mediator_address_is_missing(manager_client):
    page = text_of(manager_client.get(LIST))

    assert (
        "Réglages incomplets : renseignez l'adresse du médiateur (page Réglages). Une réponse à "
        "un consommateur doit indiquer le nom, l'adresse et le site du médiateur"
    ) in page


def test_no_warning_once_the_recourse_settings_are_complete(manager_client, organisation):
    organisation.mediator_address = "1 rue de la Paix\n06000 Nice"
    organisation.save()

    assert "Réglages incomplets" not in text_of(manager_client.get(LIST))


def test_navigation_links_the_page_for_managers_only(manager_client, referent_client):
    link = f'<a href="{LIST}"'

    assert link in manager_client.get(reverse("register")).content.decode()
    assert link not in referent_client.get(reverse("register")).content.decode()


@pytest.mark.parametrize("client_name", ["referent_client", "auditor_client"])
def test_other_roles_are_refused(request, client_name):
    client = request.getfixturevalue(client_name)

    assert client.get(LIST).status_code == 403
    assert client.get(_edit("reply")).status_code == 403
    assert client.post(_edit("reply"), {"subject": "x", "body": "y", "save": "1"}).status_code == (
        403
    )
    assert MessageTemplate.objects.count() == 0


def test_anonymous_is_sent_to_login(client, referent):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_or_staff_kind_is_404(manager_client):
    assert manager_client.get(_edit("nope")).status_code == 404
    assert manager_client.get(_edit("staff_reminder")).status_code == 404


def test_edit_shows_the_default_and_its_preview(manager_client):
    response = manager_client.get(_edit("acknowledgement"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["subject"].value() == DEFAULT_TEMPLATES["acknowledgement"].subject
    preview = response.context["preview"]
    assert preview.subject == "Accusé de réception de votre réclamation [REC-2026-0042]"
    assert preview.body.startswith(
        "Bonjour Julie Martin,\n\nNous avons bien reçu votre réclamation le lundi 2 novembre 2026."
    )
    page = text_of(response)
    assert "Texte par défaut : il s'applique tant que vous ne l'avez pas modifié." in page
    assert "Ce modèle doit contenir : {{ reference }} , {{ due_date }} ." in page
    assert (
        "portal_hint comment suivre la réclamation : répondre à ce message avec la référence"
        in (page)
    )


def test_preview_renders_without_saving(manager_client):
    response = manager_client.post(
        _edit("progress"),
        {
            "subject": "Où en est {{ reference }}",
            "body": "État : {{ status_label }}.",
            "preview": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["preview"].subject == "Où en est REC-2026-0042"
    assert response.context["preview"].body == "État : en cours de traitement.\n"
    assert MessageTemplate.objects.count() == 0


def test_save_stores_the_template_and_says_so(manager_client, manager, organisation):
    response = manager_client.post(
        _edit("progress"),
        {"subject": "Où en est {{ reference }}", "body": "État : {{ status_label }}.", "save": "1"},
        follow=True,
    )

    assert messages_of(response) == ["Modèle « Point d'avancement » enregistré."]
    template = MessageTemplate.objects.get()
    assert (template.organisation, template.kind, template.updated_by) == (
        organisation,
        "progress",
        manager,
    )
    assert (template.subject, template.body) == (
        "Où en est {{ reference }}",
        "État : {{ status_label }}.\n",
    )
    assert "Texte personnalisé le 02/11/2026" in text_of(response)


def test_saved_template_is_used_for_the_next_message(manager_client, organisation, referent):
    manager_client.post(
        _edit("acknowledgement"),
        {
            "subject": "Bien reçu",
            "body": "Référence {{ reference }}, réponse le {{ due_date }}.",
            "save": "1",
        },
    )

    make_complaint(organisation, referent, channel="web")

    message = OutgoingMessage.objects.get()
    assert message.subject == "Bien reçu [REC-2026-0001]"
    assert message.body_text.startswith(
        "Référence REC-2026-0001, réponse le samedi 14 novembre 2026.\n\n-- \nSuivre votre "
        "réclamation en ligne (lien personnel"
    )  # the organisation's wording, then the link every e-mail to a client carries


def test_invalid_template_is_shown_again_with_errors_next_to_fields(manager_client):
    data = {"subject": "Réponse {% if %}", "body": "{{ reply_text }}", "save": "1"}

    response = manager_client.post(_edit("reply"), data)

    assert response.status_code == 400
    assert field_errors(response, "subject")[0].startswith("Objet : syntaxe incorrecte (")
    assert field_errors(response, "body") == [
        "Le texte doit contenir {{ recourse }} : sans cela, ce message ne remplit pas son rôle."
    ]
    assert response.context["form"]["body"].value() == "{{ reply_text }}"
    assert MessageTemplate.objects.count() == 0


def test_empty_fields_are_required(manager_client):
    response = manager_client.post(_edit("reply"), {"subject": "", "body": "", "save": "1"})

    assert response.status_code == 400
    assert field_errors(response, "subject") == ["Ce champ est obligatoire."]
    assert field_errors(response, "body") == ["Ce champ est obligatoire."]


def test_reply_page_warns_about_incomplete_recourse_settings(manager_client):
    page = text_of(manager_client.get(_edit("reply")))

    assert "Réglages incomplets : renseignez l'adresse du médiateur" in page


def test_reset_goes_back_to_the_default(manager_client, organisation, manager):
    manager_client.post(
        _edit("progress"), {"subject": "S", "body": "{{ status_label }}", "save": "1"}, follow=True
    )

    response = manager_client.post(
        reverse("message_template_reset", args=["progress"]), follow=True
    )

    assert messages_of(response) == ["Modèle « Point d'avancement » : retour au texte par défaut."]
    assert MessageTemplate.objects.count() == 0
    assert response.context["form"]["subject"].value() == DEFAULT_TEMPLATES["progress"].subject


def test_reset_is_post_only(manager_client):
    assert manager_client.get(reverse("message_template_reset", args=["progress"])).status_code == (
        405
    )


def test_templates_of_another_organisation_are_separate(manager_client, other_organisation):
    MessageTemplate.objects.create(
        organisation=other_organisation,
        kind="reply",
        subject="Autre",
        body="{{ reply_text }} {{ recourse }}",
        updated_at="2026-11-01T10:00:00+01:00",
    )

    response = manager_client.get(_edit("reply"))

    assert response.context["own"] is None
    assert response.context["form"]["subject"].value() == DEFAULT_TEMPLATES["reply"].subject


def test_list_runs_the_same_queries_with_or_without_edited_templates(
    manager_client, organisation, manager
):
    with CaptureQueriesContext(connection) as defaults_only:
        manager_client.get(LIST)
    for kind in ("acknowledgement", "reply", "progress"):
        MessageTemplate.objects.create(
            organisation=organisation,
            kind=kind,
            subject="Objet",
            body="Corps {{ reference }}",
            updated_at=timezone.now(),
            updated_by=manager,
        )
    with CaptureQueriesContext(connection) as edited:
        response = manager_client.get(LIST)

    assert sum(1 for line in response.context["lines"] if line.own) == 3
    assert len(edited) == len(defaults_only)


def test_preview_on_a_complaint_of_the_register(manager_client, organisation, referent):
    complaint = make_complaint(organisation, referent, client_name="Paul Durand")
    data = {
        "subject": "Accusé [{{ reference }}]",
        "body": "Bonjour {{ client_name }},\n{{ reference }} : réponse le {{ due_date }}.",
        "shown_on": complaint.reference.lower(),
        "preview": "1",
    }

    response = manager_client.post(_edit("acknowledgement"), data)

    page = text_of(response)
    assert response.status_code == 200
    assert f"Aperçu avec la réclamation {complaint.reference}" in page
    assert f"Bonjour Paul Durand, {complaint.reference} : réponse le" in page
    assert MessageTemplate.objects.count() == 0


def test_preview_on_an_unknown_reference_says_so(manager_client):
    data = {"subject": "Objet", "body": "{{ reference }} {{ due_date }}", "shown_on": "REC-1"}

    response = manager_client.post(_edit("acknowledgement"), {**data, "preview": "1"})

    assert response.status_code == 400
    assert field_errors(response, "shown_on")[0].startswith(
        "Aucune réclamation « REC-1 » dans le registre"
    )


def test_a_complaint_of_another_organisation_is_not_shown(manager_client, other_organisation):
    other = make_complaint(other_organisation)
    data = {"subject": "Objet", "body": "{{ reference }} {{ due_date }}"}

    response = manager_client.post(
        _edit("acknowledgement"), {**data, "shown_on": other.reference, "preview": "1"}
    )

    assert response.status_code == 400
    assert "shown_on" in response.context["form"].errors


def test_the_letter_preview_prints_the_wording_being_edited(manager_client):
    data = {
        "subject": "Accusé [{{ reference }}]",
        "body": (
            "Bonjour {{ client_name }},\n{{ reference }} : le {{ due_date }}.\n{{ portal_hint }}"
        ),
        "preview": "letter",
    }

    response = manager_client.post(_edit("acknowledgement"), data)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Bonjour Julie Martin, REC-2026-0042 : le" in text
    assert "par courrier à l'adresse ci-dessus" in text  # how to answer, said for a letter
    assert MessageTemplate.objects.count() == 0
