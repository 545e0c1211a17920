"""The first run's one door: the installation's organisation, its first manager and the event
that opens its chronology, written together or not at all (docs/first-run.md).

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
    """Where the first run was made, as its event says."""

    COMMAND = "command"
    PAGE = "page"


@dataclass(frozen=True)
class Installed:
    organisation: Organisation
    manager: User
    # The provisional password made for the manager, to show once; "" when they chose one.
    provisional_password: str


def installation_create(*, values: Mapping[str, Any], manager: NewManager, via: Via) -> Installed:
    """Create the installation's organisation with `values` (the settings page's names) and
    its first manager, and open its chronology with their event.

    Raises InstallationRefused when an organisation exists already (the demo's included), and
    ValidationError (form field -> French messages, the organisation's and the manager's
    together) when a value is wrong; nothing is written then.
    """
    with transaction.atomic():
        lock_installation()
        refusal = installed_refusal()
        if refusal:
            raise InstallationRefused(refusal)
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
        append_event(
            organisation=organisation,
            event_type=EventType.ORGANISATION_CREATED,
            # On the page, the person who typed it all is the manager; the command's operator
            # may be someone else.
            actor=account if via == Via.PAGE else None,
            occurred_on=local_today(organisation),
            status_before="",
            data={
                "settings": settings_snapshot(organisation, SETTINGS_FIELDS),
                "manager": account.username,
                "via": via.value,
            },
        )
    return Installed(organisation, account, "" if manager.password else password)
