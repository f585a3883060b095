"""Writes of the fleet's reference rows: vehicles and their ingest tokens, depots, routes and
the city's tracking policy. Each is audited (actor None for the seed and commands)."""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.crypto import digest
from terang.core.errors import DomainError, ValidationFailed
from terang.core.models import Agency, User
from terang.fleet.models import Depot, FleetPolicy, Route, Vehicle
from terang.fleet.policy import forget_fleet_rules
from terang.fleet.tracks import bounding_box

MAX_ROUTE_POINTS = 5000


class VehicleNotAuthenticated(DomainError):
    code = "invalid_vehicle_token"
    status = 401
    default_message = _("Token kendaraan tidak valid.")


def _clean(instance: Any) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationFailed(details={"fields": exc.message_dict}) from exc


@transaction.atomic
def register_vehicle(
    *,
    code: str,
    kind: str,
    agency: Agency | None = None,
    plate: str = "",
    name: str = "",
    actor: User | None = None,
) -> Vehicle:
    """Add a vehicle; it sends positions once it has a token (`issue_vehicle_token`)."""
    vehicle = Vehicle(code=code, kind=kind, agency=agency, plate=plate, name=name)
    _clean(vehicle)
    vehicle.save()
    record_audit(
        actor=actor,
        action="fleet.vehicle_registered",
        subject=vehicle,
        payload={"code": code, "kind": kind, "agency": agency.code if agency else None},
    )
    return vehicle


@transaction.atomic
def issue_vehicle_token(*, vehicle: Vehicle, actor: User | None = None) -> str:
    """Give the vehicle's tracker a new ingest token; only its digest is kept, so show it once.
    The previous token stops working at once."""
    token = secrets.token_hex(32)
    vehicle.token_digest = digest(token)
    vehicle.save(update_fields=["token_digest"])
    record_audit(actor=actor, action="fleet.vehicle_token_issued", subject=vehicle, payload={})
    return token


def authenticate_vehicle(*, vehicle_code: str, token: str) -> Vehicle:
    """The active vehicle with this code whose token matches; the same error for every miss."""
    vehicle = Vehicle.objects.filter(code=vehicle_code, is_active=True).first()
    expected = vehicle.token_digest if vehicle is not None else ""
    if vehicle is None or not token or not expected:
        raise VehicleNotAuthenticated()
    if not secrets.compare_digest(expected, digest(token)):
        raise VehicleNotAuthenticated()
    return vehicle


@transaction.atomic
def create_depot(
    *,
    code: str,
    name: str,
    latitude: float,
    longitude: float,
    radius_m: int = 150,
    agency: Agency | None = None,
    actor: User | None = None,
) -> Depot:
    """Add a depot (pool): stopping inside its radius never counts as idling."""
    depot = Depot(
        code=code,
        name=name,
        latitude=latitude,
        longitude=longitude,
        radius_m=radius_m,
        agency=agency,
    )
    _clean(depot)
    depot.save()
    record_audit(
        actor=actor,
        action="fleet.depot_created",
        subject=depot,
        payload={"code": code, "lat": latitude, "lon": longitude, "radius_m": radius_m},
    )
    return depot


def clean_route_points(points: Any) -> list[list[float]]:
    """[[lat, lon], ...] with at least one point, each a pair of finite numbers in range."""
    if not isinstance(points, Sequence) or isinstance(points, str) or not points:
        raise ValidationFailed(
            _("Rute membutuhkan paling sedikit satu titik."), details={"field": "points"}
        )
    if len(points) > MAX_ROUTE_POINTS:
        raise ValidationFailed(
            _("Rute terlalu banyak titik."),
            details={"field": "points", "max": MAX_ROUTE_POINTS},
        )
    cleaned = []
    for index, point in enumerate(points):
        ok = (
            isinstance(point, Sequence)
            and not isinstance(point, str)
            and len(point) == 2
            and all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                for v in point
            )
        )
        if not ok or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
            raise ValidationFailed(
                _("Titik rute harus berupa pasangan [lintang, bujur] yang valid."),
                details={"field": "points", "index": index},
            )
        cleaned.append([float(point[0]), float(point[1])])
    return cleaned


@transaction.atomic
def save_route(
    *,
    code: str,
    name: str,
    points: Any,
    agency: Agency | None = None,
    vehicle: Vehicle | None = None,
    actor: User | None = None,
) -> Route:
    """Create the route with this code, or replace its name, points, agency and vehicle."""
    cleaned = clean_route_points(points)
    route = Route.objects.select_for_update().filter(code=code).first() or Route(code=code)
    route.name = name
    route.points = cleaned
    route.agency = agency
    route.vehicle = vehicle
    route.min_lat, route.max_lat, route.min_lon, route.max_lon = bounding_box(cleaned)
    _clean(route)
    created = route.pk is None
    route.save()
    record_audit(
        actor=actor,
        action="fleet.route_created" if created else "fleet.route_replaced",
        subject=route,
        payload={
            "code": code,
            "points": len(cleaned),
            "agency": agency.code if agency else None,
            "vehicle": vehicle.code if vehicle else None,
        },
    )
    return route


@transaction.atomic
def set_fleet_policy(
    *, idle_minutes: int, silent_minutes: int, actor: User | None = None
) -> FleetPolicy:
    """Change the city's idle and silent limits (every process sees them within a minute)."""
    if idle_minutes <= 0 or silent_minutes <= 0:
        raise ValidationFailed(details={"field": "minutes"})
    policy = FleetPolicy.objects.select_for_update().order_by("pk").first() or FleetPolicy()
    policy.idle_minutes = idle_minutes
    policy.silent_minutes = silent_minutes
    policy.save()
    record_audit(
        actor=actor,
        action="fleet.policy_changed",
        subject=policy,
        payload={"idle_minutes": idle_minutes, "silent_minutes": silent_minutes},
    )
    transaction.on_commit(forget_fleet_rules)
    return policy
