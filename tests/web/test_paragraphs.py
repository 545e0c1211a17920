"""Paragraphs written once by a manager, inserted by the referent in what she writes to a client,
and seen in the preview before anything goes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.complaints.enums import EventType, Status
from reclamations.outbox.models import CannedParagraph
from tests.factories import make_complaint

from .helpers import field_errors, text_of

REFUND = "Le remboursement intervient par virement sous quinze jours."


@pytest.fixture
def refund(manager_client):
    manager_client.post(reverse("paragraphs"), {"title": "Remboursement", "text": REFUND})
    return CannedParagraph.objects.get(title="Remboursement")


def test_a_manager_writes_changes_and_deletes_a_paragraph(manager_client, refund):
    listed = text_of(manager_client.get(reverse("paragraphs")))
    manager_client.post(
        reverse("paragraph_edit", args=[refund.pk]),
        {"title": "Remboursement CPF", "text": REFUND},
    )
    refund.refresh_from_db()
    manager_client.post(reverse("paragraph_delete", args=[refund.pk]))

    assert "Remboursement" in listed and REFUND in listed
    assert refund.title == "Remboursement CPF"
    assert not CannedParagraph.objects.exists()


def test_two_paragraphs_of_one_title_and_empty_ones_are_refused_in_french(manager_client, refund):
    twice = manager_client.post(reverse("paragraphs"), {"title": "Remboursement", "text": "x"})
    empty = manager_client.post(reverse("paragraphs"), {"title": " ", "text": ""})

    assert twice.status_code == 400
    assert field_errors(twice, "title") == [
        "Un paragraphe s'appelle déjà « Remboursement » : choisissez un autre intitulé."
    ]
    assert empty.status_code == 400
    assert CannedParagraph.objects.count() == 1


def test_a_referent_cannot_manage_paragraphs(referent_client, refund):
    assert referent_client.get(reverse("paragraphs")).status_code == 403
    assert referent_client.post(reverse("paragraph_delete", args=[refund.pk])).status_code == 403
    assert CannedParagraph.objects.exists()


def test_another_organisations_paragraph_is_not_found(manager_client, other_organisation):
    theirs = CannedParagraph.objects.create(
        organisation=other_organisation, title="Ailleurs", text="x", updated_at="2026-11-02T10:00Z"
    )

    assert manager_client.get(reverse("paragraph_edit", args=[theirs.pk])).status_code == 404
    assert manager_client.post(reverse("paragraph_delete", args=[theirs.pk])).status_code == 404


def test_the_referent_inserts_a_paragraph_and_sees_it_before_it_goes(
    referent_client, organisation, referent, refund
):
    complaint = make_complaint(organisation, referent)
    url = reverse("complaint_action", args=[complaint.reference, "reply"])

    form = referent_client.get(url).context["form"]
    response = referent_client.post(
        url,
        {
            "channel": "email",
            "resolution": "Module remboursé.",
            "text": "Le module de février vous est remboursé.",
            "paragraph": str(refund.pk),
        },
    )

    assert list(form.fields).index("paragraph") == list(form.fields).index("text") + 1
    assert response.status_code == 200  # shown again, not sent unseen
    assert f"Le module de février vous est remboursé.\n\n{REFUND}</textarea>" in (
        response.content.decode()
    )
    preview = response.content.decode().split('class="mail-body">', 1)[1]
    assert f"Le module de février vous est remboursé.\n\n{REFUND}" in preview
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert not complaint.events.filter(event_type=EventType.REPLIED).exists()


def test_without_paragraphs_the_composer_offers_none(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)

    form = referent_client.get(
        reverse("complaint_action", args=[complaint.reference, "reply"])
    ).context["form"]

    assert "paragraph" not in form.fields


def test_the_list_and_the_composer_read_paragraphs_in_a_fixed_number_of_queries(
    manager_client, referent_client, organisation, referent, refund
):
    complaint = make_complaint(organisation, referent)
    composer = reverse("complaint_action", args=[complaint.reference, "reply"])
    manager_client.get(reverse("paragraphs"))
    referent_client.get(composer)
    with CaptureQueriesContext(connection) as one_listed:
        manager_client.get(reverse("paragraphs"))
    with CaptureQueriesContext(connection) as one_offered:
        referent_client.get(composer)
    for number in range(10):
        manager_client.post(reverse("paragraphs"), {"title": f"Cas {number}", "text": "Texte."})

    with CaptureQueriesContext(connection) as many_listed:
        listed = manager_client.get(reverse("paragraphs"))
    with CaptureQueriesContext(connection) as many_offered:
        referent_client.get(composer)

    assert len(listed.context["paragraphs"]) == 11
    assert len(many_listed) == len(one_listed)
    assert len(many_offered) == len(one_offered)
