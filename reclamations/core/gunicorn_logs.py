"""gunicorn's own lines as JSON lines (`reclamations serve` with RECLAMATIONS_LOG_FORMAT=json):
its start, workers and errors, and one access line per request with the method, the path
without its query string, the status, the duration and the request's id, which the
application's lines inside that request carry too (core/logs.py)."""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.glogging import Logger

from reclamations.core.logs import REQUEST_ID_HEADER, JsonLinesFormatter


class JsonLogger(Logger):  # type: ignore[misc]  # gunicorn has no type hints
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonLinesFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = getattr(resp, "status_code", None) or str(resp.status).split(" ", 1)[0]
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO", "")
        fields = {
            "method": method,
            "path": path,
            "status_code": int(status),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
        }
        request_id = environ.get(REQUEST_ID_HEADER)
        if request_id:
            fields["request_id"] = request_id
        self.access_log.log(logging.INFO, "%s %s %s", method, path, status, extra=fields)
