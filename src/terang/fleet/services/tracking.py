"""The live state of each vehicle, moved forward by every batch of new positions: its latest
fix, the stop it is in, and the idle period that stop has become (tracks.py has the rules),
opened and, when the vehicle moves on, resolved as an alert (`services.alerts`).

Only fixes newer than the latest one move the state; a late fix is stored in the history (and
counted by the history reads) but never rewinds the present. Callers hold the vehicles' row
locks (ingest takes them in pk order), so two writers never interleave one vehicle's state."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from terang.fleet.models import Depot, IdlePeriod, LatestPosition, Position
from terang.fleet.policy import FleetRules, fleet_rules
from terang.fleet.services.alerts import end_idle_alert, raise_idle_alert
from terang.fleet.tracks import DepotArea, Fix, continues_stop, inside_depot, is_slow


def depot_areas() -> list[DepotArea]:
    """Every active depot as a circle (a handful of rows)."""
    return [
        DepotArea(lat, lon, float(radius))
        for lat, lon, radius in Depot.objects.filter(is_active=True).values_list(
            "latitude", "longitude", "radius_m"
        )
    ]


def advance_tracking(positions: Sequence[Position], *, now: dt.datetime) -> None:
    """Move each vehicle's live state forward through its new fixes, oldest first."""
    by_vehicle: dict[int, list[Position]] = defaultdict(list)
    for position in positions:
        by_vehicle[position.vehicle_id].append(position)
    if not by_vehicle:
        return
    states = {
        state.vehicle_id: state
        for state in LatestPosition.objects.filter(vehicle_id__in=by_vehicle).select_related(
            "open_idle"
        )
    }
    rules = fleet_rules()
    depots = depot_areas()
    for vehicle_id in sorted(by_vehicle):
        fixes = sorted(by_vehicle[vehicle_id], key=lambda p: p.ts)
        state = states.get(vehicle_id)
        fresh = [p for p in fixes if state is None or p.ts > state.ts]
        if not fresh:
            continue
        if state is None:
            state = LatestPosition(vehicle_id=vehicle_id)
        touched: dict[int, IdlePeriod] = {}
        for position in fresh:
            _step(state, position, rules, depots, now, touched)
        for period in touched.values():
            period.save(update_fields=["last_seen_at", "ended_at"])
            if period.ended_at is not None:
                end_idle_alert(period)
        state.save()


def _step(
    state: LatestPosition,
    position: Position,
    rules: FleetRules,
    depots: list[DepotArea],
    now: dt.datetime,
    touched: dict[int, IdlePeriod],
) -> None:
    fix = Fix(position.ts, position.latitude, position.longitude, position.speed_kmh)
    started = state.stop_started_at
    anchor_lat, anchor_lon = state.stop_latitude, state.stop_longitude
    if (
        started is not None
        and anchor_lat is not None
        and anchor_lon is not None
        and continues_stop(
            anchor_lat=anchor_lat,
            anchor_lon=anchor_lon,
            previous_ts=state.ts,
            fix=fix,
            max_gap=rules.silent_after,
        )
    ):
        period = state.open_idle
        if period is not None:
            period.last_seen_at = fix.ts
            touched[period.pk] = period
        elif not state.in_depot and fix.ts - started > rules.idle_after:
            state.open_idle = raise_idle_alert(
                vehicle_id=state.vehicle_id,
                started_at=started,
                idle_at=started + rules.idle_after,
                seen_at=fix.ts,
                latitude=anchor_lat,
                longitude=anchor_lon,
                now=now,
            )
    else:
        period = state.open_idle
        if period is not None:
            period.ended_at = state.ts
            period.last_seen_at = state.ts
            touched[period.pk] = period
            state.open_idle = None
        slow = is_slow(fix)
        state.stop_started_at = fix.ts if slow else None
        state.stop_latitude = fix.lat if slow else None
        state.stop_longitude = fix.lon if slow else None
        state.in_depot = inside_depot(fix.lat, fix.lon, depots)
    state.ts = fix.ts
    state.latitude = fix.lat
    state.longitude = fix.lon
    state.speed_kmh = position.speed_kmh
    state.heading_deg = position.heading_deg
