"""The one door of a new organisation: the organisation, its first manager and the event that
opens its chronology, written together or not at all; at the first run (docs/first-run.md),
once per installation; by the super-administrator, as often as needed
(docs/multi-organisation.md).

The event (`organisation_created`) holds every setting the organisation starts with, so that
`reclamations verify` checks each of them from the first day: later changes are
`settings_changed` events (complaints.organisation_events) replayed on top of it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from reclamations.complaints.chronology import append_event
from reclamations.complaints.enums import EventType
from reclamations.complaints.organisation_events import SETTINGS_FIELDS, settings_snapshot
from reclamations.core.installation import (
    InstallationRefused,
    NewManager,
    first_run_errors,
    installed_refusal,
    lock_installation,
)
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.users import generated_password, user_create


class Via(StrEnum):
    """Where an organisation was created, as its event says."""

    COMMAND = "command"  # reclamations init
    PAGE = "page"  # the first-run page
    PLATFORM = "platform"  # the super-administrator's page
    PLATFORM_COMMAND = "platform_command"  # reclamations organisation create


@dataclass(frozen=True)
class Installed:
    organisation: Organisation
    manager: User
    # The provisional password made for the manager, to show once; "" when they chose one.
    provisional_password: str


def installation_create(*, values: Mapping[str, Any], manager: NewManager, via: Via) -> Installed:
    """The first run: create the installation's organisation and its first manager
    (organisation_create), once.

    Raises InstallationRefused when an organisation exists already (the demo's included), and
    ValidationError as organisation_create does; nothing is written then.
    """
    with transaction.atomic():
        lock_installation()
        refusal = installed_refusal()
        if refusal:
            raise InstallationRefused(refusal)
        return organisation_create(values=values, manager=manager, actor=None, via=via)


def organisation_create(
    *, values: Mapping[str, Any], manager: NewManager, actor: User | None, via: Via
) -> Installed:
    """Create an organisation with `values` (the settings page's names) and its first
    manager, and open its chronology with their event, whose actor is `actor` (the
    super-administrator; None at a first run, whose page is typed by the manager and whose
    command by the server's operator).

    Raises ValidationError (form field -> French messages, the organisation's and the
    manager's together) when a value is wrong; nothing is written then. Its queries are the
    same whatever the number of organisations and complaints already there (a provider's
    installation grows by one organisation at a time: docs/multi-organisation.md).
    """
    with transaction.atomic():
        cleaned, errors = first_run_errors(values, manager)
        if errors:
            raise ValidationError(errors)
        organisation = Organisation.objects.create(**cleaned)
        password = manager.password or generated_password()
        account = user_create(
            username=manager.username.strip(),
            role=Role.MANAGER,
            password=password,
            email=manager.email.strip(),
            organisation=organisation,
            first_name=manager.first_name.strip(),
            last_name=manager.last_name.strip(),
            provisional=not manager.password,
        )
        if actor is None and via == Via.PAGE:
            actor = account
        append_event(
            organisation=organisation,
            event_type=EventType.ORGANISATION_CREATED,
            actor=actor,
            occurred_on=local_today(organisation),
            status_before="",
            data={
                "settings": settings_snapshot(organisation, SETTINGS_FIELDS),
                "manager": account.username,
                "via": via.value,
            },
        )
    return Installed(organisation, account, "" if manager.password else password)
