"""The client's opinion after the reply (Qualiopi indicator 32): a link with the reply and the
certificate of closure; opening it records nothing, the answers sent do, once; "not resolved"
flags the complaint for the referent until they act."""

import re

import pytest
from django.urls import reverse

from reclamations.complaints.client_access import SURVEY, issue_link
from reclamations.complaints.enums import ClientAcceptance, EventType
from reclamations.complaints.models import ClientAccessLink
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.models import OutgoingMessage
from reclamations.reporting.periods import Period
from reclamations.reporting.statistics import Line, compute
from tests.factories import make_complaint
from tests.web.helpers import field_errors, text_of

pytestmark = pytest.mark.usefixtures("clock")

REPLY = {"channel": "email", "resolution": "Séances reprogrammées.", "outcome": "granted"}


def _replied(organisation, referent):
    complaint = make_complaint(organisation, referent, channel="letter")
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={**REPLY, "text": "Vos séances sont reprogrammées les 20, 21 et 22 mars."},
    )
    return complaint


def _survey_path(message: OutgoingMessage) -> str:
    (url,) = re.findall(r"https?://\S+/suivi/avis/[\w-]+/", message.body_text)
    return "/suivi/" + url.split("/suivi/", 1)[1]


def test_the_reply_email_carries_the_survey_and_the_page_records_nothing_by_itself(
    client, organisation, referent
):
    complaint = _replied(organisation, referent)
    reply = OutgoingMessage.objects.get(kind="reply")

    assert "Votre avis sur le traitement de votre réclamation (deux minutes) :" in (reply.body_text)
    path = _survey_path(reply)
    for _ in range(2):  # a mail scanner, then the client
        assert client.get(path).status_code == 200
    assert not complaint.events.filter(event_type=EventType.OPINION_GIVEN).exists()
    assert ClientAccessLink.objects.get(purpose=SURVEY).used_at is None


def test_a_satisfied_client_who_considers_it_resolved(client, organisation, referent):
    complaint = _replied(organisation, referent)
    path = _survey_path(OutgoingMessage.objects.get(kind="reply"))

    thanks = client.post(path, {"satisfaction": "satisfied", "resolved": "yes"})

    assert "Votre avis est enregistré." in text_of(thanks)
    complaint.refresh_from_db()
    assert complaint.client_satisfaction == "satisfied"
    assert complaint.client_acceptance == ClientAcceptance.ACCEPTED
    assert not complaint.client_says_unresolved
    given = complaint.events.get(event_type=EventType.OPINION_GIVEN)
    assert given.data == {"via": "portal", "satisfaction": "satisfied", "resolved": True}
    assert not OutgoingMessage.objects.filter(kind="staff_notice").exists()
    again = client.post(path, {"satisfaction": "not_satisfied", "resolved": "no"})
    assert again.status_code == 410
    assert "Votre avis est déjà enregistré" in text_of(again)


def test_not_resolved_flags_the_complaint_and_tells_the_referent_until_they_act(
    client, referent_client, organisation, referent
):
    complaint = _replied(organisation, referent)
    path = _survey_path(OutgoingMessage.objects.get(kind="reply"))

    client.post(
        path,
        {"satisfaction": "not_satisfied", "resolved": "no", "comment": "Aucune date ne me va."},
    )

    complaint.refresh_from_db()
    assert complaint.client_says_unresolved
    assert complaint.client_acceptance == ClientAcceptance.DISPUTED
    (notice,) = OutgoingMessage.objects.filter(kind="staff_notice")
    assert notice.subject.startswith("Le client estime sa réclamation non résolue")
    assert "Aucune date ne me va." in notice.body_text
    detail = text_of(referent_client.get(reverse("complaint_detail", args=[complaint.reference])))
    register = text_of(referent_client.get(reverse("register")))
    assert "Le client estime sa réclamation non résolue (pas satisfait" in detail
    assert "décidez une action d'amélioration" in detail
    assert "non résolue selon le client" in register
    closing = referent_client.get(reverse("complaint_action", args=[complaint.reference, "close"]))
    assert closing.context["form"]["client_acceptance"].initial == ClientAcceptance.DISPUTED

    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={**REPLY, "text": "Nous vous proposons deux autres dates en avril."},
    )
    complaint.refresh_from_db()
    assert not complaint.client_says_unresolved


def test_an_incomplete_answer_is_refused_and_the_link_stays_usable(client, organisation, referent):
    complaint = _replied(organisation, referent)
    path = _survey_path(OutgoingMessage.objects.get(kind="reply"))

    refused = client.post(path, {"satisfaction": "partly"})
    accepted = client.post(path, {"satisfaction": "partly", "resolved": "yes"})

    assert refused.status_code == 400
    assert field_errors(refused, "resolved") == [
        "Dites si vous considérez votre réclamation comme résolue."
    ]
    assert accepted.status_code == 200
    assert complaint.events.filter(event_type=EventType.OPINION_GIVEN).count() == 1


def test_a_follow_link_is_not_a_survey_link(client, organisation, referent):
    complaint = _replied(organisation, referent)
    follow = issue_link(complaint, now=complaint.received_at).split("/suivi/acces/", 1)[1]

    response = client.post(
        f"/suivi/avis/{follow}", {"satisfaction": "satisfied", "resolved": "yes"}
    )

    assert response.status_code in (301, 404)
    assert not complaint.events.filter(event_type=EventType.OPINION_GIVEN).exists()


def test_the_statistics_count_the_opinions(client, organisation, referent):
    complaint = _replied(organisation, referent)
    client.post(
        _survey_path(OutgoingMessage.objects.get(kind="reply")),
        {"satisfaction": "partly", "resolved": "no"},
    )

    day = complaint.received_on
    figures = compute(organisation, Period(day.replace(month=1, day=1), day), today=day)
    breakdowns = {breakdown.key: breakdown.lines for breakdown in figures.breakdowns}
    assert breakdowns["client_satisfaction"] == (Line("Partiellement satisfait", 1, 0),)
    assert breakdowns["client_acceptance"] == (Line("Contestée par le client", 1, 0),)
