"""The organisation's complaints procedure as a document in the application: versions
published one after the other, each in force from its day; a complaint records the version in
force on the day it was received."""

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation, ProcedureVersion, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TEXT_LENGTH = 200_000
LABEL_LENGTH = ProcedureVersion._meta.get_field("label").max_length


def version_in_force(organisation: Organisation, day: date) -> ProcedureVersion | None:
    """The latest version in force on `day`, None when none was published by then."""
    return (
        ProcedureVersion.objects.filter(organisation=organisation, in_force_from__lte=day)
        .order_by("-in_force_from", "-number")
        .first()
    )


# version_in_force's label, written out: every registration reads it, and building the query
# through the ORM took 15 times longer than running it (bench/README.md, import-eml).
_LABEL_IN_FORCE_SQL = (
    f"SELECT label FROM {ProcedureVersion._meta.db_table} "  # noqa: S608 - fixed names
    "WHERE organisation_id = %s AND in_force_from <= %s "
    "ORDER BY in_force_from DESC, number DESC LIMIT 1"
)


def label_in_force(organisation: Organisation, day: date) -> str:
    """What a complaint received on `day` records: the version in force then, or the label of
    the organisation's settings when no version was published by then."""
    with connection.cursor() as cursor:
        cursor.execute(_LABEL_IN_FORCE_SQL, [organisation.pk, day])
        row = cursor.fetchone()
    return str(row[0]) if row is not None else organisation.procedure_version


def _problems(
    organisation: Organisation, text: str, label: str, in_force_from: date
) -> dict[str, list["StrOrPromise"]]:
    # Lazy translations: read in the language of the page that shows them (French otherwise).
    errors: dict[str, list[StrOrPromise]] = {}
    if not text.strip():
        errors["text"] = [_("Le texte de la procédure est vide.")]
    elif len(text) > MAX_TEXT_LENGTH:
        errors["text"] = [
            format_lazy(
                _("Le texte dépasse {count} caractères."),
                count=f"{MAX_TEXT_LENGTH:,}".replace(",", " "),
            )
        ]
    if not label.strip():
        errors["label"] = [_("Donnez un nom à cette version, par exemple « v2 ».")]
    elif LABEL_LENGTH is not None and len(label) > LABEL_LENGTH:
        errors["label"] = [
            format_lazy(_("Le nom de la version dépasse {count} caractères."), count=LABEL_LENGTH)
        ]
    elif ProcedureVersion.objects.filter(organisation=organisation, label=label.strip()).exists():
        errors["label"] = [
            format_lazy(
                _("La version « {label} » existe déjà : choisissez un autre nom."),
                label=label.strip(),
            )
        ]
    latest = ProcedureVersion.objects.filter(organisation=organisation).order_by("-number").first()
    if latest is not None and in_force_from < latest.in_force_from:
        errors["in_force_from"] = [
            format_lazy(
                _(
                    "Une version ne peut entrer en vigueur avant la précédente ({label}, en "
                    "vigueur à partir du {day})."
                ),
                label=latest.label,
                day=f"{latest.in_force_from:%d/%m/%Y}",
            )
        ]
    return errors


def procedure_publish(
    *,
    organisation: Organisation,
    text: str,
    label: str,
    in_force_from: date,
    actor: User | None,
) -> ProcedureVersion:
    """Publish the next version. Raises ValidationError (French, per field) and writes nothing
    when the text is empty, the name taken or the day before the previous version's."""
    text = text.replace("\x00", "").replace("\r\n", "\n")
    with transaction.atomic():
        # One publication at a time per organisation: the numbers follow one another.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        errors = _problems(organisation, text, label, in_force_from)
        if errors:
            raise ValidationError(errors)
        latest = (
            ProcedureVersion.objects.filter(organisation=organisation).order_by("-number").first()
        )
        version = ProcedureVersion.objects.create(
            organisation=organisation,
            number=(latest.number if latest else 0) + 1,
            label=label.strip(),
            text=text,
            in_force_from=in_force_from,
            published_at=timezone.now(),
            published_by=actor,
        )
        if in_force_from <= local_today(organisation):
            # The settings' label (the printed register's footer) follows the version in force.
            organisation.procedure_version = version.label
            organisation.save(update_fields=["procedure_version"])
    return version
