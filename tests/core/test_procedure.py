"""The organisation's procedure settings: each bound and default written once, and obeyed by the
model, the settings form and service, and the deadline rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reclamations.complaints.deadlines import DeadlinePolicy, urgency
from reclamations.core.calendar import CALENDAR_KIND_LABELS, CalendarKind
from reclamations.core.models import CALENDAR_KIND_CHOICES, PHONE_CLOCK_CHOICES, Organisation
from reclamations.core.procedure import (
    DEFAULT_DEADLINE_DAYS,
    DEFAULT_DUE_SOON_DAYS,
    MAX_DEADLINE_DAYS,
    MIN_DEADLINE_DAYS,
    PHONE_CLOCK_LABELS,
    PhoneClock,
    deadline_days_problem,
)
from reclamations.core.services import organisation_update
from reclamations.web.forms.settings import OrganisationSettingsForm


def test_the_procedure_answers_in_ten_working_days_and_warns_three_days_before():
    assert (DEFAULT_DEADLINE_DAYS, DEFAULT_DUE_SOON_DAYS) == (10, 3)
    assert Organisation().deadline_days == DEFAULT_DEADLINE_DAYS
    assert Organisation().due_soon_days == DEFAULT_DUE_SOON_DAYS
    assert DeadlinePolicy().days == DEFAULT_DEADLINE_DAYS
    # 3 working days left is "due soon" by default, 4 is not.
    assert (urgency(3), urgency(4)) == ("due_soon", "on_track")


def test_the_deadline_is_between_1_and_90_days_everywhere():
    widget = OrganisationSettingsForm.base_fields["deadline_days"].widget

    assert (MIN_DEADLINE_DAYS, MAX_DEADLINE_DAYS) == (1, 90)
    assert (widget.attrs["min"], widget.attrs["max"]) == (1, 90)
    assert deadline_days_problem(90) is None
    assert deadline_days_problem(91) == (
        "Le délai de réponse doit être compris entre 1 et 90 jours (reçu : 91)."
    )
    with pytest.raises(ValueError, match="entre 1 et 90 jours"):
        DeadlinePolicy(days=0)


def test_the_database_refuses_a_deadline_outside_the_bounds(organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(deadline_days=MAX_DEADLINE_DAYS + 1)


def test_the_settings_service_refuses_a_deadline_outside_the_bounds(organisation, manager):
    with pytest.raises(ValidationError) as raised:
        organisation_update(organisation=organisation, actor=manager, values={"deadline_days": 91})

    assert raised.value.message_dict == {
        "deadline_days": ["Délai de réponse : saisissez un nombre entre 1 et 90 (reçu 91)."]
    }


def test_calendar_kinds_and_phone_clocks_have_one_list_of_choices():
    assert [
        ("ouvrables", CALENDAR_KIND_LABELS[CalendarKind.OUVRABLES]),
        ("ouvres", CALENDAR_KIND_LABELS[CalendarKind.OUVRES]),
    ] == CALENDAR_KIND_CHOICES
    assert [
        ("call", PHONE_CLOCK_LABELS[PhoneClock.CALL]),
        ("confirmation", PHONE_CLOCK_LABELS[PhoneClock.CONFIRMATION]),
    ] == PHONE_CLOCK_CHOICES
    assert Organisation._meta.get_field("calendar_kind").choices == CALENDAR_KIND_CHOICES
    assert Organisation._meta.get_field("phone_clock").choices == PHONE_CLOCK_CHOICES
