"""Vehicles, depots and payload helpers for the fleet tests.

Times are fixed in the past (March 2025, WIB = UTC+7), so ingest never sees the future."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest

from terang.core.models import Agency, AuditEntry
from terang.fleet import services
from terang.fleet.choices import VehicleKind
from terang.fleet.models import Depot, IdlePeriod, Vehicle
from terang.fleet.tracks import METRES_PER_DEGREE

BASE = dt.datetime(2025, 3, 10, 1, 0, tzinfo=dt.UTC)  # 08:00 WIB
LAT, LON = -6.2, 106.63


def at(minutes: float = 0.0) -> dt.datetime:
    return BASE + dt.timedelta(minutes=minutes)


def moved(north_m: float = 0.0, east_m: float = 0.0, lat: float = LAT, lon: float = LON):
    """The point `north_m` metres north and `east_m` metres east of (lat, lon)."""
    new_lat = lat + north_m / METRES_PER_DEGREE
    new_lon = lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat)))
    return new_lat, new_lon


def fix(minutes: float = 0.0, *, north: float = 0.0, east: float = 0.0, speed=None, **extra):
    lat, lon = moved(north, east)
    body: dict[str, Any] = {"ts": at(minutes).isoformat(), "lat": lat, "lon": lon}
    if speed is not None:
        body["speed"] = speed
    body.update(extra)
    return body


def as_json(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def ingest(vehicle: Vehicle, payload: Any):  # type: ignore[no-untyped-def]
    return services.ingest_positions(vehicle=vehicle, payload=payload)


def audit_trail(period: IdlePeriod) -> list[tuple[str, str]]:
    """(action, actor) of each audit entry of an idle alert, oldest first."""
    return list(
        AuditEntry.objects.filter(chain=f"fleet.idleperiod:{period.pk}")
        .order_by("seq")
        .values_list("action", "actor_label")
    )


def snapshot(period: IdlePeriod) -> tuple:
    """What a refused action must leave unchanged: the lifecycle columns and the audit trail."""
    period.refresh_from_db()
    return (
        period.status,
        period.acknowledged_by_id,
        period.resolved_by_id,
        period.resolution_note,
        len(audit_trail(period)),
    )


@pytest.fixture
def dlh(db) -> Agency:
    return Agency.objects.create(code="DLH", name="Dinas Lingkungan Hidup", short_name="DLH")


@pytest.fixture
def dishub(db) -> Agency:
    return Agency.objects.create(code="DISHUB", name="Dinas Perhubungan", short_name="Dishub")


@pytest.fixture
def truck(dlh: Agency) -> Vehicle:
    return services.register_vehicle(
        code="truk-01", kind=VehicleKind.GARBAGE_TRUCK, agency=dlh, plate="B 9001 DLH"
    )


@pytest.fixture
def patrol(dishub: Agency) -> Vehicle:
    return services.register_vehicle(
        code="patroli-01", kind=VehicleKind.PATROL, agency=dishub, plate="B 9101 DHB"
    )


@pytest.fixture
def depot(db) -> Depot:
    """A depot of 100 m radius centred 1 km east of the test point."""
    lat, lon = moved(east_m=1000)
    return services.create_depot(
        code="pool-timur", name="Pool Timur", latitude=lat, longitude=lon, radius_m=100
    )


@pytest.fixture
def idle_truck(truck: Vehicle) -> IdlePeriod:
    """The truck has stood still for 20 minutes outside every depot (limit: 15): one open
    idle alert."""
    ingest(truck, as_json([fix(m, speed=0) for m in (0, 10, 20)]))
    return IdlePeriod.objects.get()
