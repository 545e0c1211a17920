"""`reclamations import-eml`: one line per message, exactly, and a summary on stderr."""

import importlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reclamations.complaints.models import Complaint
from reclamations.intake.models import InboundEmail, IntakeSource
from reclamations.intake.parsing import UnparseableMessage, parse_message

from .conftest import AFTER_THE_CORPUS, FIXTURES, eml

pytestmark = [pytest.mark.clock(AFTER_THE_CORPUS), pytest.mark.usefixtures("clock")]


def import_eml(*args: str) -> tuple[list[str], str]:
    out, err = StringIO(), StringIO()
    call_command("import-eml", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def mailbox(folder: Path, names: dict[str, str]) -> Path:
    """A folder of .eml files: our name -> fixture of the corpus.

    Never tmp_path itself: the tests' stored files (MEDIA_ROOT) live there too.
    """
    for ours, fixture in names.items():
        target = folder / ours
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / fixture, target)
    return folder


def unparseable_reason(name: str) -> str:
    with pytest.raises(UnparseableMessage) as error:
        parse_message(eml(name))
    return str(error.value)


def test_one_line_per_message_in_name_order(organisation, tmp_path):
    folder = mailbox(
        tmp_path / "mail",
        {
            "01-complaint.eml": "plain-utf8-reclamation.eml",
            "02-reply.eml": "reply-in-reply-to-only.eml",
            "03-question.eml": "not-a-complaint-question.eml",
            "04-out-of-office.eml": "out-of-office-precedence-bulk.eml",
            "05-garbage.eml": "garbage.bin.eml",
            "06-same-complaint-again.eml": "plain-utf8-reclamation.eml",
            "07-other-complaint.eml": "iso-8859-1-8bit-reclamation.eml",
            "notes.txt": "plain-utf8-reclamation.eml",  # not a .eml: not read
        },
    )

    lines, summary = import_eml(str(folder))

    assert lines == [
        "created REC-2026-0001",
        "appended REC-2026-0001",
        "not a complaint",
        "auto-reply ignored",
        f"quarantined: {unparseable_reason('garbage.bin.eml')}",
        "duplicate",
        "created REC-2026-0002",
    ]
    assert summary == (
        "import-eml : 7 messages traités (réclamations créées : 2, ajoutés à une réclamation : "
        "1, doublons : 1, réponses automatiques ignorées : 1, à trier : 1, illisibles "
        "(quarantaine) : 1)\n"
    )
    assert set(InboundEmail.objects.values_list("source", flat=True)) == {IntakeSource.EML}


def test_folders_read_recursively_and_files_named_directly(organisation, tmp_path):
    mailbox(
        tmp_path / "mail",
        {
            "2026/03/a.eml": "complaint-without-accent.eml",
            "2026/04/b.eml": "complaint-subject-lowercase-accent.eml",
        },
    )
    single = mailbox(tmp_path / "single", {"message.txt": "rfc2047-subject-q-and-b.eml"})

    lines, _summary = import_eml(str(tmp_path / "mail" / "2026"), str(single / "message.txt"))

    assert lines == [
        "created REC-2026-0001",
        "created REC-2026-0002",
        "created REC-2026-0003",
    ]
    assert Complaint.objects.get(reference="REC-2026-0003").client_name == "François Léger"


def test_importing_the_same_folder_twice_registers_nothing_more(organisation, tmp_path):
    folder = mailbox(
        tmp_path / "mail",
        {"a.eml": "plain-utf8-reclamation.eml", "b.eml": "not-a-complaint-question.eml"},
    )
    import_eml(str(folder))

    lines, _summary = import_eml(str(folder))

    assert lines == ["duplicate", "duplicate"]
    assert (Complaint.objects.count(), InboundEmail.objects.count()) == (1, 2)


def test_organisation_chosen_by_name(organisation, other_organisation, tmp_path):
    folder = mailbox(tmp_path / "mail", {"a.eml": "plain-utf8-reclamation.eml"})

    lines, _summary = import_eml(str(folder), "--organisation", "Autre organisme")

    assert lines == ["created AUT-2026-0001"]


def test_unknown_organisation_is_an_error(organisation, tmp_path):
    folder = mailbox(tmp_path / "mail", {"a.eml": "plain-utf8-reclamation.eml"})

    with pytest.raises(CommandError) as error:
        import_eml(str(folder), "--organisation", "Inconnu")

    assert str(error.value) == "Aucun organisme nommé « Inconnu ». Organismes : CCS."
    assert not InboundEmail.objects.exists()


def test_an_installation_without_organisation_is_told_to_run_init(db, tmp_path):
    folder = mailbox(tmp_path / "mail", {"a.eml": "plain-utf8-reclamation.eml"})

    with pytest.raises(CommandError) as error:
        import_eml(str(folder))

    assert str(error.value) == (
        "Aucun organisme enregistré : créez-le avec « reclamations init » (ou la page de "
        "première installation) ; pour essayer l'application, « reclamations demo » sur un "
        "dossier de données à part."
    )
    assert not InboundEmail.objects.exists()


def test_missing_path_is_an_error_before_anything_is_imported(organisation, tmp_path):
    folder = mailbox(tmp_path / "mail", {"a.eml": "plain-utf8-reclamation.eml"})

    with pytest.raises(CommandError) as error:
        import_eml(str(folder), str(tmp_path / "absent"))

    assert str(error.value) == f"Chemin introuvable : {tmp_path / 'absent'}"
    assert not InboundEmail.objects.exists()


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="Linux /proc needed")
def test_unreadable_file_reported_the_others_imported_then_an_error(organisation, tmp_path):
    folder = mailbox(tmp_path / "mail", {"b.eml": "not-a-complaint-question.eml"})
    # A path that exists but cannot be read, even by root: reading it fails with EIO.
    unreadable = "/proc/self/mem"
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import-eml", unreadable, str(folder), stdout=out, stderr=err)

    assert out.getvalue().splitlines() == ["not a complaint"]
    assert err.getvalue().splitlines()[0] == "/proc/self/mem : illisible (Input/output error)"
    assert str(error.value) == "1 fichier(s) illisible(s) : /proc/self/mem"
    assert InboundEmail.objects.count() == 1


def test_a_message_that_fails_leaves_the_ones_before_it_registered_and_printed(
    organisation, tmp_path, monkeypatch
):
    folder = mailbox(
        tmp_path / "mail",
        {
            "a.eml": "plain-utf8-reclamation.eml",
            "b.eml": "iso-8859-1-8bit-reclamation.eml",
            "c.eml": "complaint-without-accent.eml",
        },
    )
    command = importlib.import_module("reclamations.intake.management.commands.import-eml")
    real = command.intake_process
    calls = []

    def fails_at_the_second(**kwargs):
        calls.append(kwargs["raw"])
        result = real(**kwargs)
        if len(calls) == 2:
            raise RuntimeError("panne au milieu du deuxième message")
        return result

    monkeypatch.setattr(command, "intake_process", fails_at_the_second)
    out = StringIO()

    with pytest.raises(RuntimeError):
        call_command("import-eml", str(folder), stdout=out, stderr=StringIO())

    # The second message's work is rolled back although it got as far as registering.
    assert out.getvalue().splitlines() == ["created REC-2026-0001"]
    assert list(Complaint.objects.values_list("reference", flat=True)) == ["REC-2026-0001"]
    assert InboundEmail.objects.count() == 1
    monkeypatch.setattr(command, "intake_process", real)
    lines, _summary = import_eml(str(folder))
    assert lines == ["duplicate", "created REC-2026-0002", "created REC-2026-0003"]
