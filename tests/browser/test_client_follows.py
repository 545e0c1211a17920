"""A client follows their complaint in a real browser: asks for a link, reads it in the e-mail
the SMTP server received, opens the page, sees where the complaint stands, downloads the
letter sent to them and answers it with a file; the referent then finds the answer on the
complaint's page. At 375 px the client's page reads without scrolling sideways. A complaint
filed online is registered once its author confirms from the e-mail; a client who says in the
survey that it is not resolved has it flagged for the referent."""

import re

import pytest
from playwright.sync_api import expect

from reclamations.complaints.models import Complaint
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.delivery import deliver_due
from tests.conftest import PASSWORD
from tests.factories import make_complaint
from tests.web.helpers import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_lookup_then_link_from_the_email_then_the_page(
    page, live_server, settings, smtp_server, organisation, referent
):
    settings.RECLAMATIONS_BASE_URL = live_server.url
    complaint = make_complaint(organisation, referent, channel="letter")
    printed = complaint_apply(
        complaint=complaint,
        actor=referent,
        action="request_information",
        data={"missing": "Les dates des séances annulées.", "sent_via": "letter"},
    )
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto("/suivi/")
    page.get_by_role("link", name="suivre ma réclamation").click()
    page.get_by_label("Référence de la réclamation").fill(complaint.reference)
    page.get_by_label("Votre adresse e-mail").fill("julie.martin@example.org")
    page.get_by_role("button", name="Recevoir le lien par e-mail").click()
    expect(page.get_by_role("heading", name="Consultez vos e-mails")).to_be_visible()

    deliver_due()
    (received,) = [r for r in smtp_server.received if "Suivre votre réclamation" in r.subject]
    (link,) = re.findall(r"http://\S+/suivi/acces/[\w-]+/", received.body)
    page.goto(link)
    page.get_by_role("button", name="Voir ma réclamation").click()

    expect(
        page.get_by_role("heading", name=f"Votre réclamation {complaint.reference}")
    ).to_be_visible()
    expect(page.get_by_text("En attente de vos informations")).to_be_visible()
    expect(page.get_by_text("Les dates des séances annulées.", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_download() as download:
        page.get_by_role("link", name=printed.document.original_name).click()
    assert open(download.value.path(), "rb").read() == printed.document.file.read()  # noqa: SIM115

    page.get_by_label("Votre message").fill("Les 3, 10 et 17 octobre ; la convocation est jointe.")
    page.get_by_label("Documents joints").set_input_files(
        [{"name": "convocation.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Merci : votre réponse est transmise")).to_be_visible()

    page.goto(link)  # used: it opens nothing any more
    expect(page.get_by_role("heading", name="Ce lien a déjà servi")).to_be_visible()

    page.goto("/connexion/")  # the referent sees the answer and its file on the complaint
    page.locator("#id_username").fill(referent.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/reclamations/{complaint.reference}/")
    expect(page.get_by_text("Les 3, 10 et 17 octobre ; la convocation est jointe.")).to_be_visible()
    expect(page.get_by_role("link", name="convocation.pdf").first).to_be_visible()


def test_a_complaint_filed_online_then_confirmed_from_the_email(
    page, live_server, settings, smtp_server, organisation
):
    settings.RECLAMATIONS_BASE_URL = live_server.url
    page.goto("/suivi/deposer/")
    page.get_by_label("Votre nom").fill("Amélie Laurent")
    page.get_by_label("Votre adresse e-mail").fill("amelie.laurent@example.org")
    page.get_by_label("Formation concernée (facultatif)").fill("Anglais professionnel")
    page.get_by_label("Votre réclamation").fill("La session du 3 mars a été annulée sans préavis.")
    page.wait_for_timeout(3200)  # a person takes some seconds: a robot does not
    page.get_by_role("button", name="Envoyer ma réclamation").click()
    expect(page.get_by_role("heading", name="Confirmez votre adresse e-mail")).to_be_visible()

    deliver_due()
    (received,) = smtp_server.received
    (link,) = re.findall(r"http://\S+/suivi/confirmer/[\w-]+/", received.body)
    page.goto(link)
    page.get_by_role("button", name="Confirmer et enregistrer ma réclamation").click()

    expect(page.get_by_role("heading", name="Votre réclamation est enregistrée")).to_be_visible()
    complaint = Complaint.objects.get()
    expect(page.get_by_text(complaint.reference)).to_be_visible()
    deliver_due()
    assert any(
        "Accusé de réception" in message.subject and complaint.reference in message.subject
        for message in smtp_server.received
    )


def test_the_survey_after_the_reply_says_not_resolved_and_the_referent_sees_it(
    page, live_server, settings, smtp_server, organisation, referent
):
    settings.RECLAMATIONS_BASE_URL = live_server.url
    complaint = make_complaint(organisation, referent, channel="letter")
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={
            "channel": "email",
            "resolution": "Refus motivé.",
            "outcome": "granted",
            "text": "Vos séances sont reprogrammées les 20, 21 et 22 mars.",
        },
    )
    deliver_due()
    (reply,) = [r for r in smtp_server.received if "Réponse" in r.subject]
    (survey,) = re.findall(r"http://\S+/suivi/avis/[\w-]+/", reply.body)

    page.goto(survey)
    page.get_by_label("Pas satisfait").check()
    page.get_by_label("Non").check()
    page.get_by_label("Un commentaire (facultatif)").fill("Aucune de ces dates ne me convient.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_role("heading", name="Merci pour votre avis")).to_be_visible()

    page.goto("/connexion/")
    page.locator("#id_username").fill(referent.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/")
    expect(page.get_by_text("non résolue selon le client")).to_be_visible()
    page.get_by_role("link", name=complaint.reference).click()
    expect(page.get_by_text("Le client estime sa réclamation non résolue")).to_be_visible()
    expect(page.get_by_text("Aucune de ces dates ne me convient.")).to_be_visible()
