"""Alerts for staff over JSON (/api/v1/alerts): the scoped list and detail, and the two
operator actions. Session auth with a TOTP-verified staff member; acknowledge and resolve call
the same services as the HTML pages, which allow only operators and administrators."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from terang.controlroom.alerts import selectors, services
from terang.controlroom.choices import AlertStatus, Severity
from terang.controlroom.models import Alert
from terang.controlroom.permissions import can_manage_alerts
from terang.core.api_auth import require_staff, session_auth
from terang.core.errors import ValidationFailed
from terang.core.models import User
from terang.core.schemas import errors

router = Router(tags=["alerts"])
# Each operation_id is the one the endpoint was first published with: generated clients name
# their methods after it, so it stays put when the module moves.

STATUS_FILTERS = [selectors.ACTIVE, *AlertStatus.values]


class StationRef(Schema):
    code: str
    name: str


class RuleRef(Schema):
    id: int
    name: str
    kind: str


class AlertOut(Schema):
    id: int
    status: str
    status_label: str
    severity: str
    severity_label: str
    station: StationRef
    rule: RuleRef
    message: str
    value: float | None
    occurrences: int
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    acknowledged_by: str | None = Field(..., description="Nama petugas yang menangani.")
    acknowledged_at: dt.datetime | None
    resolved_by: str | None
    resolved_at: dt.datetime | None
    resolution_note: str
    can_manage: bool = Field(..., description="Apakah pemanggil boleh menangani peringatan.")
    url: str = Field(..., description="Halaman staf peringatan ini.")


class AlertPage(Schema):
    items: list[AlertOut]
    next_cursor: str | None = Field(
        ..., description="Kirim sebagai `cursor` untuk halaman berikut."
    )


class AlertListFilters(Schema):
    status: str = Field(
        "", description="active (terbuka atau ditangani), open, acknowledged, resolved."
    )
    severity: str = Field("", description="info, warning, danger.")
    station: str = Field("", description="Kode stasiun.")
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)


class ResolveIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000, description="Catatan penyelesaian.")


def _name(user: User | None) -> str | None:
    return user.display_name if user is not None else None


def _out(alert: Alert, user: User) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "status": alert.status,
        "status_label": str(alert.get_status_display()),
        "severity": alert.severity,
        "severity_label": str(alert.get_severity_display()),
        "station": {"code": alert.station.code, "name": alert.station.name},
        "rule": {"id": alert.rule.pk, "name": alert.rule.name, "kind": alert.rule.kind},
        "message": alert.message,
        "value": alert.value,
        "occurrences": alert.occurrences,
        "first_seen_at": alert.first_seen_at,
        "last_seen_at": alert.last_seen_at,
        "acknowledged_by": _name(alert.acknowledged_by),
        "acknowledged_at": alert.acknowledged_at,
        "resolved_by": _name(alert.resolved_by),
        "resolved_at": alert.resolved_at,
        "resolution_note": alert.resolution_note,
        "can_manage": can_manage_alerts(user),
        "url": reverse("controlroom:alert_detail", args=[alert.pk]),
    }


def _filters(query: AlertListFilters) -> selectors.AlertFilters:
    problems = {}
    if query.status and query.status not in STATUS_FILTERS:
        problems["status"] = STATUS_FILTERS
    if query.severity and query.severity not in Severity.values:
        problems["severity"] = list(Severity.values)
    if problems:
        raise ValidationFailed(details={"allowed": problems})
    return selectors.AlertFilters(query.status, query.severity, query.station)


def _cursor(raw: str | None) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationFailed(details={"field": "cursor"})
    return int(raw)


@router.get(
    "",
    auth=session_auth,
    response={200: AlertPage, **errors(401, 403, 422)},
    summary="Daftar peringatan",
    description="Peringatan yang boleh dilihat pemanggil (operator, admin, dan inspektorat: "
    "semua; petugas OPD: stasiun OPD-nya), terbaru dibuka dulu, per halaman dengan kursor.",
    operation_id="terang_controlroom_api_alerts_list_alerts",
)
def list_alerts(request: HttpRequest, query: Query[AlertListFilters]) -> dict[str, Any]:
    user = require_staff(request)
    rows, next_id = selectors.alerts_page_for(
        user, _filters(query), after_id=_cursor(query.cursor), limit=query.limit
    )
    return {
        "items": [_out(alert, user) for alert in rows],
        "next_cursor": str(next_id) if next_id is not None else None,
    }


@router.get(
    "/{alert_id}",
    auth=session_auth,
    response={200: AlertOut, **errors(401, 403, 404)},
    summary="Detail peringatan",
    description="Satu peringatan yang boleh dilihat pemanggil; 404 untuk yang lain.",
    operation_id="terang_controlroom_api_alerts_get_alert",
)
def get_alert(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    user = require_staff(request)
    return _out(selectors.get_alert_for_staff(user=user, alert_id=alert_id), user)


@router.post(
    "/{alert_id}/acknowledge",
    auth=session_auth,
    response={200: AlertOut, **errors(401, 403, 404, 409)},
    summary="Tangani peringatan",
    description="Operator menandai peringatan terbuka sedang ditangani (siapa dan kapan "
    "dicatat di jejak audit). 409 `invalid_transition` bila peringatan tidak terbuka; 403 "
    "bagi selain operator dan administrator.",
    operation_id="terang_controlroom_api_alerts_acknowledge",
)
def acknowledge(request: HttpRequest, alert_id: int) -> dict[str, Any]:
    user = require_staff(request)
    alert = selectors.get_alert_for_staff(user=user, alert_id=alert_id)
    services.acknowledge_alert(actor=user, alert=alert)
    return _out(selectors.get_alert_for_staff(user=user, alert_id=alert_id), user)


@router.post(
    "/{alert_id}/resolve",
    auth=session_auth,
    response={200: AlertOut, **errors(401, 403, 404, 409, 422)},
    summary="Selesaikan peringatan",
    description="Operator menutup peringatan aktif dengan catatan; pelanggaran berikutnya "
    "membuka peringatan baru. 409 `invalid_transition` bila sudah selesai; 403 bagi selain "
    "operator dan administrator.",
    operation_id="terang_controlroom_api_alerts_resolve",
)
def resolve(request: HttpRequest, alert_id: int, payload: ResolveIn) -> dict[str, Any]:
    user = require_staff(request)
    alert = selectors.get_alert_for_staff(user=user, alert_id=alert_id)
    note = payload.note.strip()
    if not note:
        raise ValidationFailed(details={"field": "note"})
    services.resolve_alert(actor=user, alert=alert, note=note)
    return _out(selectors.get_alert_for_staff(user=user, alert_id=alert_id), user)
