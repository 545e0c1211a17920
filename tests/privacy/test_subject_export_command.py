"""`reclamations subject-export`: the ZIP written for its owner only, one line of summary, and
what is wrong said in French with what to do, no file written."""

import json
import stat
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reclamations.core.models import SecurityRecord
from reclamations.core.security_events import SecurityEvent
from tests.factories import make_complaint

from .conftest import JULIE


@pytest.fixture
def out(tmp_path):
    """A folder of its own (tmp_path also holds the test's stored files)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def _run(*args: str) -> str:
    out = StringIO()
    call_command("subject-export", *args, stdout=out)
    return out.getvalue()


def test_the_export_is_written_for_its_owner_only_and_summed_up_in_one_line(subject_register, out):
    output = out / "julie.zip"

    printed = _run("--email", "JULIE.martin@example.org", "-o", str(output))

    assert printed == (
        f"Données de {JULIE} exportées dans {output} : 1 réclamation, 6 documents, "
        "2 e-mails reçus, 2 messages envoyés.\n"
    )
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    archive = zipfile.ZipFile(output)
    person = json.loads(archive.read("personne.json"))
    assert person["personne"]["adresses_e_mail"] == [JULIE]
    assert person["constitue_par"].startswith("ligne de commande")
    assert [path.name for path in out.iterdir()] == ["julie.zip"]  # nothing left beside


def test_the_command_leaves_a_line_in_the_organisations_security_journal(subject_register, out):
    _run("--email", JULIE, "-o", str(out / "julie.zip"))

    record = SecurityRecord.objects.get(kind=SecurityEvent.SUBJECT_EXPORTED)
    assert record.organisation == subject_register.complaint.organisation
    assert record.user is None
    assert record.username.startswith("ligne de commande")
    assert record.detail.endswith(
        ": 1 réclamation, 6 documents, 2 e-mails reçus, 2 messages envoyés"
    )


def test_a_name_found_alone_is_printed_as_a_warning(subject_register, out):
    printed = _run(
        "--email", JULIE, "--name", "Julie Martin", "-o", str(out / "julie.zip")
    ).splitlines()

    assert printed[0].endswith(
        ": 2 réclamations, 7 documents, 2 e-mails reçus, 2 messages envoyés."
    )
    assert printed[1].startswith(
        f"À vérifier avant l'envoi : {subject_register.letter.reference} a été trouvée par le "
        "nom seul, sans l'adresse e-mail"
    )


def test_several_addresses_are_given_by_repeating_the_option(subject_register, out):
    output = out / "julie.zip"

    _run("--email", JULIE, "--email", "julie.perso@example.fr", "-o", str(output))

    person = json.loads(zipfile.ZipFile(output).read("personne.json"))
    assert person["personne"]["adresses_e_mail"] == [JULIE, "julie.perso@example.fr"]


def test_an_address_nobody_has_writes_no_file_and_says_what_to_try(subject_register, out):
    output = out / "inconnue.zip"

    with pytest.raises(CommandError) as refused:
        _run("--email", "inconnue@example.org", "-o", str(output))

    assert str(refused.value).startswith(
        "Aucune donnée sur inconnue@example.org dans le registre de CCS : aucune réclamation à "
        "cette adresse"
    )
    assert "cherchez aussi par le nom de la personne" in str(refused.value)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--email", "julie.martin"),
            "Adresse e-mail invalide « julie.martin » : donnez l'adresse de la personne, de la "
            "forme nom@domaine.fr.",
        ),
        (("--email", JULIE, "--organisation", "Inconnu"), "Organisation « Inconnu » introuvable"),
    ],
)
def test_a_wrong_option_is_refused_in_french(subject_register, out, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args, "-o", str(out / "export.zip"))
    assert list(out.iterdir()) == []


def test_a_folder_that_does_not_exist_is_refused(subject_register, out):
    missing = out / "nulle-part" / "export.zip"

    with pytest.raises(CommandError, match=r"Le dossier .*nulle-part n'existe pas : créez-le"):
        _run("--email", JULIE, "-o", str(missing))


def test_among_several_organisations_one_is_named_or_numbered(
    subject_register, organisation, other_organisation, out
):
    make_complaint(other_organisation)  # their Julie Martin
    with pytest.raises(CommandError, match="Plusieurs organisations"):
        _run("--email", JULIE, "-o", str(out / "a.zip"))

    by_name = _run("--email", JULIE, "--organisation", "Autre organisme", "-o", str(out / "b.zip"))
    by_number = _run(
        "--email", JULIE, "--organisation", str(organisation.pk), "-o", str(out / "c.zip")
    )

    assert "1 réclamation, 0 document, 0 e-mail reçu, 1 message envoyé" in by_name
    assert "1 réclamation, 6 documents, 2 e-mails reçus, 2 messages envoyés" in by_number
    their = json.loads(zipfile.ZipFile(out / "b.zip").read("personne.json"))
    assert their["organisation"] == "Autre organisme"
