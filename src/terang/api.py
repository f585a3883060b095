"""The JSON API root (/api/v1). Each app registers its router; domain errors map to one shape:
{"error": {"code", "message", "details"}}.

Authentication is per endpoint (see `terang.core.api_auth`): the Django session, CSRF on unsafe
methods, and staff only after two-factor verification."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from terang.aspirations.api import router as aspirations_router
from terang.budget.api import router as budget_router
from terang.controlroom.api import air_router, alerts_router, sensors_router, wall_router
from terang.core.errors import DomainError
from terang.core.outage import unavailable_json
from terang.emergencies.api import router as emergencies_router
from terang.fleet.api import router as fleet_router
from terang.markets.api import router as markets_router
from terang.ppid.api import router as ppid_router

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger("terang.api")

api = NinjaAPI(
    title="Terang API",
    version="1",
    description="API publik dan staf Terang. Semua galat berbentuk "
    '`{"error": {"code", "message", "details"}}`.',
    urls_namespace="api",
)
api.add_router("", aspirations_router)
api.add_router("/sensors", sensors_router)
api.add_router("/wall", wall_router)
api.add_router("/air", air_router)
api.add_router("/alerts", alerts_router)
api.add_router("/emergencies", emergencies_router)
api.add_router("/fleet", fleet_router)
api.add_router("/markets", markets_router)
api.add_router("/budget", budget_router)
api.add_router("/ppid", ppid_router)


def error_response(
    request: HttpRequest, *, status: int, code: str, message: StrOrPromise, details: object = None
) -> HttpResponse:
    return api.create_response(
        request,
        {"error": {"code": code, "message": str(message), "details": details or {}}},
        status=status,
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = error_response(
        request, status=exc.status, code=exc.code, message=str(exc.message), details=exc.details
    )
    retry_after = exc.details.get("retry_after_seconds")
    if exc.status == 429 and retry_after:
        response["Retry-After"] = str(int(retry_after))
    return response


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(
        request,
        status=422,
        code="validation_error",
        message=_("Data yang dikirim tidak valid."),
        details={"errors": exc.errors},
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, status=401, code="not_authenticated", message=_("Autentikasi diperlukan.")
    )


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFilesSent)
def on_payload_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(
        request, status=413, code="payload_too_large", message=_("Data yang dikirim terlalu besar.")
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(
        request, status=exc.status_code, code=f"http_{exc.status_code}", message=str(exc)
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database cannot be reached or timed out: 503 with Retry-After, not a 500."""
    return unavailable_json(exc)


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("unhandled API error")
    return error_response(
        request, status=500, code="server_error", message=_("Terjadi kesalahan pada server.")
    )
