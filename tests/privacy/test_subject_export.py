"""The subject-access export: what one person's ZIP holds, file by file, and nothing of anyone
else's; the addresses matched whatever their case, a name that widens the search without
bringing in a namesake, files the storage lost listed as deleted, a large document streamed."""

import hashlib
import io
import json
import tracemalloc
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage

from reclamations.complaints.anonymisation import anonymise_complaint
from reclamations.complaints.enums import DocumentRole, EventType
from reclamations.complaints.models import Document
from reclamations.complaints.services import complaint_apply
from reclamations.outbox.delivery import deliver_due
from reclamations.portal.filing import file_pending
from reclamations.privacy.models import RequestKind
from reclamations.privacy.requests import NewDataRequest, data_request_create
from reclamations.privacy.subject_export import FILE_DELETED, export_name, write_subject_export
from reclamations.privacy.subject_search import (
    BY_EMAIL,
    BY_NAME,
    Subject,
    find_subject,
    name_key,
    nothing_found_message,
)
from reclamations.reporting.pack_check import MANIFEST
from tests.factories import make_complaint
from tests.web.helpers import PDF, upload

from .conftest import CREDIT_NOTE, INVOICE, JULIE, LETTER, NOTE, SIMILAR


def _export(organisation, *emails, name=""):
    found = find_subject(organisation, Subject.of(emails, name))
    target = io.BytesIO()
    summary = write_subject_export(target, found, made_by="Responsable")
    return zipfile.ZipFile(target), summary


def _json(archive, path):
    return json.loads(archive.read(path))


def test_the_export_holds_the_persons_complaint_emails_and_messages_file_by_file(
    subject_register, organisation
):
    archive, summary = _export(organisation, JULIE)

    folder = f"reclamations/{subject_register.complaint.reference}"
    original = subject_register.complaint.documents.get(role=DocumentRole.ORIGINAL).original_name
    copies = {
        document.original_name
        for document in subject_register.complaint.documents.filter(
            role__in=[DocumentRole.SENT_MESSAGE, DocumentRole.REPLY_COPY]
        )
    }
    assert len(copies) == 2  # the acknowledgement's and the reply's, as sent
    documents = {
        name.removeprefix(f"{folder}/documents/")
        for name in archive.namelist()
        if name.startswith(f"{folder}/documents/")
    }
    assert documents == {original, "facture.pdf", "courrier signé.pdf", "avoir.pdf", *copies}
    assert len(archive.namelist()) == len(set(archive.namelist()))  # each path once
    assert set(archive.namelist()) - {f"{folder}/documents/{n}" for n in documents} == {
        "LISEZMOI.txt",
        f"emails-recus/2026-11-02-{subject_register.email.pk}.eml",
        f"emails-recus/2026-11-02-{subject_register.question.pk}.eml",
        "emails-recus/emails-recus.json",
        MANIFEST,
        "personne.json",
        f"{folder}/chronologie.json",
        subject_register.message_path("acknowledgement"),
        subject_register.message_path("reply"),
        f"{folder}/reclamation.json",
    }
    assert archive.read(f"{folder}/documents/facture.pdf") == INVOICE
    assert archive.read(f"{folder}/documents/courrier signé.pdf") == LETTER
    assert archive.read(f"{folder}/documents/avoir.pdf") == CREDIT_NOTE
    assert (summary.complaints, summary.documents, summary.received_emails) == (1, 6, 2)
    assert (summary.sent_messages, summary.deleted_files, summary.files) == (2, 0, 15)


def test_the_complaint_reads_with_its_labels_and_every_event_with_its_free_texts(
    subject_register, organisation
):
    archive, _ = _export(organisation, JULIE)
    folder = f"reclamations/{subject_register.complaint.reference}"

    complaint = _json(archive, f"{folder}/reclamation.json")
    fields = complaint["champs"]
    assert fields["client_name"] == {"libelle": "Nom du client", "valeur": "Julie Martin"}
    assert fields["client_email"]["valeur"] == JULIE
    assert fields["status"] == {"libelle": "Statut", "valeur": "replied", "texte": "Répondue"}
    assert fields["received_at"]["valeur"] == "2026-11-02T09:00:00+01:00"
    assert fields["due_date"]["valeur"] == "2026-11-14"
    assert fields["replied_on_time"] == {
        "libelle": "Réponse dans le délai",
        "valeur": True,
        "texte": "oui",
    }
    assert "organisation" not in fields and "id" not in fields
    assert complaint["trouvee_par"] == [BY_EMAIL]
    scan = next(item for item in complaint["documents"] if item["nom"] == "courrier signé.pdf")
    assert scan == {
        "nom": "courrier signé.pdf",
        "nature": "attachment",
        "nature_libelle": "Pièce jointe",
        "type": "application/pdf",
        "taille": len(LETTER),
        "sha256": hashlib.sha256(LETTER).hexdigest(),
        "ajoute_le": "2026-11-02T10:00:00+01:00",
        "etat": "fichier joint",
        "fichier": f"{folder}/documents/courrier signé.pdf",
    }
    assert complaint["messages_envoyes"] == [
        subject_register.message_path("acknowledgement"),
        subject_register.message_path("reply"),
    ]
    links = complaint["liens_d_acces_envoyes"]
    assert sorted(link["usage"] for link in links) == ["avis après la réponse", "suivi", "suivi"]
    assert {link["cree_le"] for link in links} == {"2026-11-02T10:00:00+01:00"}

    chronology = _json(archive, f"{folder}/chronologie.json")
    events = chronology["evenements"]
    stored = list(subject_register.complaint.events.order_by("sequence"))
    assert [(e["sequence"], e["type"]) for e in events] == [
        (event.sequence, event.event_type) for event in stored
    ]
    assert [e["donnees"] for e in events] == [event.data for event in stored]
    assert [e["empreinte"] for e in events] == [event.hash for event in stored]
    note = next(e for e in events if e["type"] == EventType.NOTE_ADDED)
    assert note["libelle"] == "Note"
    assert note["par"] == "Referente"
    assert note["date"] == "2026-11-02"
    assert note["enregistre_le"] == "2026-11-02T10:00:00+01:00"
    assert note["donnees"] == {"text": NOTE}
    assert NOTE in note["texte"]
    assert note["donnees_anonymisees"] is False
    added = next(e for e in events if e["document"] == f"{folder}/documents/courrier signé.pdf")
    assert added["type"] == EventType.DOCUMENT_ADDED


def test_the_messages_sent_read_with_recipients_text_state_and_files(
    subject_register, organisation
):
    archive, _ = _export(organisation, JULIE)
    folder = f"reclamations/{subject_register.complaint.reference}"

    reply = _json(archive, subject_register.message_path("reply"))

    assert reply["type"] == "reply"
    assert reply["reclamation"] == subject_register.complaint.reference
    assert reply["au_client"] is True
    assert reply["destinataires"] == [JULIE]
    assert reply["objet"] == f"Réponse à votre réclamation [{subject_register.complaint.reference}]"
    assert "Nous vous proposons trois séances de rattrapage." in reply["texte"]
    assert (reply["etat"], reply["etat_libelle"]) == ("sent", "Envoyé")
    assert reply["envoye_le"] == "2026-11-02T10:00:00+01:00"
    assert reply["pieces_jointes"] == [
        {
            "nom": "avoir.pdf",
            "type": "application/pdf",
            "taille": len(CREDIT_NOTE),
            "sha256": hashlib.sha256(CREDIT_NOTE).hexdigest(),
            "fichier": f"{folder}/documents/avoir.pdf",
        }
    ]
    copy = reply["copie_envoyee"]
    assert copy.startswith(f"{folder}/documents/")
    assert b"Nous vous proposons trois s" in archive.read(copy).replace(b"=\n", b"")


def test_every_email_received_from_the_address_is_there_triage_included(
    subject_register, organisation
):
    archive, _ = _export(organisation, JULIE)

    received = _json(archive, "emails-recus/emails-recus.json")

    assert [(e["objet"], e["suite_donnee"], e["reclamation"]) for e in received] == [
        ("Réclamation : trois séances annulées", "created", subject_register.complaint.reference),
        ("Une question sur ma facture", "triage", None),
    ]
    question = received[1]
    assert question["suite_donnee_libelle"] == "À trier"
    assert question["extrait"] == "Pouvez-vous me renvoyer la facture de mars ?"
    assert question["etat"] == "fichier joint"
    with subject_register.question.raw.open("rb") as stored:
        assert archive.read(question["fichier"]) == stored.read()
    original = subject_register.complaint.documents.get(role=DocumentRole.ORIGINAL)
    first = received[0]
    assert archive.read(first["fichier"]) == archive.read(first["document_de_la_reclamation"])
    assert hashlib.sha256(archive.read(first["fichier"])).hexdigest() == original.sha256


def test_nothing_of_anyone_else_is_in_the_export(subject_register, organisation):
    archive, _ = _export(organisation, JULIE)

    everything = b"".join(archive.read(name) for name in archive.namelist())

    for other in (
        SIMILAR.encode(),
        b"Marie Julie Martin",
        b"Horaires",
        b"Julie Martinez",
        subject_register.similar.reference.encode(),
        subject_register.letter.reference.encode(),
        subject_register.namesake.reference.encode(),
    ):
        assert other not in everything


def test_the_manifest_holds_the_sha256_and_size_of_every_other_file(subject_register, organisation):
    archive, _ = _export(organisation, JULIE)

    manifest = _json(archive, MANIFEST)

    listed = {entry["path"]: (entry["sha256"], entry["size"]) for entry in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {MANIFEST}
    for path, (sha256, size) in listed.items():
        content = archive.read(path)
        assert (hashlib.sha256(content).hexdigest(), len(content)) == (sha256, size), path
    assert manifest["personne"] == [JULIE]
    assert manifest["organisation"] == "CCS"


def test_the_readme_says_what_the_file_is_whose_and_what_each_folder_holds(
    subject_register, organisation
):
    archive, _ = _export(organisation, JULIE)

    readme = archive.read("LISEZMOI.txt").decode("utf-8")

    assert readme.startswith(
        "Export des données personnelles — droit d'accès (article 15 du RGPD)\n\n"
        "Organisme : CCS, 351 chemin des Gourettes, 06370 Mouans-Sartoux.\n"
        f"Personne : adresse e-mail {JULIE}.\n"
        "Constitué le lundi 2 novembre 2026 à 10:00 par Responsable.\n"
    )
    assert "Trouvé : 1 réclamation, 6 documents, 2 e-mails reçus, 2 messages envoyés." in readme
    for folder in ("reclamations/<référence>/documents/", "emails-recus/", MANIFEST):
        assert f"- {folder}" in readme
    assert "messages-envoyes/" not in readme  # nothing sent outside the complaint
    person = _json(archive, "personne.json")
    assert person["personne"] == {"adresses_e_mail": [JULIE], "nom": ""}
    assert person["totaux"] == {
        "reclamations": 1,
        "documents": 6,
        "fichiers_supprimes": 0,
        "emails_recus": 2,
        "messages_envoyes": 2,
        "demandes_sur_ses_donnees": 0,
    }
    assert [c["reference"] for c in person["reclamations"]] == [
        subject_register.complaint.reference
    ]


def test_addresses_are_matched_whatever_their_case(subject_register, organisation, referent):
    typed = make_complaint(
        organisation, referent, client_email="JULIE.Martin@EXAMPLE.org", client_account="CLI-9"
    )

    found = find_subject(organisation, Subject.of(["  Julie.MARTIN@example.ORG "]))

    assert found.subject.emails == (JULIE,)
    assert [item.reference for item in found.complaints] == sorted(
        [subject_register.complaint.reference, typed.reference]
    )
    assert len(found.inbound_ids) == 2
    # Each complaint's acknowledgement and the reply; the similar address's acknowledgement
    # holds Julie's address but is not hers.
    assert len(found.outgoing_ids) == 3


def test_several_addresses_of_one_person_are_exported_together(subject_register, organisation):
    archive, summary = _export(organisation, JULIE, SIMILAR)

    assert summary.complaints == 2
    assert _json(archive, "personne.json")["personne"]["adresses_e_mail"] == [JULIE, SIMILAR]


def test_a_name_widens_the_search_to_the_complaints_registered_under_it(
    subject_register, organisation
):
    archive, summary = _export(organisation, JULIE, name="julie  MARTIN")

    letter = subject_register.letter.reference
    person = _json(archive, "personne.json")
    assert [(c["reference"], c["trouvee_par"]) for c in person["reclamations"]] == [
        (subject_register.complaint.reference, [BY_EMAIL, BY_NAME]),
        (letter, [BY_NAME]),
    ]
    assert person["personne"]["nom"] == "julie MARTIN"
    assert person["a_verifier"]["trouvees_par_le_nom_seul"] == [letter]
    assert summary.by_name_only == (letter,)
    warning = f"À vérifier avant l'envoi : {letter} a été trouvée par le nom seul"
    assert summary.warning().startswith(warning)
    assert warning in archive.read("LISEZMOI.txt").decode("utf-8")
    assert archive.read(f"reclamations/{letter}/documents/lettre.pdf") == LETTER
    names = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Julie Martinez" not in names and SIMILAR.encode() not in names


@pytest.mark.parametrize(
    ("written", "searched", "same"),
    [
        ("MARTIN Julie", "Julie Martin", True),
        ("Hélène Dupré-Léger", "helene dupre leger", True),
        ("  Julie   Martin ", "Julie Martin", True),
        ("Julie Martinez", "Julie Martin", False),
        ("Julie", "Julie Martin", False),
        ("Marie Julie Martin", "Julie Martin", False),
    ],
)
def test_two_spellings_of_one_name_are_the_same_name(written, searched, same):
    assert (name_key(written) == name_key(searched)) is same


def test_a_message_sent_to_the_address_about_no_complaint_has_its_own_folder(
    subject_register, organisation
):
    # Julie filed a second complaint online and never confirmed her address: the link was sent.
    file_pending(
        organisation=organisation,
        fields={"client_name": "Julie Martin", "description": "Encore une séance annulée."},
        email=JULIE,
        files=[],
        ip="192.0.2.8",
        now=subject_register.complaint.registered_at + timedelta(hours=1),
    )

    archive, summary = _export(organisation, JULIE)

    (path,) = [name for name in archive.namelist() if name.startswith("messages-envoyes/")]
    message = _json(archive, path)
    assert (message["objet"], message["reclamation"], message["au_client"]) == (
        "Confirmez votre réclamation",
        None,
        None,
    )
    assert message["etat"] == "queued"
    assert summary.sent_messages == 3
    assert "- messages-envoyes/ : " in archive.read("LISEZMOI.txt").decode("utf-8")


def test_each_organisation_exports_its_own_records_only(
    subject_register, organisation, other_organisation
):
    theirs = make_complaint(other_organisation)  # Julie Martin, at the same address, over there

    ours = find_subject(organisation, Subject.of([JULIE], "Julie Martin"))
    over_there = find_subject(other_organisation, Subject.of([JULIE], "Julie Martin"))

    assert theirs.reference not in [item.reference for item in ours.complaints]
    assert [item.reference for item in over_there.complaints] == [theirs.reference]
    assert over_there.inbound_ids == ()
    assert set(over_there.outgoing_ids).isdisjoint(ours.outgoing_ids)


def test_nothing_found_is_said_in_french_with_what_to_try(subject_register, organisation):
    found = find_subject(organisation, Subject.of(["inconnue@example.org"]))

    assert found.empty
    assert nothing_found_message(found) == (
        "Aucune donnée sur inconnue@example.org dans le registre de CCS : aucune réclamation à "
        "cette adresse, aucun e-mail reçu de cette adresse ni envoyé à elle. Vérifiez "
        "l'orthographe de l'adresse, ou cherchez aussi par le nom de la personne (une "
        "réclamation reçue par courrier ou par téléphone n'a pas toujours d'adresse e-mail)."
    )
    with_name = find_subject(organisation, Subject.of(["inconnue@example.org"], "Ana Lopez"))
    assert "aucune réclamation à ce nom ou à cette adresse" in nothing_found_message(with_name)


def test_an_export_needs_an_address():
    with pytest.raises(ValueError, match="at least one e-mail address"):
        find_subject(None, Subject.of([" "], "Julie Martin"))


def test_the_file_is_named_after_the_person_and_the_day(subject_register, organisation):
    found = find_subject(organisation, Subject.of([JULIE]))

    assert (
        export_name(found, subject_register.complaint.received_on)
        == "donnees-personnelles-julie-martin-example-org-2026-11-02.zip"
    )


@pytest.mark.tampered  # files removed from the storage: verify would rightly say so
def test_a_file_the_storage_no_longer_has_is_listed_as_deleted(subject_register, organisation):
    scan = subject_register.complaint.documents.get(original_name="courrier signé.pdf")
    default_storage.delete(scan.file.name)
    emptied = subject_register.complaint.documents.get(original_name="facture.pdf")
    with default_storage.open(emptied.file.name, "wb"):
        pass  # emptied, as a purge that truncates leaves it
    Document.objects.filter(
        pk=subject_register.complaint.documents.get(original_name="avoir.pdf").pk
    ).update(file="")
    subject_register.question.raw.storage.delete(subject_register.question.raw.name)

    archive, summary = _export(organisation, JULIE)

    folder = f"reclamations/{subject_register.complaint.reference}"
    documents = {
        item["nom"]: (item["etat"], item["fichier"])
        for item in _json(archive, f"{folder}/reclamation.json")["documents"]
    }
    for name in ("courrier signé.pdf", "facture.pdf", "avoir.pdf"):
        assert documents[name] == (FILE_DELETED, None)
        assert f"{folder}/documents/{name}" not in archive.namelist()
    received = _json(archive, "emails-recus/emails-recus.json")
    assert (received[1]["etat"], received[1]["fichier"]) == (FILE_DELETED, None)
    reply = _json(archive, subject_register.message_path("reply"))
    assert reply["pieces_jointes"][0]["fichier"] is None
    assert (summary.documents, summary.deleted_files) == (3, 4)
    readme = archive.read("LISEZMOI.txt").decode("utf-8")
    assert "4 fichiers supprimés du stockage" in readme
    assert f"signalés « {FILE_DELETED} »" in readme


def test_a_large_document_is_streamed_never_held_in_memory(
    clock, settings, organisation, referent, tmp_path
):
    size = 40 * 1024 * 1024
    settings.UPLOAD_MAX_BYTES = size + 1024
    complaint = make_complaint(organisation, referent)
    large = PDF + b"%" + b"0123456789abcdef" * (size // 16) + b"\n%%EOF\n"
    complaint_apply(
        complaint=complaint,
        actor=referent,
        action="add_document",
        data={},
        document=upload("dossier complet.pdf", large),
    )
    expected = hashlib.sha256(large).hexdigest()
    del large
    found = find_subject(organisation, Subject.of([JULIE]))

    tracemalloc.start()
    try:
        with (tmp_path / "export.zip").open("wb") as target:
            write_subject_export(target, found, made_by="Responsable")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 8 * 1024 * 1024
    archive = zipfile.ZipFile(tmp_path / "export.zip")
    path = f"reclamations/{complaint.reference}/documents/dossier complet.pdf"
    with archive.open(path) as stored:
        digest = hashlib.sha256()
        while block := stored.read(1 << 20):
            digest.update(block)
    assert digest.hexdigest() == expected
    entry = next(e for e in _json(archive, MANIFEST)["files"] if e["path"] == path)
    assert entry["sha256"] == expected


def test_an_anonymised_complaint_leaves_nothing_to_export_but_what_is_not_of_it(
    subject_register, organisation, referent
):
    complaint = subject_register.complaint
    complaint_apply(
        complaint=complaint, actor=referent, action="close", data={"outcome": "granted"}
    )
    deliver_due()
    anonymise_complaint(
        complaint, actor=None, today=complaint.received_on, reason="demande d'effacement"
    )

    archive, summary = _export(organisation, JULIE, name="Julie Martin")

    person = _json(archive, "personne.json")
    assert [c["reference"] for c in person["reclamations"]] == [subject_register.letter.reference]
    received = _json(archive, "emails-recus/emails-recus.json")
    assert [e["objet"] for e in received] == ["Une question sur ma facture"]
    assert summary.sent_messages == 0
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert complaint.reference.encode() not in everything
    assert NOTE.encode() not in everything


def test_the_persons_own_requests_about_their_data_are_in_the_export(
    subject_register, organisation, manager
):
    request = data_request_create(
        organisation=organisation,
        actor=manager,
        new=NewDataRequest(
            kind=RequestKind.ACCESS,
            person_name="Julie Martin",
            person_email=JULIE.upper(),
            received_on="2026-10-30",
            notes="Demande reçue par courrier, identité vérifiée.",
        ),
    )

    archive, summary = _export(organisation, JULIE)

    assert summary.data_requests == 1
    assert summary.text().endswith(", 1 demande sur ses données")
    person = _json(archive, "personne.json")
    assert person["totaux"]["demandes_sur_ses_donnees"] == 1
    assert person["demandes_sur_ses_donnees"] == [
        {
            "numero": request.pk,
            "droit": "Accès (article 15)",
            "nom": "Julie Martin",
            "adresse_e_mail": JULIE.upper(),  # as it was recorded
            "recue_le": "2026-10-30",
            "echeance": "2026-11-30",
            "prolongee_jusqu_au": None,
            "motif_de_la_prolongation": "",
            "statut": "En cours",
            "decision": "",
            "motif_de_la_decision": "",
            "decidee_le": None,
            "reclamations_concernees": [subject_register.complaint.reference],
            "notes": "Demande reçue par courrier, identité vérifiée.",
        }
    ]
    assert "les demandes faites depuis ces adresses" in archive.read("LISEZMOI.txt").decode()


def test_a_person_known_only_by_a_request_still_gets_an_export(organisation, manager):
    data_request_create(
        organisation=organisation,
        actor=manager,
        new=NewDataRequest(
            kind=RequestKind.ERASURE,
            person_name="Ondine Verhaeghe",
            person_email="ondine@example.net",
            received_on="2026-10-30",
        ),
    )

    found = find_subject(organisation, Subject.of(["ondine@example.net"]))

    assert not found.empty
    assert not find_subject(organisation, Subject.of(["personne@example.net"])).request_ids
