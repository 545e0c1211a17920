"""Where the complaints an erasure request concerns stand (GDPR article 17): which can be
anonymised now, which cannot yet (still open, or on legal hold) and why, which already are; and
why an erasure cannot then be granted in full. privacy.requests records the decision."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from reclamations.complaints.enums import OPEN_STATUSES
from reclamations.complaints.models import Complaint
from reclamations.privacy import rules
from reclamations.privacy.models import DataRequest

# Why the organisation may keep a closed complaint that a person asks to erase (GDPR article
# 17(3)(b) and (e)): Qualiopi (indicator 31) requires the complaints register and its treatment
# to be shown at the next surveillance or renewal audit, and a complaint may still found or
# defend a claim until the limitation period ends (5 years for most civil claims, Code civil
# article 2224). The organisation decides, complaint by complaint, and says why.
KEEP_HELP = gettext_noop(
    "Une réclamation close peut être conservée si une obligation légale l'impose (le registre "
    "des réclamations présenté à l'audit Qualiopi, indicateur 31) ou pour la constatation, "
    "l'exercice ou la défense de droits en justice jusqu'à la prescription (article 17.3 du "
    "RGPD) : l'effacement n'est alors accordé qu'en partie, ou refusé, avec son motif."
)


@dataclass(frozen=True)
class Blocked:
    """A complaint concerned by an erasure that cannot be anonymised now, and why (French)."""

    complaint: Complaint
    why: str


@dataclass
class ErasureReview:
    """The complaints an erasure concerns, sorted: those that can be anonymised now (closed,
    not on legal hold), those that cannot (still open, or on legal hold), those already
    anonymised."""

    erasable: list[Complaint] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    already: list[Complaint] = field(default_factory=list)


def erasure_review(request: DataRequest) -> ErasureReview:
    """Where each complaint the request concerns stands for an erasure."""
    review = ErasureReview()
    for complaint in request.complaints.order_by("received_at", "id"):
        if complaint.anonymised_on is not None:
            review.already.append(complaint)
        elif complaint.status in OPEN_STATUSES:
            review.blocked.append(
                Blocked(
                    complaint,
                    gettext_noop(
                        "en cours de traitement : elle ne peut être anonymisée qu'une fois close"
                    ),
                )
            )
        else:
            hold = rules.legal_hold(
                rules.Standing(
                    closed_on=complaint.closed_on,
                    mediation_seized_on=complaint.mediation_seized_on,
                    mediation_outcome=complaint.mediation_outcome,
                    litigation_started_on=complaint.litigation_started_on,
                    litigation_outcome=complaint.litigation_outcome,
                )
            )
            if hold:
                review.blocked.append(Blocked(complaint, f"gel légal : {hold}"))
            else:
                review.erasable.append(complaint)
    return review


def not_in_full(review: ErasureReview, kept: list[Complaint]) -> str:
    """Why an erasure cannot be granted in full (French), "" when it can."""
    reasons = [f"{item.complaint.reference} ({item.why})" for item in review.blocked]
    reasons += [f"{complaint.reference} (conservée par l'organisme)" for complaint in kept]
    if not reasons:
        return ""
    return (
        "L'effacement ne peut pas être accordé en entier : "
        + " ; ".join(reasons)
        + ". Choisissez « Accordée en partie » ou « Refusée » et donnez-en le motif."
    )
