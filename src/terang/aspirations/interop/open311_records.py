"""Mapping of Terang categories and aspirations to Open311 GeoReport v2 records.

Status mapping: an item is `open` while it waits for or receives handling (submitted, verified,
dispositioned, in progress) and `closed` from `resolved` on (resolved, closed, and the
non-public rejected and merged states).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils.translation import gettext as _

from terang.core.files import file_url
from terang.core.models import CityProfile

from ..choices import OPEN_STATUSES, PhotoKind, Status
from ..models import Aspiration, AspirationPhoto, Category
from ..selectors import PUBLIC_STATUSES, masked, public_address, public_text
from .open311_format import format_datetime

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this server's Open311 interface last changed; clients compare it to refresh caches.
CHANGESET = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
ENDPOINT_PATH = "open311/v2"
CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.MERGED})
PUBLIC_BY_OPEN311_STATUS = {
    "open": tuple(s for s in PUBLIC_STATUSES if s in OPEN_STATUSES),
    "closed": tuple(s for s in PUBLIC_STATUSES if s in CLOSED_STATUSES),
}
PHOTOS_ATTR = "open311_photos"


def city_timezone(city: CityProfile | None) -> ZoneInfo:
    return ZoneInfo(city.timezone if city and city.timezone else settings.TIME_ZONE)


def open311_status(status: str) -> str:
    return "closed" if status in CLOSED_STATUSES else "open"


def statuses_for(open311_statuses: tuple[str, ...]) -> list[str]:
    """Terang statuses of public items behind the Open311 `open`/`closed` filter values."""
    return [s for name in open311_statuses for s in PUBLIC_BY_OPEN311_STATUS[name]]


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("group", "name", "code")


def with_report_photos(queryset: QuerySet[Aspiration]) -> QuerySet[Aspiration]:
    """Prefetch each item's report photos in one query (for `media_url`)."""
    return queryset.prefetch_related(
        Prefetch(
            "photos",
            queryset=AspirationPhoto.objects.filter(kind=PhotoKind.REPORT).order_by("id"),
            to_attr=PHOTOS_ATTR,
        )
    )


def service_record(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def service_definition(category: Category) -> dict[str, Any]:
    """No service asks for extra attributes yet: `metadata` is false and the list is empty."""
    return {"service_code": category.code, "attributes": []}


def _media_url(aspiration: Aspiration, request: HttpRequest) -> str:
    photos = getattr(aspiration, PHOTOS_ATTR, None)
    if photos is None:
        photos = list(aspiration.photos.filter(kind=PhotoKind.REPORT).order_by("id")[:1])
    if not photos:
        return ""
    return request.build_absolute_uri(file_url(photos[0], "image"))


def _base(aspiration: Aspiration, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "service_request_id": aspiration.code,
        "status": open311_status(aspiration.status),
        "status_notes": "",
        "service_name": aspiration.category.name,
        "service_code": aspiration.category.code,
        "description": "",
        "agency_responsible": aspiration.agency.name,
        "service_notice": "",
        "requested_datetime": format_datetime(aspiration.created_at, tz),
        "updated_datetime": format_datetime(aspiration.updated_at, tz),
        "expected_datetime": "",
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def request_record(aspiration: Aspiration, *, tz: ZoneInfo, request: HttpRequest) -> dict[str, Any]:
    """A public item: masked description, public answer as status notes, location, photo."""
    record = _base(aspiration, tz)
    record.update(
        status_notes=masked(aspiration, aspiration.public_answer),
        description=public_text(aspiration),
        expected_datetime=format_datetime(aspiration.resolution_due_at, tz),
        address=public_address(aspiration),
        lat=aspiration.latitude,
        long=aspiration.longitude,
        media_url=_media_url(aspiration, request),
    )
    return record


def tracking_record(aspiration: Aspiration, *, tz: ZoneInfo) -> dict[str, Any]:
    """An item not (yet) public, asked for by its id: status only, as on the tracking page."""
    record = _base(aspiration, tz)
    record["status_notes"] = str(aspiration.get_status_display())
    return record


def endpoint_url(request: HttpRequest) -> str:
    """Without a trailing slash: clients append '/' + path themselves."""
    return request.build_absolute_uri(get_script_prefix() + ENDPOINT_PATH)


def discovery(city: CityProfile | None, *, request: HttpRequest, tz: ZoneInfo) -> dict[str, Any]:
    city_name = city.name if city else ""
    contact = city.contact_email if city and city.contact_email else ""
    changeset = format_datetime(CHANGESET, tz)
    return {
        "changeset": changeset,
        "contact": f"{city_name} <{contact}>" if contact else city_name,
        "key_service": _("Kunci API diterbitkan oleh administrator %(city)s. Hubungi %(contact)s.")
        % {"city": city_name or _("kota"), "contact": contact or _("pengelola situs")},
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url(request),
                "changeset": changeset,
                "type": "production" if settings.PRODUCTION else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
