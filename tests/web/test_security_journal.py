"""The security journal's page, for managers: what it shows and to whom, its filters, its
queries, its CSV; a refusal (403) on a page or on the API recorded there and logged once."""

import csv
import io
import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reclamations.core.models import SecurityRecord, User
from reclamations.core.security import SecurityEvent
from reclamations.web.views.security_journal import PAGE_SIZE
from tests.accounts import verified_login

from .helpers import text_of

pytestmark = pytest.mark.usefixtures("clock")

JOURNAL = reverse("security_journal")
EXPORT = reverse("security_journal_export")


def _record(user: User | None, kind: str, at: datetime, *, username: str = "", **fields):
    return SecurityRecord.objects.create(
        organisation=user.organisation if user is not None else None,
        user=user,
        username=user.username if user is not None else username,
        kind=kind,
        at=at,
        **fields,
    )


@pytest.fixture
def journal(manager_client, referent, manager, outsider):
    """The fixture's own logins left out: only the records below."""
    SecurityRecord.objects.all().delete()
    _record(
        referent,
        SecurityEvent.LOGIN_FAILED,
        datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        address="198.51.100.7",
        user_agent="=cmd|' /C calc'!A0",
        path="/connexion/",
    )
    _record(referent, SecurityEvent.LOGIN, datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    _record(
        referent,
        SecurityEvent.TWO_FACTOR_RESET,
        datetime(2026, 3, 4, 8, 0, tzinfo=UTC),
        actor=manager,
    )
    _record(outsider, SecurityEvent.LOGIN, datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    _record(None, SecurityEvent.LOGIN_FAILED, datetime(2026, 3, 3, 10, 0, tzinfo=UTC), username="x")
    return manager_client


def _rows(response) -> list[tuple[str, str]]:
    return [(record.get_kind_display(), record.username) for record in response.context["page"]]


def test_the_journal_shows_the_organisations_records_latest_first(journal):
    response = journal.get(JOURNAL)

    assert response.status_code == 200
    assert _rows(response) == [
        ("Double authentification réinitialisée", "referente"),
        ("Connexion", "referente"),
        ("Échec de connexion", "referente"),
    ]
    text = text_of(response)
    assert (
        "02/03/2026 09:00:00 Échec de connexion Referente (referente) 198.51.100.7 /connexion/"
        in text
    )
    assert "Double authentification réinitialisée Referente (referente) responsable" in text


def test_an_administrator_of_the_only_organisation_also_sees_names_nobody_has(admin_user):
    SecurityRecord.objects.all().delete()
    _record(None, SecurityEvent.LOGIN_FAILED, datetime(2026, 3, 3, 10, 0, tzinfo=UTC), username="x")

    response = verified_login(Client(), admin_user).get(JOURNAL)

    assert ("Échec de connexion", "x") in _rows(response)
    assert "x compte inconnu" in text_of(response)


def test_beside_other_organisations_names_nobody_has_are_no_organisations_records(
    journal, admin_user
):
    response = verified_login(Client(), admin_user).get(JOURNAL)  # `outsider` is another's

    assert ("Échec de connexion", "x") not in _rows(response)  # perhaps a typo of theirs'


def test_the_users_page_links_to_the_journal(manager_client):
    assert f'href="{JOURNAL}"' in manager_client.get(reverse("users")).content.decode()


@pytest.mark.parametrize("client_name", ["referent_client", "auditor_client"])
def test_referents_and_auditors_are_refused(request, client_name):
    client = request.getfixturevalue(client_name)

    assert client.get(JOURNAL).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_journal_needs_a_login(db):
    assert Client().get(JOURNAL).status_code == 302


def test_another_organisations_manager_sees_none_of_ours(journal, other_organisation, referent):
    theirs = User.objects.create_user(
        username="leur-responsable", organisation=other_organisation, role="manager"
    )
    client = verified_login(Client(), theirs)
    SecurityRecord.objects.filter(user=theirs).delete()

    response = client.get(JOURNAL)
    ours = client.get(JOURNAL, {"person": referent.pk})

    assert _rows(response) == [("Connexion", "ailleurs")]
    assert list(ours.context["form"].errors) == ["person"]
    assert _rows(ours) == [("Connexion", "ailleurs")]  # the filter is ignored, not obeyed


def test_filters_by_kind_person_and_days(journal, referent, manager):
    by_kind = journal.get(JOURNAL, {"kind": SecurityEvent.LOGIN})
    by_person = journal.get(JOURNAL, {"person": manager.pk})
    # The organisation's days (Paris): 3 March 09:00 to 4 March 09:00.
    by_days = journal.get(JOURNAL, {"since": "2026-03-03", "until": "2026-03-03"})

    assert _rows(by_kind) == [("Connexion", "referente")]
    assert _rows(by_person) == []
    assert _rows(by_days) == [("Connexion", "referente")]


def test_a_wrong_filter_is_reported_and_ignored(journal):
    response = journal.get(JOURNAL, {"kind": "nope", "since": "2026-03-05", "until": "2026-03-01"})

    assert response.status_code == 200
    assert len(_rows(response)) == 0  # since is valid and applied; until and kind are ignored
    assert set(response.context["form"].errors) == {"kind", "until"}


def test_the_page_runs_the_same_queries_for_one_or_a_full_page(journal, referent):
    with CaptureQueriesContext(connection) as few:
        journal.get(JOURNAL)
    start = datetime(2026, 2, 1, tzinfo=UTC)
    SecurityRecord.objects.bulk_create(
        SecurityRecord(
            organisation=referent.organisation,
            user=referent,
            username="referente",
            actor=referent,
            kind=SecurityEvent.LOGIN,
            at=start + timedelta(minutes=number),
        )
        for number in range(PAGE_SIZE + 10)
    )
    with CaptureQueriesContext(connection) as many:
        response = journal.get(JOURNAL)

    assert len(response.context["page"].object_list) == PAGE_SIZE
    assert len(many) == len(few)


def test_the_csv_is_the_filtered_journal_oldest_first_with_formulas_defused(journal):
    response = journal.get(EXPORT, {"person": "", "kind": ""})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="journal-securite-reclamations-'
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeffLe;")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        ["Le", "Événement", "Compte", "Par", "Adresse IP", "Page", "Navigateur", "Précision"],
        [
            "02/03/2026 09:00:00",
            "Échec de connexion",
            "referente",
            "",
            "198.51.100.7",
            "/connexion/",
            "'=cmd|' /C calc'!A0",
            "",
        ],
        ["03/03/2026 09:00:00", "Connexion", "referente", "", "", "", "", ""],
        [
            "04/03/2026 09:00:00",
            "Double authentification réinitialisée",
            "referente",
            "responsable",
            "",
            "",
            "",
            "",
        ],
    ]


def test_the_csv_follows_the_filters(journal):
    response = journal.get(EXPORT, {"kind": SecurityEvent.LOGIN})

    content = b"".join(response.streaming_content).decode("utf-8")
    assert len(content.splitlines()) == 2


# --- refusals, recorded and logged once -----------------------------------------------------


def test_a_page_refused_is_recorded_and_logged_as_one_line(referent_client, referent, caplog):
    SecurityRecord.objects.all().delete()

    with caplog.at_level(logging.INFO):
        response = referent_client.get(reverse("users"), REMOTE_ADDR="203.0.113.4")

    assert response.status_code == 403
    record = SecurityRecord.objects.get()
    assert (record.kind, record.user, record.path, record.address, record.detail) == (
        SecurityEvent.PERMISSION_REFUSED,
        referent,
        "/utilisateurs/",
        "203.0.113.4",
        "Seuls les responsables gèrent les réglages et les comptes de l'organisme.",
    )
    lines = [r for r in caplog.records if r.name in ("django.request", "reclamations.security")]
    assert [(r.name, r.exc_info) for r in lines] == [("reclamations.security", None)]
    assert lines[0].getMessage().startswith("permission_refused user=referente actor= address=")


def test_an_api_call_refused_is_recorded_and_logged_as_one_line(auditor_api, auditor, caplog):
    with caplog.at_level(logging.INFO):
        response = auditor_api.post(
            "/api/v1/complaints", data="{}", content_type="application/json"
        )

    assert response.status_code == 403
    record = SecurityRecord.objects.get(kind=SecurityEvent.PERMISSION_REFUSED)
    assert (record.user, record.path, record.organisation_id) == (
        auditor,
        "/api/v1/complaints",
        auditor.organisation_id,
    )
    lines = [r for r in caplog.records if r.name in ("django.request", "reclamations.security")]
    assert [(r.name, r.exc_info) for r in lines] == [("reclamations.security", None)]


def test_a_form_refused_for_its_csrf_token_is_recorded(referent):
    client = verified_login(Client(enforce_csrf_checks=True), referent)
    SecurityRecord.objects.all().delete()

    assert client.post(reverse("complaint_new"), {}).status_code == 403

    record = SecurityRecord.objects.get()
    assert (record.kind, record.user, record.detail) == (
        SecurityEvent.PERMISSION_REFUSED,
        referent,
        "CSRF : CSRF cookie not set.",
    )
