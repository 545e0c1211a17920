"""The context of a complaint (training, session, trainer, funder) and its root cause, as the
register keeps them: given at registration, analysed later, in the chronology and the search."""

import pytest
from django.core.exceptions import ValidationError

from reclamations.complaints.enums import EventType, Status
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.queries import RegisterFilters, register_queryset
from reclamations.complaints.search import matching
from reclamations.complaints.services import complaint_apply
from reclamations.reporting.integrity import verify_organisation
from tests.factories import complaint_in_state, make_complaint

CONTEXT = {
    "training": "Excel avancé",
    "session": "Du 3 au 7 mars 2026, Nice",
    "trainer": "Éloïse Garnier",
    "funder": "OPCO Atlas",
}


def _analyse(complaint, actor, **data):
    return complaint_apply(complaint=complaint, actor=actor, action="analyse_cause", data=data)


def test_the_context_given_at_registration_is_kept_and_searched(organisation, referent):
    complaint = make_complaint(organisation, referent, **CONTEXT)

    assert {name: getattr(complaint, name) for name in CONTEXT} == CONTEXT
    registered = complaint.events.get()
    assert {name: registered.data["fields"][name] for name in CONTEXT} == CONTEXT
    found = matching(
        Complaint.objects.filter(organisation=organisation),
        "eloise garnier",
        organisation_id=organisation.pk,
    )
    assert list(found) == [complaint]


def test_a_cause_of_the_organisations_list_is_noted_with_its_analysis(organisation, referent):
    complaint = make_complaint(organisation, referent)

    _analyse(
        complaint,
        referent,
        cause="Locaux, matériel ou équipement",
        cause_analysis="Le vidéoprojecteur de la salle 2 tombe en panne.",
    )

    complaint.refresh_from_db()
    assert complaint.cause == "Locaux, matériel ou équipement"
    event = complaint.events.get(event_type=EventType.CAUSE_ANALYSED)
    assert event.data["cause"] == "Locaux, matériel ou équipement"
    assert event.data["changes"] == {
        "cause": "Locaux, matériel ou équipement",
        "cause_analysis": "Le vidéoprojecteur de la salle 2 tombe en panne.",
    }
    assert event.status_before == event.status_after == Status.IN_PROGRESS
    assert verify_organisation(organisation).ok
    found = matching(Complaint.objects.all(), "videoprojecteur", organisation_id=organisation.pk)
    assert list(found) == [complaint]


def test_a_cause_outside_the_list_or_none_is_refused_in_french(organisation, referent):
    complaint = make_complaint(organisation, referent)

    with pytest.raises(ValidationError) as unknown:
        _analyse(complaint, referent, cause="Météo")
    with pytest.raises(ValidationError) as missing:
        _analyse(complaint, referent, cause="", cause_analysis="Rien.")

    assert unknown.value.message_dict["cause"][0].startswith(
        "Choisissez la cause parmi : Information avant l'entrée en formation"
    )
    assert missing.value.message_dict == {"cause": ["Choisissez la cause de la réclamation."]}
    assert not ComplaintEvent.objects.filter(event_type=EventType.CAUSE_ANALYSED).exists()


def test_the_organisations_own_list_is_offered_and_an_old_cause_stays_valid(organisation, referent):
    complaint = make_complaint(organisation, referent)
    organisation.cause_list = ["Salle inadaptée", "Retard de convocation"]
    organisation.save()
    _analyse(complaint, referent, cause="Salle inadaptée")

    organisation.cause_list = ["Retard de convocation"]
    organisation.save()
    complaint.refresh_from_db()
    # Removed from the list since: the complaint keeps it and may keep it when analysed again.
    _analyse(complaint, referent, cause="Salle inadaptée", cause_analysis="Salle trop petite.")
    with pytest.raises(ValidationError):
        _analyse(complaint, referent, cause="Locaux, matériel ou équipement")

    complaint.refresh_from_db()
    assert (complaint.cause, complaint.cause_analysis) == ("Salle inadaptée", "Salle trop petite.")


def test_a_closed_complaint_can_still_be_analysed(organisation, referent):
    complaint = complaint_in_state(organisation, referent, Status.CLOSED)

    _analyse(complaint, referent, cause="Autre")

    complaint.refresh_from_db()
    assert (complaint.status, complaint.cause) == (Status.CLOSED, "Autre")


def test_the_same_cause_again_changes_nothing_and_says_so(organisation, referent):
    complaint = make_complaint(organisation, referent)
    _analyse(complaint, referent, cause="Autre")

    with pytest.raises(ValidationError) as raised:
        _analyse(complaint, referent, cause="Autre")

    assert raised.value.message_dict == {
        "__all__": ["Aucune modification : cette cause et cette analyse sont déjà notées."]
    }


def test_the_register_filters_on_each_context_field_and_the_cause(organisation, referent):
    mine = make_complaint(organisation, referent, **CONTEXT)
    _analyse(mine, referent, cause="Autre")
    make_complaint(organisation, referent, training="Word", trainer="Paul Roux")

    def found(**filters):
        queryset = register_queryset(
            organisation,
            RegisterFilters(**filters),
            today=mine.received_on,
            policy=deadline_policy(organisation),
            due_soon_days=3,
        )
        return [complaint.reference for complaint in queryset]

    for name, value in {**CONTEXT, "cause": "Autre"}.items():
        assert found(**{name: value}) == [mine.reference], name
    assert found(trainer="éloïse garnier") == []  # as written: the search is for the rest
