"""organisation_create (issue 12): one more organisation and its first manager on an
installation that has others, through the first run's checks, opening its own chronology; in
constant time; and two organisations made this way keep their references, templates, accounts
and chains apart."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reclamations.complaints.enums import EventType
from reclamations.complaints.installation import Via, installation_create, organisation_create
from reclamations.complaints.models import ComplaintEvent
from reclamations.complaints.notifications.kinds import ClientMessage
from reclamations.complaints.notifications.wording import template_spec
from reclamations.core.installation import InstallationRefused, NewManager
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.superadmins import superadmin_create
from reclamations.outbox.services import message_template_save
from reclamations.outbox.templates import Rendered, template_for
from reclamations.reporting.integrity import verify_all
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")


def _values(name: str) -> dict[str, object]:
    return {
        "name": name,
        "address": f"1 rue de {name}\n75001 Paris",
        "complaints_email": "reclamations@example.fr",
        "referent_name": "Anne Keller",
        "deadline_days": 10,
        "calendar_kind": "ouvrables",
        "time_zone": "Europe/Paris",
        "phone_clock": "call",
    }


def _manager(username: str) -> NewManager:
    return NewManager(username=username, email=f"{username}@example.fr")


def _create(name: str, username: str, actor: User | None = None):
    return organisation_create(
        values=_values(name), manager=_manager(username), actor=actor, via=Via.PLATFORM
    )


@pytest.fixture
def superadmin(db) -> User:
    return superadmin_create(username="plateforme", email="plateforme@example.fr").account


def test_an_organisation_is_added_beside_others_with_its_manager_and_its_event(superadmin):
    _create("Formations Rhin", "anne")

    made = _create("Formations Loire", "paul", actor=superadmin)

    assert Organisation.objects.count() == 2
    assert (made.manager.role, made.manager.organisation) == (Role.MANAGER, made.organisation)
    assert made.manager.password_provisional is True
    assert made.manager.check_password(made.provisional_password)
    event = ComplaintEvent.objects.get(organisation=made.organisation)
    assert (event.event_type, event.sequence, event.actor, event.data["via"]) == (
        EventType.ORGANISATION_CREATED,
        1,
        superadmin,
        "platform",
    )
    assert event.data["manager"] == "paul"


def test_the_first_runs_rules_refuse_what_is_wrong_and_write_nothing(superadmin):
    _create("Formations Rhin", "anne")

    with pytest.raises(ValidationError) as refused:
        organisation_create(
            values={**_values(""), "deadline_days": 99},
            manager=_manager("anne"),
            actor=superadmin,
            via=Via.PLATFORM,
        )

    errors = refused.value.message_dict
    assert set(errors) >= {"name", "deadline_days", "manager_username"}
    assert errors["manager_username"] == ["Le compte « anne » existe déjà."]
    assert Organisation.objects.count() == 1


def test_the_first_run_still_happens_once(db):
    _create("Formations Rhin", "anne")

    with pytest.raises(InstallationRefused):
        installation_create(values=_values("Autre"), manager=_manager("paul"), via=Via.COMMAND)


def test_adding_an_organisation_costs_the_same_queries_with_1_or_50_already_there(superadmin):
    _create("Organisme 0", "responsable0")
    with CaptureQueriesContext(connection) as with_one:
        _create("Organisme 1", "responsable1", actor=superadmin)
    for number in range(2, 50):
        _create(f"Organisme {number}", f"responsable{number}")
    with CaptureQueriesContext(connection) as with_fifty:
        _create("Organisme 50", "responsable50", actor=superadmin)

    assert len(with_fifty) == len(with_one)
    # Nothing read over every organisation: each read is narrowed to one row or one key.
    reads = [q["sql"] for q in with_fifty if q["sql"].lstrip().upper().startswith("SELECT")]
    assert reads
    assert [sql for sql in reads if " WHERE " not in sql.upper()] == []


def test_two_organisations_keep_their_references_templates_accounts_and_chains(superadmin):
    rhin = _create("Formations Rhin", "anne", actor=superadmin)
    loire = _create("Formations Loire", "paul", actor=superadmin)
    assert rhin.organisation.reference_prefix == loire.organisation.reference_prefix == "REC"

    first_rhin = make_complaint(rhin.organisation, rhin.manager)
    first_loire = make_complaint(loire.organisation, loire.manager)
    second_rhin = make_complaint(rhin.organisation, rhin.manager)
    message_template_save(
        organisation=rhin.organisation,
        actor=rhin.manager,
        spec=template_spec(rhin.organisation, ClientMessage.REPLY),
        subject="Réponse du Rhin [{{ reference }}]",
        body="{{ reply_text }}\n\n{{ recourse }}\n",
    )

    # Each counts its own references from 1, under the same prefix.
    assert first_rhin.reference == first_loire.reference
    assert second_rhin.reference != first_loire.reference
    default = Rendered("défaut", "défaut")
    assert template_for(rhin.organisation, ClientMessage.REPLY, default).subject.startswith(
        "Réponse du Rhin"
    )
    assert template_for(loire.organisation, ClientMessage.REPLY, default) == default
    assert set(User.objects.filter(organisation=loire.organisation)) == {loire.manager}
    # Each chain holds its own events only, and both verify.
    assert {e.organisation_id for e in ComplaintEvent.objects.filter(complaint=first_loire)} == {
        loire.organisation.pk
    }
    results = {result.organisation.name: result for result in verify_all()}
    assert set(results) == {"Formations Rhin", "Formations Loire"}
    assert [(r.ok, list(r.findings)) for r in results.values()] == [(True, []), (True, [])]
