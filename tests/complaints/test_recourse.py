"""The recourse a reply states (pure function, no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reclamations.complaints.recourse import (
    RecourseSettings,
    court_paragraph,
    mediation_paragraph,
    recourse_notices,
    recourse_refusal,
    recourse_text,
    unlisted_mediator_refusal,
)

CCS = RecourseSettings(
    mediator_name="Alpes-Maritimes Médiation",
    mediator_address="12 avenue de la Paix\n06000 Nice",
    mediator_website="http://alpesmaritimes-mediation.fr",
    court_name="Tribunal judiciaire de Grasse",
)
MEDIATION = (
    "Si cette réponse ne vous donne pas entière satisfaction, vous pouvez recourir gratuitement "
    "au médiateur de la consommation : Alpes-Maritimes Médiation, 12 avenue de la Paix, "
    "06000 Nice, http://alpesmaritimes-mediation.fr. La médiation doit être demandée dans un "
    "délai d'un an à compter de votre réclamation écrite auprès de notre organisme. Elle est "
    "facultative : vous conservez à tout moment le droit de saisir la juridiction compétente."
)
COURT = (
    "En cas de désaccord persistant, le Tribunal judiciaire de Grasse est seul compétent pour "
    "trancher le litige."
)


@pytest.mark.parametrize("outcome", ["rejected", "partly_granted", ""])
def test_consumer_not_fully_granted_is_told_about_the_mediator(outcome):
    assert recourse_text(client_type="consumer", outcome=outcome, settings=CCS) == MEDIATION


def test_consumer_fully_granted_is_told_nothing():
    assert recourse_text(client_type="consumer", outcome="granted", settings=CCS) == ""


@pytest.mark.parametrize("outcome", ["rejected", "partly_granted", ""])
def test_professional_not_fully_granted_is_told_about_the_court_only(outcome):
    assert recourse_text(client_type="professional", outcome=outcome, settings=CCS) == COURT


def test_professional_fully_granted_is_told_nothing():
    assert recourse_text(client_type="professional", outcome="granted", settings=CCS) == ""


def test_unknown_client_type_gets_the_mediator_but_never_the_court_clause():
    text = recourse_text(client_type="", outcome="rejected", settings=CCS)

    assert text == MEDIATION
    assert "Grasse" not in text


def test_mediation_is_free_within_one_year_and_never_required_before_court():
    text = mediation_paragraph(CCS)

    assert "gratuitement" in text
    assert "dans un délai d'un an à compter de votre réclamation écrite" in text
    assert "Elle est facultative : vous conservez à tout moment le droit de saisir" in text
    assert "préalable" not in text and "obligatoire" not in text


def test_mediation_without_address_or_website_gives_the_name_alone():
    settings = RecourseSettings(mediator_name="Médiateur X")

    assert mediation_paragraph(settings).startswith(
        "Si cette réponse ne vous donne pas entière satisfaction, vous pouvez recourir "
        "gratuitement au médiateur de la consommation : Médiateur X. La médiation"
    )


def test_nothing_is_said_when_the_organisation_configured_no_mediator_or_court():
    empty = RecourseSettings()

    assert recourse_text(client_type="consumer", outcome="rejected", settings=empty) == ""
    assert recourse_text(client_type="professional", outcome="rejected", settings=empty) == ""
    assert court_paragraph(empty) == ""


@given(
    client_type=st.sampled_from(["consumer", "professional", ""]),
    outcome=st.sampled_from(["granted", "partly_granted", "rejected", "", "not_admissible"]),
)
def test_the_closed_eu_dispute_platform_is_never_mentioned(client_type, outcome):
    text = recourse_text(client_type=client_type, outcome=outcome, settings=CCS).lower()

    assert "europa.eu" not in text
    assert "odr" not in text
    assert "règlement en ligne des litiges" not in text


@given(
    client_type=st.sampled_from(["", "consumer", "professional"]),
    outcome=st.sampled_from(["", "granted", "partly_granted", "rejected"]),
)
def test_a_reply_is_refused_exactly_when_it_owes_a_mediator_the_settings_lack(client_type, outcome):
    no_website = RecourseSettings(mediator_name=CCS.mediator_name, court_name=CCS.court_name)
    owes_mediator = outcome != "granted" and client_type != "professional"

    refused = recourse_refusal(client_type=client_type, outcome=outcome, settings=no_website)

    assert bool(refused) is owes_mediator
    assert recourse_refusal(client_type=client_type, outcome=outcome, settings=CCS) == ""
    if owes_mediator:
        assert "n'en donnent pas son site internet" in refused
        # What is refused is never sent without the mediation paragraph's website.
        assert CCS.mediator_website not in recourse_text(
            client_type=client_type, outcome=outcome, settings=no_website
        )


def test_a_reply_naming_an_unlisted_mediator_or_no_address_is_flagged_above_the_preview():
    unlisted = RecourseSettings(
        mediator_name=CCS.mediator_name,
        mediator_website=CCS.mediator_website,
        mediator_listed=False,
    )

    notices = recourse_notices(client_type="consumer", outcome="rejected", settings=unlisted)

    assert notices == [
        "Le médiateur « Alpes-Maritimes Médiation » n'est pas indiqué comme référencé par la "
        "CECMC dans les réglages : un consommateur doit être orienté vers un médiateur "
        "référencé. Seul un responsable peut envoyer cette réponse (ou cocher, après "
        "vérification, « référencé par la CECMC » dans les réglages).",
        "L'adresse postale du médiateur n'est pas renseignée : la réponse ne donnera que son "
        "nom et son site.",
    ]
    assert recourse_refusal(client_type="consumer", outcome="rejected", settings=unlisted) == ""
    assert recourse_notices(client_type="consumer", outcome="rejected", settings=CCS) == []
    assert recourse_notices(client_type="consumer", outcome="granted", settings=unlisted) == []
    assert recourse_notices(client_type="professional", outcome="", settings=unlisted) == []


UNLISTED = RecourseSettings(
    mediator_name="Alpes-Maritimes Médiation",
    mediator_website="http://alpesmaritimes-mediation.fr",
    mediator_listed=False,
)


@pytest.mark.parametrize(
    ("client_type", "outcome", "by_manager", "refused"),
    [
        ("consumer", "rejected", False, True),
        ("consumer", "partly_granted", False, True),
        ("", "", False, True),  # unknown type, no outcome said: the mediator is named
        ("consumer", "rejected", True, False),  # the manager validates by sending it
        ("consumer", "granted", False, False),  # no mediator named
        ("professional", "rejected", False, False),  # the court, not the mediator
    ],
)
def test_a_reply_naming_an_unlisted_mediator_needs_a_manager(
    client_type, outcome, by_manager, refused
):
    reason = unlisted_mediator_refusal(
        client_type=client_type, outcome=outcome, settings=UNLISTED, by_manager=by_manager
    )

    assert bool(reason) is refused
    if refused:
        assert "« Alpes-Maritimes Médiation »" in reason


def test_a_listed_mediator_needs_no_manager():
    listed = RecourseSettings(mediator_name="Médiateur", mediator_website="https://m.fr")

    assert not unlisted_mediator_refusal(
        client_type="consumer", outcome="rejected", settings=listed, by_manager=False
    )
