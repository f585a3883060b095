"""What a signed-in citizen does: list own reports, rate or reopen them as the reporter, follow
reports, and subscribe to a kelurahan."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from terang.core.api_auth import require_user, session_auth
from terang.core.errors import NotFound
from terang.core.models import AdministrativeArea
from terang.core.pagination import paginate_newest_first
from terang.core.ratelimit import RateLimitAction, enforce
from terang.core.schemas import errors

from .. import selectors, services
from ..schemas import (
    FollowOut,
    MyAspirationPage,
    PageParams,
    RatingIn,
    ReasonIn,
    StatusOut,
    SubscriptionOut,
)
from ._common import agency_ref, category_ref, status_body

router = Router()


@router.get(
    "/me/aspirations",
    auth=session_auth,
    response={200: MyAspirationPage, **errors(401)},
    tags=["citizen"],
    summary="Aspirasi saya",
    description="Laporan yang saya kirim (bukan yang anonim), terbaru dulu.",
)
def my_aspirations(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    user = require_user(request)
    result = paginate_newest_first(
        selectors.my_aspirations(user), cursor=page.cursor, size=page.limit
    )
    items = [
        {
            "code": a.code,
            "kind": a.kind,
            "title": a.title,
            "status": a.status,
            "status_label": str(a.get_status_display()),
            "privacy": a.privacy,
            "category": category_ref(a.category),
            "agency": agency_ref(a.agency),
            "created_at": a.created_at,
            "updated_at": a.updated_at,
        }
        for a in result.items
    ]
    return {"items": items, "next_cursor": result.next_cursor}


@router.post(
    "/aspirations/{code}/rating",
    auth=session_auth,
    tags=["citizen"],
    response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
    summary="Nilai penyelesaian",
    description="Pelapor memberi nilai 1-5; laporan yang selesai lalu ditutup.",
)
def rate(request: HttpRequest, code: str, payload: RatingIn) -> dict[str, str]:
    aspiration = services.rate_aspiration(
        actor=require_user(request),
        aspiration=selectors.get_by_tracking_code(code),
        rating=payload.rating,
        comment=payload.comment,
    )
    return status_body(aspiration)


@router.post(
    "/aspirations/{code}/reopen",
    auth=session_auth,
    tags=["citizen"],
    response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
    summary="Buka kembali laporan",
    description="Pelapor membuka kembali laporan yang selesai/ditutup dalam batas "
    "waktu kota, dengan alasan.",
)
def reopen(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, str]:
    aspiration = services.reopen_aspiration(
        actor=require_user(request),
        aspiration=selectors.get_by_tracking_code(code),
        reason=payload.reason,
    )
    return status_body(aspiration)


@router.post(
    "/aspirations/{code}/follow",
    auth=session_auth,
    tags=["citizen"],
    response={200: FollowOut, **errors(401, 403, 404, 429)},
    summary="Ikuti laporan",
    description="Dapat kabar tiap perubahan status.",
)
def follow(request: HttpRequest, code: str) -> dict[str, Any]:
    enforce(request, RateLimitAction.FOLLOW)
    aspiration = selectors.get_by_tracking_code(code)
    services.follow_aspiration(user=require_user(request), aspiration=aspiration)
    return {"code": aspiration.code, "following": True}


@router.delete(
    "/aspirations/{code}/follow",
    auth=session_auth,
    tags=["citizen"],
    response={200: FollowOut, **errors(401, 404)},
    summary="Berhenti mengikuti laporan",
    description="Tidak lagi diberi kabar.",
)
def unfollow(request: HttpRequest, code: str) -> dict[str, Any]:
    aspiration = selectors.get_by_tracking_code(code)
    services.unfollow_aspiration(user=require_user(request), aspiration=aspiration)
    return {"code": aspiration.code, "following": False}


def _area_by_code(code: str) -> AdministrativeArea:
    """Any area, not only a kelurahan: the service answers a kecamatan with 422, not 404."""
    area = AdministrativeArea.objects.filter(code=code).first()
    if area is None:
        raise NotFound()
    return area


@router.post(
    "/areas/{code}/subscription",
    auth=session_auth,
    tags=["citizen"],
    response={200: SubscriptionOut, **errors(401, 404, 422, 429)},
    summary="Langganan kelurahan",
    description="Dapat kabar laporan publik baru di kelurahan ini.",
)
def subscribe(request: HttpRequest, code: str) -> dict[str, Any]:
    enforce(request, RateLimitAction.FOLLOW)
    area = _area_by_code(code)
    services.subscribe_area(user=require_user(request), area=area)
    return {"area": area.code, "subscribed": True}


@router.delete(
    "/areas/{code}/subscription",
    auth=session_auth,
    tags=["citizen"],
    response={200: SubscriptionOut, **errors(401, 404)},
    summary="Berhenti langganan kelurahan",
    description="Hapus langganan.",
)
def unsubscribe(request: HttpRequest, code: str) -> dict[str, Any]:
    area = _area_by_code(code)
    services.unsubscribe_area(user=require_user(request), area=area)
    return {"area": area.code, "subscribed": False}
