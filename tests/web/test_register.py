"""The register page: figures, filters, rows with deadlines, pagination, fixed query count."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.complaints.services import complaint_apply
from tests.clock import at
from tests.factories import make_complaint

from .helpers import text_of

REGISTER = reverse("register")


def _received(organisation, referent):
    """Three open complaints: overdue by 2 days, due soon (1 day left), on track (10 days)."""
    overdue = make_complaint(organisation, referent, received_at=at(2026, 10, 19))
    due_soon = make_complaint(
        organisation, referent, received_at=at(2026, 10, 22), client_name="Paul Roux"
    )
    on_track = make_complaint(
        organisation, referent, client_name="Nadia Haddad", client_account="CLI-2026-388"
    )
    return overdue, due_soon, on_track


def _lines_by_reference(response):
    return {line.complaint.reference: line for line in response.context["lines"]}


def test_register_shows_three_figures_as_filter_links(referent_client, organisation, referent):
    _received(organisation, referent)

    response = referent_client.get(REGISTER)

    counts = response.context["counts"]
    assert (counts.open, counts.due_soon, counts.overdue) == (3, 1, 1)
    page = response.content.decode()
    assert 'href="/?open=1"><span class="figure-value">3</span>' in page
    assert 'href="/?due_soon=1"><span class="figure-value">1</span>' in page
    assert 'href="/?overdue=1"><span class="figure-value">1</span>' in page


def test_register_rows_show_due_date_and_urgency_badge_when_open(
    referent_client, organisation, referent
):
    overdue, due_soon, on_track = _received(organisation, referent)

    response = referent_client.get(REGISTER)

    lines = _lines_by_reference(response)
    assert (lines[overdue.reference].deadline.text, lines[overdue.reference].deadline.style) == (
        "En retard de 2 j",
        "danger",
    )
    assert (
        lines[due_soon.reference].deadline.text,
        lines[due_soon.reference].deadline.style,
        lines[due_soon.reference].deadline.detail,
    ) == ("Échéance proche", "warning", "1 j restant")
    assert (lines[on_track.reference].deadline.text, lines[on_track.reference].deadline.style) == (
        "10 j restants",
        "neutral",
    )
    text = text_of(response)
    assert (
        f"{on_track.reference} 02/11/2026 Nadia Haddad CLI-2026-388 Réclamation E-mail — "
        "En cours de traitement 14/11/2026 10 j restants —"
    ) in text
    assert "30/10/2026 En retard de 2 j" in text
    assert "03/11/2026 Échéance proche 1 j restant" in text


def test_register_reply_column_shows_date_and_on_time(referent_client, organisation, referent):
    complaint = make_complaint(organisation, referent)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data={
            "channel": "email",
            "resolution": "Séances reprogrammées.",
            "text": "Vos séances sont reprogrammées.",
        },
    )

    response = referent_client.get(REGISTER)

    assert (
        f"{complaint.reference} 02/11/2026 Julie Martin CLI-001 Réclamation E-mail — Répondue "
        "14/11/2026 — 02/11/2026 e-mail dans le délai"
    ) in text_of(response)


def test_register_filters_by_status_kind_and_search(referent_client, organisation, referent):
    _overdue, _due_soon, on_track = _received(organisation, referent)
    make_complaint(organisation, referent, kind="incident", client_name="Nadia Haddad")

    response = referent_client.get(REGISTER, {"kind": "complaint", "q": "haddad"})

    assert list(_lines_by_reference(response)) == [on_track.reference]
    assert response.context["filtered"] is True


def test_register_overdue_link_lists_only_overdue(referent_client, organisation, referent):
    overdue, _due_soon, _on_track = _received(organisation, referent)

    response = referent_client.get(REGISTER, {"overdue": "1"})

    assert list(_lines_by_reference(response)) == [overdue.reference]


def test_register_due_soon_link_lists_only_due_soon(referent_client, organisation, referent):
    _overdue, due_soon, _on_track = _received(organisation, referent)

    response = referent_client.get(REGISTER, {"due_soon": "1"})

    assert list(_lines_by_reference(response)) == [due_soon.reference]


def test_register_bad_date_is_reported_and_other_filters_kept(
    referent_client, organisation, referent
):
    _overdue, due_soon, _on_track = _received(organisation, referent)

    response = referent_client.get(
        REGISTER, {"received_from": "31/02/2026", "q": "Paul Roux", "received_to": "2026-11-30"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "received_from": [
            "Date invalide : utilisez le format JJ/MM/AAAA (ou AAAA-MM-JJ). Ce filtre est ignoré."
        ]
    }
    assert list(_lines_by_reference(response)) == [due_soon.reference]
    page = response.content.decode()
    assert 'aria-describedby="id_received_from_error"' in page
    assert 'value="Paul Roux"' in page


def test_register_unknown_status_is_reported_and_ignored(referent_client, organisation, referent):
    make_complaint(organisation, referent)

    response = referent_client.get(REGISTER, {"status": "archived"})

    assert response.context["form"].errors == {
        "status": ["Choix inconnu : sélectionnez une valeur de la liste. Ce filtre est ignoré."]
    }
    assert len(response.context["lines"]) == 1


def test_register_period_in_wrong_order_is_reported(referent_client, organisation, referent):
    make_complaint(organisation, referent)

    response = referent_client.get(
        REGISTER, {"received_from": "2026-11-02", "received_to": "2026-10-01"}
    )

    assert response.context["form"].errors == {
        "received_to": [
            "Cette date précède la date de début de la période : corrigez l'une des deux. "
            "Ce filtre est ignoré."
        ]
    }


def test_register_puts_what_needs_work_first_by_default(referent_client, organisation, referent):
    overdue, due_soon, on_track = _received(organisation, referent)

    response = referent_client.get(REGISTER)

    assert list(_lines_by_reference(response)) == [
        overdue.reference,
        due_soon.reference,
        on_track.reference,
    ]
    # The order list opens on its default, and says what it does.
    html = response.content.decode()
    assert re.search(r'<select name="order"[^>]*>\s*<option value="" selected>Par défaut<', html)
    assert "Par défaut : à traiter d&#x27;abord ; avec une recherche, par pertinence." in html


def test_register_orders_as_asked(referent_client, organisation, referent):
    overdue, due_soon, on_track = _received(organisation, referent)

    newest = referent_client.get(REGISTER, {"order": "newest"})
    by_due = referent_client.get(REGISTER, {"order": "due"})

    assert list(_lines_by_reference(newest)) == [
        on_track.reference,
        due_soon.reference,
        overdue.reference,
    ]
    assert list(_lines_by_reference(by_due)) == [
        overdue.reference,
        due_soon.reference,
        on_track.reference,
    ]


def test_register_empty_state_without_complaints(referent_client, organisation):
    response = referent_client.get(REGISTER)

    assert "Le registre ne contient encore aucune réclamation." in text_of(response)
    assert '<a href="/reclamations/nouvelle/">Enregistrer une réclamation</a>' in (
        response.content.decode()
    )


def test_register_empty_state_with_filters(referent_client, organisation, referent):
    make_complaint(organisation, referent)

    response = referent_client.get(REGISTER, {"status": "closed"})

    assert (
        "Aucune réclamation ne correspond à ces filtres. Effacer les filtres pour voir tout le "
        "registre."
    ) in text_of(response)


def test_register_pagination_keeps_filters(referent_client, organisation, referent, settings):
    settings.REGISTER_PAGE_SIZE = 2
    for _ in range(3):
        make_complaint(organisation, referent)
    make_complaint(organisation, referent, kind="incident")

    first = referent_client.get(REGISTER, {"kind": "complaint"})
    last_shown = first.context["lines"][-1].complaint.pk
    second = referent_client.get(REGISTER, {"kind": "complaint", "page": "2"})
    first_shown = second.context["lines"][0].complaint.pk

    assert f'href="?kind=complaint&amp;page=2&amp;apres={last_shown}" rel="next"' in (
        first.content.decode()
    )
    assert "Page 1 sur 2" in text_of(first)
    assert len(second.context["lines"]) == 1
    assert f'href="?kind=complaint&amp;page=1&amp;avant={first_shown}" rel="prev"' in (
        second.content.decode()
    )


def test_following_the_register_s_pages_shows_each_complaint_once(
    referent_client, organisation, referent, settings
):
    settings.REGISTER_PAGE_SIZE = 2
    registered = {make_complaint(organisation, referent).pk for _ in range(7)}
    seen: list[int] = []
    address = f"{REGISTER}?order=newest"

    while address:
        page = referent_client.get(address)
        seen += [line.complaint.pk for line in page.context["lines"]]
        following = re.search(r'href="(\?[^"]*)" rel="next"', page.content.decode())
        address = f"{REGISTER}{following[1].replace('&amp;', '&')}" if following else ""

    assert sorted(seen) == sorted(registered)
    assert "Page 4 sur 4" in text_of(page)
    assert "« Première page" in text_of(page)


@pytest.mark.parametrize(
    "neighbour", ["abc", "-1", "99999999999999999999999", "1\x00", "\uff11\uff12", "", "1.5"]
)
def test_a_strange_neighbour_in_the_address_leaves_the_page_to_its_number(
    referent_client, organisation, referent, settings, neighbour
):
    settings.REGISTER_PAGE_SIZE = 2
    for _ in range(5):
        make_complaint(organisation, referent)
    by_number = referent_client.get(REGISTER, {"order": "newest", "page": "2"})

    response = referent_client.get(
        REGISTER, {"order": "newest", "page": "2", "apres": neighbour, "avant": neighbour}
    )

    assert response.status_code == 200
    assert [line.complaint.pk for line in response.context["lines"]] == [
        line.complaint.pk for line in by_number.context["lines"]
    ]


def test_register_query_count_does_not_depend_on_rows(referent_client, organisation, referent):
    make_complaint(organisation, referent)
    referent_client.get(REGISTER)  # warm-up: first-use queries of the session
    cache.clear()  # the navigation's figure computed, not kept
    with CaptureQueriesContext(connection) as one_row:
        referent_client.get(REGISTER)
    for _ in range(29):
        make_complaint(organisation, referent)
    cache.clear()  # the navigation's figure computed, not kept
    with CaptureQueriesContext(connection) as thirty_rows:
        response = referent_client.get(REGISTER)

    assert len(response.context["lines"]) == 25
    assert len(thirty_rows) == len(one_row)


def test_register_query_count_does_not_depend_on_page_size(
    referent_client, organisation, referent, settings
):
    for _ in range(12):
        make_complaint(organisation, referent)
    referent_client.get(REGISTER)  # warm-up: first-use queries of the session
    settings.REGISTER_PAGE_SIZE = 2
    with CaptureQueriesContext(connection) as small_page:
        referent_client.get(REGISTER)
    settings.REGISTER_PAGE_SIZE = 10
    with CaptureQueriesContext(connection) as large_page:
        response = referent_client.get(REGISTER)

    assert len(response.context["lines"]) == 10
    assert len(large_page) == len(small_page)


def test_register_search_marks_the_words_found_and_shows_where_else(
    referent_client, organisation, referent
):
    found = make_complaint(
        organisation,
        referent,
        client_name="Hélène Lefèvre",
        description="La salle de l'Estérel était trop petite <b>vraiment</b>.",
    )
    make_complaint(organisation, referent, client_name="Marc Dubois")

    response = referent_client.get(REGISTER, {"q": "lefevre esterel"})

    assert list(_lines_by_reference(response)) == [found.reference]
    html = response.content.decode()
    assert "<mark>Lefèvre</mark>" in html
    # The description's words, escaped, the match marked: no markup from the data.
    assert (
        '<span class="excerpt">La salle de l&#x27;<mark>Estérel</mark> était trop petite '
        "&lt;b&gt;vraiment&lt;/b&gt;.</span>"
    ) in html
    assert "<b>vraiment</b>" not in html


def test_register_search_puts_the_best_matches_first_unless_told(
    referent_client, organisation, referent
):
    once = make_complaint(organisation, referent, description="Un retard ce matin.")
    often = make_complaint(organisation, referent, description="Retard, retard, encore retard.")

    by_relevance = referent_client.get(REGISTER, {"q": "retard"})
    newest = referent_client.get(REGISTER, {"q": "retard", "order": "oldest"})

    assert list(_lines_by_reference(by_relevance)) == [often.reference, once.reference]
    # As the form sends it: the default order, left as it was shown.
    as_sent = referent_client.get(REGISTER, {"q": "retard", "order": ""})
    assert list(_lines_by_reference(as_sent)) == [often.reference, once.reference]
    assert list(_lines_by_reference(newest)) == [once.reference, often.reference]


def test_register_search_of_strange_input_answers(referent_client, organisation, referent):
    make_complaint(organisation, referent)
    for strange in ("\x00", "%00", "'; --", '"*', "*", "a" * 200, "€" * 50):
        response = referent_client.get(REGISTER, {"q": strange})
        assert response.status_code == 200, strange


def test_register_search_query_count_does_not_depend_on_rows(
    referent_client, organisation, referent
):
    make_complaint(organisation, referent)
    referent_client.get(REGISTER, {"q": "martin"})  # warm-up
    cache.clear()  # the navigation's figure computed, not kept
    with CaptureQueriesContext(connection) as one_row:
        referent_client.get(REGISTER, {"q": "martin"})
    for _ in range(29):
        make_complaint(organisation, referent)
    cache.clear()  # the navigation's figure computed, not kept
    with CaptureQueriesContext(connection) as thirty_rows:
        response = referent_client.get(REGISTER, {"q": "martin"})

    assert len(response.context["lines"]) == 25
    assert len(thirty_rows) == len(one_row)


def test_the_register_filters_on_a_trainer_as_written_and_opens_those_filters(
    referent_client, organisation, referent
):
    paul = make_complaint(organisation, referent, trainer="Paul Roux", funder="OPCO Atlas")
    make_complaint(organisation, referent, trainer="Anne Lenoir")

    response = referent_client.get(REGISTER, {"trainer": "Paul Roux"})
    export = referent_client.get(reverse("register_export", args=["csv"]), {"trainer": "Paul Roux"})

    assert list(_lines_by_reference(response)) == [paul.reference]
    html = response.content.decode()
    assert '<details class="more-filters" open>' in html
    assert '<option value="Autre">' in html  # the organisation's causes, suggested
    assert b"".join(export.streaming_content).decode("utf-8-sig").count("\r\nREC-") == 1
    assert list(_lines_by_reference(referent_client.get(REGISTER, {"funder": "OPCO"}))) == []


def test_a_search_matching_more_than_the_register_lists_says_so(
    referent_client, organisation, referent, monkeypatch
):
    monkeypatch.setattr("reclamations.web.views.register.SEARCH_LISTED", 2)
    often = make_complaint(organisation, referent, description="Retard, retard, encore retard.")
    made = [make_complaint(organisation, referent, description="Un retard.") for _ in range(2)]
    alone = make_complaint(organisation, referent, description="Attestation manquante.")

    response = referent_client.get(REGISTER, {"q": "retard"})
    html = text_of(response)

    # The newest two, not the best match: ranking would read every match.
    assert list(_lines_by_reference(response)) == [made[1].reference, made[0].reference]
    assert "Réclamations correspondant aux filtres (plus de 2)" in html
    assert (
        "Plus de 2 réclamations contiennent ces mots : les 2 plus récentes sont listées, de la "
        "plus récente à la plus ancienne (le classement par pertinence vaut pour 2 résultats au "
        "plus)." in html
    )
    assert "ou exportez-les toutes ci-dessous." in html
    export = referent_client.get(reverse("register_export", args=["csv"]), {"q": "retard"})
    exported = b"".join(export.streaming_content).decode("utf-8-sig")
    assert exported.count("\r\nREC-") == 3
    assert often.reference in exported
    assert alone.reference not in exported
    # Narrowed, the search is ranked and counted whole again.
    narrowed = referent_client.get(REGISTER, {"q": "retard encore"})
    assert list(_lines_by_reference(narrowed)) == [often.reference]
    assert "plus de" not in text_of(narrowed)


def test_a_search_matching_more_than_listed_costs_the_same_queries_whatever_their_number(
    referent_client, organisation, referent, monkeypatch
):
    monkeypatch.setattr("reclamations.web.views.register.SEARCH_LISTED", 2)
    for _ in range(3):
        make_complaint(organisation, referent)
    referent_client.get(REGISTER, {"q": "martin"})  # warm-up
    cache.clear()
    with CaptureQueriesContext(connection) as three:
        referent_client.get(REGISTER, {"q": "martin"})
    for _ in range(27):
        make_complaint(organisation, referent)
    cache.clear()
    with CaptureQueriesContext(connection) as thirty:
        response = referent_client.get(REGISTER, {"q": "martin"})

    assert len(response.context["lines"]) == 2
    assert len(thirty) == len(three)
