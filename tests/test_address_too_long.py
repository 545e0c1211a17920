"""An address too long is answered 414 in French: JSON under /api/ like every error of the API,
a page elsewhere; by the application in-process, and through the real gunicorn that `reclamations
serve` starts, which lets such addresses through to it up to its own maximum (decision 0025)."""

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

from reclamations.api.middleware import MAX_ADDRESS
from reclamations.core.management.commands.serve import GUNICORN_MAX_REQUEST_LINE
from tests.harness.network import free_port

CONSOLE_SCRIPT = Path(sys.executable).parent / "reclamations"
API_DETAIL = (
    "Adresse trop longue : {length} caractères, 4096 au plus. Raccourcissez-la (moins de "
    "paramètres, une recherche plus courte) ; un texte long va dans le corps d'un POST."
)
PAGE_TEXT = "Cette adresse dépasse 4096 caractères : le registre ne la lit pas."


def address(path: str, length: int) -> str:
    """`path` with a search `?q=aaa...` making the address `length` characters long."""
    return f"{path}?q={'a' * (length - len(path) - 3)}"


# --- in-process -----------------------------------------------------------------------------


def test_an_api_address_one_character_too_long_is_a_json_414(referent_api):
    response = referent_api.get(address("/api/v1/complaints", MAX_ADDRESS + 1))

    assert response.status_code == 414
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": API_DETAIL.format(length=MAX_ADDRESS + 1)}


def test_an_api_address_of_the_longest_length_is_read(referent_api):
    response = referent_api.get(address("/api/v1/complaints", MAX_ADDRESS))

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_a_long_address_is_refused_before_the_token_is_read(db):
    response = Client().get(address("/api/v1/complaints", 5000))

    assert response.status_code == 414
    assert response.json() == {"detail": API_DETAIL.format(length=5000)}


def test_a_page_address_too_long_is_a_french_page_showing_who_is_logged_in(referent_client):
    response = referent_client.get(address("/", MAX_ADDRESS + 1))

    page = response.content.decode()
    assert response.status_code == 414
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Adresse trop longue</h1>" in page
    assert PAGE_TEXT in page
    assert "Referente" in page
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_the_path_counts_as_well_as_the_query(db):
    response = Client().get("/api/v1/" + "x" * MAX_ADDRESS)

    assert response.status_code == 414
    assert response.json() == {"detail": API_DETAIL.format(length=len("/api/v1/") + MAX_ADDRESS)}


# --- through gunicorn -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[int]:
    """`reclamations serve` on its own SQLite register, without the embedded worker: its port."""
    port = free_port()
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        RECLAMATIONS_DATA_DIR=str(tmp_path_factory.mktemp("served")),
        RECLAMATIONS_EMBEDDED_WORKER="false",
        WEB_CONCURRENCY="1",
    )
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [str(CONSOLE_SCRIPT), "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while server.poll() is None and time.monotonic() < deadline:
            try:
                _get(port, "/api/v1/openapi.json")
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"reclamations serve did not answer (exit code {server.poll()})")
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _get(port: int, target: str) -> tuple[int, str, str]:
    """Status, content type and body of GET `target`, sent as it is written."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


@pytest.mark.own_sqlite_register
def test_gunicorn_lets_a_long_api_address_through_to_the_json_414(served):
    status, content_type, body = _get(served, address("/api/v1/complaints", 6000))

    assert (status, content_type) == (414, "application/json; charset=utf-8")
    assert json.loads(body) == {"detail": API_DETAIL.format(length=6000)}


@pytest.mark.own_sqlite_register
def test_gunicorn_lets_a_long_page_address_through_to_the_french_page(served):
    status, content_type, body = _get(served, address("/", 6000))

    assert (status, content_type) == (414, "text/html; charset=utf-8")
    assert PAGE_TEXT in body


@pytest.mark.own_sqlite_register
def test_gunicorn_reads_an_api_address_of_the_longest_length(served):
    status, _content_type, body = _get(served, address("/api/v1/complaints", MAX_ADDRESS))

    assert (status, json.loads(body)) == (401, {"detail": "Jeton d'API absent ou invalide."})


@pytest.mark.own_sqlite_register
def test_beyond_gunicorns_own_maximum_gunicorn_answers_itself(served):
    # The limit decision 0025 leaves to gunicorn (and to a reverse proxy's, often 8 KB too).
    line = len("GET  HTTP/1.1")
    status, content_type, body = _get(
        served, address("/api/v1/complaints", GUNICORN_MAX_REQUEST_LINE - line + 1)
    )

    assert (status, content_type) == (414, "text/html")
    assert "URI Too Long" in body
