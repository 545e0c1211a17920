"""The client's language on the staff pages and the API (issue 12): chosen at registration,
shown on the complaint, corrected with "Modifier la fiche", proposed by the triage from the
message's Content-Language; and the English wording of each message edited apart from the
French one on "Modèles de messages"."""

from email.message import EmailMessage

import pytest
from django.urls import reverse

from reclamations.complaints.enums import EventType
from reclamations.complaints.models import Complaint
from reclamations.complaints.notifications.english import ENGLISH_TEMPLATES
from reclamations.intake.models import InboundEmail, IntakeSource
from reclamations.intake.services import intake_process
from reclamations.outbox.models import MessageTemplate, OutgoingMessage
from tests.api.helpers import post_json
from tests.factories import make_complaint

from .helpers import messages_of, text_of

pytestmark = pytest.mark.usefixtures("clock")


def _edit(kind: str, language: str = "") -> str:
    url = reverse("message_template_edit", args=[kind])
    return f"{url}?langue={language}" if language else url


def test_the_templates_page_shows_the_english_default_until_it_is_edited(manager_client):
    response = manager_client.get(_edit("acknowledgement", "en"))

    assert response.status_code == 200
    assert response.context["language"] == "en"
    form = response.context["form"]
    assert form.initial["subject"] == ENGLISH_TEMPLATES["acknowledgement"].subject
    preview = response.context["preview"]
    assert preview.subject == "Acknowledgement of your complaint [REC-2026-0042]"
    assert "We will reply by Saturday 14 November 2026 at the latest." in preview.body
    page = text_of(response)
    assert "Modèle « Accusé de réception » (anglais)" in page


def test_saving_the_english_wording_keeps_the_french_one(manager_client, organisation):
    response = manager_client.post(
        _edit("progress"),
        {
            "subject": "Progress of {{ reference }}",
            "body": "Status: {{ status_label }}.",
            "langue": "en",
            "save": "1",
        },
        follow=True,
    )

    assert messages_of(response) == ["Modèle « Point d'avancement » (anglais) enregistré."]
    assert response.redirect_chain[-1][0] == _edit("progress", "en")
    template = MessageTemplate.objects.get()
    assert (template.kind, template.language) == ("progress", "en")
    french = manager_client.get(_edit("progress"))
    assert french.context["own"] is None
    assert (
        french.context["form"].initial["subject"]
        == "Avancement de votre réclamation [{{ reference }}]"
    )
    listing = manager_client.get(reverse("message_templates"))
    (line,) = [line for line in listing.context["lines"] if line.kind == "progress"]
    assert (line.own, line.own_english) == (None, template)

    reset = manager_client.post(
        reverse("message_template_reset", args=["progress"]), {"langue": "en"}, follow=True
    )
    assert messages_of(reset) == [
        "Modèle « Point d'avancement » (anglais) : retour au texte par défaut."
    ]
    assert not MessageTemplate.objects.exists()


def test_the_english_preview_speaks_english_with_a_real_complaint(manager_client, organisation):
    complaint = make_complaint(organisation)

    response = manager_client.post(
        _edit("progress"),
        {
            "subject": "Progress of {{ reference }}",
            "body": "Status: {{ status_label }}, received {{ received_on }}.",
            "shown_on": complaint.reference,
            "langue": "en",
            "preview": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["preview"].body == (
        "Status: being handled, received Monday 2 November 2026.\n"
    )
    complaint.refresh_from_db()
    assert complaint.client_language == "fr"  # a preview changes nothing


def test_staff_register_an_english_client_and_the_page_shows_it(referent_client, organisation):
    response = referent_client.post(
        reverse("complaint_new"),
        {
            "channel": "email",
            "received_date": "2026-11-02",
            "received_time": "09:30",
            "client_name": "Jane Smith",
            "client_account": "ACME Ltd",
            "client_email": "jane.smith@example.org",
            "client_language": "en",
            "description": "Three sessions were cancelled without notice.",
            "kind": "complaint",
            "severity": "medium",
        },
    )

    assert response.status_code == 302, text_of(response)
    complaint = Complaint.objects.get()
    assert complaint.client_language == "en"
    assert OutgoingMessage.objects.get().subject.startswith("Acknowledgement of your complaint")
    page = text_of(referent_client.get(reverse("complaint_detail", args=[complaint.reference])))
    assert "Langue du client anglais" in page


def test_staff_correct_the_language_with_modifier_la_fiche(referent_client, organisation):
    complaint = make_complaint(organisation)
    url = reverse("complaint_action", args=[complaint.reference, "update_details"])
    form = referent_client.get(url)
    assert form.status_code == 200
    assert form.context["form"].fields["client_language"].initial == "fr"

    response = referent_client.post(url, {"client_language": "en", "reason": ""})

    assert response.status_code == 302, text_of(response)
    complaint.refresh_from_db()
    assert complaint.client_language == "en"
    event = complaint.events.get(event_type=EventType.DETAILS_UPDATED)
    assert event.data["changes"] == {"client_language": ["fr", "en"]}
    page = text_of(referent_client.get(reverse("complaint_detail", args=[complaint.reference])))
    assert "Langue du client : français → anglais" in page


def test_the_triage_proposes_the_language_the_message_declares(referent_client, organisation):
    message = EmailMessage()
    message["From"] = "Jane Smith <jane.smith@example.org>"
    message["To"] = "reclamations@ccs.fr"
    message["Subject"] = "About my training"
    message["Message-ID"] = "<triage-english@example.org>"
    message.set_content("Three sessions were cancelled without notice.")
    message["Content-Language"] = "en-US"
    intake_process(
        organisation=organisation, raw=message.as_bytes(), arrived_at=None, source=IntakeSource.EML
    )
    inbound = InboundEmail.objects.get()

    response = referent_client.get(reverse("triage_message", args=[inbound.pk]))

    assert response.status_code == 200
    assert response.context["register_form"].initial["client_language"] == "en"


def test_the_api_takes_and_gives_the_client_s_language(referent_api, organisation):
    created = post_json(
        referent_api,
        "/api/v1/complaints",
        {
            "channel": "email",
            "received_at": "2026-11-02T08:30:00Z",
            "client_name": "Jane Smith",
            "client_account": "ACME Ltd",
            "client_email": "jane.smith@example.org",
            "client_language": "en",
            "description": "Three sessions were cancelled without notice.",
        },
    )

    assert created.status_code == 201, created.json()
    assert created.json()["client_language"] == "en"
    refused = post_json(
        referent_api,
        "/api/v1/complaints",
        {
            "channel": "email",
            "received_at": "2026-11-02T08:30:00Z",
            "client_language": "de",
        },
    )
    assert refused.status_code == 400
