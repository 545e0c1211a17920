"""Every error of the API as JSON with a French message that says what to do.

400 {"detail", "errors": {field: [messages]}}, 401, 403, 404, 405, 409 and 500 {"detail"}.
"""

import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import BadRequest, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.main import ExcHandler

from reclamations.api.auth import AccessDenied
from reclamations.complaints.models import Complaint
from reclamations.complaints.workflow import WorkflowError
from reclamations.core.security import SecurityEvent, security_record

logger = logging.getLogger(__name__)

INVALID_DATA = "Données invalides : corrigez les champs indiqués dans « errors »."
MISSING_OR_INVALID_CREDENTIALS = "Jeton d'API absent ou invalide."
COMPLAINT_NOT_FOUND = "Réclamation introuvable."
RESOURCE_NOT_FOUND = (
    "Adresse inconnue de l'API : vérifiez le chemin (la liste des chemins est dans "
    "/api/v1/openapi.json)."
)
METHOD_NOT_ALLOWED = "Méthode {method} non acceptée ici. Méthodes acceptées : {allowed}."
UNREADABLE_BODY = (
    "Corps de la requête illisible : envoyez un objet JSON valide "
    "(en-tête Content-Type: application/json)."
)
SERVER_ERROR = (
    "Erreur interne du serveur. Avant de renvoyer une écriture, vérifiez dans le registre "
    "si elle a été enregistrée ; si l'erreur persiste, signalez-la à l'administrateur."
)
GENERAL = "__all__"

DATE_FORMAT = "Date invalide : utilisez le format AAAA-MM-JJ, par exemple 2025-03-14."
DATETIME_FORMAT = (
    "Date et heure invalides : utilisez le format ISO 8601 avec le fuseau horaire, "
    "par exemple 2025-03-14T09:30:00+01:00."
)
# Pydantic error types -> French; "{name}" is filled from the error's context.
SCHEMA_MESSAGES: dict[str, str] = {
    "missing": "Ce champ est obligatoire.",
    "string_type": "Texte attendu.",
    "string_too_long": "{max_length} caractères au plus.",
    "int_type": "Nombre entier attendu.",
    "int_parsing": "Nombre entier attendu.",
    "int_from_float": "Nombre entier attendu.",
    "bool_type": "Valeur attendue : true ou false.",
    "bool_parsing": "Valeur attendue : true ou false.",
    "greater_than_equal": "La valeur doit être au moins {ge}.",
    "less_than_equal": "La valeur doit être au plus {le}.",
    "date_type": DATE_FORMAT,
    "date_parsing": DATE_FORMAT,
    "date_from_datetime_parsing": DATE_FORMAT,
    "date_from_datetime_inexact": DATE_FORMAT,
    "datetime_type": DATETIME_FORMAT,
    "datetime_parsing": DATETIME_FORMAT,
    "datetime_from_date_parsing": DATETIME_FORMAT,
    "datetime_object_invalid": DATETIME_FORMAT,
    "timezone_aware": (
        "Précisez le fuseau horaire, par exemple 2025-03-14T09:30:00+01:00 ou 2025-03-14T08:30:00Z."
    ),
    "extra_forbidden": (
        "Champ inconnu : vérifiez son nom (les champs admis sont décrits dans "
        "/api/v1/openapi.json)."
    ),
    "dict_type": "Objet JSON attendu.",
    "model_type": "Objet JSON attendu.",
    "model_attributes_type": "Objet JSON attendu.",
}
UNKNOWN_VALUE = "Valeur inconnue. Valeurs admises : {values}."
INVALID_VALUE = "Valeur invalide."
BODY_MISSING = "Corps de la requête vide : envoyez un objet JSON."
TOO_BIG = (
    "Requête trop volumineuse : raccourcissez les textes, ou envoyez le fichier en "
    "multipart/form-data (champ « document »)."
)


def _writable(value: Any) -> Any:
    """`value` with any half of a UTF-16 pair written as its escape: a message may quote what
    the caller sent, and a lone surrogate cannot be encoded in the UTF-8 answer."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_writable(key): _writable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_writable(item) for item in value]
    return value


def error_response(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse(
        _writable({"detail": detail, **extra}),
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def validation_response(errors: dict[str, list[str]]) -> JsonResponse:
    general = errors.get(GENERAL)
    return error_response(400, " ".join(general) if general else INVALID_DATA, errors=errors)


def _field_of(loc: tuple[int | str, ...], source: str) -> str:
    """`("body", "payload", "received_at")` -> "received_at"; the body itself -> "__all__"."""
    path = list(loc[1:])
    if source == "body" and path:
        path = path[1:]  # the name of the view's parameter, which callers never see
    return ".".join(str(part) for part in path) or GENERAL


def _schema_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        values = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        return UNKNOWN_VALUE.format(values=", ".join(values))
    template = SCHEMA_MESSAGES.get(kind)
    if template is None:
        return INVALID_VALUE
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return INVALID_VALUE


def schema_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Ninja's (pydantic's) errors as field -> French messages."""
    result: dict[str, list[str]] = {}
    for error in errors:
        loc = tuple(error.get("loc", ()))
        source = str(loc[0]) if loc else "body"
        field = _field_of(loc, source)
        if field == GENERAL and source == "body" and error.get("type") == "missing":
            message = BODY_MISSING
        else:
            message = _schema_message(error)
        messages = result.setdefault(field, [])
        if message not in messages:
            messages.append(message)
    return result


def _on_schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    return validation_response(schema_errors(exc.errors))


def _on_domain_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {GENERAL: exc.messages}
    return validation_response({field: list(messages) for field, messages in errors.items()})


def _on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(401, MISSING_OR_INVALID_CREDENTIALS)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _on_access_denied(request: HttpRequest, exc: AccessDenied) -> HttpResponse:
    security_record(
        SecurityEvent.PERMISSION_REFUSED, user=exc.user, request=request, detail=exc.message
    )
    response = error_response(403, exc.message)
    # The record's log line says it; Django's "Forbidden" line would say it twice.
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own mark
    return response


def _on_complaint_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, COMPLAINT_NOT_FOUND)


class NotFound(Http404):
    """Something the caller named is not in their register: said in French, as raised."""


def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, str(exc) if isinstance(exc, NotFound) else RESOURCE_NOT_FOUND)


def _on_workflow(request: HttpRequest, exc: WorkflowError) -> HttpResponse:
    return error_response(409, str(exc))


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises this, with an English message, when the body is not JSON.
    if exc.status_code == 400:
        return validation_response({GENERAL: [UNREADABLE_BODY]})
    return error_response(exc.status_code, str(exc))


def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413, TOO_BIG)


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API %s %s failed", request.method, request.path)
    return error_response(500, SERVER_ERROR)


E = TypeVar("E", bound=Exception)
View = Callable[..., HttpResponse]


def _handle(
    api: NinjaAPI, exc_class: type[E], handler: Callable[[HttpRequest, E], HttpResponse]
) -> None:
    # Ninja types a handler as taking the exception or its class, but always calls it with the
    # exception raised (NinjaAPI.on_exception): a handler of the exception is what it needs.
    api.add_exception_handler(exc_class, cast("ExcHandler[E]", handler))


def install_handlers(api: NinjaAPI) -> None:
    """Replace ninja's handlers (English, 422) with ours; the most specific class wins."""
    _handle(api, SchemaValidationError, _on_schema_error)
    _handle(api, DjangoValidationError, _on_domain_validation)
    _handle(api, AuthenticationError, _on_authentication)
    _handle(api, AccessDenied, _on_access_denied)
    _handle(api, Complaint.DoesNotExist, _on_complaint_not_found)
    _handle(api, Http404, _on_not_found)
    _handle(api, WorkflowError, _on_workflow)
    _handle(api, HttpError, _on_http_error)
    _handle(api, RequestDataTooBig, _on_too_big)
    _handle(api, Exception, _on_unexpected)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any path under /api/v1/ that is not an endpoint (Django would answer in HTML)."""
    return error_response(404, RESOURCE_NOT_FOUND)


API_PREFIX = "/api/"
BAD_REQUEST = (
    "Requête invalide (en-tête, adresse ou corps mal formé) : vérifiez-la avant de la renvoyer."
)


def _said(exception: Exception | None, default: str) -> str:
    """The French message raised by our middleware (web.middleware.NulInUrlMiddleware, a 404
    or a BadRequest), else `default`: Django's own reasons (a SuspiciousOperation) are English
    and technical, and are logged by Django."""
    ours = isinstance(exception, Http404 | BadRequest) and not isinstance(exception, Resolver404)
    return str(exception.args[0]) if ours and exception is not None and exception.args else default


def answering_json_on_the_api(page: View, status: int, default: str) -> View:
    """Django's handler for `status` (config.urls), answering JSON under /api/: an error that
    Django raises before the API's own handlers run (a Host it does not serve, too many fields,
    a NUL in the address) is said like every other error of the API."""

    @wraps(page)
    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return page(request) if status == 500 else page(request, exception)
        detail = _said(exception, default)
        if status != 400:
            return error_response(status, detail)
        # Like every 400 of the API: the parameter at fault (the raiser's second argument).
        named = exception is not None and len(exception.args) > 1 and detail != default
        field = str(exception.args[1]) if named and exception is not None else GENERAL
        return error_response(status, detail, errors={field: [detail]})

    return handler


def json_method_not_allowed(view: View) -> View:
    """Ninja answers a wrong method with a plain-text 405; keep the status, say it in JSON."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        # Ninja builds the list from a set: sort it so that the answer is stable.
        allowed = ", ".join(sorted(m.strip() for m in response.get("Allow", "").split(",")))
        message = METHOD_NOT_ALLOWED.format(method=request.method, allowed=allowed)
        replacement = error_response(405, message)
        replacement["Allow"] = allowed
        return replacement

    return wrapper
