"""Refusals logged as one line each, with the account and the reason, and no traceback.

Django logs every answer from 400 to 499 on `django.request` as a warning, a refused
permission with the whole traceback of the PermissionDenied, a refused form as a bare
"Bad Request": an administrator reading the log takes them for crashes. A refusal is the
application doing its job; tracebacks are kept for real errors (500s, on `django.request` as
errors, untouched here). This module imports no settings: logging is configured before apps."""

from __future__ import annotations

import logging
from http import HTTPStatus

# The reasons read when the answer says nothing more (French: the log is the operator's, like
# the commands' messages).
_USUAL_REASONS = {
    400: "demande invalide",
    401: "authentification requise",
    403: "accès refusé",
    404: "introuvable (ou d'un autre organisme)",
    405: "méthode non permise",
    413: "envoi trop volumineux",
    429: "trop de tentatives",
}
_REASON_MAX = 200


def _account(request: object) -> str:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonyme"
    return str(getattr(user, "username", "") or "?")


def _reason(record: logging.LogRecord, request: object, status: int) -> str:
    refused_fields = getattr(request, "refused_fields", None)
    if refused_fields:
        return "formulaire refusé, champs en erreur : " + ", ".join(refused_fields)
    if record.exc_info and record.exc_info[1] is not None:
        text = " ".join(str(record.exc_info[1]).split())
        if text and status != 404:  # a 404's own text may name what was looked for
            return text[:_REASON_MAX]
    if status in _USUAL_REASONS:
        return _USUAL_REASONS[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status no standard names
        return ""


class OneLineRefusals(logging.Filter):
    """Rewrites a 4xx record of `django.request` (or `django.security.*`) into
    "Refus 403 GET /chemin (compte alice) : raison", without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        request = getattr(record, "request", None)
        method = getattr(request, "method", "") or ""
        path = getattr(request, "path", "") or ""
        record.msg = "Refus %s %s %s (compte %s) : %s"
        record.args = (status, method, path, _account(request), _reason(record, request, status))
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
