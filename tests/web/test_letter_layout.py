"""The managers' page for the layout of the letters: the logo, the HTML and the CSS, tried on a
sample letter, refused with what to correct, kept for the next letters only."""

from io import BytesIO

import pytest
from django.urls import reverse
from PIL import Image

from reclamations.complaints.services import complaint_apply
from reclamations.letters.models import LetterLayout
from reclamations.letters.printing import DEFAULT_CSS, DEFAULT_HTML
from tests.factories import make_complaint
from tests.pdf_text import pdf_text
from tests.web.helpers import field_errors, messages_of, text_of, upload

pytestmark = pytest.mark.usefixtures("clock")

URL = reverse("letter_layout")
RESET = reverse("letter_layout_reset")


def _logo() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (200, 60), (10, 80, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def _form(**changes):
    return {"html": DEFAULT_HTML, "css": DEFAULT_CSS, **changes}


def test_the_page_shows_the_default_layout_and_its_variables(manager_client):
    response = manager_client.get(URL)

    page = text_of(response)
    assert response.status_code == 200
    assert "Mise en page par défaut : elle s'applique tant que vous ne l'avez pas modifiée." in page
    assert response.context["form"]["html"].value() == DEFAULT_HTML
    assert "letter.recipient" in page and "paragraphs" in page


def test_the_message_templates_page_links_it(manager_client):
    assert f'href="{URL}"' in manager_client.get(reverse("message_templates")).content.decode()


@pytest.mark.parametrize("client_name", ["referent_client", "auditor_client"])
def test_other_roles_are_refused(request, client_name):
    client = request.getfixturevalue(client_name)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {**_form(), "save": "1"}).status_code == 403
    assert client.post(RESET).status_code == 403
    assert LetterLayout.objects.count() == 0


def test_the_preview_prints_a_sample_letter_and_keeps_nothing(manager_client):
    html = DEFAULT_HTML.replace("<main", '<p class="motto">Former, accompagner</p><main')

    response = manager_client.post(URL, {**_form(html=html), "preview": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Former, accompagner" in text
    assert "Réponse à votre réclamation" in text
    assert LetterLayout.objects.count() == 0


def test_a_saved_layout_and_logo_print_the_next_letters(manager_client, organisation, referent):
    html = DEFAULT_HTML.replace("<main", '<p class="motto">Former, accompagner</p><main')

    response = manager_client.post(
        URL, {**_form(html=html), "logo": upload("logo.png", _logo(), "image/png"), "save": "1"}
    )

    assert response.status_code == 302
    assert messages_of(manager_client.get(URL)) == ["Mise en page des lettres enregistrée."]
    kept = LetterLayout.objects.get(organisation=organisation)
    assert (kept.logo_name, kept.logo_type, kept.css) == ("logo.png", "image/png", "")
    complaint = make_complaint(organisation, referent, channel="letter")
    event = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="send_acknowledgement",
        data={"channel": "letter"},
    )
    printed = event.document.file.read()
    assert "Former, accompagner" in pdf_text(printed)
    assert b"/Subtype /Image" in printed


def test_a_broken_layout_is_refused_with_its_line_and_what_was_typed_kept(manager_client):
    css = DEFAULT_CSS + "\n.motto { color: navy; }\n.signature { font-weight bold; }\n"

    response = manager_client.post(URL, {**_form(css=css), "save": "1"})

    assert response.status_code == 400
    (error,) = field_errors(response, "css")
    assert error.startswith("CSS, ligne ")
    assert response.context["form"]["css"].value() == css
    assert LetterLayout.objects.count() == 0


def test_an_address_out_of_the_window_is_refused(manager_client):
    css = DEFAULT_CSS.replace("top: 32mm;", "top: 120mm;")

    response = manager_client.post(URL, {**_form(css=css), "save": "1"})

    assert response.status_code == 400
    assert field_errors(response, "css")[0].startswith("Le bloc adresse tombe de 110 à 195 mm")


def test_a_logo_that_is_not_an_image_is_refused(manager_client):
    fake = upload("logo.png", b"<?php echo 1; ?>" + b"0" * 100, "image/png")

    response = manager_client.post(URL, {**_form(), "logo": fake, "save": "1"})

    assert response.status_code == 400
    assert field_errors(response, "logo") == [
        "Le logo doit être une image PNG ou JPEG valide (son contenu ne l'est pas)."
    ]


def test_the_logo_can_be_removed_and_the_default_restored(manager_client, organisation):
    manager_client.post(
        URL, {**_form(), "logo": upload("logo.png", _logo(), "image/png"), "save": "1"}
    )

    manager_client.post(URL, {**_form(), "remove_logo": "on", "save": "1"})
    assert LetterLayout.objects.get(organisation=organisation).logo_type == ""

    response = manager_client.post(RESET, follow=True)
    assert messages_of(response)[-1] == "Mise en page des lettres : retour à celle par défaut."
    assert LetterLayout.objects.count() == 0


def test_a_layout_belongs_to_its_organisation(
    manager_client, organisation, other_organisation, referent
):
    html = DEFAULT_HTML.replace("<main", "<p>Chez nous</p><main")
    manager_client.post(URL, {**_form(html=html), "save": "1"})

    other = make_complaint(other_organisation, channel="letter")
    event = complaint_apply(
        complaint=other, actor=None, action="send_acknowledgement", data={"channel": "letter"}
    )

    assert "Chez nous" not in pdf_text(event.document.file.read())
