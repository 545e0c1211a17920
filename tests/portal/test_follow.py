"""The client follows their complaint without an account: a link asked for with the reference
and the e-mail address, sent by e-mail, used once, expiring; the page it opens shows only what
concerns the client, and only their complaint."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from reclamations.complaints.client_access import issue_link
from reclamations.complaints.models import ClientAccessLink
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.models import OutgoingMessage
from reclamations.portal.models import LookupAttempt
from tests.factories import make_complaint
from tests.web.helpers import text_of

pytestmark = pytest.mark.usefixtures("clock")

LOOKUP = reverse("portal_lookup")
PAGE = reverse("portal_complaint")
CLIENT = "julie.martin@example.org"
SAME_ANSWER = "Si cette référence correspond à l'adresse"


def _secret(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def _link_in(message: OutgoingMessage) -> str:
    (url,) = re.findall(r"https?://\S+/suivi/acces/[\w-]+/", message.body_text)
    return url.split("/suivi/", 1)[1]


def _open(client, path: str):
    """Load the link's page, then press its button, as the client does."""
    assert client.get(f"/suivi/{path}").status_code == 200
    return client.post(f"/suivi/{path}")


def test_a_matching_lookup_emails_a_link_that_opens_the_complaint(client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")

    answer = client.post(
        LOOKUP, {"reference": complaint.reference.lower(), "email": CLIENT.upper()}
    )

    assert answer.status_code == 200
    assert SAME_ANSWER in answer.content.decode()
    message = OutgoingMessage.objects.get(kind="client_link")
    assert message.to == CLIENT
    assert f"[{complaint.reference}]" in message.subject
    opened = _open(client, _link_in(message))
    assert opened.status_code == 302
    page = client.get(PAGE).content.decode()
    assert f"Votre réclamation {complaint.reference}" in page
    assert "En cours de traitement" in page
    # Asking for a link leaves the chronology alone.
    assert not complaint.events.filter(data__message_kind="client_link").exists()


def test_a_wrong_email_or_an_unknown_reference_gets_the_same_answer_and_no_email(
    client, organisation, referent
):
    complaint = make_complaint(organisation, referent, channel="letter")

    wrong_email = client.post(LOOKUP, {"reference": complaint.reference, "email": "x@example.org"})
    unknown = client.post(LOOKUP, {"reference": "REC-2099-9999", "email": CLIENT})

    assert SAME_ANSWER in wrong_email.content.decode()
    assert SAME_ANSWER in unknown.content.decode()
    assert wrong_email.status_code == unknown.status_code == 200
    assert not OutgoingMessage.objects.filter(kind="client_link").exists()


def test_a_link_is_used_once(client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    path = issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1]

    _open(client, path)
    again = client.post(f"/suivi/{path}")

    assert again.status_code == 410
    assert "Ce lien a déjà servi" in again.content.decode()
    assert f"?reference={complaint.reference}" in again.content.decode()


def test_loading_the_link_uses_nothing_only_the_button_does(client, organisation, referent):
    """Mail security scanners follow links: a GET never opens anything."""
    complaint = make_complaint(organisation, referent, channel="letter")
    path = issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1]

    for _ in range(3):
        assert client.get(f"/suivi/{path}").status_code == 200

    assert client.get(PAGE).status_code == 403
    assert ClientAccessLink.objects.get().used_at is None


def test_an_expired_link_opens_nothing(client, clock, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    path = issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1]

    clock.shift(timedelta(hours=24, seconds=1))
    response = client.post(f"/suivi/{path}")

    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize("tamper", [lambda s: s[:-1], lambda s: s + "A", lambda s: "x" * 43])
def test_a_tampered_link_opens_nothing(client, organisation, referent, tamper):
    complaint = make_complaint(organisation, referent, channel="letter")
    secret = _secret(issue_link(complaint, now=complaint.received_at))

    response = client.post(f"/suivi/acces/{tamper(secret)}/")

    assert response.status_code == 404
    assert "Ce lien n'est pas valide" in text_of(response)
    assert client.get(PAGE).status_code == 403


def test_the_page_closes_after_its_time(client, clock, settings, organisation, referent):
    settings.RECLAMATIONS_CLIENT_SESSION_MINUTES = 30
    complaint = make_complaint(organisation, referent, channel="letter")
    _open(client, issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1])

    clock.shift(timedelta(minutes=31))

    response = client.get(PAGE)
    assert response.status_code == 403
    assert "Votre accès est fermé" in response.content.decode()


def test_a_link_opens_only_its_complaint_and_its_documents(client, organisation, referent):
    mine = make_complaint(organisation, referent, channel="letter")
    other = make_complaint(organisation, referent, channel="letter", client_name="Paul Durand")
    theirs = complaint_apply(
        complaint=other, actor=referent, action="send_acknowledgement", data={"channel": "letter"}
    )
    printed = complaint_apply(
        complaint=mine, actor=referent, action="send_acknowledgement", data={"channel": "letter"}
    )
    _open(client, issue_link(mine, now=mine.received_at).split("/suivi/", 1)[1])

    page = client.get(PAGE).content.decode()
    own = client.get(reverse("portal_document", args=[printed.document.pk]))
    foreign = client.get(reverse("portal_document", args=[theirs.document.pk]))

    assert mine.reference in page and other.reference not in page
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == printed.document.file.read()
    assert foreign.status_code == 404


def test_the_page_shows_the_clients_steps_and_never_internal_ones(client, organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    for action, data in (
        ("add_note", {"text": "Client difficile, voir avec la direction."}),
        ("add_action", {"description": "Appel au formateur Jean Dupont."}),
        ("request_information", {"missing": "Les dates des séances.", "sent_via": "email"}),
    ):
        complaint_apply(complaint=complaint, actor=referent, action=action, data=data)
    _open(client, issue_link(complaint, now=complaint.received_at).split("/suivi/", 1)[1])

    page = client.get(PAGE).content.decode()

    assert "Informations complémentaires demandées" in page
    assert "Les dates des séances." in page
    assert "En attente de vos informations" in page
    assert "Client difficile" not in page
    assert "Jean Dupont" not in page
    assert referent.get_full_name() not in page
    assert "Fanny Maltese" in page  # the referent the organisation names


def test_every_email_to_the_client_carries_a_personal_link(client, organisation, referent):
    make_complaint(organisation, referent)  # by e-mail: acknowledged at once

    acknowledgement = OutgoingMessage.objects.get(kind="acknowledgement")

    assert "Suivre votre réclamation en ligne (lien personnel, valable 24 heures" in (
        acknowledgement.body_text
    )
    assert _open(client, _link_in(acknowledgement)).status_code == 302


def test_lookups_are_limited_per_address_and_per_reference(client, settings, organisation):
    settings.RECLAMATIONS_LOOKUPS_PER_HOUR = 3
    for number in range(3):
        client.post(LOOKUP, {"reference": f"REC-2026-{number:04d}", "email": CLIENT})

    refused = client.post(LOOKUP, {"reference": "REC-2026-0042", "email": CLIENT})
    elsewhere = client.post(
        LOOKUP, {"reference": "REC-2026-0099", "email": CLIENT}, REMOTE_ADDR="203.0.113.9"
    )

    assert refused.status_code == 429
    assert "Trop de demandes" in refused.content.decode()
    assert elsewhere.status_code == 200
    assert LookupAttempt.objects.count() == 5


def test_lookups_behind_a_trusted_proxy_are_counted_per_real_client(client, settings, organisation):
    settings.RECLAMATIONS_LOOKUPS_PER_HOUR = 3
    settings.RECLAMATIONS_TRUSTED_PROXIES = ["10.0.0.1"]
    through_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(3):
        client.post(
            LOOKUP,
            {"reference": f"REC-2026-{number:04d}", "email": CLIENT},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **through_proxy,
        )

    refused = client.post(
        LOOKUP,
        {"reference": "REC-2026-0042", "email": CLIENT},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **through_proxy,
    )
    neighbour = client.post(
        LOOKUP,
        {"reference": "REC-2026-0099", "email": CLIENT},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
        **through_proxy,
    )

    assert refused.status_code == 429
    assert neighbour.status_code == 200
    assert sorted(set(LookupAttempt.objects.values_list("ip", flat=True))) == [
        "198.51.100.7",
        "198.51.100.8",
    ]


def test_a_forwarded_address_from_an_untrusted_peer_does_not_escape_the_limit(
    client, settings, organisation
):
    settings.RECLAMATIONS_LOOKUPS_PER_HOUR = 3
    settings.RECLAMATIONS_TRUSTED_PROXIES = ["10.0.0.1"]
    for number in range(3):
        client.post(
            LOOKUP,
            {"reference": f"REC-2026-{number:04d}", "email": CLIENT},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    refused = client.post(
        LOOKUP,
        {"reference": "REC-2026-0042", "email": CLIENT},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.50",
    )

    assert refused.status_code == 429
    assert set(LookupAttempt.objects.values_list("ip", flat=True)) == {"203.0.113.9"}


def test_a_form_error_keeps_what_was_typed(client, organisation):
    response = client.post(LOOKUP, {"reference": "REC-2026-0001", "email": "pas une adresse"})

    assert response.status_code == 400
    assert response.context["form"]["reference"].value() == "REC-2026-0001"
    assert "Adresse e-mail invalide" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/suivi/acces/%00/", "/suivi/acces/" + "a" * 5000 + "/", "/suivi/acces/%ED%B3%BF/"],
)
def test_strange_links_give_a_clear_page_never_an_error(client, organisation, path):
    response = client.get(path)

    # 414: an address over 4096 characters (api.middleware.AddressTooLongMiddleware).
    assert response.status_code in (400, 404, 414)
