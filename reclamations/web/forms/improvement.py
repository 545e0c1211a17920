"""The forms of improvement actions: deciding or editing one, and each step of its life.
Validation lives in complaints.improvement; these forms only carry what was typed."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.enums import CheckResult, ImprovementSource, ImprovementStatus
from reclamations.complaints.improvement import SOURCE_DETAIL_LENGTH, TITLE_LENGTH
from reclamations.complaints.improvement_queries import OPEN_FILTER, OVERDUE_FILTER
from reclamations.complaints.models import ImprovementAction
from reclamations.core.models import Organisation, User
from reclamations.core.roles import HANDLERS
from reclamations.web.forms.fields import choice, day, free_text, text

_SEPARATORS = re.compile(r"[\s,;]+")


class ImprovementForm(forms.Form):
    title = text(_("Intitulé"), max_length=TITLE_LENGTH)
    description = free_text(
        _("Description"),
        help_text=_(
            "Ce qui sera fait, par qui et comment, pour que la cause ne se reproduise pas."
        ),
        rows=5,
    )
    source = choice(_("Origine"), ImprovementSource.choices)
    source_detail = text(
        _("Précision sur l'origine"),
        max_length=SOURCE_DETAIL_LENGTH,
        help_text=_("Par exemple : enquête à chaud de mars, audit de surveillance du 12 mai…"),
    )
    complaints = text(
        _("Réclamations à l'origine"),
        help_text=_("Leurs références, séparées par des espaces ou des virgules."),
        max_length=5000,
    )
    cause = choice(_("Cause traitée"), (), blank=_("Non précisée"))
    owner = choice(_("Responsable de l'action"), (), blank=_("Non désigné"))
    due_date = day(_("Échéance"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cause_field = self.fields["cause"]
        assert isinstance(cause_field, forms.ChoiceField)
        cause_field.choices = [("", _("Non précisée")), *((c, c) for c in organisation.causes)]
        owners = User.objects.filter(
            organisation=organisation, is_active=True, role__in=HANDLERS
        ).order_by("last_name", "first_name", "username")
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ChoiceField)
        owner_field.choices = [
            ("", _("Non désigné")),
            *((str(u.pk), u.display_name) for u in owners),
        ]

    def keep_cause(self, cause: str) -> None:
        """Offer an action's own cause, since removed from the list, so that it stays."""
        field = self.fields["cause"]
        assert isinstance(field, forms.ChoiceField)
        if cause and cause not in dict(field.choices):
            field.choices = [*field.choices, (cause, cause)]

    @classmethod
    def initial_for(cls, action: ImprovementAction) -> dict[str, Any]:
        return {
            "title": action.title,
            "description": action.description,
            "source": action.source,
            "source_detail": action.source_detail,
            "complaints": " ".join(action.complaints.values_list("reference", flat=True)),
            "cause": action.cause,
            "owner": str(action.owner_id or ""),
            "due_date": action.due_date,
        }

    def values(self) -> dict[str, Any]:
        """What the service reads (call after is_valid())."""
        values = dict(self.cleaned_data)
        values["complaints"] = [ref for ref in _SEPARATORS.split(values["complaints"]) if ref]
        return values


class RecordDoneForm(forms.Form):
    done_on = day(_("Réalisée le"), help_text=_("Par défaut : aujourd'hui."))
    done_summary = free_text(_("Ce qui a été fait"), rows=4)


class CheckForm(forms.Form):
    checked_on = day(_("Vérifiée le"), help_text=_("Par défaut : aujourd'hui."))
    check_result = choice(_("Résultat"), CheckResult.choices, radio=True)
    check_evidence = free_text(
        _("Preuves"),
        help_text=_(
            "L'indicateur suivi et sa valeur, l'enquête, le constat : ce qui montre que "
            "la cause ne se reproduit plus. Joignez les pièces aux réclamations concernées."
        ),
        rows=4,
    )


class CommentForm(forms.Form):
    comment = free_text(_("Commentaire"), rows=2)


class AbandonForm(forms.Form):
    reason = free_text(_("Motif de l'abandon"), rows=3)


class NoteForm(forms.Form):
    text = free_text(_("Note"), rows=3)


STEP_FORMS: dict[str, type[forms.Form]] = {
    "start": CommentForm,
    "record_done": RecordDoneForm,
    "check": CheckForm,
    "close": CommentForm,
    "abandon": AbandonForm,
    "note": NoteForm,
}

STATUS_FILTERS = (
    (OPEN_FILTER, _("Ouvertes")),
    (OVERDUE_FILTER, _("En retard")),
    *ImprovementStatus.choices,
)


class ImprovementFilterForm(forms.Form):
    """Always bound to request.GET: a wrong value shows every action."""

    status = choice(_("Afficher"), STATUS_FILTERS, blank=_("Toutes les actions"))

    def status_asked(self) -> str:
        return str(self.cleaned_data.get("status", "")) if self.is_valid() else ""
