"""A database that cannot be reached or times out answers 503 with Retry-After, quickly and
clearly (HTML for pages, the API's JSON error shape for /api/ and /open311/), instead of a 500
or a request that hangs; the outage is logged once a minute (core.degrade), not per request.

The settings bound how long it takes to find out: connect_timeout and statement_timeout."""

from __future__ import annotations

from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .degrade import circuit

DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
JSON_PREFIXES = ("/api/", "/open311/")


def _database_back(sender: object, **kwargs: object) -> None:
    # A new connection succeeded: log the recovery once, if an outage was logged.
    circuit("database").succeeded()


connection_created.connect(_database_back, dispatch_uid="terang.core.outage.database_back")


def unavailable_json(exc: BaseException) -> JsonResponse:
    circuit("database").failed(exc)
    response = JsonResponse(
        {
            "error": {
                "code": "service_unavailable",
                "message": _("Layanan sedang tidak tersedia. Coba lagi sebentar lagi."),
                "details": {"retry_after": RETRY_AFTER_SECONDS},
            }
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    if request.path.startswith(JSON_PREFIXES) or "json" in request.headers.get("Accept", ""):
        return unavailable_json(exc)
    circuit("database").failed(exc)
    # Rendered without the request: context processors would query the database again.
    html = render_to_string("core/service_unavailable.html")
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Place after the authentication (and OTP) middleware: the signed-in user is loaded from
    the database here, so an outage met while loading it is answered here too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        try:
            getattr(user, "is_authenticated", False)
        except DATABASE_ERRORS as exc:
            return unavailable_response(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, DATABASE_ERRORS):
            return unavailable_response(request, exc)
        return None
