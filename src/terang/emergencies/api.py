"""JSON API of the emergencies app, mounted under /api/v1/emergencies.

Session auth with a TOTP-verified staff member (as the HTML desk); reads are scoped by the same
selectors as the pages, and every write goes through the same service, which checks the role
again. Errors use the shared envelope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, Router, Status

from terang.core.api_auth import require_staff, session_auth
from terang.core.crypto import is_unreadable
from terang.core.errors import PermissionDenied
from terang.core.idempotency import create_once
from terang.core.models import User
from terang.core.schemas import errors

from . import permissions, selectors, services
from .models import Incident
from .schemas import (
    CancelIn,
    CloseIn,
    DispatchIn,
    IncidentIn,
    IncidentListOut,
    IncidentOut,
    OnSceneIn,
    UnitListOut,
)

router = Router(tags=["emergencies"])

IDEMPOTENCY_HEADER = Header(
    None,
    alias="Idempotency-Key",
    description="Kunci unik per panggilan; pengulangan mengembalikan kejadian yang pertama.",
)
IDEMPOTENCY_DOC = (
    "Header `Idempotency-Key` opsional: pengulangan dengan kunci yang sama mengembalikan kejadian "
    "yang pertama tanpa membuat kejadian baru."
)


def _viewer(request: HttpRequest) -> User:
    user = require_staff(request)
    if not permissions.can_view_incidents(user):
        raise PermissionDenied()
    return user


def _stage(stage: selectors.Stage, target: int) -> dict[str, Any]:
    return {
        "target_minutes": target,
        "due_at": stage.due_at,
        "done_at": stage.done_at,
        "state": stage.state,
        "breached": stage.breached,
        "minutes": stage.minutes,
    }


def _summary(incident: Incident, now: dt.datetime, units: list[str]) -> dict[str, Any]:
    breach = selectors.incident_breach(incident, now=now)
    dispatch_minutes, arrival_minutes = selectors.target_minutes(incident)
    area = incident.kelurahan
    return {
        "reference": incident.reference,
        "incident_type": incident.incident_type,
        "incident_type_label": str(incident.get_incident_type_display()),
        "status": incident.status,
        "status_label": str(incident.get_status_display()),
        "kelurahan": {"code": area.code, "name": area.name} if area else None,
        "address": incident.address,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "received_at": incident.received_at,
        "dispatched_at": incident.dispatched_at,
        "on_scene_at": incident.on_scene_at,
        "closed_at": incident.closed_at,
        "elapsed_minutes": selectors.elapsed_minutes(incident, now=now),
        "dispatch": _stage(breach.dispatch, dispatch_minutes),
        "arrival": _stage(breach.arrival, arrival_minutes),
        "units": units,
    }


def _detail(user: User, reference: str) -> dict[str, Any]:
    incident = selectors.get_incident_for_staff(user=user, reference=reference)
    dispatches = selectors.incident_dispatches(incident)
    phone = incident.caller_phone
    return {
        **_summary(incident, timezone.now(), [d.unit.code for d in dispatches]),
        "description": incident.description,
        "caller": {
            "name": incident.caller_name,
            "phone": "" if is_unreadable(phone) else phone,
            "phone_unreadable": is_unreadable(phone),
            "earlier_calls_30_days": selectors.earlier_calls_from_same_number(incident),
        },
        "closing_note": incident.closing_note,
        "received_by": incident.created_by.display_name,
        "dispatches": [
            {
                "unit": d.unit.code,
                "unit_name": d.unit.name,
                "dispatched_at": d.dispatched_at,
                "arrived_at": d.arrived_at,
                "released_at": d.released_at,
            }
            for d in dispatches
        ],
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "actor": e.actor.display_name if e.actor else "",
                "unit": e.unit.code if e.unit else None,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
            }
            for e in selectors.incident_timeline(incident)
        ],
    }


@router.post(
    "/",
    auth=session_auth,
    response={201: IncidentOut, **errors(401, 403, 409, 422)},
    summary="Terima panggilan 112",
    description="Petugas penerima panggilan (operator, admin) mencatat panggilan; target waktu "
    "pengerahan dan kedatangan mulai dihitung. " + IDEMPOTENCY_DOC,
)
def receive_call(
    request: HttpRequest, payload: IncidentIn, idempotency_key: str | None = IDEMPOTENCY_HEADER
) -> Status:
    user = require_staff(request)

    def create() -> tuple[int, dict[str, str]]:
        incident = services.receive_call(
            actor=user,
            incident_type=payload.incident_type,
            description=payload.description,
            caller_name=payload.caller_name,
            caller_phone=payload.caller_phone,
            location=services.Location(
                latitude=payload.latitude, longitude=payload.longitude, address=payload.address
            ),
        )
        return 201, {"reference": incident.reference}

    outcome = create_once(
        scope=f"emergencies.api_receive:{user.pk}",
        key=idempotency_key,
        request=payload.model_dump(),
        create=create,
    )
    return Status(outcome.status, _detail(user, outcome.body["reference"]))


@router.get(
    "/",
    auth=session_auth,
    response={200: IncidentListOut, **errors(401, 403)},
    summary="Kejadian 112 aktif",
    description="Kejadian yang masih ditangani (panggilan terlama dulu) dengan menit berlalu dan "
    "status target. Petugas OPD hanya melihat kejadian tempat unit OPD-nya dikerahkan.",
)
def active_list(request: HttpRequest) -> dict[str, Any]:
    user = _viewer(request)
    now = timezone.now()
    return {
        "items": [
            _summary(i, now, [d.unit.code for d in i.dispatches.all()])
            for i in selectors.active_incidents(user)
        ]
    }


@router.get(
    "/units",
    auth=session_auth,
    response={200: UnitListOut, **errors(401, 403)},
    summary="Unit respons 112",
    description="Semua unit (pemadam, ambulans, polisi, BPBD): siap operasi, dan kejadian yang "
    "sedang ditangani bila ada.",
)
def unit_list(request: HttpRequest) -> dict[str, Any]:
    _viewer(request)
    items = []
    for unit, dispatch in selectors.units_overview():
        items.append(
            {
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind,
                "kind_label": str(unit.get_kind_display()),
                "agency": {"code": unit.agency.code, "name": unit.agency.name}
                if unit.agency
                else None,
                "base_name": unit.base_name,
                "base_latitude": unit.base_latitude,
                "base_longitude": unit.base_longitude,
                "is_available": unit.is_available,
                "busy_on": dispatch.incident.reference if dispatch else None,
            }
        )
    return {"items": items}


@router.get(
    "/{reference}",
    auth=session_auth,
    response={200: IncidentOut, **errors(401, 403, 404)},
    summary="Detail kejadian 112",
    description="Kejadian lengkap untuk petugas: penelepon, unit, riwayat, dan status target.",
)
def incident_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _detail(_viewer(request), reference)


@router.post(
    "/{reference}/dispatch",
    auth=session_auth,
    response={200: IncidentOut, **errors(401, 403, 404, 409, 422)},
    summary="Kerahkan unit",
    description="Kirim satu atau beberapa unit. Unit yang tidak siap operasi (`unit_unavailable`) "
    "atau sedang menangani kejadian lain (`unit_busy`) ditolak dan tidak ada unit yang dikirim.",
)
def dispatch(request: HttpRequest, reference: str, payload: DispatchIn) -> dict[str, Any]:
    user = _viewer(request)
    incident = selectors.get_incident_for_staff(user=user, reference=reference)
    services.dispatch_units(
        actor=user, incident=incident, units=selectors.units_by_code(payload.units, field="units")
    )
    return _detail(user, reference)


@router.post(
    "/{reference}/on-scene",
    auth=session_auth,
    response={200: IncidentOut, **errors(401, 403, 404, 409, 422)},
    summary="Unit tiba di lokasi",
    description="Catat kedatangan unit. Petugas OPD hanya untuk unit OPD-nya; penerima panggilan "
    "untuk semua unit.",
)
def on_scene(request: HttpRequest, reference: str, payload: OnSceneIn) -> dict[str, Any]:
    user = _viewer(request)
    incident = selectors.get_incident_for_staff(user=user, reference=reference)
    unit = selectors.units_by_code([payload.unit], field="unit")[0] if payload.unit else None
    services.mark_on_scene(actor=user, incident=incident, unit=unit)
    return _detail(user, reference)


@router.post(
    "/{reference}/close",
    auth=session_auth,
    response={200: IncidentOut, **errors(401, 403, 404, 409, 422)},
    summary="Tutup kejadian",
    description="Akhiri penanganan kejadian yang unitnya sudah di lokasi, dengan catatan hasil; "
    "unit kembali siaga.",
)
def close(request: HttpRequest, reference: str, payload: CloseIn) -> dict[str, Any]:
    user = _viewer(request)
    incident = selectors.get_incident_for_staff(user=user, reference=reference)
    services.close_incident(actor=user, incident=incident, note=payload.note)
    return _detail(user, reference)


@router.post(
    "/{reference}/cancel",
    auth=session_auth,
    response={200: IncidentOut, **errors(401, 403, 404, 409, 422)},
    summary="Batalkan kejadian",
    description="Penerima panggilan membatalkan kejadian (sebelum unit tiba) atau menandainya "
    "panggilan palsu; unit kembali siaga.",
)
def cancel(request: HttpRequest, reference: str, payload: CancelIn) -> dict[str, Any]:
    user = _viewer(request)
    incident = selectors.get_incident_for_staff(user=user, reference=reference)
    services.cancel_incident(
        actor=user, incident=incident, reason=payload.reason, false_call=payload.false_call
    )
    return _detail(user, reference)
