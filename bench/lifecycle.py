"""One complaint's life, from registration to closure, played in memory as the services would.

`Simulator.register` mirrors `complaint_register` with the service layer's own checks, and
`Simulator.apply` runs what `complaint_apply` runs (the action's declaration read and planned
by `apply.read_and_plan`, applied by `apply.change`, its event by `apply.event_data`), so that
every field, status and event payload is what the service would have written; only the writing
itself (one row lock and one INSERT per event) is left to the generator's bulk inserts.

A message that goes by post is printed as the service prints it (`ActionSpec.prints`: the same
PDF, byte for byte) and its file written to the storage as `store_document` writes it; its row
waits for the generator's insert. The referent then records the letter as posted, as the service
asks her to (`record_posting`).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from typing import Any

from django.core.exceptions import ValidationError
from population import (
    ACCEPTANCES,
    ACTIONS,
    CAUSE_ANALYSES,
    CAUSES_BY_CATEGORY,
    LITIGATION_OUTCOMES,
    MEDIATION_OUTCOMES,
    NOT_ADMISSIBLE_REASONS,
    NOTES,
    OUTCOMES,
    REPLIES,
    REPLY_CHANNELS,
    REPLY_CHANNELS_WITHOUT_POST,
    RESOLUTIONS,
    SEVERITIES,
    Reception,
    pick,
    weighted,
)

from reclamations.complaints import actions as registry
from reclamations.complaints.actions import Action, ActionSpec, ComplaintState
from reclamations.complaints.actions.decision import BY_LETTER
from reclamations.complaints.actions.messages import RecordPostingInput, posting_plan
from reclamations.complaints.apply import change, document_role, event_data, read_and_plan
from reclamations.complaints.documents import unsaved_document
from reclamations.complaints.enums import (
    ClientAcceptance,
    EventType,
    Kind,
    Status,
)
from reclamations.complaints.models import Complaint, Document
from reclamations.complaints.policy import deadline_policy
from reclamations.complaints.registration import (
    NewComplaint,
    build_record,
    detail_values,
    registration_data,
)
from reclamations.complaints.validation import (
    Errors,
    check_details,
    derived_client_type,
)
from reclamations.core.localtime import local_date, local_zone
from reclamations.core.models import Organisation, User
from reclamations.core.seed import ensure_seed_organisation

BACKDATED = "Reçue en dehors des heures d'ouverture : enregistrée le jour ouvré suivant."
_SATURDAY = 5


@dataclass(slots=True)
class PendingEvent:
    """A chronology event waiting for its place (sequence) in the organisation's chain."""

    recorded_at: datetime  # UTC, as timezone.now() gives it
    complaint: Complaint
    event_type: str
    occurred_on: date
    status_before: str
    status_after: str
    data: dict[str, Any]
    document: Document | None = None  # the letter the action printed (its row unsaved)
    posted: Document | None = None  # the letter a posting records

    def written_data(self) -> dict[str, Any]:
        """The data as the event stores them: a posting names its letter by the id the
        letter's row was given when inserted (unknown while the register is played)."""
        if self.posted is None:
            return self.data
        return {**self.data, "letter": {**self.data["letter"], "id": self.posted.pk}}


@dataclass(frozen=True)
class Step:
    """An action done `day` office days after registration."""

    day: int
    action: Action
    data: dict[str, Any] = field(default_factory=dict)


class Simulator:
    """Registers and treats complaints in memory for one organisation and one referent."""

    def __init__(
        self, organisation: Organisation, actor: User, now: datetime, *, print_letters: bool = True
    ) -> None:
        self.organisation = organisation
        # Without letters (bench/organisations.py --no-letters), the replies that would go by
        # post go by e-mail: a register the services could have written, printed nothing.
        self.reply_channels = REPLY_CHANNELS if print_letters else REPLY_CHANNELS_WITHOUT_POST
        self.actor = actor
        self.actor_name = actor.display_name
        self.now = now
        self.policy = deadline_policy(organisation)
        self.zone = local_zone(organisation)
        self.counters: dict[int, int] = {}
        # Each complaint's printed letters not posted yet, by reference, oldest first.
        self.letters_to_post: dict[str, list[Document]] = {}

    def is_office_day(self, day: date) -> bool:
        """Staff work Monday to Friday, public holidays excepted."""
        return day.weekday() < _SATURDAY and self.policy.calendar.is_working_day(day)

    # -- registration: services.complaint_register -------------------------------------------

    def _reference(self, registered_on: date) -> str:
        year = registered_on.year
        self.counters[year] = self.counters.get(year, 0) + 1
        return f"{self.organisation.reference_prefix}-{year}-{self.counters[year]:04d}"

    def register(self, reception: Reception) -> tuple[Complaint, list[PendingEvent]]:
        """Call in registration order: references are sequential per year."""
        organisation = self.organisation
        values = detail_values(reception.fields)
        errors = Errors()
        check_details(values, errors)
        if errors:
            raise ValueError(f"registration refused: {errors}")
        values["client_type"] = derived_client_type(values["funding"], values["client_type"])
        received_on = local_date(organisation, reception.received_at)
        registered_on = local_date(organisation, reception.registered_at)
        new = NewComplaint(
            channel=reception.channel,
            received_at=reception.received_at,
            backdating_reason=BACKDATED if received_on < registered_on else "",
            **values,
        )
        record = build_record(
            organisation,
            self.actor,
            new,
            values,
            received_on,
            reference=self._reference(registered_on),
            registered_on=registered_on,
        )
        record.registered_at = record.updated_at = reception.registered_at
        data = registration_data(record, new, values, None)
        recorded_at = _utc(reception.registered_at) + timedelta(milliseconds=3)
        events = [
            PendingEvent(
                recorded_at, record, EventType.REGISTERED, received_on, "", record.status, data
            )
        ]
        if record.channel == "phone" and record.kind != Kind.NOT_ADMISSIBLE:
            events.append(
                PendingEvent(
                    recorded_at + timedelta(milliseconds=2),
                    record,
                    EventType.CONFIRMATION_REQUESTED,
                    registered_on,
                    record.status,
                    record.status,
                    {"sent_via": "email"},
                )
            )
        return record, events

    # -- one action: services.complaint_apply -------------------------------------------------

    def apply(
        self, complaint: Complaint, action: Action, data: dict[str, Any], at: datetime
    ) -> PendingEvent:
        spec = registry.ACTIONS[action]
        refused = spec.refusal(ComplaintState.of(complaint))
        if refused:  # a scenario the registry forbids is a bug here
            raise ValueError(f"{complaint.reference} {action}: {refused}")
        today = local_date(self.organisation, at)
        if action == Action.RECORD_POSTING:
            return self._record_posting(complaint, spec, today, at)
        try:
            given, plan = read_and_plan(spec, complaint, self.actor, data, None, today=today)
        except ValidationError as error:
            raise ValueError(f"{complaint.reference} {action}: {error.messages}") from None
        status_before = change(complaint, spec, plan)
        complaint.updated_at = at
        printed = spec.prints(complaint, given, []) if spec.prints is not None else None
        letter = None
        if printed is not None:
            complaint.letters_to_post += 1
            letter = unsaved_document(
                complaint=complaint,
                upload=printed,
                role=document_role(spec, plan),
                created_by=self.actor,
                created_at=_utc(at),
                to_post=True,
            )
            self.letters_to_post.setdefault(complaint.reference, []).append(letter)
        return PendingEvent(
            _utc(at),
            complaint,
            spec.event,
            plan.occurred_on,
            status_before,
            complaint.status,
            event_data(spec, plan, letter),
            document=letter,
        )

    def _record_posting(
        self, complaint: Complaint, spec: ActionSpec[Any], today: date, at: datetime
    ) -> PendingEvent:
        """The referent posts the oldest letter waiting (the form's first choice) on the day
        she records it. The service finds the letter among the stored documents; here it is
        the one the simulator printed."""
        waiting = self.letters_to_post[complaint.reference]
        letter = waiting.pop(0)
        if not waiting:
            del self.letters_to_post[complaint.reference]
        errors = Errors()
        # The letter's id is given when its row is inserted: PendingEvent.written_data.
        plan = posting_plan(complaint, letter, RecordPostingInput(posted_on=today), errors)
        if errors:
            raise ValueError(f"{complaint.reference} {spec.name}: {errors}")
        status_before = change(complaint, spec, plan)
        complaint.updated_at = at
        return PendingEvent(
            _utc(at),
            complaint,
            spec.event,
            plan.occurred_on,
            status_before,
            complaint.status,
            event_data(spec, plan, None),
            posted=letter,
        )

    # -- the whole life -----------------------------------------------------------------------

    def timeline(
        self, rng: Random, complaint: Complaint, reception: Reception, *, stalls: bool
    ) -> list[tuple[datetime, Step]]:
        """When each step of a just registered complaint happens, up to now (not beyond)."""
        moment = reception.registered_at
        office_day, office_days_done = moment.date(), 0
        played = []
        steps = scenario(
            rng, complaint, reception.withheld, stalls=stalls, reply_channels=self.reply_channels
        )
        for step in steps:
            while office_days_done < step.day:
                office_day = _next(office_day, self.is_office_day)
                office_days_done += 1
            if office_day == moment.date():
                moment += timedelta(minutes=rng.randrange(3, 90), seconds=rng.random() * 60)
            else:
                opens = datetime.combine(office_day, time(8, 45), self.zone)
                moment = opens + timedelta(minutes=rng.randrange(0, 9 * 60), seconds=rng.random())
            if moment >= self.now:
                break
            played.append((moment, step))
        return played

    def live(
        self, rng: Random, reception: Reception, *, stalls: bool
    ) -> tuple[Complaint, list[PendingEvent]]:
        """Register, then play the complaint's treatment up to now."""
        complaint, events = self.register(reception)
        for moment, step in self.timeline(rng, complaint, reception, stalls=stalls):
            events.append(self.apply(complaint, step.action, step.data, moment))
        return complaint, events


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _next(day: date, is_office_day: Any) -> date:
    day += timedelta(days=1)
    while not is_office_day(day):
        day += timedelta(days=1)
    return day


def _extras(rng: Random, lower: int, upper: int) -> int:
    """How many optional actions and notes: usually one or two."""
    lower = max(lower, 0)
    if upper <= lower:
        return max(lower, 0)
    weights = [4 if n in (1, 2) else 1 for n in range(lower, upper + 1)]
    return rng.choices(range(lower, upper + 1), weights=weights)[0]


def scenario(
    rng: Random,
    complaint: Complaint,
    withheld: dict[str, str],
    *,
    stalls: bool,
    reply_channels: dict[str, int] = REPLY_CHANNELS,
) -> list[Step]:
    """The steps of a complaint's treatment, in office days after its registration.

    `stalls`: the treatment stops before the reply (a complaint left open, soon overdue).
    `reply_channels`: how the replies go, weighted.
    """
    steps: list[Step] = []
    if complaint.status == Status.CLOSED:  # not admissible from the start
        return [
            Step(0, Action.ADD_NOTE, {"text": "Client informé de la non-recevabilité."}),
            Step(rng.randint(0, 2), Action.ADD_NOTE, {"text": pick(rng, NOTES)}),
        ]
    base_events = 2 if complaint.confirmation_pending else 1
    steps.append(Step(rng.choice((0, 0, 1)), Action.ADD_ACTION, {"description": ACTIONS[0]}))
    day = steps[-1].day
    missing = dict(withheld)
    if complaint.confirmation_pending:
        roll = rng.random()
        if roll < 0.9:
            day += rng.randint(1, 4)
            data = {"via": rng.choice(("email", "email", "letter")), **missing}
            data["summary"] = "Confirmation écrite reçue du client."
            steps.append(Step(day, Action.RECORD_CONFIRMATION, data))
            missing = {}
        elif roll < 0.95:
            day += rng.randint(8, 15)
            reason = "Confirmation écrite jamais reçue malgré relance."
            steps.append(Step(day, Action.DECLARE_NOT_ADMISSIBLE, {"reason": reason}))
            return steps
        # otherwise treated without the written confirmation
    if missing or rng.random() < 0.04:
        day += rng.randint(0, 1)
        asked = ", ".join(complaint.missing_fields) or "dates exactes des séances concernées"
        steps.append(
            Step(
                day,
                Action.REQUEST_INFORMATION,
                {
                    "missing": asked,
                    "sent_via": "email",
                    "message": "Merci de nous transmettre ces éléments.",
                },
            )
        )
        if rng.random() < 0.06:
            day += rng.randint(12, 20)
            reason = NOT_ADMISSIBLE_REASONS[2]
            steps.append(Step(day, Action.DECLARE_NOT_ADMISSIBLE, {"reason": reason}))
            return steps
        day += rng.randint(2, 7)
        data = {"summary": "Le client a transmis les éléments demandés.", **missing}
        steps.append(Step(day, Action.RECORD_INFORMATION, data))
    if rng.random() < 0.02:
        day += rng.randint(1, 5)
        steps.append(
            Step(day, Action.DECLARE_NOT_ADMISSIBLE, {"reason": NOT_ADMISSIBLE_REASONS[0]})
        )
        return steps
    if rng.random() < 0.05:
        severity = weighted(rng, {k: v for k, v in SEVERITIES.items() if k != complaint.severity})
        data = {"severity": severity, "reason": "Gravité réévaluée après analyse."}
        steps.append(Step(day + rng.randint(0, 2), Action.UPDATE_DETAILS, data))

    # The reply: mostly within the 10 working days (about 8 office days), sometimes late.
    on_time = rng.random() < 0.88
    last_day = max(step.day for step in steps)
    reply_day = max(last_day + 1, rng.randint(2, 8) if on_time else rng.randint(10, 18))
    later = _after_reply(rng, reply_day, reply_channels)
    mandatory = base_events + len(steps) + (0 if stalls else 1 + len(later))
    for _ in range(_extras(rng, 3 - mandatory, 8 - mandatory)):
        when = rng.randint(1, reply_day - 1)
        if rng.random() < 0.7:
            steps.append(Step(when, Action.ADD_ACTION, {"description": pick(rng, ACTIONS[1:])}))
        else:
            steps.append(Step(when, Action.ADD_NOTE, {"text": pick(rng, NOTES)}))
    steps.sort(key=lambda step: step.day)  # stable: same-day steps keep their order
    if stalls:
        return steps
    reply = _reply_data(rng, reply_channels)
    steps.append(Step(reply_day, Action.REPLY, reply))
    if rng.random() < 0.6:  # the cause analysed when the reply is written
        cause = {
            "cause": weighted(rng, CAUSES_BY_CATEGORY[complaint.category]),
            "cause_analysis": pick(rng, CAUSE_ANALYSES),
        }
        steps.append(Step(reply_day, Action.ANALYSE_CAUSE, cause))
    return steps + _posting(rng, reply, reply_day) + later


def _reply_data(rng: Random, channels: dict[str, int]) -> dict[str, Any]:
    return {
        "channel": weighted(rng, channels),
        "resolution": pick(rng, RESOLUTIONS),
        "text": pick(rng, REPLIES),
    }


def _posting(rng: Random, reply: dict[str, Any], reply_day: int) -> list[Step]:
    """A reply by post is printed by the application: the referent posts the letter with the
    day's mail, or the next office day's, and records it (which letter, and the day posted:
    Simulator._record_posting)."""
    if reply["channel"] not in BY_LETTER:
        return []
    return [Step(reply_day + rng.choice((0, 0, 1)), Action.RECORD_POSTING)]


def _after_reply(rng: Random, reply_day: int, reply_channels: dict[str, int]) -> list[Step]:
    """Closure, and for a few complaints reopening, mediation or litigation."""
    if rng.random() < 0.07:  # the client never came back: stays replied
        return []
    day = reply_day + rng.randint(2, 15)
    acceptance = weighted(rng, ACCEPTANCES)
    close = {"outcome": weighted(rng, OUTCOMES), "client_acceptance": acceptance}
    steps = [Step(day, Action.CLOSE, close)]
    if acceptance == ClientAcceptance.DISPUTED and rng.random() < 0.12:
        day += rng.randint(5, 30)
        steps.append(Step(day, Action.ESCALATE_MEDIATION))
        if rng.random() < 0.8:
            day += rng.randint(20, 60)
            outcome = {"outcome": pick(rng, MEDIATION_OUTCOMES)}
            steps.append(Step(day, Action.RECORD_MEDIATION_OUTCOME, outcome))
            if rng.random() < 0.08:
                day += rng.randint(10, 40)
                steps.append(Step(day, Action.ESCALATE_LITIGATION))
                if rng.random() < 0.5:
                    day += rng.randint(60, 120)
                    outcome = {"outcome": pick(rng, LITIGATION_OUTCOMES)}
                    steps.append(Step(day, Action.RECORD_LITIGATION_OUTCOME, outcome))
    elif rng.random() < 0.007:
        day += rng.randint(3, 20)
        reason = "Le client signale que la solution n'a pas été mise en œuvre."
        steps.append(Step(day, Action.REOPEN, {"reason": reason}))
        day += rng.randint(2, 8)
        reply = _reply_data(rng, reply_channels)
        steps.append(Step(day, Action.REPLY, reply))
        steps += _posting(rng, reply, day)
        day += rng.randint(2, 10)
        steps.append(
            Step(day, Action.CLOSE, {"outcome": "granted", "client_acceptance": "accepted"})
        )
    return steps


def simulated_organisation() -> Organisation:
    """The seed's organisation, its mediator checked on the CECMC's list as a manager would:
    the simulated referent's replies to consumers name it (an unlisted one needs a manager's
    sending)."""
    organisation = ensure_seed_organisation()
    Organisation.objects.filter(pk=organisation.pk).update(mediator_cecmc_listed=True)
    organisation.mediator_cecmc_listed = True
    return organisation
