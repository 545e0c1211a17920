"""Logs as JSON lines (RECLAMATIONS_LOG_FORMAT=json): one object per line, for a log collector.

Each line has the time (UTC, ISO 8601), the level, the logger and the message as the text log
writes it, plus, inside a request, its id, method and path (no query string), and the status
where the line knows one. Nothing more is taken from a record than those fields, so a line
carries no more personal data than the text log does. This module imports no settings: gunicorn
loads it before Django (core/gunicorn_logs.py)."""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    method: str
    path: str


_CURRENT: ContextVar[RequestContext | None] = ContextVar("reclamations_request", default=None)

# What a proxy's X-Request-ID may be to be taken as is (nginx's $request_id: 32 hex digits);
# anything else is replaced, so that a client cannot write what it likes into the log.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"


def request_id_of(meta: dict[str, object]) -> str:
    given = meta.get(REQUEST_ID_HEADER)
    if isinstance(given, str) and _REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def _forget_request(**kwargs: object) -> None:
    _CURRENT.set(None)


class RequestContextMiddleware:
    """Names the request in every line logged while it is served, and answers its id
    (X-Request-ID), the proxy's own when it sent one.

    The request stays named until Django's request_finished (the response closed): Django logs
    an error answer, and gunicorn its access line, after every middleware returned."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        request_finished.connect(_forget_request, dispatch_uid="reclamations.core.logs")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request.META)
        # The WSGI server's access line (gunicorn_logs) reads the same id from the environ.
        request.META[REQUEST_ID_HEADER] = request_id
        _CURRENT.set(RequestContext(request_id, request.method or "", request.path))
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


# Fields a record may carry (gunicorn's access line, Django's request errors) that the line
# keeps, under these names.
_RECORD_FIELDS = {
    "status_code": "status",
    "request_id": "request_id",
    "method": "method",
    "path": "path",
    "duration_ms": "duration_ms",
}


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line; a traceback stays inside its line ("exception")."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        context = _CURRENT.get()
        if context is not None:
            line.update(request_id=context.request_id, method=context.method, path=context.path)
        for attribute, name in _RECORD_FIELDS.items():
            value = record.__dict__.get(attribute)
            if isinstance(value, str | int | float):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
