"""The statistics page: every reader sees it; a wrong period is said and the default shown."""

import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.reporting.pack_check import check_pack
from tests.factories import make_complaint
from tests.pdf_text import pdf_pages

from .helpers import messages_of, text_of

STATISTICS = reverse("statistics")
pytestmark = pytest.mark.usefixtures("clock")


@pytest.mark.parametrize("reader", ["referent_client", "manager_client", "auditor_client"])
def test_every_reader_sees_the_year_to_date_beside_the_year_before(
    request, organisation, referent, reader
):
    make_complaint(organisation, referent, training="Excel <avancé>")

    response = request.getfixturevalue(reader).get(STATISTICS)

    assert response.status_code == 200
    page = text_of(response)
    assert (
        "Réclamations reçues du jeudi 1 janvier 2026 au lundi 2 novembre 2026, comparées à "
        "celles reçues du mercredi 1 janvier 2025 au dimanche 2 novembre 2025"
    ) in page
    html = response.content.decode()
    assert (
        html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 13
    )  # by month, 11 breakdowns, by age
    assert "Excel &lt;avancé&gt;" in html  # in the chart and its table, escaped
    assert "<avancé>" not in html


def test_the_navigation_links_to_the_statistics(referent_client):
    html = referent_client.get(reverse("register")).content.decode()
    assert f'<a href="{STATISTICS}">Statistiques</a>' in html


def test_a_reversed_or_too_long_period_is_said_and_the_default_shown(referent_client):
    reversed_period = referent_client.get(STATISTICS, {"start": "2026-05-01", "end": "2026-01-01"})
    too_long = referent_client.get(STATISTICS, {"start": "0001-01-01", "end": "9999-12-31"})

    assert reversed_period.status_code == too_long.status_code == 200
    assert "Cette date précède la date de début" in text_of(reversed_period)
    assert "La période dépasse dix ans" in text_of(too_long)
    assert "du jeudi 1 janvier 2026 au lundi 2 novembre 2026" in text_of(too_long)


@pytest.mark.parametrize(
    "query",
    [{"start": "\x00"}, {"start": "0001-01-01"}, {"end": "0001-01-02"}, {"start": "9999-12-31"}],
)
def test_strange_dates_answer(referent_client, query):
    assert referent_client.get(STATISTICS, query).status_code == 200


def test_an_outsider_is_refused(client, referent):
    assert client.get(STATISTICS).status_code == 302  # to the login page


def test_the_query_count_does_not_grow_with_the_register(referent_client, organisation, referent):
    make_complaint(organisation, referent)
    referent_client.get(STATISTICS)  # the session's first page
    cache.clear()
    with CaptureQueriesContext(connection) as one:
        referent_client.get(STATISTICS)
    for number in range(10):
        make_complaint(organisation, referent, training=f"Formation {number}")
    with CaptureQueriesContext(connection) as eleven:
        referent_client.get(STATISTICS)  # the register changed: computed again
    with CaptureQueriesContext(connection) as again:
        referent_client.get(STATISTICS)  # unchanged since: kept
    assert len(eleven) == len(one)
    assert len(again) < len(one) - 5


def test_the_statistics_print_as_a_pdf_for_the_period_shown(auditor_client, organisation, referent):
    make_complaint(organisation, referent, training="Excel avancé")

    response = auditor_client.get(
        reverse("statistics_pdf"), {"start": "2026-10-01", "end": "2026-11-02"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="statistiques-reclamations-ccs-2026-10-01-au-2026-11-02.pdf"'
    )
    pages = pdf_pages(b"".join(response.streaming_content))
    text = "\n".join(" ".join(line.split()) for page in pages for line in page)
    assert "Statistiques des réclamations" in text
    assert "Réclamations reçues du jeudi 1 octobre 2026 au lundi 2 novembre 2026." in text
    assert "Réclamations reçues 1 0" in text
    assert "Excel avancé 1 (0)" in text
    assert f"page 1 / {len(pages)}" in text


def test_the_page_offers_its_pdf_with_its_period(referent_client):
    html = referent_client.get(STATISTICS, {"start": "2026-10-01"}).content.decode()
    assert (
        f'href="{reverse("statistics_pdf")}?start=2026-10-01" download>PDF à imprimer</a>' in html
    )


def test_the_audit_pack_of_the_period_is_one_click_away(auditor_client, organisation, referent):
    make_complaint(organisation, referent)
    page = auditor_client.get(STATISTICS, {"start": "2026-10-01"}).content.decode()
    assert f'href="{reverse("audit_pack")}?start=2026-10-01" download>Dossier d' in page

    response = auditor_client.get(reverse("audit_pack"), {"start": "2026-10-01"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="dossier-audit-reclamations-ccs-2026-10-01-au-2026-11-02.zip"'
    )
    assert check_pack(io.BytesIO(b"".join(response.streaming_content))).ok


def test_figures_limited_to_a_trainer_say_it_and_print_it(referent_client, organisation, referent):
    make_complaint(organisation, referent, trainer="Paul Roux", training="Excel")
    make_complaint(organisation, referent, trainer="Anne Lenoir", training="Word")
    query = {"start": "2026-01-01", "trainer": "Paul Roux"}

    response = referent_client.get(STATISTICS, query)
    pdf = referent_client.get(reverse("statistics_pdf"), query)

    assert response.context["figures"].received == 1
    assert "(formateur ou formatrice : « Paul Roux »)" in text_of(response)
    assert 'href="/dossier-audit.zip?start=2026-01-01"' in response.content.decode()
    pages = pdf_pages(b"".join(pdf.streaming_content))
    text = " ".join(" ".join(line.split()) for page in pages for line in page)
    assert "formateur ou formatrice : « Paul Roux »." in text


def test_the_annual_synthesis_is_a_pdf_of_the_year_chosen(auditor_client, organisation, referent):
    make_complaint(organisation, referent)
    page = auditor_client.get(STATISTICS).content.decode()

    response = auditor_client.get(reverse("annual_synthesis"), {"annee": "2026"})
    future = auditor_client.get(reverse("annual_synthesis"), {"annee": "2031"}, follow=True)
    wrong = auditor_client.get(reverse("annual_synthesis"), {"annee": "x"}, follow=True)

    assert '<option value="2026">2026</option>' in page
    assert response["Content-Disposition"] == (
        'attachment; filename="synthese-annuelle-reclamations-ccs-2026.pdf"'
    )
    pages = pdf_pages(b"".join(response.streaming_content))
    assert any("Synthèse annuelle des réclamations 2026" in line for p in pages for line in p)
    assert messages_of(future) == [
        "L'année 2031 n'a pas commencé : choisissez une année passée ou celle en cours."
    ]
    assert messages_of(wrong) == ["Année invalide : indiquez une année sur quatre chiffres."]


def test_an_english_reader_reads_the_page_in_english_and_prints_the_french_pdf(
    referent_client, organisation, referent
):
    referent.language = "en"
    referent.save(update_fields=["language"])
    make_complaint(organisation, referent, channel="letter", trainer="Paul Roux")
    query = {"start": "2026-01-01", "trainer": "Paul Roux"}

    page = referent_client.get(STATISTICS, query)
    pdf = referent_client.get(reverse("statistics_pdf"), query)

    text = text_of(page)
    assert (
        "Complaints received from Thursday 1 January 2026 to Monday 2 November 2026 "
        "(trainer: “Paul Roux”), compared with those received from Wednesday 1 January 2025"
    ) in text
    assert "Times in working days (Monday to Saturday)." in text
    html = page.content.decode()
    assert "<title>By channel</title>" in html  # the chart drawn on the server
    assert ">Letter</text>" in html
    assert ">November 2026</text>" in html
    pages = pdf_pages(b"".join(pdf.streaming_content))
    printed = " ".join(" ".join(line.split()) for page in pages for line in page)
    assert "formateur ou formatrice : « Paul Roux »." in printed
    assert "Courrier" in printed
    assert "novembre 2026" in printed
