"""Reports as the public sees them: filing one (signed in or not), the public list, similar
reports nearby, and tracking by code. Content is masked; confidential content is shown only
to the reporter and authorised staff."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status, UploadedFile

from terang.core.api_auth import caller, optional_session_auth
from terang.core.pagination import paginate_newest_first
from terang.core.ratelimit import RateLimitAction, enforce
from terang.core.schemas import errors

from .. import selectors, services
from ..choices import Channel
from ..models import Aspiration, AspirationEvent
from ..permissions import can_view_content
from ..schemas import (
    AspirationCreatedOut,
    AspirationIn,
    AspirationListFilters,
    AspirationPage,
    DuplicateOut,
    TrackingOut,
)
from ._common import IDEMPOTENCY_HEADER, agency_ref, area_ref, category_ref, photo_list, submit_once

router = Router()


def _summary(aspiration: Aspiration) -> dict[str, Any]:
    return {
        "code": aspiration.code,
        "kind": aspiration.kind,
        "title": selectors.public_title(aspiration),
        "text": selectors.public_text(aspiration),
        "status": aspiration.status,
        "status_label": str(aspiration.get_status_display()),
        "category": category_ref(aspiration.category),
        "agency": agency_ref(aspiration.agency),
        "kelurahan": area_ref(aspiration.kelurahan),
        "latitude": aspiration.latitude,
        "longitude": aspiration.longitude,
        "address": selectors.public_address(aspiration),
        "created_at": aspiration.created_at,
        "updated_at": aspiration.updated_at,
    }


def _timeline_event(
    aspiration: Aspiration, event: AspirationEvent, *, with_reason: bool
) -> dict[str, Any]:
    """A public timeline row: actors as the public sees them, whoever asks."""
    return {
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": selectors.masked(aspiration, event.display_reason) if with_reason else "",
        "actor_role": event.actor_role,
        "actor": selectors.actor_label(event, None).as_dict(),
        "to_agency": agency_ref(event.to_agency),
        "at": event.created_at,
    }


# Intake ---------------------------------------------------------------------------------------


def _citizen_submit(
    request: HttpRequest,
    payload: AspirationIn,
    photos: list[UploadedFile],
    idempotency_key: str | None,
) -> tuple[int, dict[str, Any]]:
    enforce(request, RateLimitAction.ASPIRATION_SUBMIT)
    enforce(request, RateLimitAction.PHOTO_UPLOAD, amount=len(photos))
    user = caller(request)
    submission = services.Submission(
        title=payload.title,
        text=payload.text,
        category=payload.category,
        kind=payload.kind,
        channel=Channel.APP,
        privacy=payload.privacy,
        location=services.Location(
            latitude=payload.latitude, longitude=payload.longitude, address=payload.address
        ),
        reporter=user,
        reporter_name=payload.reporter_name,
        reporter_contact=payload.reporter_contact,
        share_contact_with_agency=payload.share_contact_with_agency,
        photos=photos,
    )
    return submit_once(
        request,
        submission,
        endpoint="api:aspirations",
        caller=user.pk if user else None,
        idempotency_key=idempotency_key,
    )


CREATE_DESCRIPTION = (
    "Siapa pun boleh melapor. Warga yang masuk menjadi pelapor; tanpa akun, sertakan kontak "
    "atau pilih mode anonim (tanpa identitas sama sekali). Header `Idempotency-Key` membuat "
    "pengulangan mengembalikan respons 201 yang pertama tanpa membuat laporan baru."
)


@router.post(
    "/aspirations",
    auth=optional_session_auth,
    tags=["aspirations"],
    response={201: AspirationCreatedOut, **errors(403, 409, 422, 429)},
    summary="Kirim aspirasi (JSON)",
    description=CREATE_DESCRIPTION,
)
def create_aspiration(
    request: HttpRequest, payload: AspirationIn, idempotency_key: str | None = IDEMPOTENCY_HEADER
) -> Status[dict[str, Any]]:
    return Status(*_citizen_submit(request, payload, [], idempotency_key))


# Registered before /aspirations/{code} so that path does not capture "with-photos".
@router.post(
    "/aspirations/with-photos",
    auth=optional_session_auth,
    tags=["aspirations"],
    response={201: AspirationCreatedOut, **errors(403, 409, 422, 429)},
    summary="Kirim aspirasi dengan foto (multipart)",
    description=CREATE_DESCRIPTION + " Maksimal 5 foto JPEG/PNG/WebP pada kolom "
    "`photos`, masing-masing hingga 10 MB; metadata EXIF/GPS dibuang.",
)
def create_aspiration_with_photos(
    request: HttpRequest,
    payload: Form[AspirationIn],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    idempotency_key: str | None = IDEMPOTENCY_HEADER,
) -> Status[dict[str, Any]]:
    return Status(*_citizen_submit(request, payload, list(photos or []), idempotency_key))


# Public reads ---------------------------------------------------------------------------------


@router.get(
    "/aspirations",
    response={200: AspirationPage, **errors(422)},
    tags=["aspirations"],
    summary="Daftar aspirasi publik",
    description="Aspirasi publik terbaru dulu, teks tersamar, tanpa identitas pelapor. "
    "Halaman berbasis kursor: kirim `next_cursor` sebagai `cursor`.",
)
def list_aspirations(request: HttpRequest, filters: Query[AspirationListFilters]) -> dict[str, Any]:
    queryset = selectors.apply_filters(
        selectors.public_aspirations().select_related("category", "agency", "kelurahan"),
        selectors.AspirationFilters(**filters.model_dump(exclude={"cursor", "limit"})),
    )
    page = paginate_newest_first(queryset, cursor=filters.cursor, size=filters.limit)
    return {"items": [_summary(a) for a in page.items], "next_cursor": page.next_cursor}


# Registered before /aspirations/{code} so that path does not capture "duplicates".
@router.get(
    "/aspirations/duplicates",
    response={200: list[DuplicateOut], **errors(422)},
    tags=["aspirations"],
    summary="Calon laporan serupa",
    description="Laporan terbuka di kategori yang sama di sekitar titik dengan teks "
    "mirip, agar warga dapat mengikuti laporan yang sudah ada.",
)
def duplicate_candidates(
    request: HttpRequest, category: str, lat: float, lon: float, text: str = ""
) -> list[dict[str, Any]]:
    found = selectors.duplicate_candidates(category=category, lat=lat, lon=lon, text=text[:2000])
    return [
        {
            "code": a.code,
            "title": selectors.public_title(a),
            "status": a.status,
            "created_at": a.created_at,
        }
        for a in found
    ]


@router.get(
    "/aspirations/{code}",
    auth=optional_session_auth,
    response={200: TrackingOut, **errors(404, 429)},
    tags=["aspirations"],
    summary="Lacak aspirasi",
    description="Status, linimasa publik, jawaban, dan foto. Untuk laporan rahasia, "
    "judul, isi, lokasi, foto, jawaban, dan alasan di linimasa hanya untuk pelapor dan "
    "petugas berwenang.",
)
def track_aspiration(request: HttpRequest, code: str) -> dict[str, Any]:
    enforce(request, RateLimitAction.TRACKING_LOOKUP)
    aspiration = selectors.get_by_tracking_code(code)
    user = caller(request)
    visible = can_view_content(user, aspiration)
    return {
        "code": aspiration.code,
        "kind": aspiration.kind,
        "status": aspiration.status,
        "status_label": str(aspiration.get_status_display()),
        "privacy": aspiration.privacy,
        "content_visible": visible,
        "is_reporter": bool(user and aspiration.reporter_id == user.pk),
        "title": selectors.public_title(aspiration) if visible else None,
        "text": selectors.public_text(aspiration) if visible else None,
        "latitude": aspiration.latitude if visible else None,
        "longitude": aspiration.longitude if visible else None,
        "address": selectors.public_address(aspiration) if visible else None,
        "kelurahan": area_ref(aspiration.kelurahan) if visible else None,
        "category": category_ref(aspiration.category),
        "agency": agency_ref(aspiration.agency),
        "public_answer": selectors.masked(aspiration, aspiration.public_answer) if visible else "",
        "rating": aspiration.rating,
        "merged_into": aspiration.merged_into.code if aspiration.merged_into else None,
        "due_at": selectors.next_deadline(aspiration),
        "created_at": aspiration.created_at,
        "updated_at": aspiration.updated_at,
        "photos": photo_list(request, aspiration) if visible else [],
        "timeline": [
            _timeline_event(aspiration, e, with_reason=visible)
            for e in selectors.public_timeline(aspiration)
        ],
    }
