"""Lookups shared by the staff views, always within the user's organisation."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest
from django.utils.datastructures import MultiValueDict

from reclamations.complaints.models import Complaint
from reclamations.complaints.queries import complaint_for


def complaint_or_404(request: HttpRequest, reference: str) -> Complaint:
    """The complaint of the user's organisation; another organisation's reference is a 404."""
    try:
        return complaint_for(request.user.organisation, reference)
    except Complaint.DoesNotExist:
        raise Http404(f"Aucune réclamation « {reference} » dans votre registre.") from None


def note_files_to_choose_again(form: forms.Form, files: MultiValueDict[str, UploadedFile]) -> None:
    """A form shown again cannot keep the chosen files: say so next to each file field."""
    for name, uploads in files.lists():
        field = form.fields.get(name)
        if field is None or not uploads:
            continue
        if len(uploads) == 1:
            field.reupload_note = (
                f"Le fichier « {uploads[0].name} » n'a pas été conservé : choisissez-le à "
                "nouveau avant d'enregistrer."
            )
        else:
            names = ", ".join(f"« {upload.name} »" for upload in uploads)
            field.reupload_note = (
                f"Les fichiers {names} n'ont pas été conservés : choisissez-les à nouveau "
                "avant d'enregistrer."
            )
