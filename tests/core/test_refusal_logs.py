"""A refusal is one line of the log, with the account and the reason, never a traceback:
an administrator reading the log must not take the application doing its job for a crash."""

import logging
import sys
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied

from reclamations.core.refusal_logs import OneLineRefusals


def _request(username: str | None = "alice", **attributes: object) -> SimpleNamespace:
    user = SimpleNamespace(is_authenticated=username is not None, username=username)
    return SimpleNamespace(method="POST", path="/reclamations/12/", user=user, **attributes)


def _record(status: int, request: object, exc_info=None, level=logging.WARNING):
    record = logging.LogRecord(
        "django.request", level, __file__, 1, "%s: %s", ("Bad Request", "/x/"), exc_info
    )
    record.status_code = status
    record.request = request
    return record


def _refused_permission():
    try:
        raise PermissionDenied("Seuls les responsables de l'organisme gèrent ses comptes.")
    except PermissionDenied:
        return sys.exc_info()


def test_a_refused_form_names_the_account_and_the_fields_in_error_not_what_was_typed():
    record = _record(400, _request(refused_fields=["old_password", "new_password2"]))

    assert OneLineRefusals().filter(record)

    assert record.getMessage() == (
        "Refus 400 POST /reclamations/12/ (compte alice) : formulaire refusé, champs en erreur : "
        "old_password, new_password2"
    )


def test_a_refused_permission_keeps_its_reason_and_loses_its_traceback():
    record = _record(403, _request(), exc_info=_refused_permission())

    OneLineRefusals().filter(record)

    assert record.exc_info is None
    assert record.getMessage() == (
        "Refus 403 POST /reclamations/12/ (compte alice) : Seuls les responsables de l'organisme "
        "gèrent ses comptes."
    )
    assert "Traceback" not in logging.Formatter().format(record)


def test_an_anonymous_visitor_and_a_usual_status_get_the_usual_reason():
    record = _record(404, _request(username=None))

    OneLineRefusals().filter(record)

    assert record.getMessage() == (
        "Refus 404 POST /reclamations/12/ (compte anonyme) : introuvable (ou d'un autre organisme)"
    )


def test_a_real_error_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = _record(500, _request(), exc_info=exc_info, level=logging.ERROR)

    OneLineRefusals().filter(record)

    assert record.exc_info is exc_info
    assert record.getMessage() == "Bad Request: /x/"


def test_a_status_no_standard_names_still_gives_a_line():
    record = _record(499, _request())

    OneLineRefusals().filter(record)

    assert record.getMessage().startswith("Refus 499 POST /reclamations/12/ (compte alice) : ")
