"""The procedure as versions in the application: published one after the other, each in force
from its day; a complaint records the version in force the day it was received."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from reclamations.core.models import ProcedureVersion
from reclamations.core.procedures import label_in_force, procedure_publish, version_in_force
from tests.clock import at
from tests.factories import make_complaint

pytestmark = pytest.mark.usefixtures("clock")  # Monday 2 November 2026


def _publish(organisation, label, day, text="1. Recueil\n2. Traitement", actor=None):
    return procedure_publish(
        organisation=organisation, text=text, label=label, in_force_from=day, actor=actor
    )


def test_versions_follow_one_another_each_in_force_from_its_day(organisation, manager):
    first = _publish(organisation, "v1", date(2025, 1, 1), actor=manager)
    second = _publish(organisation, "v2", date(2026, 12, 1))

    assert (first.number, second.number) == (1, 2)
    assert version_in_force(organisation, date(2024, 12, 31)) is None
    assert version_in_force(organisation, date(2026, 11, 30)) == first
    assert version_in_force(organisation, date(2026, 12, 1)) == second
    # The settings' label follows the version in force today, not the one to come.
    organisation.refresh_from_db()
    assert organisation.procedure_version == "v1"


def test_without_a_version_the_settings_label_is_recorded(organisation):
    assert label_in_force(organisation, date(2026, 11, 2)) == organisation.procedure_version


def test_a_complaint_records_the_version_in_force_the_day_it_was_received(organisation, referent):
    _publish(organisation, "v1", date(2025, 1, 1))
    _publish(organisation, "v2", date(2026, 10, 15))

    late_registration = make_complaint(organisation, referent, received_at=at(2026, 10, 14))
    today = make_complaint(organisation, referent)

    assert (late_registration.procedure_version, today.procedure_version) == ("v1", "v2")


EMPTY = "Le texte de la procédure est vide."
NO_NAME = "Donnez un nom à cette version, par exemple « v2 »."
TAKEN = "La version « v1 » existe déjà : choisissez un autre nom."
BEFORE = (
    "Une version ne peut entrer en vigueur avant la précédente (v1, en vigueur à partir du "
    "01/01/2025)."
)


@pytest.mark.parametrize(
    ("label", "day", "text", "errors"),
    [
        ("v2", date(2026, 1, 1), "  ", {"text": [EMPTY]}),
        (" ", date(2026, 1, 1), "x", {"label": [NO_NAME]}),
        ("v1", date(2026, 1, 1), "x", {"label": [TAKEN]}),
        ("v2", date(2024, 12, 31), "x", {"in_force_from": [BEFORE]}),
    ],
)
def test_a_wrong_version_is_refused_in_french_and_nothing_is_written(
    organisation, label, day, text, errors
):
    _publish(organisation, "v1", date(2025, 1, 1))

    with pytest.raises(ValidationError) as refused:
        _publish(organisation, label, day, text)

    assert refused.value.message_dict == errors
    assert ProcedureVersion.objects.count() == 1


def test_the_text_is_kept_as_written_without_nul(organisation):
    version = _publish(organisation, "v1", date(2025, 1, 1), text="Étape\x00 1\r\n<b>2</b>")
    assert version.text == "Étape 1\n<b>2</b>"


def test_the_command_publishes_a_file(organisation, tmp_path):
    text = tmp_path / "procedure.md"
    text.write_text("# Procédure\n\n1. Recueil", encoding="utf-8")
    out = StringIO()

    call_command(
        "procedure", "publish", str(text), "--label", "v3", "--from", "2026-11-02", stdout=out
    )

    assert out.getvalue() == "Version n° 1 « v3 » publiée, en vigueur à partir du 02/11/2026.\n"
    assert version_in_force(organisation, date(2026, 11, 2)).text == "# Procédure\n\n1. Recueil"


def test_the_command_says_what_is_wrong(organisation, tmp_path):
    latin1 = tmp_path / "procedure.txt"
    latin1.write_bytes("Procédure".encode("latin-1"))
    with pytest.raises(CommandError, match="n'est pas un texte UTF-8"):
        call_command("procedure", "publish", str(latin1), "--label", "v1")
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("procedure", "publish", str(tmp_path / "absent.txt"), "--label", "v1")
    utf8 = tmp_path / "procedure.md"
    utf8.write_text("1. Recueil", encoding="utf-8")
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("procedure", "publish", str(utf8), "--label", "v1", "--from", "demain")
