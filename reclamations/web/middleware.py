import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# Everything is served from our own origin: no CDN, no inline script, no remote image.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# An origin as a policy may name it: nothing that could end the directive or add another.
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def let_forms_lead_to(response: HttpResponse, *addresses: str) -> HttpResponse:
    """Let the page's forms lead to these addresses' origins as well as its own: browsers
    apply form-action to the redirects that follow a form's submission too (the mailbox's
    consent button posts here, then is sent to the provider's sign-in page). An address whose
    origin cannot be written safely in the policy is left out."""
    origins = []
    for address in addresses:
        parts = urlsplit(address)
        origin = f"{parts.scheme}://{parts.netloc}"
        if _ORIGIN.fullmatch(origin) and origin not in origins:
            origins.append(origin)
    if origins:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", "form-action 'self' " + " ".join(origins)
        )
    return response


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class NoStoreMiddleware:
    """Every answer of the application is someone's register, file or link: no browser, proxy
    or shared computer keeps a copy (Cache-Control: no-store, private), error pages and
    redirects included (it wraps every other middleware but whitenoise, which answers static
    files before it with their own long-lived headers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


NUL_IN_PATH = "Adresse invalide : elle contient un caractère nul (%00)."
NUL_IN_QUERY = (
    "Paramètre « {name} » invalide : il contient un caractère nul (%00) ; retirez-le de l'adresse."
)


# The API reads its query parameters without a form; the pages read theirs through forms,
# which refuse a NUL next to the field and still show the page.
API_PREFIX = "/api/"


class NulInUrlMiddleware:
    """A NUL (%00) in the address never names a page or a filter, and PostgreSQL refuses it in
    any text it is asked to compare: a path holding one answers 404, an API parameter 400, the
    same on both databases, before any view reads them (config.urls renders them, in JSON for
    the API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise Http404(NUL_IN_PATH)
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                shown = name.replace("\x00", "")
                raise BadRequest(NUL_IN_QUERY.format(name=shown), shown)
        return self.get_response(request)
