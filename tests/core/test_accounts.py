"""What an account must do before it uses the register (core/accounts.py)."""

import pytest

from reclamations.core.accounts import Step, pending_step, two_factor_required
from reclamations.core.roles import Role


@pytest.mark.parametrize(
    ("role", "required"),
    [(Role.MANAGER, True), (Role.ADMIN, True), (Role.REFERENT, False), (Role.AUDITOR, False)],
)
def test_two_factor_required_by_role(organisation, role, required):
    user = organisation.users.create(username="x", role=role)

    assert two_factor_required(user) is required


def test_two_factor_required_for_referents_when_the_organisation_says_so(organisation):
    referent = organisation.users.create(username="r", role=Role.REFERENT)
    auditor = organisation.users.create(username="a", role=Role.AUDITOR)
    organisation.two_factor_for_referents = True
    organisation.save()

    assert two_factor_required(referent) is True
    assert two_factor_required(auditor) is False


def test_demo_accounts_are_exempt_only_while_the_demo_is_served(organisation, settings):
    manager = organisation.users.create(
        username="responsable", role=Role.MANAGER, demo=True, password_provisional=True
    )

    settings.RECLAMATIONS_DEMO = False
    assert two_factor_required(manager) is True
    assert pending_step(user=manager, enrolled=False, verified=False) == Step.PASSWORD

    settings.RECLAMATIONS_DEMO = True
    assert two_factor_required(manager) is False
    assert pending_step(user=manager, enrolled=False, verified=False) is None


def test_demo_setting_exempts_no_account_without_the_demo_flag(organisation, settings):
    settings.RECLAMATIONS_DEMO = True
    manager = organisation.users.create(username="paul", role=Role.MANAGER)

    assert pending_step(user=manager, enrolled=False, verified=False) == Step.ENROL


def test_steps_come_in_order_code_then_password_then_enrolment(organisation):
    manager = organisation.users.create(
        username="paul", role=Role.MANAGER, password_provisional=True
    )

    assert pending_step(user=manager, enrolled=True, verified=False) == Step.SECOND_FACTOR
    assert pending_step(user=manager, enrolled=True, verified=True) == Step.PASSWORD
    assert pending_step(user=manager, enrolled=False, verified=False) == Step.PASSWORD
    manager.password_provisional = False
    assert pending_step(user=manager, enrolled=False, verified=False) == Step.ENROL
    assert pending_step(user=manager, enrolled=True, verified=True) is None


def test_a_referent_without_second_factor_has_nothing_to_do(organisation):
    referent = organisation.users.create(username="fanny", role=Role.REFERENT)

    assert pending_step(user=referent, enrolled=False, verified=False) is None
