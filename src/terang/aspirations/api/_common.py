"""Pieces shared by the aspiration endpoints: the error-shape declaration, the idempotency
header, the small nested objects every response reuses, and the replay-safe create."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Header

from terang.core.files import file_url
from terang.core.models import AdministrativeArea, Agency

from .. import selectors, services
from ..models import Aspiration, Category

IDEMPOTENCY_HEADER = Header(
    None,
    alias="Idempotency-Key",
    description="Kunci unik per permintaan; pengulangan mengembalikan hasil pertama.",
)


def agency_ref(agency: Agency | None) -> dict[str, str] | None:
    if agency is None:
        return None
    return {"code": agency.code, "name": agency.name, "short_name": agency.short_name}


def area_ref(area: AdministrativeArea | None) -> dict[str, str] | None:
    return {"code": area.code, "name": area.name} if area else None


def category_ref(category: Category) -> dict[str, str]:
    return {"code": category.code, "name": category.name}


def photo_list(request: HttpRequest, aspiration: Aspiration) -> list[dict[str, Any]]:
    return [
        {
            "url": request.build_absolute_uri(file_url(photo, "image")),
            "kind": photo.kind,
            "width": photo.width,
            "height": photo.height,
        }
        for photo in aspiration.photos.all()
    ]


def seconds_left(aspiration: Aspiration) -> int | None:
    left = selectors.time_left(aspiration)
    return int(left.total_seconds()) if left is not None else None


def status_body(aspiration: Aspiration) -> dict[str, str]:
    """The answer of every action endpoint: where the item stands now and who holds it."""
    return {"code": aspiration.code, "status": aspiration.status, "agency": aspiration.agency.code}


def _created_body(request: HttpRequest, aspiration: Aspiration) -> dict[str, Any]:
    return {
        "code": aspiration.code,
        "status": aspiration.status,
        "privacy": aspiration.privacy,
        "photos": aspiration.photos.count(),
        "tracking_url": request.build_absolute_uri(
            reverse("aspirations:track", args=[aspiration.code])
        ),
        "api_url": request.build_absolute_uri(
            reverse("api:track_aspiration", kwargs={"code": aspiration.code})
        ),
    }


def submit_once(
    request: HttpRequest,
    submission: services.Submission,
    *,
    endpoint: str,
    caller: object | None,
    idempotency_key: str | None,
) -> tuple[int, dict[str, Any]]:
    """Create through the intake service once per idempotency key; a retry gets the first 201
    back."""
    outcome = services.submit_aspiration_once(
        submission,
        once=services.Once(endpoint, idempotency_key, caller),
        respond=lambda aspiration: (201, _created_body(request, aspiration)),
    )
    return outcome.status, outcome.body
