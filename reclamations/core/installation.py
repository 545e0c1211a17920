"""An installation's first run: its one real organisation and first manager, made once, by
`reclamations init` or the first-run page, and never beside the demo (docs/first-run.md).

The rules of the organisation's settings are the settings page's (core.services.settings_clean);
the first run only asks for more of them, and checks the manager's account. The organisation,
its account and the event that opens its chronology are written together by
complaints.installation.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reclamations.core.models import Organisation, User
from reclamations.core.services import settings_clean

# The settings a real organisation cannot start without: its letters carry its address, its
# clients write to its mailbox, and the procedure names who handles their complaints.
REQUIRED_AT_FIRST_RUN = {
    "name": _("Indiquez le nom de l'organisme."),
    "address": _("Indiquez l'adresse postale de l'organisme : elle figure sur chaque courrier."),
    "complaints_email": _(
        "Indiquez l'adresse e-mail où les clients envoient leurs réclamations (par exemple "
        "reclamations@votre-organisme.fr)."
    ),
    "referent_name": _("Indiquez qui traite les réclamations (le ou la référent·e)."),
}
# The settings the first run asks for; the others keep their defaults until the settings page.
FIRST_RUN_SETTINGS = (
    "name",
    "legal_name",
    "siret",
    "nda",
    "address",
    "phone",
    "website",
    "complaints_email",
    "referent_name",
    "referent_title",
    "referent_email",
    "time_zone",
    "holiday_subdivision",
    "deadline_days",
    "calendar_kind",
    "carry_saturday",
    "phone_clock",
    "suspend_while_awaiting_information",
    "mediator_name",
    "mediator_address",
    "mediator_website",
    "mediator_cecmc_listed",
    "court_name",
)
# Where the manager's errors are reported (the first-run form's fields bear these names).
MANAGER_FIELDS = {
    "username": "manager_username",
    "email": "manager_email",
    "first_name": "manager_first_name",
    "last_name": "manager_last_name",
    "password": "manager_password",
}
_NAME_MAX = 150


@dataclass(frozen=True)
class NewManager:
    """The installation's first manager. An empty `password`: a provisional one is made,
    shown once and replaced at the first login."""

    username: str
    email: str
    password: str = ""
    first_name: str = ""
    last_name: str = ""


class InstallationRefused(Exception):
    """The installation has its organisation already (or holds the demo); the message says
    what to do instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def first_run_open() -> bool:
    """Whether the first-run page is offered: no organisation and no account at all yet."""
    return not Organisation.objects.exists() and not User.objects.exists()


def installed_refusal() -> str:
    """Why a first run may not create an organisation here ("" when it may)."""
    demo = Organisation.objects.filter(demo=True).order_by("id").first()
    if demo is not None:
        return (
            f"Cette installation contient la démonstration ({demo.name}) : un registre réel ne "
            "s'y mêle pas. Initialisez-le sur un dossier de données vide (RECLAMATIONS_DATA_DIR)"
            " et, avec PostgreSQL, une base vide (DATABASE_URL) : voir docs/first-run.md."
        )
    existing = Organisation.objects.order_by("id").first()
    if existing is not None:
        return (
            f"L'organisme « {existing.name} » est déjà enregistré : l'initialisation ne se fait "
            "qu'une fois. Ses réglages se modifient sur la page Réglages, et un compte s'ajoute "
            "avec « reclamations user add » ou la page Utilisateurs."
        )
    return ""


def demo_refusal() -> str:
    """Why `reclamations demo` may not load its data here ("" when it may): a real
    organisation's register never holds demo complaints or demo accounts."""
    real = Organisation.objects.filter(demo=False).order_by("id").values_list("name", flat=True)
    if not real.exists():
        return ""
    names = ", ".join(f"« {name} »" for name in real)
    return (
        f"Cette installation tient le registre réel de {names} : la démonstration ne s'y mêle "
        "pas. Lancez-la sur un dossier de données à part, par exemple "
        "RECLAMATIONS_DATA_DIR=/tmp/demo-reclamations reclamations demo (avec PostgreSQL, une "
        "autre base : DATABASE_URL)."
    )


def lock_installation() -> None:
    """Serialise first runs until the transaction ends, so that two at once (two submits of
    the page, the page and the command) make one organisation. SQLite's IMMEDIATE transactions
    already queue writers; PostgreSQL's is a table lock that conflicts with itself and with
    writes, not with reads."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Organisation._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def _add(errors: dict[str, list[str]], name: str, messages: list[str]) -> None:
    errors.setdefault(name, []).extend(messages)


def first_run_settings_clean(
    values: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The first run's settings read and checked as the settings page does, the ones a real
    organisation needs required: (the values to store, field -> French messages)."""
    given = {name: values[name] for name in FIRST_RUN_SETTINGS if name in values}
    cleaned, errors = settings_clean(given, organisation=Organisation())
    for name, message in REQUIRED_AT_FIRST_RUN.items():
        if not str(cleaned.get(name) or "").strip() and name not in errors:
            _add(errors, name, [str(message)])
    return cleaned, errors


def _at_most() -> str:
    return gettext("%(limit)d caractères au plus.") % {"limit": _NAME_MAX}


def manager_errors(manager: NewManager) -> dict[str, list[str]]:
    """What is wrong with the first manager's account (form field -> French messages); the
    password as Django's validators of config/settings.py judge it, unless one is made."""
    errors: dict[str, list[str]] = {}
    username = manager.username.strip()
    if not username:
        _add(errors, MANAGER_FIELDS["username"], [gettext("Choisissez le nom d'utilisateur.")])
    elif len(username) > _NAME_MAX:
        _add(errors, MANAGER_FIELDS["username"], [_at_most()])
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            _add(
                errors,
                MANAGER_FIELDS["username"],
                [
                    gettext(
                        "Nom d'utilisateur invalide : lettres, chiffres et les signes @ . + - _ "
                        "seulement, sans espace."
                    )
                ],
            )
        if User.objects.filter(username=username).exists():
            _add(
                errors,
                MANAGER_FIELDS["username"],
                [gettext("Le compte « %(username)s » existe déjà.") % {"username": username}],
            )
    if not manager.email.strip():
        _add(
            errors,
            MANAGER_FIELDS["email"],
            [
                gettext(
                    "Indiquez l'e-mail du responsable : rappels et mot de passe oublié y arrivent."
                )
            ],
        )
    else:
        try:
            validate_email(manager.email.strip())
        except ValidationError:
            _add(
                errors,
                MANAGER_FIELDS["email"],
                [gettext("Adresse e-mail invalide : elle doit avoir la forme nom@domaine.fr.")],
            )
    for name in ("first_name", "last_name"):
        if len(getattr(manager, name).strip()) > _NAME_MAX:
            _add(errors, MANAGER_FIELDS[name], [_at_most()])
    if manager.password:
        someone = User(
            username=username,
            email=manager.email.strip(),
            first_name=manager.first_name.strip(),
            last_name=manager.last_name.strip(),
        )
        try:
            password_validation.validate_password(manager.password, someone)
        except ValidationError as error:
            _add(errors, MANAGER_FIELDS["password"], list(error.messages))
    return errors


def first_run_errors(
    values: Mapping[str, Any], manager: NewManager
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Everything the first run checks, the organisation's settings and its manager's account
    together: (the settings to store, form field -> French messages)."""
    cleaned, errors = first_run_settings_clean(values)
    for name, messages in manager_errors(manager).items():
        _add(errors, name, messages)
    return cleaned, errors
