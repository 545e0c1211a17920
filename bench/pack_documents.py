"""Give a generated register the e-mails a mail channel keeps, for the audit pack's benchmark.

    python bench/pack_documents.py --from 2025-12-01 --to 2026-11-30

The generator (generate.py) queues no mail, so a complaint received by e-mail has no document
but the letters printed for it. A real one keeps its original message and the copies of the
messages sent to the client (the acknowledgement, then the reply): each complaint received by
e-mail in the period gets those (three .eml of a few kilobytes, the reply's only once it is
replied), each through the workflow's door (`complaint_apply` with the "add a document" action:
a chained event with the file's SHA-256, as any document). They are stored as attachments (the
roles of received and sent messages are the mail channel's own); the audit pack copies every
document alike, so its cost is that of a register that kept them. Run it once on a register.
"""

# ruff: noqa: E402  (Django must be set up before the project's modules are imported)

import argparse
import sys
import time
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.core.exceptions import ValidationError
from django_setup import setup

setup()

from reclamations.complaints.actions.record import ADD_DOCUMENT
from reclamations.complaints.apply import complaint_apply
from reclamations.complaints.documents import EmailMessageFile
from reclamations.complaints.enums import Channel, DocumentRole
from reclamations.complaints.models import Complaint
from reclamations.complaints.workflow import WorkflowError
from reclamations.core.models import Organisation, User
from reclamations.core.roles import Role
from reclamations.core.seed import CCS_PROFILE

SIGNATURE = (
    "\n\nCordialement,\n\nFanny Maltese\nRéférente réclamations\nCCS\n351 chemin des Gourettes\n"
    "06370 Mouans-Sartoux\n07 70 16 23 81\n"
)
ACKNOWLEDGEMENT = (
    "Madame, Monsieur,\n\nNous avons bien reçu votre réclamation, enregistrée sous la référence "
    "{reference}. Elle sera étudiée avec attention et vous recevrez une réponse écrite dans un "
    "délai de dix jours ouvrés au plus. Si des informations complémentaires sont nécessaires, "
    "nous vous les demanderons par retour de message.\n\nVous pouvez suivre son traitement en "
    "répondant à ce message, en conservant la référence dans l'objet."
)
REPLY = (
    "Madame, Monsieur,\n\nVous nous avez fait part le {received} de votre réclamation "
    "({reference}) :\n\n{description}\n\nAprès examen, voici les suites que nous y donnons :\n\n"
    "{resolution}\n\nSi cette réponse ne vous satisfait pas, vous pouvez saisir le médiateur "
    "dont les coordonnées figurent dans nos conditions générales."
)


def _message(sender: str, recipient: str, subject: str, body: str, sent: date) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(sent.year, sent.month, sent.day, 10).astimezone())
    message["Message-ID"] = make_msgid(domain="ccs-legal.fr")
    message.set_content(body, cte="quoted-printable")
    return message.as_bytes()


def kept_messages(complaint: Complaint, organisation_address: str) -> list[tuple[str, bytes]]:
    """The messages a mail channel would have kept for this complaint, named as it names them."""
    client = f"{complaint.client_name} <{complaint.client_email or 'client@example.fr'}>"
    reference = complaint.reference
    kept = [
        (
            f"e-mail-{complaint.received_on:%Y%m%d}-{reference}.eml",
            _message(
                client,
                organisation_address,
                f"Réclamation - {complaint.training or 'formation'}",
                f"Bonjour,\n\n{complaint.description}\n\n{complaint.client_name}\n",
                complaint.received_on,
            ),
        ),
        (
            f"acknowledgement-{reference}.eml",
            _message(
                organisation_address,
                client,
                f"[{reference}] Accusé de réception de votre réclamation",
                ACKNOWLEDGEMENT.format(reference=reference) + SIGNATURE,
                complaint.received_on,
            ),
        ),
    ]
    if complaint.replied_on is not None:
        kept.append(
            (
                f"reply-{reference}.eml",
                _message(
                    organisation_address,
                    client,
                    f"[{reference}] Réponse à votre réclamation",
                    REPLY.format(
                        received=f"{complaint.received_on:%d/%m/%Y}",
                        reference=reference,
                        description=complaint.description,
                        resolution=complaint.resolution or "Nous revenons vers vous.",
                    )
                    + SIGNATURE,
                    complaint.replied_on,
                ),
            )
        )
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    parser.add_argument("--to", dest="end", type=date.fromisoformat, required=True)
    args = parser.parse_args(argv)
    # The generated register's organisation and referent, as run.py finds them.
    organisation = Organisation.objects.filter(name=CCS_PROFILE["name"]).order_by("id").first()
    referent = (
        User.objects.filter(organisation=organisation, role=Role.REFERENT, is_active=True)
        .order_by("id")
        .first()
    )
    if organisation is None or referent is None:
        print("No generated register here: run bench/generate.py first.", file=sys.stderr)
        return 2
    address = organisation.complaints_email or "reclamations@ccs-legal.fr"
    complaints = Complaint.objects.filter(
        organisation=organisation,
        channel=Channel.EMAIL,
        received_on__gte=args.start,
        received_on__lte=args.end,
    ).order_by("received_on", "id")
    started = time.monotonic()
    stored = refused = 0
    for number, complaint in enumerate(complaints.iterator(chunk_size=500), start=1):
        for name, raw in kept_messages(complaint, address):
            try:
                complaint_apply(
                    complaint=complaint,
                    actor=referent,
                    action=ADD_DOCUMENT,
                    data={"role": DocumentRole.ATTACHMENT, "description": name},
                    document=EmailMessageFile(raw, name=name),
                )
            except (WorkflowError, ValidationError):  # an anonymised complaint keeps none
                refused += 1
                continue
            stored += 1
        if number % 1000 == 0:
            print(f"[{time.monotonic() - started:7.1f} s] {number:,} complaints, {stored:,} files")
    print(
        f"{stored:,} messages kept for the complaints received by e-mail "
        f"from {args.start} to {args.end} ({refused} refused) in {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
