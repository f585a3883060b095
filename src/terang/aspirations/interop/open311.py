"""Open311 GeoReport v2 at /open311/v2/: the standard that existing 311 apps and aggregators
speak. Thin adapter: parse the request, call one service or selector, render XML or JSON.

Visibility: lists show public items only (selectors.public_aspirations) with masked text; an
item asked for by its id (its tracking code) shows its status even before verification, as the
tracking page does; confidential items never appear in any Open311 response.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from terang.core.errors import DomainError, NotFound, PermissionDenied, RateLimited
from terang.core.models import CityProfile
from terang.core.ratelimit import RateLimitAction, enforce
from terang.core.selectors import get_city

from ..choices import Channel, Kind, Privacy
from ..models import Aspiration
from ..selectors import get_by_tracking_code, is_public, public_aspirations
from ..services import Location, Once, Submission, submit_aspiration_once
from ..services.open311_clients import authenticate_open311_key
from . import open311_records as records
from .open311_format import FORMATS, render, render_error
from .open311_params import BadParameter, coordinate, param, parse_request_query

MAX_DESCRIPTION = 4000
TITLE_WORDS = 8
View = Callable[..., HttpResponse]
# Service-side field names in validation errors, told to the client by its own parameter names.
OPEN311_FIELD_NAMES = {"text": "description", "title": "description", "category": "service_code"}


def _request_data(request: HttpRequest) -> list[QueryDict]:
    """Where a parameter may come from: the form body (POST) first, then the query string."""
    return [request.POST, request.GET] if request.method == "POST" else [request.GET]


def _field(request: HttpRequest, name: str) -> str:
    for data in _request_data(request):
        value = param(data, name)
        if value:
            return value
    return ""


def _domain_error(fmt: str, exc: DomainError) -> HttpResponse:
    if isinstance(exc, RateLimited):
        response = render_error(fmt, 429, str(exc.message))
        response["Retry-After"] = str(exc.details.get("retry_after_seconds", 60))
        return response
    status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 400
    description = str(exc.message)
    fields = exc.details.get("fields")
    if isinstance(fields, dict) and fields:
        description += " " + "; ".join(
            f"{OPEN311_FIELD_NAMES.get(name, name)}: {message}" for name, message in fields.items()
        )
    return render_error(fmt, status, description)


def open311_endpoint(*methods: str) -> Callable[[View], View]:
    """Common handling of every endpoint: format, method, jurisdiction, errors, no CSRF."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            fmt = fmt.lower()
            if fmt not in FORMATS:
                return render_error(None, 404, _("Format tidak dikenal: gunakan xml atau json."))
            if request.method not in allowed:
                response = render_error(fmt, 405, _("Metode HTTP tidak didukung."))
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            city = get_city()
            jurisdiction = _field(request, "jurisdiction_id")
            if jurisdiction and (city is None or jurisdiction != city.slug):
                return render_error(fmt, 404, _("jurisdiction_id tidak dikenal."))
            try:
                return view(request, fmt, city=city, **kwargs)
            except BadParameter as exc:
                return render_error(fmt, 400, str(exc))
            except DomainError as exc:
                return _domain_error(fmt, exc)

        return csrf_exempt(wrapper)

    return decorate


@open311_endpoint("GET")
def discovery(request: HttpRequest, fmt: str, *, city: CityProfile | None) -> HttpResponse:
    tz = records.city_timezone(city)
    return render(fmt, "discovery", records.discovery(city, request=request, tz=tz))


@open311_endpoint("GET")
def service_list(request: HttpRequest, fmt: str, *, city: CityProfile | None) -> HttpResponse:
    services = [records.service_record(c) for c in records.active_categories()]
    return render(fmt, "services", services)


@open311_endpoint("GET")
def service_definition(
    request: HttpRequest, fmt: str, *, city: CityProfile | None, service_code: str
) -> HttpResponse:
    category = records.active_categories().filter(code=service_code).first()
    if category is None:
        return render_error(fmt, 404, _("service_code tidak dikenal."))
    return render(fmt, "service_definition", records.service_definition(category))


@open311_endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str, *, city: CityProfile | None) -> HttpResponse:
    if request.method == "POST":
        return _post_service_request(request, fmt, city)
    tz = records.city_timezone(city)
    query = parse_request_query(request.GET, tz, timezone.now())
    items = public_aspirations()
    if query.ids:
        items = items.filter(code__in=query.ids)
    else:
        items = items.filter(created_at__gte=query.start, created_at__lte=query.end)
        if query.service_codes:
            items = items.filter(category__code__in=query.service_codes)
        if query.statuses:
            items = items.filter(status__in=records.statuses_for(query.statuses))
    offset = (query.page - 1) * query.page_size
    page = records.with_report_photos(
        items.select_related("category", "agency").order_by("-created_at", "-id")
    )[offset : offset + query.page_size]
    body = [records.request_record(item, tz=tz, request=request) for item in page]
    return render(fmt, "service_requests", body)


@open311_endpoint("GET")
def service_request(
    request: HttpRequest, fmt: str, *, city: CityProfile | None, service_request_id: str
) -> HttpResponse:
    enforce(request, RateLimitAction.TRACKING_LOOKUP)
    tz = records.city_timezone(city)
    aspiration = get_by_tracking_code(service_request_id)
    if aspiration.privacy == Privacy.CONFIDENTIAL:
        raise NotFound()
    if is_public(aspiration):
        record = records.request_record(aspiration, tz=tz, request=request)
    else:
        record = records.tracking_record(aspiration, tz=tz)
    return render(fmt, "service_requests", [record])


@open311_endpoint("GET")
def request_id_from_token(
    request: HttpRequest, fmt: str, *, city: CityProfile | None, token: str
) -> HttpResponse:
    """We are realtime: a token always maps to its id at once."""
    code = (
        Aspiration.objects.filter(open311_token=token)
        .exclude(privacy=Privacy.CONFIDENTIAL)
        .values_list("code", flat=True)
        .first()
    )
    if code is None:
        return render_error(fmt, 404, _("Token tidak dikenal."))
    return render(fmt, "service_requests", [{"service_request_id": code, "token": token}])


def _title(service_name: str, description: str) -> str:
    words = description.split()
    title = service_name
    if words:
        title = f"{service_name}: {' '.join(words[:TITLE_WORDS])}"
        if len(words) > TITLE_WORDS:
            title += "…"
    if len(title) < 5:
        title = _("Laporan %(service)s") % {"service": service_name}
    return title[:200]


def _service_notice(category: Any) -> str:
    if category.is_emergency:
        return _("Laporan darurat diterima; ditangani dalam %(minutes)d menit.") % {
            "minutes": category.emergency_response_minutes
        }
    return _("Laporan diterima; diverifikasi dalam %(days)d hari kerja.") % {
        "days": category.verify_working_days
    }


def _post_service_request(request: HttpRequest, fmt: str, city: CityProfile | None) -> HttpResponse:
    """Create from the form-encoded fields; `media_url` is not fetched (no server-side fetch
    of client-given URLs) and `attribute[...]` is ignored: no service defines attributes."""
    client = authenticate_open311_key(_field(request, "api_key"))
    if client is None:
        return render_error(fmt, 403, _("api_key tidak ada atau tidak valid."))
    # An aggregator files for many citizens from one server: its key is the account.
    enforce(request, RateLimitAction.OPEN311_SUBMIT, account=f"open311-client:{client.pk}")
    service_code = _field(request, "service_code")
    if not service_code:
        raise BadParameter(_("service_code wajib diisi."))
    category = (
        records.active_categories().select_related("agency").filter(code=service_code).first()
    )
    if category is None:
        raise BadParameter(_("service_code tidak dikenal."))
    lat = coordinate("lat", _field(request, "lat"))
    lon = coordinate("long", _field(request, "long"))
    address = _field(request, "address_string")
    if (lat is None) != (lon is None):
        raise BadParameter(_("lat dan long harus dikirim bersama."))
    if lat is None and not address:
        raise BadParameter(_("Lokasi wajib: kirim lat dan long, atau address_string."))
    description = _field(request, "description")
    if len(description) > MAX_DESCRIPTION:
        raise BadParameter(_("description paling banyak 4000 karakter."))
    name = " ".join(filter(None, [_field(request, "first_name"), _field(request, "last_name")]))
    submission = Submission(
        title=_title(category.name, description),
        text=description or _("Laporan melalui Open311: %(service)s.") % {"service": category.name},
        category=category,
        kind=Kind.COMPLAINT,
        channel=Channel.OPEN311,
        privacy=Privacy.PUBLIC,
        location=Location(latitude=lat, longitude=lon, address=address),
        reporter_name=name,
        reporter_contact=_field(request, "email") or _field(request, "phone"),
    )

    def respond(aspiration: Aspiration) -> tuple[int, dict[str, Any]]:
        return 200, {
            "service_request_id": aspiration.code,
            "token": aspiration.open311_token,
            "service_notice": _service_notice(category),
            "account_id": None,
        }

    outcome = submit_aspiration_once(
        submission,
        once=Once("open311", request.headers.get("Idempotency-Key"), client.pk),
        respond=respond,
    )
    response = render(fmt, "service_requests", [outcome.body], status=outcome.status)
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


def unknown_resource(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404, in JSON if the path asks for it."""
    return render_error(
        "json" if rest.lower().endswith(".json") else "xml",
        404,
        _("Sumber daya Open311 tidak dikenal."),
    )
