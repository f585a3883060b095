"""Idle periods as alerts, on core's one lifecycle (`terang.core.alerts`).

* The ingest opens the alert when a stop outside every depot passes the idle limit
  (`raise_idle_alert`), keyed by vehicle and the stop's start: the same stop seen again (a
  redelivered batch, a lost live state) is the same alert and opens nothing new. Its later fixes
  move `last_seen_at` through the live state and are not counted as repeats: a tracker reports
  every few seconds, and each report would otherwise be an audit entry.
* Operators, and the staff of the vehicle's agency, acknowledge it ("we are calling the
  driver") or resolve it (e.g. a breakdown handed to the workshop) with a note.
* When the vehicle moves on, the ingest resolves the alert itself (`end_idle_alert`), through
  core's `resolve_alert` with no actor, so the trail reads `fleet_idle_alert.ended` by "system".
  An operator would expect this: the alert says "this vehicle is standing idle now"; once it
  drives away there is nothing left to act on, and keeping every ended stop listed until
  someone clicks it away would bury the vehicles still standing among lunch breaks already
  over. What happened stays in the idle period row, the vehicle's day page and the audit
  trail. A vehicle that stops reporting while idle keeps its alert until someone resolves it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from terang.core import alerts
from terang.core.errors import InvalidTransition, PermissionDenied
from terang.core.models import User
from terang.fleet.models import IdlePeriod
from terang.fleet.permissions import can_handle_idle_alert

ACTION_PREFIX = "fleet_idle_alert"
NOTE_MAX_LENGTH = 2000


def _payload(period: IdlePeriod, **extra: Any) -> dict[str, Any]:
    return {
        "vehicle": period.vehicle_id,
        "started_at": period.started_at.isoformat(),
        "idle_at": period.idle_at.isoformat(),
        "ended_at": period.ended_at.isoformat() if period.ended_at else None,
        "status": period.status,
        "occurrences": period.occurrences,
        **extra,
    }


def raise_idle_alert(
    *,
    vehicle_id: int,
    started_at: dt.datetime,
    idle_at: dt.datetime,
    seen_at: dt.datetime,
    latitude: float,
    longitude: float,
    now: dt.datetime,
) -> IdlePeriod:
    """Open the idle alert of the stop that began at `started_at`, or return the one it already
    has, whatever its status: an alert resolved while the vehicle still stands there stays
    resolved (the unique (vehicle, started_at) keeps one alert per stop). Call with the
    vehicle's row lock held (the ingest does)."""

    def find() -> IdlePeriod | None:
        return (
            IdlePeriod.objects.select_for_update()
            .filter(vehicle_id=vehicle_id, started_at=started_at)
            .first()
        )

    return alerts.open_or_repeat_alert(
        model=IdlePeriod,
        key={"vehicle_id": vehicle_id, "started_at": started_at},
        values={
            "idle_at": idle_at,
            "last_seen_at": seen_at,
            "latitude": latitude,
            "longitude": longitude,
            "detected_at": now,
        },
        repeat=lambda period: None,
        action_prefix=ACTION_PREFIX,
        payload=_payload,
        find_active=find,
    )


def end_idle_alert(period: IdlePeriod) -> None:
    """The vehicle moved on (`ended_at` is saved): resolve its alert if still active, with no
    actor. One an operator resolved meanwhile is left as they resolved it."""
    if period.status not in alerts.ACTIVE_STATUSES:
        return
    try:
        alerts.resolve_alert(
            model=IdlePeriod,
            alert=period,
            actor=None,
            action=f"{ACTION_PREFIX}.ended",
            payload=_payload,
        )
    except InvalidTransition:
        return  # resolved by someone between our read and the row lock


def _ensure_can_handle(actor: User, period: IdlePeriod) -> None:
    if not can_handle_idle_alert(actor, period):
        raise PermissionDenied()


def acknowledge_idle_alert(*, actor: User, alert: IdlePeriod) -> IdlePeriod:
    """Staff take an open idle alert in hand (who and when are kept)."""
    _ensure_can_handle(actor, alert)
    return alerts.acknowledge_alert(
        model=IdlePeriod,
        alert=alert,
        actor=actor,
        action=f"{ACTION_PREFIX}.acknowledged",
        payload=_payload,
    )


def resolve_idle_alert(*, actor: User, alert: IdlePeriod, note: str = "") -> IdlePeriod:
    """Staff close an active idle alert, whether or not the vehicle still stands there; the
    vehicle's next idle stop opens a new one."""
    _ensure_can_handle(actor, alert)
    return alerts.resolve_alert(
        model=IdlePeriod,
        alert=alert,
        actor=actor,
        action=f"{ACTION_PREFIX}.resolved",
        payload=_payload,
        note=note,
        note_max_length=NOTE_MAX_LENGTH,
    )
