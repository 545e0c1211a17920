"""After the reply: the client seizes the mediator, or goes to court."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from reclamations.complaints.actions.inputs import day, long_text, text
from reclamations.complaints.actions.spec import (
    AFTER_REPLY,
    STAYS,
    ActionSpec,
    ComplaintState,
    Context,
    Plan,
    Refusal,
    Shown,
)
from reclamations.complaints.enums import EventType
from reclamations.complaints.fields import max_length
from reclamations.complaints.validation import Errors


def _seized(state: ComplaintState) -> bool:
    return state.mediation_seized


def _not_seized(state: ComplaintState) -> bool:
    return not state.mediation_seized


def _started(state: ComplaintState) -> bool:
    return state.litigation_started


def _not_started(state: ComplaintState) -> bool:
    return not state.litigation_started


@dataclass(frozen=True)
class EscalateMediationInput:
    seized_on: date = day(gettext_noop("Médiateur saisi le"))
    mediator: str = text(
        gettext_noop("Médiateur"),
        required=gettext_noop("Indiquez le médiateur saisi."),
        max_length=max_length("mediator"),
        default=lambda complaint, actor: complaint.organisation.mediator_name,
    )


def _plan_mediation(context: Context, given: EscalateMediationInput, errors: Errors) -> Plan:
    return Plan(
        given.seized_on,
        updates={"mediation_seized_on": given.seized_on, "mediator": given.mediator},
        data={"mediator": given.mediator},
    )


ESCALATE_MEDIATION = ActionSpec(
    name="escalate_mediation",
    label=_("Saisine du médiateur"),
    done=_("saisine du médiateur enregistrée."),
    intro=_("Le client a saisi le médiateur : enregistrez la date et le médiateur."),
    allowed_in=AFTER_REPLY,
    refused_when=(
        Refusal(_seized, gettext_noop("Le médiateur a déjà été saisi pour cette réclamation.")),
    ),
    leads_to=STAYS,
    input=EscalateMediationInput,
    plan=_plan_mediation,
    event=EventType.MEDIATION_SEIZED,
    shows={"mediator": Shown(_("Médiateur"))},
)


@dataclass(frozen=True)
class RecordMediationOutcomeInput:
    outcome: str = long_text(
        gettext_noop("Issue de la médiation"),
        required=gettext_noop("Décrivez l'issue de la médiation."),
        rows=4,
    )
    decided_on: date = day(gettext_noop("Date de l'issue"))


def _plan_mediation_outcome(
    context: Context, given: RecordMediationOutcomeInput, errors: Errors
) -> Plan:
    return Plan(
        given.decided_on,
        updates={"mediation_outcome": given.outcome},
        data={"outcome": given.outcome},
    )


RECORD_MEDIATION_OUTCOME = ActionSpec(
    name="record_mediation_outcome",
    label=_("Issue de la médiation"),
    done=_("issue de la médiation enregistrée."),
    allowed_in=AFTER_REPLY,
    refused_when=(
        Refusal(
            _not_seized, gettext_noop("Aucune médiation n'est en cours pour cette réclamation.")
        ),
    ),
    leads_to=STAYS,
    input=RecordMediationOutcomeInput,
    plan=_plan_mediation_outcome,
    event=EventType.MEDIATION_OUTCOME,
    shows={"outcome": Shown(_("Issue"))},
)


@dataclass(frozen=True)
class EscalateLitigationInput:
    started_on: date = day(gettext_noop("Contentieux engagé le"))
    court: str = text(
        gettext_noop("Juridiction"),
        required=gettext_noop("Indiquez la juridiction saisie."),
        max_length=max_length("litigation_court"),
        default=lambda complaint, actor: complaint.organisation.court_name,
    )


def _plan_litigation(context: Context, given: EscalateLitigationInput, errors: Errors) -> Plan:
    return Plan(
        given.started_on,
        updates={"litigation_started_on": given.started_on, "litigation_court": given.court},
        data={"court": given.court},
    )


ESCALATE_LITIGATION = ActionSpec(
    name="escalate_litigation",
    label=_("Contentieux"),
    done=_("contentieux enregistré."),
    intro=_("Un contentieux est engagé : enregistrez la date et la juridiction saisie."),
    allowed_in=AFTER_REPLY,
    refused_when=(
        Refusal(
            _started, gettext_noop("Un contentieux est déjà enregistré pour cette réclamation.")
        ),
    ),
    leads_to=STAYS,
    input=EscalateLitigationInput,
    plan=_plan_litigation,
    event=EventType.LITIGATION_STARTED,
    shows={"court": Shown(_("Juridiction"))},
)


@dataclass(frozen=True)
class RecordLitigationOutcomeInput:
    outcome: str = long_text(
        gettext_noop("Issue du contentieux"),
        required=gettext_noop("Décrivez l'issue du contentieux."),
        rows=4,
    )
    decided_on: date = day(gettext_noop("Date de la décision"))


def _plan_litigation_outcome(
    context: Context, given: RecordLitigationOutcomeInput, errors: Errors
) -> Plan:
    return Plan(
        given.decided_on,
        updates={"litigation_outcome": given.outcome},
        data={"outcome": given.outcome},
    )


RECORD_LITIGATION_OUTCOME = ActionSpec(
    name="record_litigation_outcome",
    label=_("Issue du contentieux"),
    done=_("issue du contentieux enregistrée."),
    allowed_in=AFTER_REPLY,
    refused_when=(
        Refusal(
            _not_started, gettext_noop("Aucun contentieux n'est enregistré pour cette réclamation.")
        ),
    ),
    leads_to=STAYS,
    input=RecordLitigationOutcomeInput,
    plan=_plan_litigation_outcome,
    event=EventType.LITIGATION_OUTCOME,
    shows={"outcome": Shown(_("Issue"))},
)
