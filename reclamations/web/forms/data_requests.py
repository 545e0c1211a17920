"""The forms of the data subjects' requests: recording one, its complaints and notes, its
extension, its decision. Validation lives in privacy.requests; these forms carry what was
typed, so that a refused form comes back as it was sent."""

import re
from datetime import date
from typing import Any

from django import forms

from reclamations.complaints.models import Complaint
from reclamations.privacy.models import DataRequest, Decision, RequestKind
from reclamations.privacy.requests import KEEP_HELP, NAME_LENGTH
from reclamations.privacy.rules import MAX_EXTENSION_MONTHS
from reclamations.web.forms.fields import choice, day, free_text, text

_SEPARATORS = re.compile(r"[\s,;]+")


class DataRequestForm(forms.Form):
    kind = choice("Droit exercé", RequestKind.choices, radio=True)
    person_name = text("Nom de la personne", max_length=NAME_LENGTH)
    person_email = text(
        "Adresse e-mail de la personne",
        max_length=254,
        help_text="Ses réclamations à cette adresse sont rattachées à la demande (majuscules "
        "indifférentes) ; vous pourrez en ajouter ou en retirer ensuite.",
    )
    received_on = day(
        "Demande reçue le",
        help_text="Le délai de réponse d'un mois (article 12.3 du RGPD) court à partir de ce jour.",
    )
    notes = free_text(
        "Notes",
        help_text="Comment la demande est arrivée, ce qui a été vérifié de l'identité de la "
        "personne.",
        rows=3,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person_email"].widget = forms.EmailInput(attrs={"autocomplete": "off"})


class DataRequestEditForm(forms.Form):
    complaints = text(
        "Réclamations concernées",
        help_text="Leurs références, séparées par des espaces ou des virgules.",
        max_length=5000,
    )
    notes = free_text("Notes", rows=3)

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
        "Prolongation",
        [(str(n), f"{n} mois de plus") for n in range(1, MAX_EXTENSION_MONTHS + 1)],
        radio=True,
        help_text="Deux mois de plus au plus, si la complexité ou le nombre des demandes "
        "l'exigent (article 12.3 du RGPD).",
    )
    told_on = day(
        "Personne informée le",
        help_text="Le jour où la personne a été informée de la prolongation et de son motif : "
        "au plus tard à la fin du premier mois.",
    )
    reason = free_text("Motif de la prolongation", rows=3)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"told_on": today})
        super().__init__(*args, **kwargs)


class DecideForm(forms.Form):
    decision = choice("Décision", Decision.choices, radio=True)
    reason = free_text(
        "Motif",
        help_text="Obligatoire si la demande est refusée ou accordée en partie : il est "
        "communiqué à la personne, avec la possibilité de saisir la CNIL.",
        rows=3,
    )
    decided_on = day("Décidée le")
    keep = forms.MultipleChoiceField(
        label="Réclamations closes à conserver",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=KEEP_HELP,
        error_messages={"invalid_choice": "Choix inconnu : cochez une réclamation de la liste."},
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
