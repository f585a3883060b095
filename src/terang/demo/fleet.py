"""The demo city's fleet, created by `seed-demo` and driven by `simulate-sensors`.

Three depots, eleven vehicles and six garbage-collection routes, all fixed data. Every vehicle's
position is a pure function of the time (and a fixed seed), so the seed's history and the
simulator's live stream describe the same trucks and a fix stored twice is the same fix:

- six DLH garbage trucks each drive their route once a day from a shift start (local time):
  out of the depot, a 90-second stop at every collection point, back to the depot. One truck
  skips a stretch of its route, so its coverage stays partial even after the shift;
- a spare DLH truck stands with its engine on at a roadside spot outside every depot: idle;
- a street sweeper and three patrol and service cars circle a loop during their hours;
- parked in a depot, a vehicle sends a heartbeat every five minutes, so it never looks silent.

Ingest tokens are derived from the vehicle code (HMAC with a published demo key), as for the
demo sensor stations: acceptable only because these vehicles are fake."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import hmac
import math
import random
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from terang.core.crypto import digest
from terang.core.geo import distance_m
from terang.core.models import Agency
from terang.fleet import services
from terang.fleet.choices import VehicleKind
from terang.fleet.models import (
    Depot,
    IdlePeriod,
    LatestPosition,
    Position,
    QuarantinedPosition,
    Route,
    Vehicle,
)

from . import catalog
from .accounts import Accounts
from .city import City
from .geometry import CENTER_LAT, CENTER_LON

DEMO_TOKEN_KEY = b"terang-demo-vehicle-token"
SEED = 2026
GRID_M = 150.0  # collection points lie on a 150 m street grid
DWELL_SECONDS = 90.0
COLLECT_KMH = 15.0
TRANSFER_KMH = 25.0
HEARTBEAT_SECONDS = 300  # parked in a depot: one fix every five minutes
SEED_STEP_SECONDS = 60
IDLE_SEED_WINDOW = dt.timedelta(minutes=45)
SKIP_OFFSET_M = (90.0, 75.0)  # (north, east): a parallel street, > 50 m from every grid point
METRES_PER_DEGREE = 111_195.0


@dataclass(frozen=True)
class DemoDepot:
    code: str
    name: str
    agency: str
    dlat: float
    dlon: float
    radius_m: int = 150


@dataclass(frozen=True)
class DemoRoute:
    code: str
    name: str
    dlat: float  # first collection point, relative to the city centre
    dlon: float
    points: int
    skip: tuple[int, int] | None = None  # collection points [a, b) the truck drives past


@dataclass(frozen=True)
class DemoVehicle:
    code: str
    plate: str
    name: str
    kind: str
    agency: str
    depot: str
    start_hour: float = 0.0
    end_hour: float = 0.0  # loops only: when the vehicle goes back to its depot
    route: DemoRoute | None = None
    loop: tuple[tuple[float, float], ...] = ()  # (dlat, dlon) corners, relative to the centre
    loop_kmh: float = 0.0
    spot: tuple[float, float] | None = None  # stands here all day: the idle truck


DEMO_DEPOTS: tuple[DemoDepot, ...] = (
    DemoDepot("pool-dlh-utara", "Pool DLH Utara", "DLH", 0.035, -0.040),
    DemoDepot("pool-dlh-selatan", "Pool DLH Selatan", "DLH", -0.040, 0.030),
    DemoDepot("pool-balai-kota", "Pool Kendaraan Balai Kota", "SETDA-UMUM", 0.006, -0.006, 120),
)

DEMO_ROUTES: tuple[DemoRoute, ...] = (
    DemoRoute("rute-pasar-lama", "Rute Pasar Lama", 0.028, -0.030, 46, skip=(28, 37)),
    DemoRoute("rute-perumahan-asri", "Rute Perumahan Asri", 0.022, -0.052, 40),
    DemoRoute("rute-pusat-kota", "Rute Pusat Kota", 0.004, -0.018, 44),
    DemoRoute("rute-selatan-satu", "Rute Selatan I", -0.030, 0.018, 42),
    DemoRoute("rute-selatan-dua", "Rute Selatan II", -0.045, 0.042, 40),
    DemoRoute("rute-kawasan-industri", "Rute Kawasan Industri", -0.020, 0.055, 44),
)

_ROUTES = {route.code: route for route in DEMO_ROUTES}

DEMO_VEHICLES: tuple[DemoVehicle, ...] = (
    DemoVehicle("dlh-truk-01", "B 9101 TGR", "Truk Sampah 01", VehicleKind.GARBAGE_TRUCK, "DLH",
                "pool-dlh-utara", 5.0, route=_ROUTES["rute-pasar-lama"]),
    DemoVehicle("dlh-truk-02", "B 9102 TGR", "Truk Sampah 02", VehicleKind.GARBAGE_TRUCK, "DLH",
                "pool-dlh-utara", 6.5, route=_ROUTES["rute-perumahan-asri"]),
    DemoVehicle("dlh-truk-03", "B 9103 TGR", "Truk Sampah 03", VehicleKind.GARBAGE_TRUCK, "DLH",
                "pool-dlh-utara", 8.0, route=_ROUTES["rute-pusat-kota"]),
    DemoVehicle("dlh-truk-04", "B 9104 TGR", "Truk Sampah 04", VehicleKind.GARBAGE_TRUCK, "DLH",
                "pool-dlh-selatan", 9.25, route=_ROUTES["rute-selatan-satu"]),
    DemoVehicle("dlh-truk-05", "B 9105 TGR", "Truk Sampah 05", VehicleKind.GARBAGE_TRUCK, "DLH",
                "pool-dlh-selatan", 14.0, route=_ROUTES["rute-selatan-dua"]),
    DemoVehicle("dlh-truk-06", "B 9106 TGR", "Truk Sampah 06", VehicleKind.GARBAGE_TRUCK, "DLH",
                "pool-dlh-selatan", 18.5, route=_ROUTES["rute-kawasan-industri"]),
    DemoVehicle("dlh-truk-07", "B 9107 TGR", "Truk Sampah 07 (cadangan)",
                VehicleKind.GARBAGE_TRUCK, "DLH", "pool-dlh-utara", spot=(0.012, 0.022)),
    DemoVehicle("dlh-sapu-01", "B 9111 TGR", "Penyapu Jalan 01", VehicleKind.STREET_SWEEPER,
                "DLH", "pool-balai-kota", 5.0, 10.0, loop_kmh=8.0,
                loop=((0.010, -0.012), (0.010, 0.004), (-0.002, 0.004), (-0.002, -0.012))),
    DemoVehicle("dishub-patroli-01", "B 9121 TGR", "Patroli Lalu Lintas 01",
                VehicleKind.PATROL, "DISHUB", "pool-balai-kota", 6.0, 22.0, loop_kmh=30.0,
                loop=((0.025, -0.020), (0.025, 0.030), (-0.020, 0.030), (-0.020, -0.020))),
    DemoVehicle("satpolpp-patroli-01", "B 9131 TGR", "Patroli Satpol PP 01",
                VehicleKind.PATROL, "SATPOLPP", "pool-balai-kota", 8.0, 17.0, loop_kmh=25.0,
                loop=((0.015, 0.010), (0.015, 0.045), (-0.010, 0.045), (-0.010, 0.010))),
    DemoVehicle("pupr-operasional-01", "B 9141 TGR", "Mobil Operasional PUPR 01",
                VehicleKind.PICKUP, "PUPR", "pool-balai-kota", 9.0, 15.0, loop_kmh=35.0,
                loop=((0.005, -0.060), (0.045, -0.020), (0.005, 0.020), (-0.035, -0.020))),
)  # fmt: skip

_DEPOTS = {depot.code: depot for depot in DEMO_DEPOTS}
_ZONE = ZoneInfo(catalog.CITY_TIMEZONE)


@dataclass(frozen=True)
class DemoFix:
    ts: dt.datetime
    lat: float
    lon: float
    speed: float
    heading: float | None

    def payload(self) -> dict[str, object]:
        body: dict[str, object] = {
            "ts": self.ts.isoformat(),
            "lat": self.lat,
            "lon": self.lon,
            "speed": self.speed,
        }
        if self.heading is not None:
            body["heading"] = self.heading
        return body


@dataclass(frozen=True)
class _Leg:
    seconds: float
    start: tuple[float, float]
    end: tuple[float, float]
    kmh: float  # 0 for a dwell


def demo_token(code: str) -> str:
    """The demo vehicle's ingest token (derived, see the module docstring)."""
    return hmac.new(DEMO_TOKEN_KEY, code.encode(), hashlib.sha256).hexdigest()


def _absolute(dlat: float, dlon: float) -> tuple[float, float]:
    return round(CENTER_LAT + dlat, 6), round(CENTER_LON + dlon, 6)


def _offset(point: tuple[float, float], north_m: float, east_m: float) -> tuple[float, float]:
    lat, lon = point
    return (
        lat + north_m / METRES_PER_DEGREE,
        lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(lat))),
    )


@lru_cache(maxsize=16)
def route_points(code: str) -> tuple[tuple[float, float], ...]:
    """The route's collection points on a 150 m street grid: a serpentine through a
    neighbourhood (streets 300 m apart, alternate directions), heading towards the city centre
    so it stays inside the city."""
    spec = _ROUTES[code]
    rng = random.Random(f"{SEED}:route:{code}")  # noqa: S311 - not secret
    row_length = rng.randint(7, 11)
    east_sign = -1 if spec.dlon > 0 else 1
    north_sign = -1 if spec.dlat > 0 else 1
    origin = _absolute(spec.dlat, spec.dlon)
    points = []
    for index in range(spec.points):
        row, column = divmod(index, row_length)
        east = column if row % 2 == 0 else row_length - 1 - column
        lat, lon = _offset(origin, north_sign * row * 2 * GRID_M, east_sign * east * GRID_M)
        points.append((round(lat, 6), round(lon, 6)))
    return tuple(points)


def _drive(start: tuple[float, float], end: tuple[float, float], kmh: float) -> _Leg:
    metres = distance_m(start[0], start[1], end[0], end[1])
    return _Leg(max(metres / (kmh / 3.6), 1.0), start, end, kmh)


@lru_cache(maxsize=32)
def _legs(code: str) -> tuple[tuple[_Leg, ...], tuple[float, ...]]:
    """The vehicle's shift as legs, with the cumulative seconds at the end of each."""
    spec = next(v for v in DEMO_VEHICLES if v.code == code)
    depot = _depot_point(spec)
    legs: list[_Leg] = []
    if spec.route is not None:
        stops = list(route_points(spec.route.code))
        skip = spec.route.skip or (0, 0)
        path = [
            (_offset(p, *SKIP_OFFSET_M), False) if skip[0] <= i < skip[1] else (p, True)
            for i, p in enumerate(stops)
        ]
        legs.append(_drive(depot, path[0][0], TRANSFER_KMH))
        for (point, collect), (following, _next) in zip(path, path[1:], strict=False):
            if collect:
                legs.append(_Leg(DWELL_SECONDS, point, point, 0.0))
            legs.append(_drive(point, following, COLLECT_KMH))
        if path[-1][1]:
            legs.append(_Leg(DWELL_SECONDS, path[-1][0], path[-1][0], 0.0))
        legs.append(_drive(path[-1][0], depot, TRANSFER_KMH))
    elif spec.loop:
        corners = [_absolute(*corner) for corner in spec.loop]
        for start, end in zip(corners, corners[1:] + corners[:1], strict=True):
            legs.append(_drive(start, end, spec.loop_kmh))
    ends: list[float] = []
    total = 0.0
    for leg in legs:
        total += leg.seconds
        ends.append(total)
    return tuple(legs), tuple(ends)


def _depot_point(spec: DemoVehicle) -> tuple[float, float]:
    depot = _DEPOTS[spec.depot]
    return _absolute(depot.dlat, depot.dlon)


def _bearing(start: tuple[float, float], end: tuple[float, float]) -> float:
    dlon = math.radians(end[1] - start[1])
    lat1, lat2 = math.radians(start[0]), math.radians(end[0])
    x = math.sin(dlon) * math.cos(lat2)
    y = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    return round(math.degrees(math.atan2(x, y)) % 360.0, 1)


def shift_seconds(code: str) -> float:
    """How long one pass of the vehicle's route or loop takes."""
    return _legs(code)[1][-1] if _legs(code)[1] else 0.0


def fix_at(spec: DemoVehicle, when: dt.datetime, seed: int = SEED) -> DemoFix | None:
    """Where the vehicle is at `when` (a whole second), or None when it sends nothing then
    (parked in its depot between heartbeats)."""
    when = when.replace(microsecond=0)
    rng = random.Random(f"{seed}:{spec.code}:{int(when.timestamp())}")  # noqa: S311
    local = when.astimezone(_ZONE)
    midnight = local.replace(hour=0, minute=0, second=0)
    if spec.spot is not None:
        lat, lon = _offset(_absolute(*spec.spot), rng.uniform(-4, 4), rng.uniform(-4, 4))
        return DemoFix(when, round(lat, 6), round(lon, 6), 0.0, None)
    legs, ends = _legs(spec.code)
    elapsed = (local - midnight).total_seconds() - spec.start_hour * 3600
    window = (spec.end_hour - spec.start_hour) * 3600 if spec.loop else ends[-1]
    if not legs or not 0 <= elapsed < window:
        if int(when.timestamp()) % HEARTBEAT_SECONDS:
            return None
        lat, lon = _offset(_depot_point(spec), rng.uniform(-8, 8), rng.uniform(-8, 8))
        return DemoFix(when, round(lat, 6), round(lon, 6), 0.0, None)
    elapsed %= ends[-1]
    index = min(bisect.bisect_right(ends, elapsed), len(legs) - 1)
    leg = legs[index]
    share = 1 - (ends[index] - elapsed) / leg.seconds
    lat = leg.start[0] + (leg.end[0] - leg.start[0]) * share
    lon = leg.start[1] + (leg.end[1] - leg.start[1]) * share
    if leg.kmh == 0.0:
        lat, lon = _offset((lat, lon), rng.uniform(-3, 3), rng.uniform(-3, 3))
        return DemoFix(when, round(lat, 6), round(lon, 6), 0.0, None)
    lat, lon = _offset((lat, lon), rng.uniform(-3, 3), rng.uniform(-3, 3))
    speed = round(leg.kmh + rng.uniform(-1.5, 1.5), 1)
    return DemoFix(when, round(lat, 6), round(lon, 6), speed, _bearing(leg.start, leg.end))


def fixes_between(
    spec: DemoVehicle, since: dt.datetime, until: dt.datetime, step_seconds: int
) -> list[DemoFix]:
    """The vehicle's fixes on the `step_seconds` grid (in epoch seconds) in (since, until]."""
    first = math.floor(since.timestamp() / step_seconds) * step_seconds + step_seconds
    last = math.floor(until.timestamp())
    found = []
    for second in range(first, last + 1, step_seconds):
        fix = fix_at(spec, dt.datetime.fromtimestamp(second, tz=dt.UTC))
        if fix is not None:
            found.append(fix)
    return found


def create_demo_fleet() -> list[Vehicle]:
    """Create what is missing of the demo depots, vehicles and routes (idempotent; tokens are
    always reset to the demo tokens). Agencies are linked when the demo city has them."""
    agencies = {a.code: a for a in Agency.objects.filter(code__in=_agency_codes())}
    vehicles = []
    with transaction.atomic():
        for depot in DEMO_DEPOTS:
            if not Depot.objects.filter(code=depot.code).exists():
                lat, lon = _absolute(depot.dlat, depot.dlon)
                services.create_depot(
                    code=depot.code,
                    name=depot.name,
                    latitude=lat,
                    longitude=lon,
                    radius_m=depot.radius_m,
                    agency=agencies.get(depot.agency),
                )
        for spec in DEMO_VEHICLES:
            vehicle = Vehicle.objects.filter(code=spec.code).first() or services.register_vehicle(
                code=spec.code,
                kind=spec.kind,
                agency=agencies.get(spec.agency),
                plate=spec.plate,
                name=spec.name,
            )
            Vehicle.objects.filter(pk=vehicle.pk).update(
                token_digest=digest(demo_token(spec.code)), is_active=True
            )
            vehicles.append(vehicle)
            if spec.route is not None and not Route.objects.filter(code=spec.route.code).exists():
                services.save_route(
                    code=spec.route.code,
                    name=spec.route.name,
                    points=[list(p) for p in route_points(spec.route.code)],
                    agency=agencies.get(spec.agency),
                    vehicle=vehicle,
                )
    return vehicles


def _agency_codes() -> set[str]:
    return {d.agency for d in DEMO_DEPOTS} | {v.agency for v in DEMO_VEHICLES}


def seed_positions(day_start: dt.datetime, *, now: dt.datetime | None = None) -> int:
    """Store the day's fixes so far (one a minute) through the ingest service: from the day's
    start to the clock when it is that day, else to 10:00. The idle truck only for its last
    45 minutes, so the wall shows it idle since shortly before the end. Returns the count."""
    now = now or timezone.now()
    end = (
        now
        if day_start <= now < day_start + dt.timedelta(days=1)
        else day_start + dt.timedelta(hours=10)
    )
    end = min(end, now)
    if end <= day_start:
        return 0
    messages = []
    for spec in DEMO_VEHICLES:
        since = max(day_start, end - IDLE_SEED_WINDOW) if spec.spot else day_start
        fixes = fixes_between(spec, since - dt.timedelta(seconds=1), end, SEED_STEP_SECONDS)
        if fixes:
            messages.append(
                services.PositionMessage(
                    vehicle_code=spec.code, payload=[fix.payload() for fix in fixes]
                )
            )
    return services.ingest_messages(messages).stored


def create(
    city: City, accounts: Accounts, *, now: dt.datetime, rng: random.Random
) -> dict[str, int]:
    """Create the demo fleet and today's positions so far; return counts for the summary.

    `rng` is not used: the fleet's motion is a pure function of time, so `simulate-sensors`
    can carry on with the same trucks after the seed."""
    vehicles = create_demo_fleet()
    stored = seed_positions(now)
    return {
        "depots": len(DEMO_DEPOTS),
        "vehicles": len(vehicles),
        "routes": len(DEMO_ROUTES),
        "vehicle positions": stored,
        "idle periods": IdlePeriod.objects.count(),
    }


def wipe() -> dict[str, int]:
    """Delete the demo rows (called by `seed-demo --reset` before agencies and users go)."""
    codes = [spec.code for spec in DEMO_VEHICLES]
    deleted: dict[str, int] = {}
    for name, queryset in (
        ("vehicle positions", Position.objects.filter(vehicle__code__in=codes)),
        ("latest positions", LatestPosition.objects.filter(vehicle__code__in=codes)),
        ("idle periods", IdlePeriod.objects.filter(vehicle__code__in=codes)),
        ("quarantined positions", QuarantinedPosition.objects.filter(vehicle_code__in=codes)),
        ("routes", Route.objects.filter(code__in=[r.code for r in DEMO_ROUTES])),
        ("vehicles", Vehicle.objects.filter(code__in=codes)),
        ("depots", Depot.objects.filter(code__in=[d.code for d in DEMO_DEPOTS])),
    ):
        deleted[name] = queryset.delete()[0]
    return deleted
