"""The forms of the data subjects' requests: recording one, its complaints and notes, its
extension, its decision. Validation lives in privacy.requests; these forms carry what was
typed, so that a refused form comes back as it was sent."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.models import Complaint
from reclamations.privacy.erasure_review import KEEP_HELP
from reclamations.privacy.models import DataRequest, Decision, RequestKind
from reclamations.privacy.requests import NAME_LENGTH
from reclamations.privacy.rules import MAX_EXTENSION_MONTHS
from reclamations.web.forms.fields import choice, day, free_text, text

_SEPARATORS = re.compile(r"[\s,;]+")


class DataRequestForm(forms.Form):
    kind = choice(_("Droit exercé"), RequestKind.choices, radio=True)
    person_name = text(_("Nom de la personne"), max_length=NAME_LENGTH)
    person_email = text(
        _("Adresse e-mail de la personne"),
        max_length=254,
        help_text=_(
            "Ses réclamations à cette adresse sont rattachées à la demande (majuscules "
            "indifférentes) ; vous pourrez en ajouter ou en retirer ensuite."
        ),
    )
    received_on = day(
        _("Demande reçue le"),
        help_text=_(
            "Le délai de réponse d'un mois (article 12.3 du RGPD) court à partir de ce jour."
        ),
    )
    notes = free_text(
        _("Notes"),
        help_text=_(
            "Comment la demande est arrivée, ce qui a été vérifié de l'identité de la personne."
        ),
        rows=3,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person_email"].widget = forms.EmailInput(attrs={"autocomplete": "off"})


class DataRequestEditForm(forms.Form):
    complaints = text(
        _("Réclamations concernées"),
        help_text=_("Leurs références, séparées par des espaces ou des virgules."),
        max_length=5000,
    )
    notes = free_text(_("Notes"), rows=3)

    @classmethod
    def initial_for(cls, request: DataRequest) -> dict[str, Any]:
        references = request.complaints.order_by("received_at", "id").values_list(
            "reference", flat=True
        )
        return {"complaints": " ".join(references), "notes": request.notes}

    def references(self) -> list[str]:
        return [ref for ref in _SEPARATORS.split(self.cleaned_data["complaints"]) if ref]


class ExtendForm(forms.Form):
    months = choice(
        _("Prolongation"),
        [
            (str(n), format_lazy(_("{count} mois de plus"), count=n))
            for n in range(1, MAX_EXTENSION_MONTHS + 1)
        ],
        radio=True,
        help_text=_(
            "Deux mois de plus au plus, si la complexité ou le nombre des demandes "
            "l'exigent (article 12.3 du RGPD)."
        ),
    )
    told_on = day(
        _("Personne informée le"),
        help_text=_(
            "Le jour où la personne a été informée de la prolongation et de son motif : "
            "au plus tard à la fin du premier mois."
        ),
    )
    reason = free_text(_("Motif de la prolongation"), rows=3)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"told_on": today})
        super().__init__(*args, **kwargs)


class DecideForm(forms.Form):
    decision = choice(_("Décision"), Decision.choices, radio=True)
    reason = free_text(
        _("Motif"),
        help_text=_(
            "Obligatoire si la demande est refusée ou accordée en partie : il est "
            "communiqué à la personne, avec la possibilité de saisir la CNIL."
        ),
        rows=3,
    )
    decided_on = day(_("Décidée le"))
    keep = forms.MultipleChoiceField(
        label=_("Réclamations closes à conserver"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(KEEP_HELP),
        error_messages={"invalid_choice": _("Choix inconnu : cochez une réclamation de la liste.")},
    )

    def __init__(
        self, *args: Any, today: date, erasable: list[Complaint] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"decided_on": today})
        super().__init__(*args, **kwargs)
        keep = self.fields["keep"]
        assert isinstance(keep, forms.MultipleChoiceField)
        if erasable:
            keep.choices = [(c.reference, c.reference) for c in erasable]
        else:
            # Not an erasure, or nothing to erase: nothing to keep.
            del self.fields["keep"]
