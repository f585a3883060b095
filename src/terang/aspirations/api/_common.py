"""Pieces shared by the aspiration endpoints: the error-shape declaration, the idempotency
header, the small nested objects every response reuses, and the replay-safe create."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Header, UploadedFile

from terang.core.files import file_url
from terang.core.idempotency import request_digest, run_once
from terang.core.models import AdministrativeArea, Agency

from .. import selectors
from ..models import Aspiration, Category
from ..schemas import AspirationIn

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


def _upload_digests(photos: list[UploadedFile]) -> list[str]:
    digests = []
    for photo in photos:
        digests.append(hashlib.sha256(photo.read()).hexdigest())
        photo.seek(0)
    return digests


def submit_once(
    request: HttpRequest,
    payload: AspirationIn,
    photos: list[UploadedFile],
    *,
    scope: str,
    idempotency_key: str | None,
    submit: Callable[[], Aspiration],
) -> tuple[int, dict[str, Any]]:
    """Create through `submit` once per idempotency key; a retry gets the first 201 back."""
    digest = request_digest({"data": payload.model_dump(), "photos": _upload_digests(photos)})

    def create() -> tuple[int, dict[str, Any]]:
        return 201, _created_body(request, submit())

    status, body, _replayed = run_once(
        scope=scope, key=idempotency_key, digest=digest, create=create
    )
    return status, body
