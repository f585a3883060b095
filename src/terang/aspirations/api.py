"""Aspirations over JSON (/api/v1): public reads, citizen intake and actions, the staff desk,
and inbound messaging webhooks. Every endpoint parses input, calls one service or selector
and renders; the rules live in `services` and `selectors`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Header, Query, Router, Status, UploadedFile

from terang.core.api_auth import (
    caller,
    optional_session_auth,
    require_staff,
    require_user,
    session_auth,
)
from terang.core.errors import NotFound, ValidationFailed
from terang.core.idempotency import request_digest, run_once
from terang.core.models import AdministrativeArea, Agency
from terang.core.pagination import paginate_newest_first
from terang.core.selectors import kelurahan_list

from . import selectors, services
from .choices import Channel, Privacy
from .models import Aspiration, AspirationEvent, Category
from .permissions import can_act_on, can_view_content
from .schemas import (
    AgencyOut,
    AgencyPerformanceOut,
    AreaOut,
    AspirationCreatedOut,
    AspirationIn,
    AspirationListFilters,
    AspirationPage,
    BulkIn,
    BulkOut,
    CategoryOut,
    DuplicateOut,
    ErrorOut,
    FollowOut,
    InboxOut,
    IntakeIn,
    MergeIn,
    MyAspirationPage,
    PageParams,
    PerformanceFilters,
    RatingIn,
    ReasonIn,
    StaffAspirationOut,
    StaffInboxFilters,
    StatusOut,
    SubscriptionOut,
    TrackingOut,
    TransitionIn,
    WebhookMessageIn,
    WebhookOut,
)
from .webhooks import receive_message
from .workflow import TRANSITIONS

router = Router()

IDEMPOTENCY_HEADER = Header(
    None,
    alias="Idempotency-Key",
    description="Kunci unik per permintaan; pengulangan mengembalikan hasil pertama.",
)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Document the error shape for the statuses an endpoint can return (plus 500)."""
    return {status: ErrorOut for status in (*statuses, 500)}


# Rendering ------------------------------------------------------------------------------------


def _agency(agency: Agency | None) -> dict[str, str] | None:
    if agency is None:
        return None
    return {"code": agency.code, "name": agency.name, "short_name": agency.short_name}


def _area(area: AdministrativeArea | None) -> dict[str, str] | None:
    return {"code": area.code, "name": area.name} if area else None


def _category(category: Category) -> dict[str, str]:
    return {"code": category.code, "name": category.name}


def _photos(request: HttpRequest, aspiration: Aspiration) -> list[dict[str, Any]]:
    return [
        {"url": request.build_absolute_uri(photo.image.url), "kind": photo.kind,
         "width": photo.width, "height": photo.height}
        for photo in aspiration.photos.all()
    ]


def _seconds_left(aspiration: Aspiration) -> int | None:
    left = selectors.time_left(aspiration)
    return int(left.total_seconds()) if left is not None else None


def _summary(aspiration: Aspiration) -> dict[str, Any]:
    return {
        "code": aspiration.code,
        "kind": aspiration.kind,
        "title": selectors.public_title(aspiration),
        "text": selectors.public_text(aspiration),
        "status": aspiration.status,
        "status_label": str(aspiration.get_status_display()),
        "category": _category(aspiration.category),
        "agency": _agency(aspiration.agency),
        "kelurahan": _area(aspiration.kelurahan),
        "latitude": aspiration.latitude,
        "longitude": aspiration.longitude,
        "address": selectors.masked(aspiration, aspiration.address),
        "created_at": aspiration.created_at,
        "updated_at": aspiration.updated_at,
    }


def _timeline_event(aspiration: Aspiration, event: AspirationEvent, *, with_reason: bool) \
        -> dict[str, Any]:
    return {
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": selectors.masked(aspiration, event.reason) if with_reason
        else "",
        "actor_role": event.actor_role,
        "to_agency": _agency(event.to_agency),
        "at": event.created_at,
    }


def _created(request: HttpRequest, aspiration: Aspiration) -> dict[str, Any]:
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


# Reference data -------------------------------------------------------------------------------


@router.get("/categories", response={200: list[CategoryOut], **errors()}, tags=["reference"],
            summary="Daftar kategori aktif",
            description="Kategori aspirasi dengan OPD penanggung jawab dan tenggatnya.")
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    categories = Category.objects.filter(is_active=True).select_related("agency")
    return [
        {
            "code": c.code, "name": c.name, "name_en": c.name_en, "group": c.group,
            "description": c.description, "agency": _agency(c.agency),
            "deadlines": {
                "verify_working_days": c.verify_working_days,
                "response_working_days": c.response_working_days,
                "resolution_working_days": c.resolution_working_days,
                "needs_investigation": c.needs_investigation,
                "is_emergency": c.is_emergency,
                "emergency_response_minutes": (
                    c.emergency_response_minutes if c.is_emergency else None
                ),
            },
        }
        for c in categories
    ]


@router.get("/agencies", response={200: list[AgencyOut], **errors()}, tags=["reference"],
            summary="Daftar OPD aktif", description="Perangkat daerah yang menangani aspirasi.")
def list_agencies(request: HttpRequest) -> list[dict[str, Any]]:
    agencies = Agency.objects.filter(is_active=True).select_related("parent")
    return [
        {**(_agency(a) or {}), "parent": a.parent.code if a.parent else None} for a in agencies
    ]


@router.get("/areas", response={200: list[AreaOut], **errors()}, tags=["reference"],
            summary="Daftar kelurahan",
            description="Kelurahan dengan kode resmi, kecamatan induk, dan kotak batasnya.")
def list_areas(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": area.code, "name": area.name, "level": area.level,
            "parent_code": area.parent.code if area.parent else None,
            "parent_name": area.parent.name if area.parent else None,
            "bbox": [area.min_lon, area.min_lat, area.max_lon, area.max_lat],
        }
        for area in kelurahan_list()
    ]


# Intake ---------------------------------------------------------------------------------------


def _upload_digests(photos: list[UploadedFile]) -> list[str]:
    digests = []
    for photo in photos:
        digests.append(hashlib.sha256(photo.read()).hexdigest())
        photo.seek(0)
    return digests


def _submit_once(
    request: HttpRequest,
    payload: AspirationIn,
    photos: list[UploadedFile],
    *,
    scope: str,
    idempotency_key: str | None,
    submit: Callable[[], Aspiration],
) -> tuple[int, dict[str, Any]]:
    digest = request_digest({"data": payload.model_dump(), "photos": _upload_digests(photos)})

    def create() -> tuple[int, dict[str, Any]]:
        return 201, _created(request, submit())

    status, body, _replayed = run_once(scope=scope, key=idempotency_key, digest=digest,
                                       create=create)
    return status, body


def _citizen_submit(request: HttpRequest, payload: AspirationIn, photos: list[UploadedFile],
                    idempotency_key: str | None) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    if user is None and payload.privacy != Privacy.ANONYMOUS and \
            not payload.reporter_contact.strip():
        raise ValidationFailed(
            "Tanpa akun, sertakan kontak (email/HP) atau pilih mode anonim.",
            details={"field": "reporter_contact", "reason": "contact_required"},
        )

    def submit() -> Aspiration:
        return services.submit_aspiration(
            title=payload.title, text=payload.text, category=payload.category,
            kind=payload.kind, channel=Channel.APP, privacy=payload.privacy,
            location=services.Location(latitude=payload.latitude, longitude=payload.longitude,
                                       address=payload.address),
            reporter=user, reporter_name=payload.reporter_name,
            reporter_contact=payload.reporter_contact,
            share_contact_with_agency=payload.share_contact_with_agency, photos=photos,
        )

    scope = f"api:aspirations:{user.pk if user else 'anon'}"
    return _submit_once(request, payload, photos, scope=scope,
                        idempotency_key=idempotency_key, submit=submit)


CREATE_DESCRIPTION = (
    "Siapa pun boleh melapor. Warga yang masuk menjadi pelapor; tanpa akun, sertakan kontak "
    "atau pilih mode anonim (tanpa identitas sama sekali). Header `Idempotency-Key` membuat "
    "pengulangan mengembalikan respons 201 yang pertama tanpa membuat laporan baru."
)


@router.post("/aspirations", auth=optional_session_auth, tags=["aspirations"],
             response={201: AspirationCreatedOut, **errors(403, 409, 422)},
             summary="Kirim aspirasi (JSON)", description=CREATE_DESCRIPTION)
def create_aspiration(request: HttpRequest, payload: AspirationIn,
                      idempotency_key: str | None = IDEMPOTENCY_HEADER) \
        -> Status[dict[str, Any]]:
    return Status(*_citizen_submit(request, payload, [], idempotency_key))


@router.post("/aspirations/with-photos", auth=optional_session_auth, tags=["aspirations"],
             response={201: AspirationCreatedOut, **errors(403, 409, 422)},
             summary="Kirim aspirasi dengan foto (multipart)",
             description=CREATE_DESCRIPTION + " Maksimal 5 foto JPEG/PNG/WebP pada kolom "
             "`photos`, masing-masing hingga 10 MB; metadata EXIF/GPS dibuang.")
def create_aspiration_with_photos(
    request: HttpRequest,
    payload: Form[AspirationIn],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
    idempotency_key: str | None = IDEMPOTENCY_HEADER,
) -> Status[dict[str, Any]]:
    return Status(*_citizen_submit(request, payload, list(photos or []), idempotency_key))


# Public reads ---------------------------------------------------------------------------------


@router.get("/aspirations", response={200: AspirationPage, **errors(422)}, tags=["aspirations"],
            summary="Daftar aspirasi publik",
            description="Aspirasi publik terbaru dulu, teks tersamar, tanpa identitas pelapor. "
            "Halaman berbasis kursor: kirim `next_cursor` sebagai `cursor`.")
def list_aspirations(request: HttpRequest, filters: Query[AspirationListFilters]) \
        -> dict[str, Any]:
    queryset = selectors.apply_filters(
        selectors.public_aspirations().select_related("category", "agency", "kelurahan"),
        selectors.AspirationFilters(**filters.model_dump(exclude={"cursor", "limit"})),
    )
    page = paginate_newest_first(queryset, cursor=filters.cursor, size=filters.limit)
    return {"items": [_summary(a) for a in page.items], "next_cursor": page.next_cursor}


@router.get("/aspirations/duplicates", response={200: list[DuplicateOut], **errors(422)},
            tags=["aspirations"], summary="Calon laporan serupa",
            description="Laporan terbuka di kategori yang sama di sekitar titik dengan teks "
            "mirip, agar warga dapat mengikuti laporan yang sudah ada.")
def duplicate_candidates(request: HttpRequest, category: str, lat: float, lon: float,
                         text: str = "") -> list[dict[str, Any]]:
    found = selectors.duplicate_candidates(category=category, lat=lat, lon=lon, text=text[:2000])
    return [
        {"code": a.code, "title": selectors.public_title(a), "status": a.status,
         "created_at": a.created_at}
        for a in found
    ]


@router.get("/aspirations/{code}", auth=optional_session_auth,
            response={200: TrackingOut, **errors(404)}, tags=["aspirations"],
            summary="Lacak aspirasi",
            description="Status, linimasa publik, jawaban, dan foto. Untuk laporan rahasia, "
            "judul, isi, lokasi, foto, jawaban, dan alasan di linimasa hanya untuk pelapor dan "
            "petugas berwenang.")
def track_aspiration(request: HttpRequest, code: str) -> dict[str, Any]:
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
        "address": selectors.masked(aspiration, aspiration.address)
        if visible else None,
        "kelurahan": _area(aspiration.kelurahan) if visible else None,
        "category": _category(aspiration.category),
        "agency": _agency(aspiration.agency),
        "public_answer": selectors.masked(aspiration, aspiration.public_answer)
        if visible else "",
        "rating": aspiration.rating,
        "merged_into": aspiration.merged_into.code if aspiration.merged_into else None,
        "due_at": selectors.next_deadline(aspiration),
        "created_at": aspiration.created_at,
        "updated_at": aspiration.updated_at,
        "photos": _photos(request, aspiration) if visible else [],
        "timeline": [
            _timeline_event(aspiration, e, with_reason=visible)
            for e in selectors.public_timeline(aspiration)
        ],
    }


# Citizen --------------------------------------------------------------------------------------


@router.get("/me/aspirations", auth=session_auth, response={200: MyAspirationPage, **errors(401)},
            tags=["citizen"], summary="Aspirasi saya",
            description="Laporan yang saya kirim (bukan yang anonim), terbaru dulu.")
def my_aspirations(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    user = require_user(request)
    result = paginate_newest_first(selectors.my_aspirations(user), cursor=page.cursor,
                                   size=page.limit)
    items = [
        {"code": a.code, "kind": a.kind, "title": a.title, "status": a.status,
         "status_label": str(a.get_status_display()), "privacy": a.privacy,
         "category": _category(a.category), "agency": _agency(a.agency),
         "created_at": a.created_at, "updated_at": a.updated_at}
        for a in result.items
    ]
    return {"items": items, "next_cursor": result.next_cursor}


def _status(aspiration: Aspiration) -> dict[str, str]:
    return {"code": aspiration.code, "status": aspiration.status,
            "agency": aspiration.agency.code}


@router.post("/aspirations/{code}/rating", auth=session_auth, tags=["citizen"],
             response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
             summary="Nilai penyelesaian",
             description="Pelapor memberi nilai 1-5; laporan yang selesai lalu ditutup.")
def rate(request: HttpRequest, code: str, payload: RatingIn) -> dict[str, str]:
    aspiration = services.rate_aspiration(
        actor=require_user(request), aspiration=selectors.get_by_tracking_code(code),
        rating=payload.rating, comment=payload.comment,
    )
    return _status(aspiration)


@router.post("/aspirations/{code}/reopen", auth=session_auth, tags=["citizen"],
             response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
             summary="Buka kembali laporan",
             description="Pelapor membuka kembali laporan yang selesai/ditutup dalam batas "
             "waktu kota, dengan alasan.")
def reopen(request: HttpRequest, code: str, payload: ReasonIn) -> dict[str, str]:
    aspiration = services.reopen_aspiration(
        actor=require_user(request), aspiration=selectors.get_by_tracking_code(code),
        reason=payload.reason,
    )
    return _status(aspiration)


@router.post("/aspirations/{code}/follow", auth=session_auth, tags=["citizen"],
             response={200: FollowOut, **errors(401, 403, 404)},
             summary="Ikuti laporan", description="Dapat kabar tiap perubahan status.")
def follow(request: HttpRequest, code: str) -> dict[str, Any]:
    aspiration = selectors.get_by_tracking_code(code)
    services.follow_aspiration(user=require_user(request), aspiration=aspiration)
    return {"code": aspiration.code, "following": True}


@router.delete("/aspirations/{code}/follow", auth=session_auth, tags=["citizen"],
               response={200: FollowOut, **errors(401, 404)},
               summary="Berhenti mengikuti laporan", description="Tidak lagi diberi kabar.")
def unfollow(request: HttpRequest, code: str) -> dict[str, Any]:
    aspiration = selectors.get_by_tracking_code(code)
    services.unfollow_aspiration(user=require_user(request), aspiration=aspiration)
    return {"code": aspiration.code, "following": False}


def _area_by_code(code: str) -> AdministrativeArea:
    area = AdministrativeArea.objects.filter(code=code).first()
    if area is None:
        raise NotFound()
    return area


@router.post("/areas/{code}/subscription", auth=session_auth, tags=["citizen"],
             response={200: SubscriptionOut, **errors(401, 404, 422)},
             summary="Langganan kelurahan",
             description="Dapat kabar laporan publik baru di kelurahan ini.")
def subscribe(request: HttpRequest, code: str) -> dict[str, Any]:
    area = _area_by_code(code)
    services.subscribe_area(user=require_user(request), area=area)
    return {"area": area.code, "subscribed": True}


@router.delete("/areas/{code}/subscription", auth=session_auth, tags=["citizen"],
               response={200: SubscriptionOut, **errors(401, 404)},
               summary="Berhenti langganan kelurahan", description="Hapus langganan.")
def unsubscribe(request: HttpRequest, code: str) -> dict[str, Any]:
    area = _area_by_code(code)
    services.unsubscribe_area(user=require_user(request), area=area)
    return {"area": area.code, "subscribed": False}


# Staff ----------------------------------------------------------------------------------------


@router.get("/staff/inbox", auth=session_auth, response={200: InboxOut, **errors(401, 403, 422)},
            tags=["staff"], summary="Kotak masuk petugas",
            description="Laporan terbuka yang dapat saya tangani, tenggat terdekat dulu.")
def staff_inbox(request: HttpRequest, filters: Query[StaffInboxFilters]) -> dict[str, Any]:
    user = require_staff(request)
    queryset = selectors.inbox_for(
        user, selectors.AspirationFilters(**filters.model_dump(exclude={"limit"}))
    )
    rows = list(queryset[: filters.limit + 1])
    items = [
        {"code": a.code, "kind": a.kind, "title": a.title, "status": a.status,
         "status_label": str(a.get_status_display()), "privacy": a.privacy,
         "category": _category(a.category), "agency": _agency(a.agency),
         "kelurahan": _area(a.kelurahan), "created_at": a.created_at,
         "due_at": selectors.next_deadline(a), "seconds_left": _seconds_left(a),
         "breached": a.breached, "escalation": a.escalation, "is_ping_pong": a.is_ping_pong}
        for a in rows[: filters.limit]
    ]
    return {"items": items, "has_more": len(rows) > filters.limit}


# Registered before /staff/aspirations/{code} so that path does not capture "bulk".
@router.post("/staff/aspirations/bulk", auth=session_auth, tags=["staff"],
             response={200: BulkOut, **errors(401, 403, 422)}, summary="Aksi massal",
             description="Satu aksi (verify, start, reject, note) untuk banyak laporan; tiap "
             "laporan diproses sendiri dan dilaporkan berhasil atau gagal.")
def staff_bulk(request: HttpRequest, payload: BulkIn) -> dict[str, list[str]]:
    user = require_staff(request)
    codes = [c.strip().upper() for c in payload.codes]
    found = list(selectors.aspirations_visible_to(user).filter(code__in=codes))
    result = services.bulk_action(actor=user, aspirations=found, action=payload.action,
                                  reason=payload.reason)
    known = {a.code for a in found}
    return {**result, "not_found": [c for c in codes if c not in known]}


def _staff_event(event: AspirationEvent) -> dict[str, Any]:
    staff_actor = event.actor is not None and event.actor.is_city_staff
    return {
        "kind": event.kind, "from_status": event.from_status, "to_status": event.to_status,
        "reason": event.reason, "is_public": event.is_public, "actor_role": event.actor_role,
        "actor_name": event.actor.display_name if staff_actor and event.actor else "",
        "from_agency": _agency(event.from_agency), "to_agency": _agency(event.to_agency),
        "at": event.created_at,
    }


@router.get("/staff/aspirations/{code}", auth=session_auth,
            response={200: StaffAspirationOut, **errors(401, 403, 404)}, tags=["staff"],
            summary="Detail aspirasi untuk petugas",
            description="Isi lengkap, pelapor sebatas perlu-tahu, dan catatan internal.")
def staff_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require_staff(request)
    a = selectors.get_aspiration_for_staff(user=user, code=code)
    events = a.events.select_related("actor", "from_agency", "to_agency")
    return {
        "code": a.code, "kind": a.kind, "channel": a.channel, "title": a.title, "text": a.text,
        "status": a.status, "status_label": str(a.get_status_display()), "privacy": a.privacy,
        "category": _category(a.category), "agency": _agency(a.agency),
        "kelurahan": _area(a.kelurahan), "latitude": a.latitude, "longitude": a.longitude,
        "address": a.address, "reporter": selectors.reporter_view(user, a),
        "entered_by_staff": a.entered_by_id is not None, "can_act": can_act_on(user, a),
        "allowed_statuses": sorted(TRANSITIONS.get(a.status, frozenset())),
        "created_at": a.created_at, "updated_at": a.updated_at,
        "verify_due_at": a.verify_due_at, "response_due_at": a.response_due_at,
        "resolution_due_at": a.resolution_due_at, "due_at": selectors.next_deadline(a),
        "seconds_left": _seconds_left(a), "breached": a.breached, "escalation": a.escalation,
        "disposition_count": a.disposition_count, "is_ping_pong": a.is_ping_pong,
        "assigned_for_good": a.assigned_for_good, "reopen_count": a.reopen_count,
        "rating": a.rating, "rating_comment": a.rating_comment, "public_answer": a.public_answer,
        "merged_into": a.merged_into.code if a.merged_into else None,
        "photos": _photos(request, a), "events": [_staff_event(e) for e in events],
    }


def _agency_by_code(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ValidationFailed("OPD tidak dikenal.",
                               details={"field": "agency", "reason": "unknown_agency"})
    return agency


def _target_agency(code: str | None) -> Agency:
    agency = _agency_by_code(code)
    if agency is None:
        raise ValidationFailed("Pilih OPD tujuan.", details={"field": "agency"})
    return agency


def _run_transition(user: Any, a: Aspiration, data: TransitionIn) -> Aspiration:
    """Map one staff action onto its service; the service checks permission and workflow."""
    reason, answer = data.reason, data.answer or data.reason
    actions: dict[str, Callable[[], Aspiration]] = {
        "verify": lambda: services.verify_aspiration(
            actor=user, aspiration=a, agency=_agency_by_code(data.agency), privacy=data.privacy),
        "reject": lambda: services.reject_aspiration(actor=user, aspiration=a, reason=reason),
        "start": lambda: services.start_progress(actor=user, aspiration=a, note=reason),
        "answer": lambda: services.answer_aspiration(actor=user, aspiration=a, answer=answer),
        "resolve": lambda: services.resolve_aspiration(actor=user, aspiration=a, answer=answer),
        "redisposition": lambda: services.redisposition_aspiration(
            actor=user, aspiration=a, agency=_target_agency(data.agency), reason=reason),
        "assign": lambda: services.assign_for_good(
            actor=user, aspiration=a, agency=_target_agency(data.agency), reason=reason),
        "check_approve": lambda: services.check_resolution(
            actor=user, aspiration=a, approve=True, reason=reason),
        "check_send_back": lambda: services.check_resolution(
            actor=user, aspiration=a, approve=False, reason=reason),
        "note": lambda: services.add_internal_note(actor=user, aspiration=a, note=reason),
    }
    return actions[data.action]()


@router.post("/staff/aspirations/{code}/transitions", auth=session_auth, tags=["staff"],
             response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
             summary="Tindak lanjut petugas",
             description="Satu aksi alur kerja: verify, reject, start, answer, resolve, "
             "redisposition, assign, check_approve, check_send_back, atau note. Inspektorat "
             "hanya membaca.")
def staff_transition(request: HttpRequest, code: str, payload: TransitionIn) -> dict[str, str]:
    user = require_staff(request)
    aspiration = selectors.get_aspiration_for_staff(user=user, code=code)
    return _status(_run_transition(user, aspiration, payload))


@router.post("/staff/aspirations/{code}/merge", auth=session_auth, tags=["staff"],
             response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
             summary="Gabungkan laporan ganda",
             description="Laporan `code` digabung ke laporan `into`; pengikut dan pelapornya "
             "ikut mengikuti laporan utama.")
def staff_merge(request: HttpRequest, code: str, payload: MergeIn) -> dict[str, str]:
    user = require_staff(request)
    duplicate = selectors.get_aspiration_for_staff(user=user, code=code)
    into = selectors.get_aspiration_for_staff(user=user, code=payload.into)
    services.merge_aspirations(actor=user, duplicate=duplicate, into=into, reason=payload.reason)
    duplicate.refresh_from_db(fields=["status", "agency"])
    return _status(duplicate)


@router.post("/staff/intake", auth=session_auth, tags=["staff"],
             response={201: AspirationCreatedOut, **errors(401, 403, 409, 422)},
             summary="Input laporan oleh petugas",
             description="Laporan yang datang lewat loket, telepon, SMS, atau WhatsApp dicatat "
             "petugas atas nama pelapor. Mendukung `Idempotency-Key`.")
def staff_intake(request: HttpRequest, payload: IntakeIn,
                 idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status[dict[str, Any]]:
    user = require_staff(request)

    def submit() -> Aspiration:
        return services.submit_aspiration(
            title=payload.title, text=payload.text, category=payload.category,
            kind=payload.kind, channel=payload.channel, privacy=payload.privacy,
            location=services.Location(latitude=payload.latitude, longitude=payload.longitude,
                                       address=payload.address),
            reporter_name=payload.reporter_name, reporter_contact=payload.reporter_contact,
            share_contact_with_agency=payload.share_contact_with_agency, entered_by=user,
        )

    return Status(*_submit_once(request, payload, [], scope=f"api:intake:{user.pk}",
                                idempotency_key=idempotency_key, submit=submit))


# Performance and webhooks ---------------------------------------------------------------------


@router.get("/performance", response={200: list[AgencyPerformanceOut], **errors(422)},
            tags=["reference"], summary="Kinerja OPD",
            description="Tabel akuntabilitas publik per OPD: diterima, selesai, median waktu "
            "tanggapan dan penyelesaian, ketepatan tenggat, nilai, dibuka kembali, ping-pong.")
def performance(request: HttpRequest, filters: Query[PerformanceFilters]) -> list[Any]:
    return selectors.agency_performance(since=filters.since, until=filters.until)


WEBHOOK_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {
            "schema": WebhookMessageIn.model_json_schema(by_alias=True)
        }},
    }
}


@router.post("/webhooks/{provider}", tags=["webhooks"], openapi_extra=WEBHOOK_BODY,
             response={201: WebhookOut, **errors(401, 404, 409, 422)},
             summary="Pesan masuk dari kanal perpesanan",
             description="provider: whatsapp, sms, email, instagram, facebook, x. Wajib header "
             "`X-Terang-Signature: sha256=<hex HMAC-SHA256 badan mentah>` (WhatsApp juga "
             "`X-Hub-Signature-256`). Sekali per `message_id`; pengulangan mengembalikan kode "
             "yang sama.")
def messaging_webhook(request: HttpRequest, provider: str) -> Status[dict[str, str]]:
    return Status(*receive_message(provider=provider, body=request.body, headers=request.headers))
