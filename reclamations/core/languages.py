"""Which language a page speaks.

- The client's pages (`/suivi/`, and Django's `/i18n/` switch) follow the browser, or the
  client's choice kept in Django's language cookie (LocaleMiddleware decides).
- The staff pages speak the logged-in user's language (`User.language`). Before logging in
  (the login, its steps, the forgotten password) they speak French, unless the language cookie
  asks for another: the cookie is set to the user's language at each of their pages, so that an
  English-speaking user finds the login in English when they come back. The browser's
  Accept-Language alone does not switch them: French staff often run browsers set to English.
- The API stays in French (its messages are part of its contract), and so does anything that
  runs outside a request (the worker, the commands): Django's default language is French.
"""

from collections.abc import Callable, Iterator
from datetime import date
from functools import wraps
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from reclamations.core import english, french
from reclamations.core.calendar import CalendarKind
from reclamations.core.calendar import working_days_text as french_working_days
from reclamations.core.calendar import working_days_unit as french_working_days_unit

Params = ParamSpec("Params")
Result = TypeVar("Result")

FRENCH = "fr"
ENGLISH = "en"
# Each language named in itself, as a language switch does: the user who needs it reads it.
STAFF_LANGUAGES = [(FRENCH, "Français"), (ENGLISH, "English")]
STAFF_LANGUAGE_CODES = frozenset(code for code, _name in STAFF_LANGUAGES)


def in_french(function: Callable[Params, Result]) -> Callable[Params, Result]:
    """Runs `function` in French: the organisation's files (exports, PDFs, the audit pack) are
    its records, written in French whatever the language of the page that asks for them."""

    @wraps(function)
    def wrapper(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        with translation.override(FRENCH):
            return function(*args, **kwargs)

    return wrapper


def active_language() -> str:
    """The product's language active now (French outside any override)."""
    return language_of(translation.get_language() or FRENCH)


def long_date(day: date | None, language: str | None = None) -> str:
    """ "samedi 14 novembre 2026", or "Saturday 14 November 2026" for an English reader: in
    `language`, else the active one. For e-mails (a page formats dates with its own filters)."""
    if (language or active_language()) == ENGLISH:
        return english.long_date(day)
    return french.long_date(day)


def working_days(days: int, calendar_kind: str, language: str | None = None) -> str:
    """ "10 jours ouvrables", or "10 working days (Monday to Saturday)" for an English reader:
    in `language`, else the active one."""
    if (language or active_language()) == ENGLISH:
        return english.working_days_text(days, saturdays=calendar_kind == CalendarKind.OUVRABLES)
    return french_working_days(days, calendar_kind)


def working_days_unit(calendar_kind: str, language: str | None = None) -> str:
    """ "jours ouvrables", or "working days (Monday to Saturday)" for an English reader: in
    `language`, else the active one."""
    if (language or active_language()) == ENGLISH:
        return english.working_days_unit(saturdays=calendar_kind == CalendarKind.OUVRABLES)
    return french_working_days_unit(calendar_kind)


def month_name(month: int, language: str | None = None) -> str:
    """ "mars", or "March" for an English reader (month from 1): in `language`, else the
    active one."""
    names = english.MONTHS if (language or active_language()) == ENGLISH else french.MONTHS
    return names[month - 1]


def grouped(number: int, language: str | None = None) -> str:
    """ "1 500" (a no-break space between thousands), or "1,500" for an English reader: in
    `language`, else the active one."""
    text = f"{number:,}"
    if (language or active_language()) == ENGLISH:
        return text
    return text.replace(",", "\N{NO-BREAK SPACE}")


def language_of(tags: str) -> str:
    """The product's language a language tag names ("en-GB" -> "en"), or the first of a list
    such as a Content-Language header ("en, fr"); French for anything else or nothing."""
    first = tags.split(",", 1)[0].strip().lower()
    primary = first.split("-", 1)[0].split("_", 1)[0]
    return primary if primary in STAFF_LANGUAGE_CODES else FRENCH


def french_lines(lines: Iterator[str]) -> Iterator[str]:
    """The lines of a streamed file, each written in French (see in_french)."""
    with translation.override(FRENCH):
        yield from lines


def client_language_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "CLIENT_LANGUAGE_PATHS", ("/suivi/", "/i18n/")))


def french_only_paths() -> tuple[str, ...]:
    return ("/api/",)


def staff_language(request: HttpRequest) -> str:
    """The language of a staff page for this request: the user's, else the cookie's, else
    French."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language = getattr(user, "language", FRENCH)
        return language if language in STAFF_LANGUAGE_CODES else FRENCH
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return cookie if cookie in STAFF_LANGUAGE_CODES else FRENCH


def remember_language(response: HttpResponse, language: str) -> None:
    """Keep `language` in Django's language cookie (the login page and the portal read it)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class StaffLanguage:
    """After LocaleMiddleware and AuthenticationMiddleware: the staff pages in the user's
    language, the API in French, the client's pages as LocaleMiddleware chose."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(client_language_paths()):
            return self.get_response(request)
        api = path.startswith(french_only_paths())
        language = FRENCH if api else staff_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not api
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
            remember_language(response, language)
        return response
