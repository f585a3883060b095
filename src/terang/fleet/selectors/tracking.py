"""Reads of where vehicles are and have been: the live state (LatestPosition only), the trail
of a city day, its stops and idle periods, and route coverage.

A 'day' is a calendar day in the city's time zone (CityProfile.timezone, WIB by default):
00:00 to 24:00 local, converted to UTC for the (vehicle, ts) index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from terang.core.calendar import city_timezone
from terang.fleet.choices import VehicleState
from terang.fleet.models import Depot, LatestPosition, Position, Route, Vehicle
from terang.fleet.policy import FleetRules, fleet_rules
from terang.fleet.services.tracking import depot_areas
from terang.fleet.tracks import (
    COVERAGE_RADIUS_M,
    Fix,
    Stop,
    bounding_box,
    covered_points,
    find_stops,
    idle_stops,
)


def city_day(now: dt.datetime | None = None) -> dt.date:
    """The city's calendar date at `now` (default: the current time)."""
    return (now or timezone.now()).astimezone(city_timezone()).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the city day in UTC."""
    zone = city_timezone()
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@dataclass(frozen=True)
class VehicleNow:
    """A vehicle with its latest fix and what that says now."""

    vehicle: Vehicle
    latest: LatestPosition | None
    state: str
    age: dt.timedelta | None

    @property
    def is_idle(self) -> bool:
        return self.state == VehicleState.IDLE

    @property
    def state_label(self) -> str:
        return str(VehicleState(self.state).label)


def vehicle_state(latest: LatestPosition | None, *, now: dt.datetime, rules: FleetRules) -> str:
    """NEVER, SILENT (no fix for the silent limit), IDLE (an open idle period), IN_DEPOT,
    STOPPED or MOVING, in that order of precedence."""
    if latest is None:
        return VehicleState.NEVER
    if now - latest.ts > rules.silent_after:
        return VehicleState.SILENT
    if latest.open_idle_id is not None:
        return VehicleState.IDLE
    if latest.in_depot:
        return VehicleState.IN_DEPOT
    if latest.stop_started_at is not None:
        return VehicleState.STOPPED
    return VehicleState.MOVING


def last_positions(
    vehicles: QuerySet[Vehicle] | None = None, *, now: dt.datetime | None = None
) -> list[VehicleNow]:
    """Every (given) vehicle with its last known position and state; two queries, never the
    positions history."""
    now = now or timezone.now()
    rules = fleet_rules()
    queryset = vehicles if vehicles is not None else Vehicle.objects.order_by("code")
    rows = list(queryset.select_related("agency", "latest"))
    result = []
    for vehicle in rows:
        latest = getattr(vehicle, "latest", None)
        result.append(
            VehicleNow(
                vehicle=vehicle,
                latest=latest,
                state=vehicle_state(latest, now=now, rules=rules),
                age=(now - latest.ts) if latest is not None else None,
            )
        )
    return result


def trail_of_day(*, vehicle: Vehicle, day: dt.date) -> list[Position]:
    """The vehicle's fixes of that city day, oldest first (one index range scan)."""
    start, end = day_bounds(day)
    return list(Position.objects.filter(vehicle=vehicle, ts__gte=start, ts__lt=end).order_by("ts"))


def _fixes(trail: Iterable[Position]) -> list[Fix]:
    return [Fix(p.ts, p.latitude, p.longitude, p.speed_kmh) for p in trail]


def stops_of_day(
    *, vehicle: Vehicle, day: dt.date, trail: Sequence[Position] | None = None
) -> list[Stop]:
    """Every stop of the city day (a stop running over midnight is cut at 00:00)."""
    trail = trail if trail is not None else trail_of_day(vehicle=vehicle, day=day)
    return find_stops(_fixes(trail), max_gap=fleet_rules().silent_after)


def idle_periods(
    *, vehicle: Vehicle, day: dt.date, trail: Sequence[Position] | None = None
) -> list[Stop]:
    """The stops of that city day longer than the idle limit outside every depot, recomputed
    from the stored fixes (so late fixes count, unlike the live IdlePeriod rows)."""
    trail = trail if trail is not None else trail_of_day(vehicle=vehicle, day=day)
    rules = fleet_rules()
    return idle_stops(
        _fixes(trail),
        idle_after=rules.idle_after,
        max_gap=rules.silent_after,
        depots=depot_areas(),
    )


@dataclass(frozen=True)
class RouteCoverage:
    route: Route
    day: dt.date
    covered: list[bool]

    @property
    def total(self) -> int:
        return len(self.covered)

    @property
    def passed(self) -> int:
        return sum(self.covered)

    @property
    def share(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @property
    def percent(self) -> float:
        return round(100 * self.share, 1)


def route_vehicle_ids(route: Route) -> list[int]:
    """Whose fixes count for a route: its vehicle when it has one, else every vehicle of its
    agency, else every vehicle (a list of ids, so the read uses the (vehicle, ts) index)."""
    if route.vehicle_id is not None:
        return [route.vehicle_id]
    vehicles = Vehicle.objects.all()
    if route.agency_id is not None:
        vehicles = vehicles.filter(agency_id=route.agency_id)
    return list(vehicles.values_list("pk", flat=True))


def route_coverage(
    *, route: Route, day: dt.date, radius_m: float = COVERAGE_RADIUS_M
) -> RouteCoverage:
    """Which of the route's points some counted fix of that city day came within `radius_m` of.

    Cost: one query that reads the day's fixes of the route's vehicles through the (vehicle, ts)
    index and keeps, in SQL, only those in the route's bounding box grown by the radius; then a
    grid match in Python, O(F + R) for F fixes and R points (see tracks.covered_points)."""
    start, end = day_bounds(day)
    return route_coverage_between(route=route, start=start, end=end, day=day, radius_m=radius_m)


def route_coverage_between(
    *,
    route: Route,
    start: dt.datetime,
    end: dt.datetime,
    day: dt.date,
    radius_m: float = COVERAGE_RADIUS_M,
) -> RouteCoverage:
    """`route_coverage` over the fixes in [start, end), reported as `day`."""
    points = route.points or []
    if not points:
        return RouteCoverage(route=route, day=day, covered=[])
    min_lat, max_lat, min_lon, max_lon = bounding_box(points, radius_m)
    fixes = Position.objects.filter(
        vehicle_id__in=route_vehicle_ids(route),
        ts__gte=start,
        ts__lt=end,
        latitude__gte=min_lat,
        latitude__lte=max_lat,
        longitude__gte=min_lon,
        longitude__lte=max_lon,
    ).values_list("latitude", "longitude")
    return RouteCoverage(
        route=route, day=day, covered=covered_points(points, list(fixes), radius_m=radius_m)
    )


def active_depots() -> list[Depot]:
    """Every active depot, by name (a handful of rows)."""
    return list(Depot.objects.filter(is_active=True).order_by("name"))
