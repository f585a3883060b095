"""JSON API of the fleet app, mounted under /api/v1/fleet.

- `POST /{vehicle}/positions`: the tracker's HTTP ingest, same payloads as MQTT
  `terang/fleet/<vehicle>`; the vehicle proves itself with its token (`Authorization: Bearer
  <token>` or `X-Vehicle-Token`).
- `GET /positions`, `/vehicles/{code}/trail`, `/routes/{code}/coverage`: staff reads (session
  with two-factor; operators and administrators see every vehicle, agency staff their own)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from terang.core.api_auth import require_user, session_auth
from terang.core.errors import PermissionDenied
from terang.core.models import User
from terang.core.schemas import IngestOut, batch_body_doc, errors
from terang.fleet import permissions, selectors, services
from terang.fleet.schemas import (
    CoverageOut,
    DayQuery,
    LastPositionsOut,
    TrailOut,
)

router = Router(tags=["fleet"])

_BODY_DOC = batch_body_doc(
    'One fix {"ts": ISO-8601 with offset, "lat", "lon", '
    '"speed"? (km/h), "heading"? (degrees)}, a list of them, or '
    '{"positions": [...]}.'
)


def _token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.headers.get("X-Vehicle-Token", "").strip()


@router.post(
    "/{vehicle}/positions",
    response={200: IngestOut, **errors(401, 413)},
    openapi_extra=_BODY_DOC,
    summary="Kirim posisi kendaraan",
)
def ingest_vehicle_positions(request: HttpRequest, vehicle: str) -> IngestOut:
    """GPS fixes of one vehicle.

    Valid fixes are stored once per (vehicle, ts); the others are quarantined and listed in
    `rejected` with their reason."""
    found = services.authenticate_vehicle(vehicle_code=vehicle, token=_token(request))
    return IngestOut.of(services.ingest_positions(vehicle=found, payload=request.body))


def _fleet_user(request: HttpRequest) -> User:
    user = require_user(request)
    if not permissions.can_view_fleet(user):
        raise PermissionDenied()
    return user


def _agency(vehicle: Any) -> dict[str, str] | None:
    agency = vehicle.agency
    return {"code": agency.code, "short_name": agency.short_name} if agency else None


@router.get(
    "/positions",
    auth=session_auth,
    response={200: LastPositionsOut, **errors(401, 403)},
    summary="Posisi terakhir kendaraan",
)
def last_positions(request: HttpRequest) -> dict[str, Any]:
    """The last known position and state of every vehicle I may follow."""
    user = _fleet_user(request)
    rows = selectors.last_positions(selectors.vehicles_visible_to(user))
    items = []
    for row in rows:
        latest = row.latest
        items.append(
            {
                "vehicle": row.vehicle.code,
                "plate": row.vehicle.plate,
                "kind": row.vehicle.kind,
                "agency": _agency(row.vehicle),
                "state": row.state,
                "ts": latest.ts if latest else None,
                "age_seconds": int(row.age.total_seconds()) if row.age is not None else None,
                "lat": latest.latitude if latest else None,
                "lon": latest.longitude if latest else None,
                "speed": latest.speed_kmh if latest else None,
                "heading": latest.heading_deg if latest else None,
                "idle_since": latest.stop_started_at if latest and row.is_idle else None,
            }
        )
    return {"items": items}


@router.get(
    "/vehicles/{code}/trail",
    auth=session_auth,
    response={200: TrailOut, **errors(401, 403, 404, 422)},
    summary="Jejak kendaraan sehari",
)
def vehicle_trail(request: HttpRequest, code: str, query: Query[DayQuery]) -> dict[str, Any]:
    """Every fix of the vehicle on one city day, oldest first, and its idle periods."""
    user = _fleet_user(request)
    vehicle = selectors.get_vehicle_for_staff(user=user, code=code)
    day = query.day or selectors.city_day()
    trail = selectors.trail_of_day(vehicle=vehicle, day=day)
    idle = selectors.idle_periods(vehicle=vehicle, day=day, trail=trail)
    return {
        "vehicle": vehicle.code,
        "day": day,
        "positions": [
            {
                "ts": p.ts,
                "lat": p.latitude,
                "lon": p.longitude,
                "speed": p.speed_kmh,
                "heading": p.heading_deg,
            }
            for p in trail
        ],
        "idle_periods": [
            {
                "started_at": s.started_at,
                "ended_at": s.ended_at,
                "minutes": round(s.duration.total_seconds() / 60, 1),
                "lat": s.lat,
                "lon": s.lon,
            }
            for s in idle
        ],
    }


@router.get(
    "/routes/{code}/coverage",
    auth=session_auth,
    response={200: CoverageOut, **errors(401, 403, 404, 422)},
    summary="Cakupan rute sehari",
)
def route_coverage(request: HttpRequest, code: str, query: Query[DayQuery]) -> dict[str, Any]:
    """Which of the route's points a counted vehicle passed within 50 m of on one city day."""
    user = _fleet_user(request)
    route = selectors.get_route_for_staff(user=user, code=code)
    day = query.day or selectors.city_day()
    coverage = selectors.route_coverage(route=route, day=day)
    return {
        "route": route.code,
        "name": route.name,
        "day": day,
        "vehicle": route.vehicle.code if route.vehicle else None,
        "total": coverage.total,
        "passed": coverage.passed,
        "percent": coverage.percent,
        "points": [
            {"lat": point[0], "lon": point[1], "covered": covered}
            for point, covered in zip(route.points, coverage.covered, strict=True)
        ],
    }
