"""The subject-access export (GDPR art. 15): everything one organisation holds about one person,
free texts included, as one ZIP of JSON files and the stored documents, for the person who asked.

The person and what is found about them come from privacy.subject_search:
- the complaints whose client's address (or name) is the person's, each with its stored fields,
  its chronology (every event and its data), its documents' files and the messages sent about it;
- the e-mails received from the person's address, those waiting in triage or dismissed included,
  as the raw .eml with what the register noted about each;
- the messages sent to that address, about a complaint or not.

The ZIP is written as it goes into a file object (ManifestZip: a chunk at a time, documents may
be large), with a manifest of every file's SHA-256. A file the storage no longer has (purged,
or lost) is listed as deleted, never a failure: the person is told what was kept and what no
longer is. An anonymised complaint (decision 0024) holds nothing that names the person any more:
it is not found."""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import IO, Any

from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify

from reclamations.complaints.enums import event_label, status_label
from reclamations.complaints.event_reading import event_text, field_label, format_value
from reclamations.complaints.models import (
    ClientAccessLink,
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    Document,
)
from reclamations.core.french import counted, long_date
from reclamations.core.languages import in_french
from reclamations.core.localtime import local_zone
from reclamations.core.models import Organisation, User
from reclamations.intake.models import InboundEmail
from reclamations.outbox.models import OutgoingMessage
from reclamations.privacy.subject_requests import request_records
from reclamations.privacy.subject_search import Found, FoundComplaint
from reclamations.reporting.manifest_zip import ManifestZip, safe_name
from reclamations.reporting.pack_check import MANIFEST

README = "LISEZMOI.txt"
PERSON = "personne.json"
COMPLAINTS_FOLDER = "reclamations"
RECEIVED_FOLDER = "emails-recus"
RECEIVED_INDEX = f"{RECEIVED_FOLDER}/emails-recus.json"
SENT_FOLDER = "messages-envoyes"

# What a document's or an e-mail's entry says when the storage no longer has its file.
FILE_DELETED = "fichier supprimé"
FILE_INCLUDED = "fichier joint"

# A complaint's fields that say nothing about the person or the complaint (the row's own id,
# whose register it is: the README names the organisation).
_SKIPPED_FIELDS = {"id", "organisation"}
# Fields whose model gives no French name.
_FIELD_LABELS = {"registered_by": "Enregistrée par", "updated_at": "Dernière modification"}


# --- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSummary:
    complaints: int
    documents: int
    deleted_files: int
    received_emails: int
    sent_messages: int
    files: int
    by_name_only: tuple[str, ...] = ()
    data_requests: int = 0

    def text(self) -> str:
        """ "2 réclamations, 5 documents, 3 e-mails reçus, 4 messages envoyés" (and the files
        deleted, if any)."""
        parts = [
            counted(self.complaints, "réclamation", "réclamations"),
            counted(self.documents, "document", "documents"),
            counted(self.received_emails, "e-mail reçu", "e-mails reçus"),
            counted(self.sent_messages, "message envoyé", "messages envoyés"),
        ]
        if self.data_requests:
            parts.append(
                counted(self.data_requests, "demande sur ses données", "demandes sur ses données")
            )
        text = ", ".join(parts)
        if self.deleted_files:
            text += " ; " + counted(
                self.deleted_files, "fichier supprimé du stockage", "fichiers supprimés du stockage"
            )
        return text

    def warning(self) -> str:
        """What to check before sending the export, or ""."""
        if not self.by_name_only:
            return ""
        return (
            f"À vérifier avant l'envoi : {', '.join(self.by_name_only)} "
            f"{'a été trouvée' if len(self.by_name_only) == 1 else 'ont été trouvées'} par le nom "
            "seul, sans l'adresse e-mail : assurez-vous qu'il s'agit de la même personne (un "
            "homonyme recevrait les données d'un autre)."
        )


def export_name(found: Found, today: date) -> str:
    """ "donnees-personnelles-julie-martin-example-org-2026-11-02.zip"."""
    whose = slugify(re.sub(r"[\W_]+", " ", found.subject.emails[0])) or "personne"
    return f"donnees-personnelles-{whose}-{today}.zip"


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class _Names:
    """File names unique within a folder: "lettre.pdf", then "lettre-2.pdf"."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def unique(self, name: str, fallback: str) -> str:
        path = PurePosixPath(safe_name(name, fallback))
        suffix = path.suffix if len(path.suffix) <= 10 else ""
        stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
        candidate, number = f"{stem}{suffix}", 1
        while candidate.casefold() in self.taken:
            number += 1
            candidate = f"{stem}-{number}{suffix}"
        self.taken.add(candidate.casefold())
        return candidate


def _open_stored(stored: FieldFile, expected_size: int) -> IO[bytes] | None:
    """The stored file open for reading, or None when the storage no longer has it: no name
    (purged), missing, or emptied although something was stored."""
    if not stored.name:
        return None
    try:
        stream = stored.open("rb")
    except FileNotFoundError:
        return None
    if expected_size > 0 and stored.size == 0:
        stream.close()
        return None
    return stream


class _Writer:
    def __init__(self, target: str | IO[bytes], found: Found, made_at: datetime) -> None:
        self.found = found
        self.zone = local_zone(found.organisation)
        self.pack = ManifestZip(target, made_at)
        self.documents = 0
        self.deleted = 0
        # Where each complaint document went in the ZIP: by id (the e-mails point at theirs),
        # by storage name (a message's attachment is a document's file).
        self.document_paths: dict[int, str] = {}
        self.stored_paths: dict[str, str] = {}
        self.written_messages: set[int] = set()

    # values

    def moment(self, value: datetime | None) -> str | None:
        return value.astimezone(self.zone).isoformat() if value is not None else None

    def value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return self.moment(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, User):
            return value.display_name
        return value

    def copy(self, path: str, stored: FieldFile, expected_size: int) -> bool:
        stream = _open_stored(stored, expected_size)
        if stream is None:
            self.deleted += 1
            return False
        with stream:
            self.pack.add_stream(path, stream)
        return True

    # complaints

    def complaint_fields(self, complaint: Complaint) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        for model_field in Complaint._meta.concrete_fields:
            if model_field.name in _SKIPPED_FIELDS:
                continue
            raw = getattr(complaint, model_field.name)
            entry: dict[str, Any] = {
                "libelle": _FIELD_LABELS.get(model_field.name) or field_label(model_field.name),
                "valeur": self.value(raw),
            }
            if (model_field.choices or isinstance(raw, bool)) and raw not in (None, ""):
                entry["texte"] = format_value(model_field.name, raw)
            fields[model_field.name] = entry
        return fields

    def write_complaint(self, item: FoundComplaint) -> dict[str, Any]:
        complaint = Complaint.objects.select_related("registered_by").get(pk=item.complaint_id)
        folder = f"{COMPLAINTS_FOLDER}/{safe_name(complaint.reference, 'reclamation')}"
        names = _Names()
        documents = []
        for document in Document.objects.filter(complaint=complaint).order_by("created_at", "id"):
            path = f"{folder}/documents/" + names.unique(
                document.original_name, f"document-{document.pk}"
            )
            included = self.copy(path, document.file, document.size)
            if included and document.file.name:
                self.documents += 1
                self.document_paths[document.pk] = path
                self.stored_paths[document.file.name] = path
            documents.append(
                {
                    "nom": document.original_name,
                    "nature": document.role,
                    "nature_libelle": document.get_role_display(),
                    "type": document.content_type,
                    "taille": document.size,
                    "sha256": document.sha256,
                    "ajoute_le": self.moment(document.created_at),
                    "etat": FILE_INCLUDED if included else FILE_DELETED,
                    "fichier": path if included else None,
                }
            )
        events = self.chronology(complaint)
        self.pack.add_bytes(
            f"{folder}/chronologie.json",
            _json_bytes({"reference": complaint.reference, "evenements": events}),
        )
        messages = self.complaint_messages(complaint, folder)
        links = [
            {
                "usage": "avis après la réponse" if link.purpose == "survey" else "suivi",
                "cree_le": self.moment(link.created_at),
                "expire_le": self.moment(link.expires_at),
                "utilise_le": self.moment(link.used_at),
            }
            for link in ClientAccessLink.objects.filter(complaint=complaint).order_by(
                "created_at", "id"
            )
        ]
        self.pack.add_bytes(
            f"{folder}/reclamation.json",
            _json_bytes(
                {
                    "reference": complaint.reference,
                    "trouvee_par": list(item.found_by),
                    "champs": self.complaint_fields(complaint),
                    "documents": documents,
                    "messages_envoyes": messages,
                    "liens_d_acces_envoyes": links,
                }
            ),
        )
        return {
            "reference": complaint.reference,
            "recue_le": self.moment(complaint.received_at),
            "nom_du_client": complaint.client_name,
            "e_mail_du_client": complaint.client_email,
            "statut": complaint.status,
            "statut_libelle": status_label(complaint.status),
            "trouvee_par": list(item.found_by),
            "dossier": f"{folder}/",
        }

    def chronology(self, complaint: Complaint) -> list[dict[str, Any]]:
        events = []
        for event in (
            ComplaintEvent.objects.filter(complaint=complaint)
            .order_by("sequence")
            .iterator(chunk_size=500)
        ):
            events.append(
                {
                    "sequence": event.sequence,
                    "type": event.event_type,
                    "libelle": event_label(event.event_type),
                    "date": event.occurred_on.isoformat(),
                    "enregistre_le": self.moment(event.recorded_at),
                    "par": event.actor_name,
                    "statut_avant": event.status_before,
                    "statut_apres": event.status_after,
                    "statut_apres_libelle": (
                        status_label(event.status_after) if event.status_after else ""
                    ),
                    "texte": event_text(event.event_type, event.data),
                    "donnees": event.data,
                    "document": self.document_paths.get(event.document_id)
                    if event.document_id
                    else None,
                    "empreinte": event.hash,
                    # Its personal texts replaced at the complaint's anonymisation (0024).
                    "donnees_anonymisees": getattr(event, "redacted_by", None) is not None,
                }
            )
        return events

    # messages sent

    def message(self, outgoing: OutgoingMessage) -> dict[str, Any]:
        link = getattr(outgoing, "complaint_link", None)
        attachments = []
        for attachment in outgoing.attachments.all():
            path = self.stored_paths.get(attachment.stored_as)
            attachments.append(
                {
                    "nom": attachment.filename,
                    "type": attachment.content_type,
                    "taille": attachment.size,
                    "sha256": attachment.sha256,
                    # Its file is one of the complaint's documents, in the ZIP with them; None
                    # when that complaint is not exported (the person was written to about
                    # someone else's) or the file is no longer kept.
                    "fichier": path,
                }
            )
        copy_path = self.document_paths.get(link.copy_id) if link and link.copy_id else None
        return {
            "identifiant": outgoing.pk,
            "type": outgoing.kind,
            "reclamation": link.complaint.reference if link else None,
            "au_client": link.to_client if link else None,
            "destinataires": outgoing.recipients,
            "objet": outgoing.subject,
            "texte": outgoing.body_text,
            "etat": outgoing.status,
            "etat_libelle": outgoing.get_status_display(),
            "cree_le": self.moment(outgoing.created_at),
            "envoye_le": self.moment(outgoing.sent_at),
            "accepte_par": outgoing.accepted_by,
            "message_id": outgoing.message_id,
            "en_reponse_a": outgoing.in_reply_to,
            "erreur": outgoing.last_error,
            "pieces_jointes": attachments,
            "copie_envoyee": copy_path,
        }

    def message_path(self, folder: str, outgoing: OutgoingMessage) -> str:
        day = outgoing.created_at.astimezone(self.zone).date()
        return f"{folder}/{day}-{outgoing.pk}.json"

    def _messages(self, ids: Iterable[int]) -> Iterator[OutgoingMessage]:
        yield from (
            OutgoingMessage.objects.filter(pk__in=list(ids))
            .select_related("complaint_link__complaint")
            .prefetch_related("attachments")
            .order_by("created_at", "id")
        )

    def complaint_messages(self, complaint: Complaint, folder: str) -> list[str]:
        ids = ComplaintMessage.objects.filter(complaint=complaint).values_list(
            "outgoing_id", flat=True
        )
        paths = []
        for outgoing in self._messages(ids):
            path = self.message_path(f"{folder}/messages", outgoing)
            self.pack.add_bytes(path, _json_bytes(self.message(outgoing)))
            self.written_messages.add(outgoing.pk)
            paths.append(path)
        return paths

    def other_messages(self) -> int:
        """The messages sent to the person about nothing exported (or about another's
        complaint), in their own folder."""
        count = 0
        rest = [pk for pk in self.found.outgoing_ids if pk not in self.written_messages]
        for outgoing in self._messages(rest):
            self.pack.add_bytes(
                self.message_path(SENT_FOLDER, outgoing), _json_bytes(self.message(outgoing))
            )
            count += 1
        return count

    # e-mails received

    def received(self) -> int:
        entries = []
        for inbound in (
            InboundEmail.objects.filter(pk__in=list(self.found.inbound_ids))
            .select_related("complaint", "document")
            .order_by("received_at", "id")
        ):
            day = inbound.received_at.astimezone(self.zone).date()
            path = f"{RECEIVED_FOLDER}/{day}-{inbound.pk}.eml"
            # The raw bytes are on the record when the message went to no complaint, else they
            # are its complaint's document (intake keeps each original once).
            if inbound.raw.name or inbound.document is None:
                included = self.copy(path, inbound.raw, inbound.size)
            else:
                included = self.copy(path, inbound.document.file, inbound.document.size)
            entries.append(
                {
                    "identifiant": inbound.pk,
                    "recu_le": self.moment(inbound.received_at),
                    "traite_le": self.moment(inbound.processed_at),
                    "provenance": inbound.get_source_display(),
                    "expediteur": inbound.sender_name,
                    "adresse_expediteur": inbound.sender_address,
                    "objet": inbound.subject,
                    "extrait": inbound.excerpt,
                    "pieces_jointes": inbound.attachment_names,
                    "message_id": inbound.message_id,
                    "taille": inbound.size,
                    "sha256": inbound.sha256,
                    "suite_donnee": inbound.outcome,
                    "suite_donnee_libelle": inbound.get_outcome_display(),
                    "motif": inbound.reason,
                    "decision": inbound.decision_reason,
                    "decide_le": self.moment(inbound.decided_at),
                    "reclamation": inbound.complaint.reference if inbound.complaint else None,
                    "document_de_la_reclamation": self.document_paths.get(inbound.document_id)
                    if inbound.document_id
                    else None,
                    "etat": FILE_INCLUDED if included else FILE_DELETED,
                    "fichier": path if included else None,
                }
            )
        if entries:
            self.pack.add_bytes(RECEIVED_INDEX, _json_bytes(entries))
        return len(entries)


def _organisation_line(organisation: Organisation) -> str:
    name = organisation.legal_name or organisation.name
    address = ", ".join(line.strip() for line in organisation.address.splitlines() if line.strip())
    return f"Organisme : {name}" + (f", {address}" if address else "") + "."


def _readme(
    found: Found, summary: ExportSummary, made_at: datetime, made_by: str, has_sent: bool
) -> str:
    subject = found.subject
    who = ", ".join(subject.emails)
    lines = [
        "Export des données personnelles — droit d'accès (article 15 du RGPD)",
        "",
        _organisation_line(found.organisation),
        f"Personne : adresse{'s' if len(subject.emails) > 1 else ''} e-mail {who}"
        + (f" ; nom « {subject.name} »" if subject.name else "")
        + ".",
        f"Constitué le {long_date(made_at.date())} à {made_at:%H:%M} par {made_by}.",
        "",
        "L'article 15 du RGPD donne à toute personne le droit d'obtenir du responsable du "
        "traitement la confirmation que des données la concernant sont traitées et une copie "
        "de ces données : ce fichier est cette copie, pour le registre des réclamations de "
        "l'organisme.",
        "",
        "Ce qui a été cherché : les réclamations dont l'adresse e-mail du client est l'une de "
        "celles ci-dessus (sans tenir compte des majuscules)"
        + (
            ", ou dont le nom du client est celui ci-dessus (mots, accents et majuscules "
            "mis à part)"
            if subject.name
            else ""
        )
        + " ; les e-mails reçus de ces adresses, y compris ceux qui n'ont été rattachés à "
        "aucune réclamation ; les messages envoyés à ces adresses ; les demandes faites depuis "
        "ces adresses au sujet de ses données.",
        f"Trouvé : {summary.text()}.",
    ]
    if summary.by_name_only:
        lines += ["", summary.warning()]
    if summary.deleted_files:
        lines += [
            "",
            f"Certains fichiers ne sont plus conservés : ils sont signalés « {FILE_DELETED} » "
            "dans les fichiers JSON, avec leur nom, leur taille et leur empreinte SHA-256.",
        ]
    lines += [
        "",
        "Contenu :",
        f"- {PERSON} : la personne, ce qui a été cherché, les totaux, la liste des "
        "réclamations trouvées et les demandes de la personne sur ses données (droit exercé, "
        "dates, décision et son motif, notes de l'organisme) ;",
        f"- {COMPLAINTS_FOLDER}/<référence>/reclamation.json : la réclamation telle qu'elle est "
        "enregistrée, chaque champ avec son libellé, sa valeur (dates au format ISO 8601) et, "
        "pour les listes de choix, le libellé de la valeur ; ses documents, ses messages "
        "envoyés et les liens de suivi envoyés ;",
        f"- {COMPLAINTS_FOLDER}/<référence>/chronologie.json : chaque événement de la "
        "réclamation, dans l'ordre : type, date, qui l'a enregistré, ses données complètes "
        "(notes et textes libres compris) et son empreinte dans la chaîne du registre ;",
        f"- {COMPLAINTS_FOLDER}/<référence>/documents/ : les documents conservés (courriers, "
        "e-mails reçus et envoyés, pièces jointes, copies des réponses), tels qu'ils ont été "
        "reçus ou envoyés ;",
        f"- {COMPLAINTS_FOLDER}/<référence>/messages/ : les messages envoyés au sujet de la "
        "réclamation (destinataires, objet, texte, état et date d'envoi) ;",
        f"- {RECEIVED_FOLDER}/ : chaque e-mail reçu de la personne, tel qu'il est arrivé "
        f"(.eml, à ouvrir avec un logiciel de messagerie), et {PurePosixPath(RECEIVED_INDEX).name} "
        "ce que le registre en a noté (date, objet, suite donnée) ;",
    ]
    if has_sent:
        lines.append(
            f"- {SENT_FOLDER}/ : les messages envoyés à la personne qui ne concernent aucune "
            "des réclamations ci-dessus ;"
        )
    lines += [
        f"- {MANIFEST} : l'empreinte SHA-256 de chaque fichier, pour vérifier que rien n'a "
        "été modifié depuis la constitution de cet export.",
        "",
        "Les fichiers .json sont du texte (UTF-8) lisible avec tout éditeur de texte. Les noms "
        "des membres du personnel qui y figurent sont ceux des personnes qui ont traité la "
        "réclamation, dans leur fonction.",
        "",
        "Ces données sont traitées pour enregistrer et traiter les réclamations, comme la "
        "procédure de l'organisme et sa certification Qualiopi (indicateurs 31 et 32) le "
        "demandent. Vous pouvez en demander la rectification ou l'effacement à l'organisme, et "
        "adresser une réclamation à la CNIL (www.cnil.fr).",
    ]
    return "\n".join(lines) + "\n"


@in_french
def write_subject_export(target: str | IO[bytes], found: Found, *, made_by: str) -> ExportSummary:
    """Write the ZIP of everything `found` names into `target` (a path or a binary file).
    `made_by`: who made it, as the README says ("Claire Dupont", "ligne de commande (root)")."""
    organisation = found.organisation
    made_at = timezone.now().astimezone(local_zone(organisation))
    writer = _Writer(target, found, made_at)
    complaints = [writer.write_complaint(item) for item in found.complaints]
    received = writer.received()
    others = writer.other_messages()
    sent = len(writer.written_messages) + others
    summary = ExportSummary(
        complaints=len(complaints),
        documents=writer.documents,
        deleted_files=writer.deleted,
        received_emails=received,
        sent_messages=sent,
        files=0,
        by_name_only=tuple(found.by_name_only),
        data_requests=len(found.request_ids),
    )
    writer.pack.add_bytes(
        PERSON,
        _json_bytes(
            {
                "organisation": organisation.legal_name or organisation.name,
                "personne": {
                    "adresses_e_mail": list(found.subject.emails),
                    "nom": found.subject.name,
                },
                "constitue_le": made_at.isoformat(),
                "constitue_par": made_by,
                "totaux": {
                    "reclamations": summary.complaints,
                    "documents": summary.documents,
                    "fichiers_supprimes": summary.deleted_files,
                    "emails_recus": summary.received_emails,
                    "messages_envoyes": summary.sent_messages,
                    "demandes_sur_ses_donnees": summary.data_requests,
                },
                "reclamations": complaints,
                "demandes_sur_ses_donnees": request_records(found.request_ids),
                "a_verifier": {
                    "trouvees_par_le_nom_seul": list(summary.by_name_only),
                    "message": summary.warning(),
                },
            }
        ),
    )
    writer.pack.add_bytes(
        README, _readme(found, summary, made_at, made_by, others > 0).encode("utf-8")
    )
    files = len(writer.pack.files)
    writer.pack.close(
        {
            "export": "données personnelles (article 15 du RGPD)",
            "organisation": organisation.legal_name or organisation.name,
            "personne": list(found.subject.emails),
            "made_at": made_at.isoformat(),
        }
    )
    return replace(summary, files=files)
