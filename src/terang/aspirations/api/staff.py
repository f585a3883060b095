"""The staff desk over JSON: inbox, bulk actions, full detail, workflow transitions, merging,
and reports entered by staff for a citizen. Session auth with a TOTP-verified staff member;
each service checks the permission again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from terang.core.api_auth import require_staff, session_auth
from terang.core.errors import ValidationFailed
from terang.core.models import Agency, User
from terang.core.schemas import errors

from .. import selectors, services
from ..models import Aspiration, AspirationEvent
from ..permissions import can_act_on
from ..schemas import (
    AspirationCreatedOut,
    BulkIn,
    BulkOut,
    InboxOut,
    IntakeIn,
    MergeIn,
    StaffAspirationOut,
    StaffInboxFilters,
    StatusOut,
    TransitionIn,
)
from ..workflow import TRANSITIONS
from ._common import (
    IDEMPOTENCY_HEADER,
    agency_ref,
    area_ref,
    category_ref,
    photo_list,
    seconds_left,
    status_body,
    submit_once,
)

router = Router()


@router.get(
    "/staff/inbox",
    auth=session_auth,
    response={200: InboxOut, **errors(401, 403, 422)},
    tags=["staff"],
    summary="Kotak masuk petugas",
    description="Laporan terbuka yang dapat saya tangani, tenggat terdekat dulu.",
)
def staff_inbox(request: HttpRequest, filters: Query[StaffInboxFilters]) -> dict[str, Any]:
    user = require_staff(request)
    queryset = selectors.inbox_for(
        user, selectors.AspirationFilters(**filters.model_dump(exclude={"limit"}))
    )
    rows = list(queryset[: filters.limit + 1])
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
            "kelurahan": area_ref(a.kelurahan),
            "created_at": a.created_at,
            "due_at": selectors.next_deadline(a),
            "seconds_left": seconds_left(a),
            "breached": a.breached,
            "escalation": a.escalation,
            "is_ping_pong": a.is_ping_pong,
        }
        for a in rows[: filters.limit]
    ]
    return {"items": items, "has_more": len(rows) > filters.limit}


# Registered before /staff/aspirations/{code} so that path does not capture "bulk".
@router.post(
    "/staff/aspirations/bulk",
    auth=session_auth,
    tags=["staff"],
    response={200: BulkOut, **errors(401, 403, 422)},
    summary="Aksi massal",
    description="Satu aksi (verify, start, reject, note) untuk banyak laporan; tiap "
    "laporan diproses sendiri dan dilaporkan berhasil atau gagal.",
)
def staff_bulk(request: HttpRequest, payload: BulkIn) -> dict[str, list[str]]:
    user = require_staff(request)
    codes = [c.strip().upper() for c in payload.codes]
    found = list(selectors.aspirations_visible_to(user).filter(code__in=codes))
    result = services.bulk_action(
        actor=user, aspirations=found, action=payload.action, reason=payload.reason
    )
    known = {a.code for a in found}
    return {**result, "not_found": [c for c in codes if c not in known]}


def _staff_event(event: AspirationEvent, viewer: User) -> dict[str, Any]:
    actor = selectors.actor_label(event, viewer)
    return {
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": event.display_reason,
        "is_public": event.is_public,
        "actor_role": event.actor_role,
        "actor": actor.as_dict(),
        "actor_name": actor.label if actor.named else "",
        "from_agency": agency_ref(event.from_agency),
        "to_agency": agency_ref(event.to_agency),
        "at": event.created_at,
    }


@router.get(
    "/staff/aspirations/{code}",
    auth=session_auth,
    response={200: StaffAspirationOut, **errors(401, 403, 404)},
    tags=["staff"],
    summary="Detail aspirasi untuk petugas",
    description="Isi lengkap, pelapor sebatas perlu-tahu, dan catatan internal.",
)
def staff_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    user = require_staff(request)
    a = selectors.get_aspiration_for_staff(user=user, code=code)
    events = a.events.select_related("actor", "from_agency", "to_agency")
    return {
        "code": a.code,
        "kind": a.kind,
        "channel": a.channel,
        "title": a.title,
        "text": a.text,
        "status": a.status,
        "status_label": str(a.get_status_display()),
        "privacy": a.privacy,
        "category": category_ref(a.category),
        "agency": agency_ref(a.agency),
        "kelurahan": area_ref(a.kelurahan),
        "latitude": a.latitude,
        "longitude": a.longitude,
        "address": a.address,
        "reporter": selectors.reporter_view(user, a),
        "entered_by_staff": a.entered_by_id is not None,
        "can_act": can_act_on(user, a),
        "allowed_statuses": sorted(TRANSITIONS.get(a.status, frozenset())),
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "verify_due_at": a.verify_due_at,
        "response_due_at": a.response_due_at,
        "resolution_due_at": a.resolution_due_at,
        "due_at": selectors.next_deadline(a),
        "seconds_left": seconds_left(a),
        "breached": a.breached,
        "escalation": a.escalation,
        "disposition_count": a.disposition_count,
        "is_ping_pong": a.is_ping_pong,
        "assigned_for_good": a.assigned_for_good,
        "reopen_count": a.reopen_count,
        "rating": a.rating,
        "rating_comment": a.rating_comment,
        "public_answer": a.public_answer,
        "merged_into": a.merged_into.code if a.merged_into else None,
        "photos": photo_list(request, a),
        "events": [_staff_event(e, user) for e in events],
    }


def _agency_by_code(code: str | None) -> Agency | None:
    """Any agency, retired ones too: the service refuses a retired one with its own message."""
    if not code:
        return None
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ValidationFailed(
            _("OPD tidak dikenal."), details={"field": "agency", "reason": "unknown_agency"}
        )
    return agency


def _target_agency(code: str | None) -> Agency:
    agency = _agency_by_code(code)
    if agency is None:
        raise ValidationFailed(_("Pilih OPD tujuan."), details={"field": "agency"})
    return agency


def _run_transition(user: Any, a: Aspiration, data: TransitionIn) -> Aspiration:
    """Map one staff action onto its service; the service checks permission and workflow."""
    reason, answer = data.reason, data.answer or data.reason
    actions: dict[str, Callable[[], Aspiration]] = {
        "verify": lambda: services.verify_aspiration(
            actor=user, aspiration=a, agency=_agency_by_code(data.agency), privacy=data.privacy
        ),
        "reject": lambda: services.reject_aspiration(actor=user, aspiration=a, reason=reason),
        "start": lambda: services.start_progress(actor=user, aspiration=a, note=reason),
        "answer": lambda: services.answer_aspiration(actor=user, aspiration=a, answer=answer),
        "resolve": lambda: services.resolve_aspiration(actor=user, aspiration=a, answer=answer),
        "redisposition": lambda: services.redisposition_aspiration(
            actor=user, aspiration=a, agency=_target_agency(data.agency), reason=reason
        ),
        "assign": lambda: services.assign_for_good(
            actor=user, aspiration=a, agency=_target_agency(data.agency), reason=reason
        ),
        "check_approve": lambda: services.check_resolution(
            actor=user, aspiration=a, approve=True, reason=reason
        ),
        "check_send_back": lambda: services.check_resolution(
            actor=user, aspiration=a, approve=False, reason=reason
        ),
        "note": lambda: services.add_internal_note(actor=user, aspiration=a, note=reason),
        "place": lambda: services.place_aspiration(
            actor=user,
            aspiration=a,
            location=services.Location(
                latitude=data.latitude, longitude=data.longitude, address=data.address
            ),
        ),
    }
    return actions[data.action]()


@router.post(
    "/staff/aspirations/{code}/transitions",
    auth=session_auth,
    tags=["staff"],
    response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
    summary="Tindak lanjut petugas",
    description="Satu aksi alur kerja: verify, reject, start, answer, resolve, "
    "redisposition, assign, check_approve, check_send_back, note, atau place (lokasi). "
    "Inspektorat "
    "hanya membaca.",
)
def staff_transition(request: HttpRequest, code: str, payload: TransitionIn) -> dict[str, str]:
    user = require_staff(request)
    aspiration = selectors.get_aspiration_for_staff(user=user, code=code)
    return status_body(_run_transition(user, aspiration, payload))


@router.post(
    "/staff/aspirations/{code}/merge",
    auth=session_auth,
    tags=["staff"],
    response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
    summary="Gabungkan laporan ganda",
    description="Laporan `code` digabung ke laporan `into`; pengikut dan pelapornya "
    "ikut mengikuti laporan utama.",
)
def staff_merge(request: HttpRequest, code: str, payload: MergeIn) -> dict[str, str]:
    user = require_staff(request)
    duplicate = selectors.get_aspiration_for_staff(user=user, code=code)
    into = selectors.get_aspiration_for_staff(user=user, code=payload.into)
    services.merge_aspirations(actor=user, duplicate=duplicate, into=into, reason=payload.reason)
    duplicate.refresh_from_db(fields=["status", "agency"])
    return status_body(duplicate)


@router.post(
    "/staff/intake",
    auth=session_auth,
    tags=["staff"],
    response={201: AspirationCreatedOut, **errors(401, 403, 409, 422)},
    summary="Input laporan oleh petugas",
    description="Laporan yang datang lewat loket, telepon, SMS, atau WhatsApp dicatat "
    "petugas atas nama pelapor. Mendukung `Idempotency-Key`.",
)
def staff_intake(
    request: HttpRequest, payload: IntakeIn, idempotency_key: str | None = IDEMPOTENCY_HEADER
) -> Status[dict[str, Any]]:
    user = require_staff(request)
    submission = services.Submission(
        title=payload.title,
        text=payload.text,
        category=payload.category,
        kind=payload.kind,
        channel=payload.channel,
        privacy=payload.privacy,
        location=services.Location(
            latitude=payload.latitude, longitude=payload.longitude, address=payload.address
        ),
        reporter_name=payload.reporter_name,
        reporter_contact=payload.reporter_contact,
        share_contact_with_agency=payload.share_contact_with_agency,
        entered_by=user,
    )
    return Status(
        *submit_once(
            request,
            submission,
            endpoint="api:intake",
            caller=user.pk,
            idempotency_key=idempotency_key,
        )
    )
