"""A person's own requests about their data (privacy.models.DataRequest) belong in their
subject-access export: the request, its clock, the decision and its reason, the staff's notes."""

from typing import Any

from django.db.models import Q

from reclamations.core.models import Organisation
from reclamations.privacy.models import DataRequest


def requests_of(organisation: Organisation, emails: tuple[str, ...]) -> tuple[int, ...]:
    """The ids of the requests made from one of `emails`, oldest first."""
    condition = Q()
    for address in emails:
        condition |= Q(person_email__iexact=address)
    return tuple(
        DataRequest.objects.filter(organisation=organisation)
        .filter(condition)
        .order_by("received_on", "id")
        .values_list("id", flat=True)
    )


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def request_records(ids: tuple[int, ...]) -> list[dict[str, Any]]:
    """Each request as the export's JSON says it, in French keys like the rest of the ZIP."""
    records = []
    for request in (
        DataRequest.objects.filter(id__in=ids)
        .select_related("decided_by", "recorded_by")
        .prefetch_related("complaints")
        .order_by("received_on", "id")
    ):
        records.append(
            {
                "numero": request.pk,
                "droit": request.get_kind_display(),
                "nom": request.person_name,
                "adresse_e_mail": request.person_email,
                "recue_le": _day(request.received_on),
                "echeance": _day(request.due_on),
                "prolongee_jusqu_au": _day(request.extended_to),
                "motif_de_la_prolongation": request.extension_reason,
                "statut": request.get_status_display(),
                "decision": request.get_decision_display() if request.decision else "",
                "motif_de_la_decision": request.decision_reason,
                "decidee_le": _day(request.decided_on),
                "reclamations_concernees": sorted(c.reference for c in request.complaints.all()),
                "notes": request.notes,
            }
        )
    return records
