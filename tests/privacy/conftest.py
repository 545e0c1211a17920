"""The register the subject-access export tests read, made through the service layer as the
product makes it: Julie Martin wrote by e-mail (a PDF attached), staff added a letter and a
note and replied by e-mail with a credit note enclosed, the outbox sent it all; she also asked
a question that waits in triage. Around her: a client whose address holds hers
(marie.julie.martin@...), her letter registered under "MARTIN Julie" without an address, and
a Julie Martinez."""

from dataclasses import dataclass
from email.message import EmailMessage

import pytest

from reclamations.complaints.models import Complaint
from reclamations.complaints.services import complaint_apply
from reclamations.intake.models import InboundEmail, IntakeSource
from reclamations.intake.services import intake_process
from reclamations.outbox.delivery import deliver_due
from tests.factories import REPLY, make_complaint
from tests.web.helpers import PDF, upload

JULIE = "julie.martin@example.org"
# The address as she typed it in her mail client: the register keeps it so.
JULIE_AS_SENT = "Julie.Martin@Example.org"
SIMILAR = "marie.julie.martin@example.org"
INVOICE = PDF + b"%facture 2026-117\n"
LETTER = PDF + b"%courrier signe\n"
CREDIT_NOTE = PDF + b"%avoir\n"
NOTE = "Cliente très mécontente : a appelé deux fois, rappeler avant jeudi."


def email(sender: str, subject: str, text: str, *, message_id: str, pdf: bytes = b"") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "f.maltese@ccs-legal.fr"
    message["Subject"] = subject
    message["Date"] = "Mon, 02 Nov 2026 09:00:00 +0100"
    message["Message-ID"] = message_id
    message.set_content(text)
    if pdf:
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename="facture.pdf")
    return message.as_bytes()


def receive(organisation, raw: bytes):
    return intake_process(
        organisation=organisation, raw=raw, arrived_at=None, source=IntakeSource.EML
    )


@dataclass
class Register:
    complaint: Complaint  # Julie's, from her e-mail
    email: InboundEmail  # the e-mail that registered it
    letter: Complaint  # hers too, by letter, registered as "MARTIN Julie" without an address
    similar: Complaint  # Marie Julie Martin's
    namesake: Complaint  # Julie Martinez's
    question: InboundEmail  # Julie's, waiting in triage

    def message_path(self, kind: str) -> str:
        """Where the ZIP keeps the message of `kind` sent about Julie's complaint (its id is the
        database's: PostgreSQL's sequences do not start again with each test)."""
        outgoing = self.complaint.messages.get(outgoing__kind=kind).outgoing
        return f"reclamations/{self.complaint.reference}/messages/2026-11-02-{outgoing.pk}.json"


@pytest.fixture
def subject_register(clock, organisation, referent) -> Register:
    created = receive(
        organisation,
        email(
            f"Julie Martin <{JULIE_AS_SENT}>",
            "Réclamation : trois séances annulées",
            "Bonjour, trois séances de ma formation Excel ont été annulées sans préavis.",
            message_id="<reclamation-1@example.org>",
            pdf=INVOICE,
        ),
    )
    complaint = Complaint.objects.get(reference=created.reference)
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={"description": "Courrier signé reçu ensuite"},
        document=upload("courrier signé.pdf", LETTER),
    )
    complaint_apply(complaint=complaint, actor=referent, action="add_note", data={"text": NOTE})
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="reply",
        data=REPLY,
        enclosures=[upload("avoir.pdf", CREDIT_NOTE)],
    )
    question = receive(
        organisation,
        email(
            JULIE,
            "Une question sur ma facture",
            "Pouvez-vous me renvoyer la facture de mars ?",
            message_id="<question-1@example.org>",
        ),
    ).inbound
    similar = make_complaint(
        organisation, referent, client_name="Marie Julie Martin", client_email=SIMILAR
    )
    receive(
        organisation,
        email(
            SIMILAR, "Horaires", "Quels sont les horaires ?", message_id="<horaires@example.org>"
        ),
    )
    letter = make_complaint(
        organisation,
        referent,
        channel="letter",
        client_name="MARTIN Julie",
        client_email="",
        original=upload("lettre.pdf", LETTER),
    )
    namesake = make_complaint(
        organisation, referent, client_name="Julie Martinez", client_email="j.martinez@example.org"
    )
    report = deliver_due()
    assert report.failed == 0
    return Register(complaint, created.inbound, letter, similar, namesake, question)
