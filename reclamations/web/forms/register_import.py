"""The import of an existing register: the file, then which field each column gives."""

import hashlib

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reclamations.complaints.documents import human_size
from reclamations.complaints.enums import DECIDED_OUTCOME_CHOICES, Channel
from reclamations.core.languages import grouped
from reclamations.register_import import services as import_services
from reclamations.register_import.header import Header
from reclamations.register_import.mapping import GENERAL, ColumnMapping, problems
from reclamations.register_import.reading import Unreadable, read_table
from reclamations.register_import.vocabulary import FIELDS, IGNORED
from reclamations.web.forms.fields import choice, translated_choices

FIELD_CHOICES = [(IGNORED, _("Ne pas importer")), *translated_choices(FIELDS.items())]


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Registre à importer"),
        help_text=_("Un classeur Excel (.xlsx) ou un fichier CSV, une ligne par réclamation."),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".xlsx,.xlsm,.csv,.txt"}),
        error_messages={"required": _("Choisissez le fichier du registre.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if (upload.size or 0) > limit:
            raise forms.ValidationError(
                gettext(
                    "Le fichier pèse %(size)s : la limite est de %(limit)s. Découpez le registre "
                    "(par année, par exemple)."
                )
                % {"size": human_size(upload.size or 0), "limit": human_size(limit)}
            )
        content = upload.read()
        try:
            # Typed by its content and read whole now: a file that cannot be read is said here.
            table = read_table(content)
        except Unreadable as error:
            raise forms.ValidationError(error.text(gettext)) from None
        lines, limit = len(table.rows), import_services.WEB_MAX_LINES
        if lines > limit:
            raise forms.ValidationError(
                gettext(
                    "Le registre compte %(lines)s lignes : la page en importe %(limit)s au plus, "
                    "au-delà l'import dépasserait le temps d'attente du serveur. Importez-le avec "
                    "la commande, sur le serveur : « %(command)s », puis la même sans --dry-run ; "
                    "ou découpez-le en fichiers plus petits (par année)."
                )
                % {
                    "lines": grouped(lines),
                    "limit": grouped(limit),
                    "command": import_services.COMMAND_LINE,
                }
            )
        self.content = content
        return upload


def signature(*parts: object) -> str:
    """What the page was built from (the columns read, the mapping simulated), to tell when
    it changed between two steps."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


class MappingForm(forms.Form):
    """The field of each column, the sheet and the header line, and what a silent line says."""

    header_line = forms.IntegerField(
        label=_("Ligne des en-têtes"),
        min_value=1,
        required=False,
        help_text=_(
            "Le numéro de la ligne qui porte les titres des colonnes (trouvé d'après ces "
            "titres ; changez-le puis « Relire les colonnes » s'il est faux)."
        ),
        error_messages={
            "min_value": _("Indiquez un numéro de ligne (1 ou plus)."),
            "invalid": _("Indiquez un numéro de ligne (1 ou plus)."),
        },
    )
    default_channel = choice(
        _("Canal quand la ligne n'en dit rien"),
        Channel.choices,
        help_text=_("Les lignes sans canal (colonne absente ou vide) sont enregistrées avec lui."),
    )
    default_outcome = choice(
        _("Issue d'une réclamation close qui n'en dit rien"),
        DECIDED_OUTCOME_CHOICES,
        blank=_("Aucune : la ligne est signalée en erreur"),
        help_text=_(
            "Sans issue, une réclamation close n'est pas importée : indiquez l'issue dans le "
            "fichier, ou choisissez-en une ici pour toutes ces lignes."
        ),
    )
    columns_read = forms.CharField(widget=forms.HiddenInput, required=False)
    simulated = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, header: Header, sheets: tuple[str, ...], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.header = header
        if len(sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Feuille du classeur"),
                choices=[(name, name) for name in sheets],
                required=False,
                help_text=_("Changez de feuille puis « Relire les colonnes »."),
            )
            self.order_fields(["sheet"])
        for index, label in enumerate(header.labels(gettext)):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=label,
                choices=FIELD_CHOICES,
                required=False,
                error_messages={
                    "invalid_choice": _("Choix inconnu : sélectionnez un champ de la liste.")
                },
            )

    @property
    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{index}"] for index in range(len(self.header.names))]

    @property
    def option_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("default_channel", "default_outcome")]

    @property
    def reading_fields(self) -> list[forms.BoundField]:
        names = (["sheet"] if "sheet" in self.fields else []) + ["header_line"]
        return [self[name] for name in names]

    def mapping(self) -> ColumnMapping:
        data = self.cleaned_data
        return ColumnMapping(
            fields=tuple(
                data.get(f"column_{index}") or IGNORED for index in range(len(self.header.names))
            ),
            sheet=data.get("sheet") or "",
            header_line=data.get("header_line") or 0,
            default_channel=data.get("default_channel") or Channel.LETTER.value,
            default_outcome=data.get("default_outcome") or "",
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        for key, messages in problems(self.mapping(), self.header, gettext).items():
            for message in messages:
                self.add_error(None if key == GENERAL else f"column_{key}", message)
        return cleaned


def initial_for(mapping: ColumnMapping, header: Header, table_sheet: str) -> dict[str, object]:
    """The form's first values: the proposal, on the sheet and header line read."""
    initial: dict[str, object] = {
        f"column_{index}": given for index, given in enumerate(mapping.fields)
    }
    initial.update(
        sheet=table_sheet,
        header_line=header.lines[0] if header.lines else None,
        default_channel=mapping.default_channel,
        default_outcome=mapping.default_outcome,
        columns_read=signature(header.names),
    )
    return initial
