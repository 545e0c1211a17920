"""A chain nobody can quietly re-hash or cut short (decision 0021): events sealed by an
HMAC whose key lives outside the database, with rotation; heads witnessed outside the
database and checked by `verify --against`; the organisation's settings and triage decisions
as events of its chain. Each kind of tampering is done as someone with the database but
without the key would, and found with its exact French finding."""

import hashlib
import hmac
import json
import os
import stat
import zipfile
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from reclamations.complaints import chain_keys
from reclamations.complaints.chain import (
    UNKEYED_AFTER_KEYED,
    ChainReport,
    Head,
    SealingKey,
    key_id_of,
    parse_head,
    unknown_key,
)
from reclamations.complaints.chronology import chain_head
from reclamations.complaints.enums import EventType
from reclamations.complaints.models import ChainHead, ComplaintEvent
from reclamations.complaints.organisation_events import (
    organisation_procedure_publish,
    organisation_settings_update,
    settings_changed,
)
from reclamations.complaints.services import complaint_apply
from reclamations.core.localtime import local_today
from reclamations.core.models import Organisation
from reclamations.intake.models import InboundEmail, IntakeOutcome, IntakeSource
from reclamations.intake.services import intake_process
from reclamations.intake.triage import triage_dismiss
from reclamations.reporting.audit_pack import write_audit_pack
from reclamations.reporting.integrity import verify_against, verify_all, verify_organisation
from reclamations.reporting.pack_check import MANIFEST
from reclamations.reporting.periods import Period
from tests.factories import make_complaint
from tests.harness.migrations import latest, migrate_to
from tests.tampering import cut_tail, reseal_chain

KEY = "k" * 40
OTHER_KEY = "o" * 40


@pytest.fixture
def register(clock, organisation, referent):
    """Six events in our organisation: two complaints, notes, a reply."""
    first = make_complaint(organisation, referent)
    phone = make_complaint(organisation, referent, channel="phone")  # events 2 and 3
    complaint_apply(complaint=first, actor=referent, action="add_note", data={"text": "Vu."})
    complaint_apply(complaint=phone, actor=None, action="add_note", data={"text": "Rappel."})
    complaint_apply(complaint=first, actor=referent, action="add_note", data={"text": "Encore."})
    return organisation


def _witnessed(organisation) -> Head:
    return parse_head(str(chain_head(organisation)))


def _verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify", *args, stdout=out)
    except SystemExit as exited:
        return int(exited.code or 0), out.getvalue()
    return 0, out.getvalue()


# --- the key ------------------------------------------------------------------------------------


def test_events_are_sealed_by_an_hmac_under_the_current_key(settings, register):
    event = ComplaintEvent.objects.get(organisation=register, sequence=4)
    key = chain_keys.keyring().current

    assert event.key_id == key.id != ""
    secret = chain_keys.key_file().read_text().split()[-1].encode()
    assert key.id == key_id_of(secret)
    assert event.hash != hashlib.sha256(b"").hexdigest()
    assert len(event.hash) == 64
    assert verify_organisation(register) == ChainReport(checked=6)


def test_the_key_file_is_created_once_readable_by_its_owner_only(settings, tmp_path, db):
    settings.DATA_DIR = tmp_path

    first = chain_keys.keyring().current
    chain_keys.forget()
    again = chain_keys.keyring().current

    path = tmp_path / "chain_key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert first.id == again.id
    assert "À sauvegarder À PART de la base de données" in path.read_text()


def test_the_key_given_by_the_environment_seals_the_events(settings, clock, organisation):
    settings.RECLAMATIONS_CHAIN_KEY = KEY
    complaint = make_complaint(organisation, None)

    event = complaint.events.get()

    assert event.key_id == key_id_of(KEY.encode())
    from reclamations.reporting.integrity import _stored

    content = next(_stored(ComplaintEvent.objects.filter(pk=event.pk))).content
    expected = hmac.new(KEY.encode(), content.canonical_bytes(event.previous_hash), "sha256")
    assert event.hash == expected.hexdigest()


def test_a_missing_key_file_refuses_to_write_anything(settings, clock, organisation, tmp_path):
    settings.RECLAMATIONS_CHAIN_KEY_FILE = str(tmp_path / "absent")

    with pytest.raises(chain_keys.ChainKeyError) as refused:
        make_complaint(organisation, None)

    assert str(refused.value) == (
        f"Clé de la chaîne introuvable : le fichier {tmp_path / 'absent'} "
        "(RECLAMATIONS_CHAIN_KEY_FILE) n'existe pas. Restaurez-le depuis sa sauvegarde ; sans "
        "sa clé, la chronologie ne peut être ni scellée ni vérifiée."
    )
    assert ComplaintEvent.objects.count() == 0
    settings.RECLAMATIONS_CHAIN_KEY_FILE = ""  # for the check of what the test left


def test_a_data_directory_restored_without_its_key_is_refused(settings, register, tmp_path):
    settings.DATA_DIR = tmp_path  # the register's events were sealed by another key file

    with pytest.raises(chain_keys.ChainKeyError) as refused:
        chain_keys.keyring()

    assert str(refused.value).startswith(
        f"Clé de la chaîne introuvable : le fichier {tmp_path / 'chain_key'} n'existe pas alors "
        "que la chronologie contient des événements scellés par une clé."
    )
    settings.DATA_DIR = os.environ["RECLAMATIONS_DATA_DIR"]


def test_a_short_key_is_refused(settings, db):
    settings.RECLAMATIONS_CHAIN_KEY = "court"

    with pytest.raises(chain_keys.ChainKeyError) as refused:
        chain_keys.keyring()

    assert str(refused.value) == (
        "RECLAMATIONS_CHAIN_KEY : une clé de la chaîne compte au moins 32 caractères (reçu 5)."
    )


def test_rotation_keeps_the_old_key_to_verify_its_events(settings, clock, organisation, tmp_path):
    settings.RECLAMATIONS_CHAIN_KEY_FILE = str(tmp_path / "keys")
    (tmp_path / "keys").write_text(KEY + "\n")
    first = make_complaint(organisation, None)
    out = StringIO()

    call_command("chain-key", "rotate", stdout=out)
    second = make_complaint(organisation, None)

    new_id = chain_keys.keyring().current.id
    assert out.getvalue() == (
        f"Nouvelle clé de la chaîne : {new_id} (les précédentes restent dans "
        f"{tmp_path / 'keys'} pour vérifier les événements qu'elles ont scellés). Sauvegardez "
        "ce fichier à part de la base de données, et redémarrez l'application et le worker.\n"
    )
    assert first.events.get().key_id == key_id_of(KEY.encode())
    assert second.events.get().key_id == new_id != key_id_of(KEY.encode())
    assert len((tmp_path / "keys").read_text().split()) == 2
    assert verify_organisation(organisation) == ChainReport(checked=2)


def test_rotation_is_refused_when_the_environment_gives_the_key(settings, db):
    settings.RECLAMATIONS_CHAIN_KEY = KEY

    with pytest.raises(Exception, match="ajoutez la clé actuelle à RECLAMATIONS_CHAIN_KEYS_OLD"):
        call_command("chain-key", "rotate")


def test_keys_rotated_in_the_environment_verify(settings, clock, organisation):
    settings.RECLAMATIONS_CHAIN_KEY = KEY
    make_complaint(organisation, None)
    settings.RECLAMATIONS_CHAIN_KEY = OTHER_KEY
    settings.RECLAMATIONS_CHAIN_KEYS_OLD = [KEY]
    make_complaint(organisation, None)

    assert verify_organisation(organisation) == ChainReport(checked=2)


@pytest.mark.tampered
def test_an_old_key_dropped_is_named(settings, clock, organisation):
    settings.RECLAMATIONS_CHAIN_KEY = KEY
    make_complaint(organisation, None)
    settings.RECLAMATIONS_CHAIN_KEY = OTHER_KEY

    assert verify_organisation(organisation) == ChainReport(
        checked=0,
        broken_sequence=1,
        problem=unknown_key(key_id_of(KEY.encode())),
        reference="REC-2026-0001",
    )


def test_a_register_sealed_before_the_key_verifies_and_new_events_are_keyed(register, referent):
    # Rows as the code before the key wrote them: plain SHA-256, no key id.
    reseal_chain(register)
    complaint = register.complaints.order_by("id").first()

    complaint_apply(complaint=complaint, actor=referent, action="add_note", data={"text": "Après."})

    key_ids = list(
        ComplaintEvent.objects.filter(organisation=register)
        .order_by("sequence")
        .values_list("key_id", flat=True)
    )
    assert key_ids == ["", "", "", "", "", "", chain_keys.keyring().current.id]
    assert verify_organisation(register) == ChainReport(checked=7)


# --- the tampering the key and the witnessed head find ------------------------------------------


@pytest.mark.tampered
def test_the_tail_cut_with_its_head_moved_back_is_found_against_a_witnessed_head(register):
    witnessed = _witnessed(register)

    cut_tail(register, keep=4)

    assert verify_organisation(register) == ChainReport(checked=4)  # the chain alone holds
    assert verify_against([witnessed]) == [
        f"CCS : la tête témoin {witnessed} n'est plus dans la chaîne : l'événement n° 6 a "
        "disparu (des événements ont été supprimés)"
    ]
    assert _verify("--against", str(witnessed)) == (
        1,
        f"ERREUR CCS : la tête témoin {witnessed} n'est plus dans la chaîne : l'événement n° 6 "
        "a disparu (des événements ont été supprimés)\n",
    )


@pytest.mark.tampered
def test_an_event_altered_and_the_chain_rehashed_without_the_key_is_found(register):
    event = ComplaintEvent.objects.get(organisation=register, sequence=4)
    ComplaintEvent.objects.filter(pk=event.pk).update(data={"text": "Réécrit."})

    reseal_chain(register, start=4)  # SHA-256 from n° 4, as if never keyed

    assert verify_organisation(register) == ChainReport(
        checked=3, broken_sequence=4, problem=UNKEYED_AFTER_KEYED, reference="REC-2026-0001"
    )


@pytest.mark.tampered
def test_a_whole_chain_forged_without_the_key_is_found_against_a_witnessed_head(register):
    witnessed = _witnessed(register)
    ComplaintEvent.objects.filter(organisation=register, sequence=4).update(data={"text": "Faux."})

    reseal_chain(register)  # every event as if written before the chain was keyed

    assert verify_organisation(register) == ChainReport(checked=6)  # a consistent forgery
    forged = ComplaintEvent.objects.get(organisation=register, sequence=6).hash
    assert verify_against([witnessed]) == [
        f"CCS : la tête témoin {witnessed} ne correspond plus à la chaîne : l'événement n° 6 a "
        f"l'empreinte {forged[:16]} (la chaîne a été réécrite)"
    ]


@pytest.mark.tampered
def test_a_chain_rehashed_with_another_key_is_found(register):
    forger = SealingKey(OTHER_KEY.encode())

    reseal_chain(register, key=forger)

    assert verify_organisation(register) == ChainReport(
        checked=0,
        broken_sequence=1,
        problem=unknown_key(forger.id),
        reference="REC-2026-0001",
    )


@pytest.mark.tampered
def test_a_chain_rehashed_with_another_key_under_the_keys_name_is_found(register):
    current = chain_keys.keyring().current.id

    reseal_chain(register, key=SealingKey(OTHER_KEY.encode()), key_id=current)

    assert verify_organisation(register) == ChainReport(
        checked=0,
        broken_sequence=1,
        problem="le contenu ne correspond plus à son empreinte",
        reference="REC-2026-0001",
    )


@pytest.mark.tampered
def test_a_whole_organisations_chain_deleted_is_found_against_its_witnessed_head(clock, db):
    gone = Organisation.objects.create(name="Disparu", reference_prefix="DIS")
    settings_changed(
        organisation=gone, actor=None, before={"phone": ""}, after={"phone": "01 02 03 04 05"}
    )
    witnessed = _witnessed(gone)
    assert str(witnessed).startswith("Disparu:000001:")

    with connection.cursor() as cursor:
        table = ComplaintEvent._meta.db_table
        cursor.execute(f"DELETE FROM {table} WHERE organisation_id = %s", [gone.pk])  # noqa: S608
    ChainHead.objects.filter(organisation=gone).delete()

    assert verify_organisation(gone) == ChainReport(checked=0)
    assert verify_against([witnessed]) == [
        f"Disparu : la tête témoin {witnessed} n'est plus dans la chaîne : l'événement n° 1 a "
        "disparu (des événements ont été supprimés)"
    ]

    Organisation.objects.filter(pk=gone.pk).delete()  # and the organisation itself

    assert verify_against([witnessed]) == [
        f"Disparu : la tête témoin {witnessed} désigne un organisme absent du registre "
        "(l'organisme et sa chronologie ont été supprimés)"
    ]


def test_verify_prints_the_heads_and_finds_a_witnessed_one(register):
    witnessed = str(chain_head(register))

    code, printed = _verify("--against", witnessed)

    assert code == 0
    assert printed.splitlines()[1:] == [
        f"TÉMOIN {witnessed} : retrouvé dans la chaîne",
        f"TÊTE {witnessed}",
    ]
    last = ComplaintEvent.objects.get(organisation=register, sequence=6)
    assert witnessed == f"CCS:000006:{last.hash[:16]}"


def test_a_head_that_is_not_one_is_refused_in_french(register):
    with pytest.raises(Exception, match="« CCS:six » n'est pas une tête de chaîne"):
        call_command("verify", "--against", "CCS:six")


def test_a_head_with_colons_in_the_name_reads_back():
    assert parse_head("A:B:000012:9f2c4e0b7a1d3c58…") == Head("A:B", 12, "9f2c4e0b7a1d3c58")


# --- settings and triage decisions are events ---------------------------------------------------


def test_a_change_of_settings_is_an_event_with_before_and_after(clock, organisation, manager):
    phone = organisation.phone
    changed = organisation_settings_update(
        organisation=organisation, actor=manager, values={"deadline_days": "20", "phone": "0102"}
    )

    event = ComplaintEvent.objects.get(organisation=organisation)
    assert sorted(changed) == ["deadline_days", "phone"]
    assert (event.event_type, event.complaint, event.improvement) == (
        EventType.SETTINGS_CHANGED,
        None,
        None,
    )
    assert event.data == {"changes": {"deadline_days": [10, 20], "phone": [phone, "0102"]}}
    assert event.actor == manager
    assert verify_all()[0].ok


def test_the_settings_page_writes_the_event(clock, manager_client, organisation, manager):
    page = reverse("organisation_settings")
    form = manager_client.get(page).context["form"]
    sent = {name: form[name].value() for name in form.fields}
    sent = {k: ("on" if v is True else str(v)) for k, v in sent.items() if v not in (None, False)}
    before = organisation.due_soon_days

    response = manager_client.post(page, {**sent, "due_soon_days": str(before + 2)})

    assert response.status_code == 302
    event = ComplaintEvent.objects.get(organisation=organisation)
    assert (event.data, event.actor) == (
        {"changes": {"due_soon_days": [before, before + 2]}},
        manager,
    )


def test_a_procedure_version_in_force_is_an_event(clock, organisation, manager):
    label = organisation.procedure_version
    organisation_procedure_publish(
        organisation=organisation,
        text="Nouvelle procédure.",
        label="v2",
        in_force_from=local_today(organisation),
        actor=manager,
    )

    event = ComplaintEvent.objects.get(organisation=organisation)
    assert event.data == {"changes": {"procedure_version": [label, "v2"]}}


def test_the_mailbox_health_is_no_setting(clock, organisation):
    Organisation.objects.filter(pk=organisation.pk).update(mailbox_error="Serveur injoignable.")

    assert ComplaintEvent.objects.count() == 0
    assert verify_all()[0].ok


@pytest.mark.tampered
def test_a_setting_changed_behind_the_applications_back_is_found(clock, organisation, manager):
    organisation_settings_update(
        organisation=organisation, actor=manager, values={"deadline_days": "20"}
    )

    Organisation.objects.filter(pk=organisation.pk).update(deadline_days=60)

    assert verify_all()[0].findings == (
        "réglages : délai de réponse (jours) (« 60 ») ne correspond pas à la chronologie (« 20 »)",
    )
    assert _verify() == (
        1,
        "ERREUR CCS : réglages : délai de réponse (jours) (« 60 ») ne correspond pas à la "
        "chronologie (« 20 »)\n",
    )


QUESTION = (
    b"From: Paul Girard <paul.girard@example.fr>\r\n"
    b"To: reclamations@ccs-legal.fr\r\n"
    b"Subject: Question sur la session de juin\r\n"
    b"Message-ID: <question.1@example.fr>\r\n"
    b"Date: Mon, 26 Oct 2026 09:00:00 +0100\r\n"
    b"\r\n"
    b"Bonjour, la session de juin aura-t-elle lieu ?\r\n"
)


@pytest.fixture
def dismissed(clock, organisation, referent) -> InboundEmail:
    result = intake_process(
        organisation=organisation, raw=QUESTION, arrived_at=None, source=IntakeSource.EML
    )
    assert result.outcome == IntakeOutcome.TRIAGE
    return triage_dismiss(inbound=result.inbound, actor=referent, reason="Simple question.")


def test_a_triage_decision_is_an_event(dismissed, organisation, referent):
    event = ComplaintEvent.objects.get(organisation=organisation)

    assert (event.event_type, event.actor, event.complaint) == (
        EventType.TRIAGE_DECIDED,
        referent,
        None,
    )
    assert event.data == {
        "message": dismissed.pk,
        "subject": "Question sur la session de juin",
        "sender": "paul.girard@example.fr",
        "message_sha256": dismissed.sha256,
        "outcome": "dismissed",
        "reason": "Simple question.",
        "complaint": "",
    }


@pytest.mark.tampered
def test_a_triage_decision_changed_behind_the_applications_back_is_found(dismissed):
    InboundEmail.objects.filter(pk=dismissed.pk).update(
        outcome=IntakeOutcome.TRIAGE, decision_reason=""
    )

    assert verify_all()[0].findings == (
        f"tri : le message n° {dismissed.pk} (« Question sur la session de juin ») : la "
        "décision au registre (« À trier ») ne correspond pas à la chronologie (« Écarté »)",
        f"tri : le message n° {dismissed.pk} (« Question sur la session de juin ») : le motif "
        "de la décision au registre (« vide ») ne correspond pas à la chronologie (« Simple "
        "question. »)",
    )


# --- the head witnessed by the audit pack and the daily digest ----------------------------------


def test_the_audit_pack_witnesses_the_head_and_verify_pack_shows_it(register, tmp_path):
    path = tmp_path / "dossier.zip"
    head = str(chain_head(register))
    period = Period(date(2026, 10, 1), date(2026, 11, 30))

    write_audit_pack(str(path), register, period, today=date(2026, 11, 2))
    out = StringIO()
    call_command("verify-pack", str(path), stdout=out)

    with zipfile.ZipFile(path) as pack:
        manifest = json.loads(pack.read(MANIFEST))
    assert manifest["chronology"]["head"] == head
    assert (
        f"Tête de la chaîne : {head} (à vérifier plus tard par « reclamations verify --against "
        f"{head} »)."
    ) in manifest["chronology"]["text"]
    assert (
        f"Tête de la chaîne témoin : {head} ; « reclamations verify --against {head} » prouve "
        "que la chronologie la contient toujours."
    ) in out.getvalue().splitlines()


# --- a register written before the chain was keyed ----------------------------------------------

BEFORE_KEYS = [("complaints", "0018_client_opinion")]


@pytest.mark.tampered  # rows rewritten as the code before the key wrote them
@pytest.mark.django_db(transaction=True)
def test_a_register_from_before_the_key_verifies_after_the_migration(clock, organisation, referent):
    complaint = make_complaint(organisation, referent)
    complaint_apply(complaint=complaint, actor=referent, action="add_note", data={"text": "Vu."})
    reseal_chain(organisation)  # plain SHA-256, as before the key
    migrate_to(BEFORE_KEYS)
    migrate_to(latest())

    complaint_apply(complaint=complaint, actor=referent, action="add_note", data={"text": "Après."})

    assert list(ComplaintEvent.objects.order_by("sequence").values_list("sequence", "key_id")) == [
        (1, ""),
        (2, ""),
        (3, chain_keys.keyring().current.id),
    ]
    assert [(r.report, r.findings) for r in verify_all()] == [(ChainReport(checked=3), ())]
    assert _verify()[0] == 0
