"""The organisation's own events in its chain: a change of its settings, a triage decision
(decision 0021). They belong to no complaint and no improvement action.

The settings are changed here, not by core.services.organisation_update or
core.procedures.procedure_publish alone: each change writes its event, with the values before
and after, in the same transaction. `reclamations verify` replays those events against the
stored row (reporting.integrity.settings_findings); the apps above the complaint domain add
their own checks of what their events say (`register_check`, as the worker's jobs are
registered).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from django.db import transaction

from reclamations.complaints import chain
from reclamations.complaints.chronology import append_event
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ComplaintEvent
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, ProcedureVersion, User
from reclamations.core.procedures import procedure_publish
from reclamations.core.services import EDITABLE_FIELDS, organisation_update

# What the events cover: every setting the Réglages page or a service changes. The mailbox's
# health (mailbox_failing_since, mailbox_error, mailbox_error_parts) and the OAuth tokens are
# operational state, changed by every reading of the mailbox: not settings.
SETTINGS_FIELDS: tuple[str, ...] = tuple(dict.fromkeys((*EDITABLE_FIELDS, "procedure_version")))


def settings_snapshot(organisation: Organisation, names: Iterable[str]) -> dict[str, Any]:
    """The settings as their events write them (JSON values)."""
    return {name: chain.to_json_value(getattr(organisation, name)) for name in names}


def setting_label(name: str) -> str:
    return str(Organisation._meta.get_field(name).verbose_name)


def setting_text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "vide"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def settings_changed(
    *,
    organisation: Organisation,
    actor: User | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> ComplaintEvent | None:
    """Write the event of a change of settings (inside the change's transaction); none when
    nothing changed."""
    changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if not changes:
        return None
    return append_event(
        organisation=organisation,
        event_type=EventType.SETTINGS_CHANGED,
        actor=actor,
        occurred_on=local_today(organisation),
        status_before="",
        data={"changes": changes},
    )


def _stored(organisation: Organisation) -> Organisation:
    """The organisation's row as stored, locked until the transaction ends."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def organisation_settings_update(
    *, organisation: Organisation, actor: User, values: Mapping[str, Any]
) -> list[str]:
    """core.services.organisation_update, with its event: validate and save the settings,
    return the names of the fields changed."""
    with transaction.atomic():
        before = settings_snapshot(_stored(organisation), SETTINGS_FIELDS)
        changed = organisation_update(organisation=organisation, actor=actor, values=values)
        settings_changed(
            organisation=organisation,
            actor=actor,
            before=before,
            after=settings_snapshot(organisation, changed),
        )
    return changed


def organisation_procedure_publish(
    *,
    organisation: Organisation,
    text: str,
    label: str,
    in_force_from: date,
    actor: User | None,
) -> ProcedureVersion:
    """core.procedures.procedure_publish, with its event when the version in force (a
    setting, the printed register's footer) changes."""
    names = ("procedure_version",)
    with transaction.atomic():
        before = settings_snapshot(_stored(organisation), names)
        version = procedure_publish(
            organisation=organisation,
            text=text,
            label=label,
            in_force_from=in_force_from,
            actor=actor,
        )
        settings_changed(
            organisation=organisation,
            actor=actor,
            before=before,
            after=settings_snapshot(organisation, names),
        )
    return version


Check = Callable[[Organisation], Iterator[str]]
_CHECKS: dict[str, Check] = {}


def register_check(name: str, check: Check) -> None:
    """Add what an app checks against its events to `reclamations verify` (registering the
    same name again replaces it)."""
    _CHECKS[name] = check


def registered_checks() -> list[Check]:
    return list(_CHECKS.values())
