"""What a client does on their page: answer a request for information, confirm a phone
complaint in writing, ask where the complaint stands, give their opinion after the reply.
Each is an event of the chronology, written with what it changes in one transaction, and the
referent is told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.actions.information import RECORD_CONFIRMATION
from reclamations.complaints.apply import complaint_apply
from reclamations.complaints.chronology import append_event, document_data, locked
from reclamations.complaints.documents import store_document
from reclamations.complaints.enums import (
    AWAITING_CLIENT,
    PORTAL,
    ClientAcceptance,
    ClientLanguage,
    DocumentRole,
    EventType,
    Satisfaction,
    Status,
)
from reclamations.complaints.models import Complaint, ComplaintEvent
from reclamations.complaints.notifications.staff import Notice, notify_referent
from reclamations.complaints.validation import Errors, check_file, clean_text
from reclamations.core.localtime import local_date

TEXT_MAX = 5000
MAX_FILES = 5
EXCERPT = 600
# A client asking again the same day is told their request is recorded: no second notice.
ASKED_AGAIN_WITHIN = timedelta(hours=24)
SUBJECT = "Message déposé par le client sur son espace"
CLOSED_ALREADY = _("Votre réclamation est close : écrivez-nous si vous souhaitez la rouvrir.")


def _checked(text: str, files: Sequence[File[bytes]]) -> str:
    errors = Errors()
    text = clean_text(text)
    if not text:
        errors.add("text", _("Écrivez votre message."))
    elif len(text) > TEXT_MAX:
        errors.add("text", _("5000 caractères au plus : joignez un fichier pour le reste."))
    if len(files) > MAX_FILES:
        errors.add("files", _("5 fichiers au plus."))
    for upload in files:
        check_file(upload, "files", errors)
    errors.raise_if_any()
    return text


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def client_message(
    *, complaint: Complaint, text: str, files: Sequence[File[bytes]] = ()
) -> ComplaintEvent:
    """A message the client left on their page, with its files (PDF, JPEG, PNG).

    Awaited as a written confirmation, it is recorded as that confirmation (the procedure's
    clock starts then, as for one received by post); awaited as information, the referent
    records what it brings; either way the referent is told. Raises ValidationError (text,
    files -> French messages)."""
    text = _checked(text, files)
    with transaction.atomic():
        current = locked(complaint)
        now = timezone.now()
        role = {
            Status.AWAITING_INFORMATION: DocumentRole.INFORMATION,
            Status.AWAITING_CONFIRMATION: DocumentRole.CONFIRMATION,
        }.get(current.status, DocumentRole.ATTACHMENT)
        stored = [
            store_document(
                complaint=current, upload=upload, role=role, created_by=None, created_at=now
            )
            for upload in files
        ]
        confirms = current.status == Status.AWAITING_CONFIRMATION
        awaited = current.status in AWAITING_CLIENT
        event = append_event(
            complaint=current,
            event_type=EventType.MESSAGE_RECEIVED,
            actor=None,
            occurred_on=local_date(current.organisation, now),
            status_before=current.status,
            data={
                "via": PORTAL,
                "subject": SUBJECT,
                "text": text,
                "awaited": awaited,
                **({"files": [document_data(d)["document"] for d in stored]} if stored else {}),
            },
        )
        if confirms:
            complaint_apply(
                complaint=current,
                actor=None,
                action=RECORD_CONFIRMATION,
                data={"via": PORTAL, "summary": _excerpt(text)},
            )
        _tell_the_referent(current, text, confirmed=confirms, awaited=awaited, files=len(stored))
    complaint.refresh_from_db()
    return event


def _tell_the_referent(
    complaint: Complaint, text: str, *, confirmed: bool, awaited: bool, files: int
) -> None:
    def notice() -> Notice:
        attached = (
            "\n\n"
            + gettext("%(files)s fichier(s) joint(s), dans les documents de la réclamation.")
            % {"files": files}
            if files
            else ""
        )
        if confirmed:
            what = gettext(
                "Le client a confirmé sa réclamation par écrit sur son espace : elle est "
                "enregistrée comme sa confirmation écrite, le délai de réponse court "
                "(%(reference)s)."
            )
            to_do = gettext("Voir la réclamation")
        elif awaited:
            what = gettext(
                "Le client a répondu sur son espace à la demande d'informations (%(reference)s)."
            )
            to_do = gettext("Enregistrez les informations reçues sur la fiche de la réclamation")
        else:
            what = gettext("Le client a déposé un message sur son espace (%(reference)s).")
            to_do = gettext("Voir la réclamation")
        what %= {"reference": complaint.reference}
        return Notice(
            subject=gettext("Message du client reçu en ligne"),
            body=f"{what}\n\n{_excerpt(text)}{attached}",
            to_do=to_do,
        )

    notify_referent(complaint, notice)


def client_asks_for_news(
    *, complaint: Complaint, question: str = ""
) -> tuple[ComplaintEvent, bool]:
    """The client asks where the complaint stands: an event, and the referent told, who
    answers with « Informer le client de l'avancement ». Asked again within a day, the first
    request stands (returned, False). Raises ValidationError once the complaint is closed."""
    question = clean_text(question)[:TEXT_MAX]
    with transaction.atomic():
        current = locked(complaint)
        if current.status == Status.CLOSED:
            raise ValidationError({"question": [CLOSED_ALREADY]})
        now = timezone.now()
        earlier = (
            ComplaintEvent.objects.filter(
                complaint=current,
                event_type=EventType.PROGRESS_REQUESTED,
                recorded_at__gte=now - ASKED_AGAIN_WITHIN,
            )
            .order_by("-sequence")
            .first()
        )
        if earlier is not None:
            return earlier, False
        event = append_event(
            complaint=current,
            event_type=EventType.PROGRESS_REQUESTED,
            actor=None,
            occurred_on=local_date(current.organisation, now),
            status_before=current.status,
            data={"via": PORTAL, **({"question": question} if question else {})},
        )
        reference = current.reference
        notify_referent(
            current,
            lambda: Notice(
                subject=gettext("Le client demande où en est sa réclamation"),
                body=gettext(
                    "Le client demande sur son espace où en est la réclamation %(reference)s."
                )
                % {"reference": reference}
                + (f"\n\n{question}" if question else ""),
                to_do=gettext("Répondez avec « Informer le client de l'avancement »"),
            ),
        )
    return event, True


RESOLVED_CHOICES = {"yes": True, "no": False}


def client_gives_opinion(
    *, complaint: Complaint, satisfaction: str, resolved: str, comment: str = ""
) -> ComplaintEvent:
    """The client's answer to the survey after the reply: how satisfied, and whether they
    consider the complaint resolved. "Not resolved" records their position (contested) and
    flags the complaint for the referent, who is told. Raises ValidationError (French)."""
    errors = Errors()
    if satisfaction not in Satisfaction.values:
        errors.add("satisfaction", _("Dites si vous êtes satisfait du traitement."))
    if resolved not in RESOLVED_CHOICES:
        errors.add("resolved", _("Dites si vous considérez votre réclamation comme résolue."))
    comment = clean_text(comment)
    if len(comment) > TEXT_MAX:
        errors.add("comment", _("5000 caractères au plus."))
    errors.raise_if_any()
    is_resolved = RESOLVED_CHOICES[resolved]
    with transaction.atomic():
        current = locked(complaint)
        if current.first_replied_on is None:
            raise ValidationError(
                {"satisfaction": [_("Votre avis vous sera demandé une fois la réponse envoyée.")]}
            )
        status_before = current.status
        current.client_satisfaction = satisfaction
        current.client_acceptance = (
            ClientAcceptance.ACCEPTED if is_resolved else ClientAcceptance.DISPUTED
        )
        current.client_says_unresolved = not is_resolved
        current.save(
            update_fields=["client_satisfaction", "client_acceptance", "client_says_unresolved"]
        )
        event = append_event(
            complaint=current,
            event_type=EventType.OPINION_GIVEN,
            actor=None,
            occurred_on=local_date(current.organisation, timezone.now()),
            status_before=status_before,
            data={
                "via": PORTAL,
                "satisfaction": satisfaction,
                "resolved": is_resolved,
                **({"comment": comment} if comment else {}),
            },
        )
        if not is_resolved:
            reference = current.reference
            notify_referent(
                current,
                lambda: Notice(
                    subject=gettext("Le client estime sa réclamation non résolue"),
                    body=gettext(
                        "Le client a répondu à l'enquête après la réponse à la réclamation "
                        "%(reference)s : %(satisfaction)s, réclamation non résolue à ses yeux."
                    )
                    % {
                        "reference": reference,
                        "satisfaction": str(Satisfaction(satisfaction).label).lower(),
                    }
                    + (f"\n\n{_excerpt(comment)}" if comment else ""),
                    to_do=gettext(
                        "Voir la réclamation (répondre à nouveau, la rouvrir ou la clôturer)"
                    ),
                ),
            )
    complaint.refresh_from_db()
    return event


# Why the record changed, as the chronology keeps it (French, as every stored text).
LANGUAGE_CHOSEN = "langue choisie par le client sur son espace de suivi"


def client_chooses_language(*, complaint: Complaint, language: str) -> bool:
    """The client switched their pages to `language`: the messages to them are written in it
    from now on. A correction of the record like any other (its event says before and after),
    in any status; True when it changed, False when it was already that (or is unknown)."""
    if language not in ClientLanguage.values:
        return False
    with transaction.atomic():
        current = locked(complaint)
        before = current.client_language
        if before == language:
            return False
        current.client_language = language
        current.save(update_fields=["client_language"])
        append_event(
            complaint=current,
            event_type=EventType.DETAILS_UPDATED,
            actor=None,
            occurred_on=local_date(current.organisation, timezone.now()),
            status_before=current.status,
            data={
                "changes": {"client_language": [before, language]},
                "reason": LANGUAGE_CHOSEN,
                "via": PORTAL,
            },
        )
    complaint.client_language = language
    return True
