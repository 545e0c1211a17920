"""Who the subject-access export is about, and what one organisation holds about them: the
person's addresses (and name), the complaints found by address or by name, the e-mails received
from them and the messages sent to them, as ids (privacy.subject_export writes them).

Addresses are matched whatever their case; a name may widen the search to the complaints
registered under that name (a letter or a phone call often gives no address), word for word,
accents and case aside. An anonymised complaint (decision 0024) names nobody: it is not found."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from reclamations.complaints.models import Complaint, ComplaintMessage
from reclamations.complaints.search import matching
from reclamations.core.models import Organisation
from reclamations.intake.models import InboundEmail
from reclamations.outbox.models import OutgoingMessage
from reclamations.privacy.subject_requests import requests_of

# How a complaint was found, as personne.json and the summaries say it.
BY_EMAIL = "adresse e-mail"
BY_NAME = "nom"
_NAME_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Subject:
    """Who the export is about: their e-mail addresses (at least one), and a name to widen the
    search with, or ""."""

    emails: tuple[str, ...]
    name: str = ""

    @classmethod
    def of(cls, emails: Iterable[str], name: str = "") -> "Subject":
        """Addresses trimmed and lowercased (an address is matched whatever its case), each
        once, in the order given."""
        cleaned = dict.fromkeys(address.strip().lower() for address in emails if address.strip())
        return cls(tuple(cleaned), " ".join(name.split()))

    def text(self) -> str:
        """ "julie@example.org", "julie@example.org, j.martin@example.fr (nom : Julie Martin)"."""
        described = ", ".join(self.emails)
        return f"{described} (nom : {self.name})" if self.name else described


def name_key(name: str) -> tuple[str, ...]:
    """What two spellings of one name share: its words without accents or case, in any order
    ("MARTIN Julie" and "Julie Martin", "Hélène" and "Helene", "Jean-Pierre" and "Jean Pierre")."""
    plain = "".join(
        char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)
    )
    return tuple(sorted(_NAME_WORD.findall(plain.casefold())))


@dataclass(frozen=True)
class FoundComplaint:
    complaint_id: int
    reference: str
    found_by: tuple[str, ...]  # BY_EMAIL, BY_NAME or both

    @property
    def by_name_only(self) -> bool:
        return BY_EMAIL not in self.found_by


@dataclass(frozen=True)
class Found:
    """What the organisation holds about `subject`: ids only, read again as they are written."""

    organisation: Organisation
    subject: Subject
    complaints: tuple[FoundComplaint, ...]
    inbound_ids: tuple[int, ...]
    outgoing_ids: tuple[int, ...]
    request_ids: tuple[int, ...] = ()  # their requests about their data (privacy.models)

    @property
    def empty(self) -> bool:
        return not (self.complaints or self.inbound_ids or self.outgoing_ids or self.request_ids)

    @property
    def by_name_only(self) -> list[str]:
        """The references found by the name alone: a namesake's, perhaps, to check before the
        export is sent (sending it would disclose another person's data)."""
        return [found.reference for found in self.complaints if found.by_name_only]


def nothing_found_message(found: Found) -> str:
    """What the command and the page say when there is nothing to export (no file is made)."""
    subject = found.subject
    where = f"le registre de {found.organisation.name}"
    if subject.name:
        return (
            f"Aucune donnée sur {subject.text()} dans {where} : aucune réclamation à ce nom ou "
            "à cette adresse, aucun e-mail reçu de cette adresse ni envoyé à elle. Vérifiez "
            "l'orthographe de l'adresse et du nom."
        )
    return (
        f"Aucune donnée sur {subject.text()} dans {where} : aucune réclamation à cette adresse, "
        "aucun e-mail reçu de cette adresse ni envoyé à elle. Vérifiez l'orthographe de "
        "l'adresse, ou cherchez aussi par le nom de la personne (une réclamation reçue par "
        "courrier ou par téléphone n'a pas toujours d'adresse e-mail)."
    )


def _any_address(field_name: str, emails: tuple[str, ...]) -> Q:
    condition = Q()
    for address in emails:
        condition |= Q(**{f"{field_name}__iexact": address})
    return condition


def _addressed_to(outgoing: OutgoingMessage, emails: tuple[str, ...]) -> bool:
    # The recipients are one comma-separated text: "julie@x.fr" must not find "ajulie@x.fr".
    return any(recipient.lower() in emails for recipient in outgoing.recipients)


def find_subject(organisation: Organisation, subject: Subject) -> Found:
    """What `organisation` holds about `subject` (never another organisation's records)."""
    if not subject.emails:
        raise ValueError("A subject-access export needs at least one e-mail address.")
    complaints = Complaint.objects.filter(organisation=organisation)
    found_by: dict[int, list[str]] = {}
    references: dict[int, str] = {}
    for pk, reference in complaints.filter(
        _any_address("client_email", subject.emails)
    ).values_list("id", "reference"):
        found_by.setdefault(pk, []).append(BY_EMAIL)
        references[pk] = reference
    wanted = name_key(subject.name)
    if wanted:
        # The search index finds the candidates (accents and case ignored); the whole name,
        # word for word, decides: "Martin" alone must not bring every Martin of the register.
        candidates = matching(
            complaints, subject.name, organisation_id=organisation.pk
        ).values_list("id", "reference", "client_name")
        for pk, reference, client_name in candidates.iterator(chunk_size=500):
            if name_key(client_name) == wanted:
                found_by.setdefault(pk, []).append(BY_NAME)
                references[pk] = reference
    found = tuple(
        FoundComplaint(pk, references[pk], tuple(found_by[pk]))
        for pk in sorted(found_by, key=lambda pk: (references[pk], pk))
    )
    ids = [item.complaint_id for item in found]
    inbound = (
        InboundEmail.objects.filter(organisation=organisation)
        .filter(_any_address("sender_address", subject.emails) | Q(complaint_id__in=ids))
        .order_by("received_at", "id")
        .values_list("id", flat=True)
    )
    outgoing = set(
        ComplaintMessage.objects.filter(complaint_id__in=ids).values_list("outgoing_id", flat=True)
    )
    # A first sieve in the database (the address anywhere in the recipients), then the exact
    # recipients read.
    contains = Q()
    for address in subject.emails:
        contains |= Q(to__icontains=address)
    for message in (
        OutgoingMessage.objects.filter(organisation=organisation)
        .filter(contains)
        .only("id", "to")
        .iterator(chunk_size=500)
    ):
        if _addressed_to(message, subject.emails):
            outgoing.add(message.pk)
    return Found(
        organisation,
        subject,
        found,
        tuple(inbound),
        tuple(sorted(outgoing)),
        requests_of(organisation, subject.emails),
    )
