"""One form per workflow action, with the fields its planner in services.py reads."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from reclamations.complaints.enums import (
    STAFF_DOCUMENT_ROLES,
    ClientAcceptance,
    DocumentRole,
    Outcome,
    ReplyChannel,
    RequestChannel,
)
from reclamations.complaints.models import Complaint
from reclamations.complaints.workflow import Action
from reclamations.core.models import User
from reclamations.outbox.models import MessageKind
from reclamations.outbox.services import subject_with_reference
from reclamations.outbox.templating import Rendered, render_message
from reclamations.web.forms.complaint import ComplaintDetailsForm
from reclamations.web.forms.fields import (
    TIME_INVALID,
    TimeInput,
    choice,
    day,
    long_text,
    text,
    upload,
)

COMPLETE_HELP = "À compléter si le client les a fournis ; laissé vide, la fiche reste inchangée."
CLOSING_OUTCOMES = [
    (value, label)
    for value, label in Outcome.choices
    if value in (Outcome.GRANTED, Outcome.PARTLY_GRANTED, Outcome.REJECTED)
]


class ActionForm(forms.Form):
    """Fields of one action. Dates start at today in the organisation's time zone."""

    date_fields: tuple[str, ...] = ()
    intro = ""

    def __init__(
        self,
        *args: Any,
        complaint: Complaint,
        user: User,
        today: date,
        zone: ZoneInfo,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.complaint = complaint
        self.user = user
        self.zone = zone
        for name in self.date_fields:
            self.fields[name].initial = today
        self.set_initial()

    def set_initial(self) -> None:
        """Defaults taken from the complaint, the user or the organisation."""

    def payload(self) -> dict[str, Any]:
        """The data for services.complaint_apply (call after is_valid())."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "document" and value is not None
        }


class RequestInformationForm(ActionForm):
    intro = (
        "La réclamation passe « en attente d'informations ». Indiquez ce qui manque et comment "
        "la demande a été envoyée au client."
    )
    date_fields = ("sent_on",)
    missing = long_text("Informations manquantes", rows=3)
    sent_via = choice("Demande envoyée par", RequestChannel.choices)
    sent_on = day("Demande envoyée le")
    message = long_text("Message envoyé au client", help_text="Facultatif.", rows=5)

    def set_initial(self) -> None:
        self.fields["sent_via"].initial = RequestChannel.EMAIL


class _CompletionFields(ActionForm):
    """The procedure's registration fields that the client's answer may complete."""

    client_name = text("Nom du client", max_length=200, help_text=COMPLETE_HELP)
    client_account = text("Compte client concerné", max_length=200, help_text=COMPLETE_HELP)
    description = long_text("Description de la réclamation", help_text=COMPLETE_HELP)


class RecordInformationForm(_CompletionFields):
    intro = "Enregistrez la réponse du client à la demande d'informations complémentaires."
    date_fields = ("received_on",)
    field_order = ("received_on", "summary", "client_name", "client_account", "description")
    received_on = day("Informations reçues le")
    summary = long_text("Résumé des informations reçues", rows=3)
    document = upload("Réponse du client (fichier)")


class RecordConfirmationForm(_CompletionFields):
    intro = "Enregistrez la confirmation écrite de la réclamation téléphonique."
    date_fields = ("received_on",)
    field_order = ("received_on", "via", "summary", "client_name", "client_account")
    received_on = day("Confirmation reçue le")
    via = choice("Reçue par", RequestChannel.choices)
    summary = long_text("Résumé de la confirmation", help_text="Facultatif.", rows=3)
    document = upload("Confirmation écrite (fichier)")

    def set_initial(self) -> None:
        self.fields["via"].initial = RequestChannel.EMAIL


class UpdateDetailsForm(ActionForm, ComplaintDetailsForm):
    intro = (
        "Chaque modification est conservée dans la chronologie avec l'ancienne et la nouvelle "
        "valeur."
    )
    received_date = day("Date de réception")
    received_time = forms.TimeField(
        label="Heure de réception",
        required=False,
        widget=TimeInput(),
        error_messages={"invalid": TIME_INVALID},
    )
    reason = long_text(
        "Motif de la modification",
        help_text="Obligatoire si la date de réception est corrigée.",
        rows=2,
    )

    def set_initial(self) -> None:
        for name in self.detail_names:
            self.fields[name].initial = getattr(self.complaint, name)
        local = self.complaint.received_at.astimezone(self.zone)
        self.fields["received_date"].initial = local.date()
        self.fields["received_time"].initial = local.time().replace(second=0, microsecond=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date_cleared = "received_date" in self.data and not cleaned.get("received_date")
        if date_cleared and "received_date" not in self.errors:
            self.add_error("received_date", "Indiquez la date de réception.")
        return cleaned

    def payload(self) -> dict[str, Any]:
        # Only what the request carries: a field left out is a field left as it is.
        values: dict[str, Any] = {
            name: self.cleaned_data[name] or ""
            for name in self.detail_names
            if name in self.data and name in self.cleaned_data
        }
        if values.get("client_type") == "":
            del values["client_type"]  # the service derives it from the funding
        received_on = self.cleaned_data.get("received_date")
        moved = {"received_date", "received_time"} & set(self.changed_data)
        if "received_date" in self.data and received_on and moved:
            at = self.cleaned_data.get("received_time") or datetime.min.time()
            values["received_at"] = datetime.combine(received_on, at, tzinfo=self.zone)
        values["reason"] = self.cleaned_data.get("reason", "")
        return values


class AddActionForm(ActionForm):
    intro = "Une action menée pour traiter la réclamation : elle figure au registre, datée."
    date_fields = ("done_on",)
    description = long_text("Action menée", rows=4)
    done_on = day("Menée le")
    done_by = text("Menée par", max_length=200)
    document = upload("Pièce justificative")

    def set_initial(self) -> None:
        self.fields["done_by"].initial = self.user.display_name


class AddNoteForm(ActionForm):
    intro = "Une note interne, conservée dans la chronologie."
    text = long_text("Note", rows=5)


class AddDocumentForm(ActionForm):
    intro = "Le fichier est conservé tel quel, avec sa taille et son empreinte SHA-256."
    document = upload("Document", required=True)
    role = choice("Nature du document", STAFF_DOCUMENT_ROLES)
    description = text("Description", max_length=300)

    def set_initial(self) -> None:
        self.fields["role"].initial = DocumentRole.ATTACHMENT


class ReplyForm(ActionForm):
    intro = "La date de la première réponse décide si la réclamation a été traitée dans le délai."
    date_fields = ("replied_on",)
    replied_on = day("Réponse envoyée le")
    channel = choice("Canal de la réponse", ReplyChannel.choices)
    resolution = long_text("Résolution retenue", rows=4)
    outcome = choice(
        "Issue annoncée au client",
        CLOSING_OUTCOMES,
        blank="Non précisée",
        help_text="Pour une réponse par e-mail à un consommateur, le médiateur est indiqué sauf "
        "si la réclamation est entièrement satisfaite ; le tribunal compétent n'est indiqué "
        "qu'à un client professionnel.",
    )
    text = long_text(
        "Texte de la réponse",
        help_text="Saisissez le texte envoyé, ou joignez la copie de la réponse ci-dessous.",
        rows=8,
    )
    document = upload("Copie de la réponse envoyée")

    def set_initial(self) -> None:
        by_channel = {"letter": ReplyChannel.LETTER, "phone": ReplyChannel.PHONE_CONFIRMED}
        self.fields["channel"].initial = by_channel.get(self.complaint.channel, ReplyChannel.EMAIL)


class CloseForm(ActionForm):
    intro = "La clôture enregistre l'issue de la réclamation et la position du client."
    date_fields = ("closed_on",)
    outcome = choice("Issue", CLOSING_OUTCOMES, radio=True)
    closed_on = day("Clôturée le")
    client_acceptance = choice("Position du client", ClientAcceptance.choices)
    comment = long_text("Commentaire", help_text="Facultatif.", rows=3)

    def set_initial(self) -> None:
        self.fields["client_acceptance"].initial = ClientAcceptance.UNKNOWN


class DeclareNotAdmissibleForm(ActionForm):
    intro = (
        "Une demande qui n'est pas une réclamation (par exemple une simple demande "
        "d'information) est close comme non recevable ; elle reste au registre avec son motif."
    )
    reason = long_text("Motif de non-recevabilité", rows=3)


class ReopenForm(ActionForm):
    intro = "La réclamation revient en traitement ; sa chronologie est conservée."
    reason = long_text("Motif de la réouverture", rows=3)


class EscalateMediationForm(ActionForm):
    intro = "Le client a saisi le médiateur : enregistrez la date et le médiateur."
    date_fields = ("seized_on",)
    seized_on = day("Médiateur saisi le")
    mediator = text("Médiateur", max_length=200)

    def set_initial(self) -> None:
        self.fields["mediator"].initial = self.complaint.organisation.mediator_name


class RecordMediationOutcomeForm(ActionForm):
    date_fields = ("decided_on",)
    outcome = long_text("Issue de la médiation", rows=4)
    decided_on = day("Date de l'issue")


class EscalateLitigationForm(ActionForm):
    intro = "Un contentieux est engagé : enregistrez la date et la juridiction saisie."
    date_fields = ("started_on",)
    started_on = day("Contentieux engagé le")
    court = text("Juridiction", max_length=200)

    def set_initial(self) -> None:
        self.fields["court"].initial = self.complaint.organisation.court_name


class RecordLitigationOutcomeForm(ActionForm):
    date_fields = ("decided_on",)
    outcome = long_text("Issue du contentieux", rows=4)
    decided_on = day("Date de la décision")


class _MailPreviewForm(ActionForm):
    """An action that sends an e-mail to the client: shows the message before it is sent."""

    message_kind = ""

    def preview(self) -> Rendered | None:
        if not self.complaint.client_email:
            return None
        rendered = render_message(self.complaint, self.message_kind)
        return Rendered(subject_with_reference(rendered.subject, self.complaint), rendered.body)


class SendAcknowledgementForm(_MailPreviewForm):
    intro = (
        "L'accusé de réception ci-dessous part par e-mail au client dès la confirmation ; il est "
        "conservé tel qu'envoyé dans la chronologie."
    )
    message_kind = MessageKind.ACKNOWLEDGEMENT


class SendProgressForm(_MailPreviewForm):
    intro = (
        "Répond à un client qui demande où en est sa réclamation : l'e-mail ci-dessous lui "
        "indique l'état et la date de réponse prévue."
    )
    message_kind = MessageKind.PROGRESS
    note = long_text(
        "Précision ajoutée au message",
        help_text="Facultatif. Ajoutée au message sous l'état de la réclamation.",
        rows=3,
    )


ACTION_FORMS: dict[Action, type[ActionForm]] = {
    Action.REQUEST_INFORMATION: RequestInformationForm,
    Action.RECORD_INFORMATION: RecordInformationForm,
    Action.RECORD_CONFIRMATION: RecordConfirmationForm,
    Action.UPDATE_DETAILS: UpdateDetailsForm,
    Action.ADD_ACTION: AddActionForm,
    Action.ADD_NOTE: AddNoteForm,
    Action.ADD_DOCUMENT: AddDocumentForm,
    Action.REPLY: ReplyForm,
    Action.CLOSE: CloseForm,
    Action.DECLARE_NOT_ADMISSIBLE: DeclareNotAdmissibleForm,
    Action.REOPEN: ReopenForm,
    Action.ESCALATE_MEDIATION: EscalateMediationForm,
    Action.RECORD_MEDIATION_OUTCOME: RecordMediationOutcomeForm,
    Action.ESCALATE_LITIGATION: EscalateLitigationForm,
    Action.RECORD_LITIGATION_OUTCOME: RecordLitigationOutcomeForm,
    Action.SEND_ACKNOWLEDGEMENT: SendAcknowledgementForm,
    Action.SEND_PROGRESS: SendProgressForm,
}

SUCCESS_MESSAGES: dict[Action, str] = {
    Action.REQUEST_INFORMATION: "demande d'informations enregistrée.",
    Action.RECORD_INFORMATION: "informations reçues enregistrées.",
    Action.RECORD_CONFIRMATION: "confirmation écrite enregistrée.",
    Action.UPDATE_DETAILS: "fiche modifiée.",
    Action.ADD_ACTION: "action enregistrée.",
    Action.ADD_NOTE: "note ajoutée.",
    Action.ADD_DOCUMENT: "document joint.",
    Action.REPLY: "réponse enregistrée.",
    Action.CLOSE: "réclamation clôturée.",
    Action.DECLARE_NOT_ADMISSIBLE: "réclamation déclarée non recevable.",
    Action.REOPEN: "réclamation rouverte.",
    Action.ESCALATE_MEDIATION: "saisine du médiateur enregistrée.",
    Action.RECORD_MEDIATION_OUTCOME: "issue de la médiation enregistrée.",
    Action.ESCALATE_LITIGATION: "contentieux enregistré.",
    Action.RECORD_LITIGATION_OUTCOME: "issue du contentieux enregistrée.",
    Action.SEND_ACKNOWLEDGEMENT: "accusé de réception en file d'envoi.",
    Action.SEND_PROGRESS: "point d'avancement en file d'envoi.",
}
