"""The audit pack: one ZIP for a period, for the auditor. It holds the procedure versions in
force during the period, the register (PDF to sign and XLSX), the statistics (PDF), a folder
per complaint with its documents as stored (original, copies of the acknowledgement, requests
and reply, attachments), a note in French on what is there, and a manifest with the SHA-256 of
every file and the state of the chronology when the pack was made. `reclamations verify-pack`
checks it offline (pack_check.py)."""

from dataclasses import dataclass
from datetime import date
from typing import IO

from django.utils import timezone
from django.utils.text import slugify

from reclamations.complaints import chain
from reclamations.complaints.improvement_queries import improvement_actions, plan_lines
from reclamations.complaints.models import Complaint, Document
from reclamations.complaints.queries import RegisterFilters
from reclamations.core.french import counted, long_date
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation, ProcedureVersion
from reclamations.reporting.improvement_plan import write_plan_pdf, write_plan_xlsx
from reclamations.reporting.integrity import chain_state
from reclamations.reporting.manifest_zip import ManifestZip, safe_name
from reclamations.reporting.pack_check import MANIFEST
from reclamations.reporting.periods import Period
from reclamations.reporting.register_files import (
    TooLargeToPrint,
    check_printable,
    write_register_file,
)
from reclamations.reporting.statistics_pdf import printed_statistics, write_statistics_pdf

README = "LISEZMOI.txt"


@dataclass(frozen=True)
class PackSummary:
    complaints: int
    documents: int
    files: int
    chronology_intact: bool


def _versions_in_period(organisation: Organisation, period: Period) -> list[ProcedureVersion]:
    """The versions in force on some day of the period: the one in force on its first day and
    those that came into force during it."""
    versions = list(
        ProcedureVersion.objects.filter(organisation=organisation).order_by(
            "in_force_from", "number"
        )
    )
    kept = [v for v in versions if period.start < v.in_force_from <= period.end]
    before = [v for v in versions if v.in_force_from <= period.start]
    return ([before[-1]] if before else []) + kept


def write_audit_pack(
    target: str | IO[bytes], organisation: Organisation, period: Period, *, today: date
) -> PackSummary:
    made_at = timezone.now().astimezone(local_zone(organisation))
    state = chain_state(organisation)
    intact = state.report.ok
    # The chain's head, witnessed by the pack: `reclamations verify --against` it later.
    head = str(chain.head_of(organisation.name, state.report.checked, state.last_hash))
    if intact:
        chronology = (
            f"Chronologie vérifiée le {made_at:%d/%m/%Y à %H:%M} : intègre "
            f"({counted(state.report.checked, 'événement', 'événements')}), dernière empreinte "
            f"{state.last_hash or '(aucune)'}. Tête de la chaîne : {head} (à vérifier plus "
            "tard par « reclamations verify --against " + head + " »)."
        )
    else:
        chronology = (
            f"ATTENTION : chronologie vérifiée le {made_at:%d/%m/%Y à %H:%M} et ALTÉRÉE à "
            f"l'événement n° {state.report.broken_sequence} ({state.report.problem})."
        )
    pack = ManifestZip(target, made_at)
    notes: list[str] = []

    versions = _versions_in_period(organisation, period)
    for version in versions:
        pack.add_bytes(
            f"procedure/{version.number:02d}-{safe_name(version.label, 'version')}.txt",
            version.text.encode("utf-8"),
        )
    if not versions:
        notes.append(
            "Aucune version de la procédure n'est publiée dans l'application pour cette période."
        )

    filters = RegisterFilters(received_from=period.start, received_to=period.end, order="oldest")
    pack.add_written(
        "registre/registre.xlsx",
        lambda spool: write_register_file("xlsx", organisation, filters, spool),
    )
    try:
        check_printable(organisation, filters)
    except TooLargeToPrint as error:
        notes.append(f"Registre à imprimer non joint : {error}")
    else:
        pack.add_written(
            "registre/registre.pdf",
            # The chain verified above, once: 595,845 events take seconds to check.
            lambda spool: write_register_file("pdf", organisation, filters, spool, state=state),
        )
    facts = printed_statistics(organisation, period, today=today)
    pack.add_written("statistiques.pdf", lambda spool: write_statistics_pdf(spool, facts))
    # The improvement actions open at some point of the period: decided by its end, not ended
    # before it began.
    plan = plan_lines(
        improvement_actions(
            organisation, today=today, active_from=period.start, active_to=period.end
        ),
        today,
    )
    plan_scope = f"Actions d'amélioration ouvertes {period.text()}"
    pack.add_written(
        "plan-amelioration.pdf",
        lambda spool: write_plan_pdf(plan, spool, organisation=organisation, scope=plan_scope),
    )
    pack.add_written("plan-amelioration.xlsx", lambda spool: write_plan_xlsx(plan, spool))

    complaints = (
        Complaint.objects.filter(
            organisation=organisation, received_on__gte=period.start, received_on__lte=period.end
        )
        .order_by("received_on", "id")
        .values_list("id", "reference")
    )
    references = dict(complaints)
    documents = purged = 0
    for document in (
        Document.objects.filter(complaint_id__in=list(references))
        .order_by("complaint_id", "created_at", "id")
        .iterator(chunk_size=500)
    ):
        if not document.file:  # deleted with its complaint's anonymisation (decision 0024)
            purged += 1
            continue
        folder = safe_name(references[document.complaint_id], "reclamation")
        name = safe_name(document.original_name, f"document-{document.pk}")
        stamp = f"{document.created_at:%Y%m%d}-{document.role}-{document.pk}"
        path = f"reclamations/{folder}/{stamp}-{name}"
        with document.file.open("rb") as stored:
            pack.add_stream(path, stored)
        documents += 1

    total = len(references)
    lines = [
        f"Dossier d'audit des réclamations — {organisation.legal_name or organisation.name}",
        f"Période : réclamations reçues {period.text()}.",
        f"Constitué le {long_date(made_at.date())} à {made_at:%H:%M}.",
        "",
        (
            f"Réclamations reçues sur la période : {total} ; documents joints : {documents}"
            + (
                f" ({purged} autre(s) supprimé(s) à l'anonymisation de leur réclamation, leur "
                "empreinte gardée au registre)."
                if purged
                else "."
            )
            if total
            else "Aucune réclamation n'a été reçue sur cette période : le registre joint est vide, "
            "et c'est un registre valide."
        ),
        chronology,
        "",
        "Contenu :",
        "- procedure/ : les versions de la procédure en vigueur pendant la période ;",
        "- registre/ : le registre de la période, à imprimer et signer (PDF), en classeur (XLSX) ;",
        "- statistiques.pdf : les chiffres de la période, comparés à la période précédente ;",
        "- plan-amelioration.pdf et .xlsx : les actions d'amélioration ouvertes pendant la "
        f"période ({len(plan)}), avec la vérification de leur efficacité ;",
        "- reclamations/<référence>/ : pour chaque réclamation, ses documents tels qu'ils ont été "
        "conservés (original, copies des messages envoyés et reçus, pièces jointes) ;",
        f"- {MANIFEST} : l'empreinte SHA-256 de chaque fichier ; « reclamations verify-pack » "
        "vérifie le dossier sans base de données.",
        *(["", *notes] if notes else []),
    ]
    pack.add_bytes(README, ("\n".join(lines) + "\n").encode("utf-8"))
    files = len(pack.files)
    pack.close(
        {
            "organisation": organisation.legal_name or organisation.name,
            "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            "made_at": made_at.isoformat(),
            "complaints": total,
            "documents": documents,
            "improvement_actions": len(plan),
            "chronology": {
                "intact": intact,
                "checked_events": state.report.checked,
                "last_hash": state.last_hash,
                "head": head if intact else "",
                "text": chronology,
            },
        }
    )
    return PackSummary(total, documents, files, intact)


def pack_name(organisation: Organisation, period: Period) -> str:
    whose = slugify(organisation.name) or "organisme"
    return f"dossier-audit-reclamations-{whose}-{period.start}-au-{period.end}.zip"
