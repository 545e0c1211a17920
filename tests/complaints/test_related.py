"""A complaint's related complaints: the organisation's others, open or received in the last
year, with the same account, client or training, shown to the referent from registration."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reclamations.complaints.related import RELATED_SHOWN, related_complaints
from tests.clock import NOW, at
from tests.factories import complaint_in_state, make_complaint

pytestmark = pytest.mark.usefixtures("clock")
TODAY = NOW.date()


def _references(groups):
    return {group.reason: [c.reference for c in group.complaints] for group in groups}


def test_the_same_account_client_or_training(organisation, referent):
    earlier = make_complaint(
        organisation,
        referent,
        client_name="Hélène Lefèvre",
        client_account="ACC-7",
        training="Excel",
        trainer="Paul Roux",
    )
    # Case ignored for the name (SQLite: of ASCII letters only), the account as written.
    same_name = make_complaint(
        organisation, referent, client_name="HéLèNE LEFèVRE", client_account=""
    )
    make_complaint(organisation, referent, client_name="Hélène Lefèvre-Martin", client_account="X")
    make_complaint(organisation, referent, client_name="Autre", client_account="acc-7")
    new = make_complaint(
        organisation,
        referent,
        client_name="hélène lefèvre",
        client_account="ACC-7",
        training="Excel",
        trainer="Paul Roux",
    )

    assert _references(related_complaints(new, today=TODAY)) == {
        "Même compte client": [earlier.reference],
        "Même client": [same_name.reference, earlier.reference],
        "Même formation": [earlier.reference],
        "Même formateur ou formatrice": [earlier.reference],
    }


def test_old_closed_complaints_are_left_out_old_open_ones_kept(organisation, referent):
    a_year = timedelta(days=366)
    old_closed = complaint_in_state(
        organisation, referent, "closed", received_at=NOW - a_year, client_account="ACC-1"
    )
    old_open = make_complaint(
        organisation, referent, received_at=NOW - a_year - a_year, client_account="ACC-1"
    )
    new = make_complaint(organisation, referent, client_account="ACC-1", client_name="Autre")

    references = _references(related_complaints(new, today=TODAY))["Même compte client"]
    assert references == [old_open.reference]
    assert old_closed.reference not in references


def test_another_organisation_and_the_complaint_itself_are_never_related(
    organisation, other_organisation, referent
):
    make_complaint(other_organisation, None, client_account="ACC-9")
    alone = make_complaint(
        organisation, referent, client_account="ACC-9", client_name="", training=""
    )
    assert related_complaints(alone, today=TODAY) == []


def test_five_shown_and_the_others_counted(organisation, referent, django_assert_max_num_queries):
    for day in range(1, 9):
        make_complaint(organisation, referent, received_at=at(2026, 10, day), training="Word")
    new = make_complaint(organisation, referent, training="Word", client_name="", client_account="")

    with django_assert_max_num_queries(1):
        (group,) = related_complaints(new, today=TODAY)

    assert len(group.complaints) == RELATED_SHOWN
    assert group.more is True
    assert group.complaints[0].received_on == at(2026, 10, 8).date()


def test_the_complaint_page_says_so_from_registration(referent_client, organisation, referent):
    earlier = make_complaint(
        organisation, referent, client_account="ACC-3", client_name="Paul Roux"
    )
    new = make_complaint(organisation, referent, client_account="ACC-3", client_name="Paul Roux")

    html = referent_client.get(reverse("complaint_detail", args=[new.reference])).content.decode()

    assert "Réclamations liées</strong> (ouvertes, ou reçues depuis moins d'un an)" in html
    assert (
        f'Même compte client : <a href="/reclamations/{earlier.reference}/">{earlier.reference}</a>'
        " (en cours de traitement, reçue le 02/11/2026)."
    ) in html


def test_the_page_links_to_the_search_when_there_are_more(referent_client, organisation, referent):
    for _ in range(RELATED_SHOWN + 1):
        make_complaint(organisation, referent, training="Excel avancé")
    new = make_complaint(organisation, referent, training="Excel avancé")

    html = referent_client.get(reverse("complaint_detail", args=[new.reference])).content.decode()

    assert 'et d\'autres (<a href="/?q=Excel%20avanc%C3%A9">les rechercher</a>).' in html
