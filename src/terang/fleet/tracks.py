"""Pure track arithmetic shared by the live ingest state and the history reads: stops, idle
periods, depots and route coverage. No database access here, so both paths apply one rule.

Rules (documented once, used everywhere):
- A **stop** starts at a slow fix (speed below `STOP_SPEED_KMH`, or no speed reported) and goes
  on while every next fix is slow, within `STOP_RADIUS_M` of the stop's first fix (its anchor,
  so slow creeping cannot drift a stop along a street) and no more than `max_gap` after the
  previous fix (during a longer silence nobody knows what the vehicle did).
- A stop is **idle** when it lasted strictly longer than the city's idle limit (first to last
  fix of the stop) and its anchor is outside every depot's radius.
- A route point is **covered** when some fix lies within `COVERAGE_RADIUS_M` of it
  (haversine)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from terang.core.geo import distance_m

STOP_RADIUS_M = 30.0
STOP_SPEED_KMH = 3.0
COVERAGE_RADIUS_M = 50.0
#: Metres per degree along a meridian on the sphere `core.geo.distance_m` uses (R = 6371 km).
METRES_PER_DEGREE = 6_371_000 * math.pi / 180
#: Grid cells and bounding boxes are made this much larger than the radius, so rounding or the
#: small difference between a parallel and a great circle can never hide a point inside it.
MARGIN = 1.01


@dataclass(frozen=True)
class Fix:
    ts: dt.datetime
    lat: float
    lon: float
    speed_kmh: float | None = None


@dataclass(frozen=True)
class Stop:
    """A stop: from its first to its last fix, standing around its anchor (lat, lon)."""

    started_at: dt.datetime
    ended_at: dt.datetime
    lat: float
    lon: float

    @property
    def duration(self) -> dt.timedelta:
        return self.ended_at - self.started_at

    @property
    def whole_minutes(self) -> int:
        return int(self.duration.total_seconds() // 60)


@dataclass(frozen=True)
class DepotArea:
    lat: float
    lon: float
    radius_m: float


def is_slow(fix: Fix) -> bool:
    return fix.speed_kmh is None or fix.speed_kmh < STOP_SPEED_KMH


def continues_stop(
    *,
    anchor_lat: float,
    anchor_lon: float,
    previous_ts: dt.datetime,
    fix: Fix,
    max_gap: dt.timedelta,
) -> bool:
    """Whether `fix` belongs to the stop anchored at (anchor_lat, anchor_lon)."""
    return (
        fix.ts - previous_ts <= max_gap
        and is_slow(fix)
        and distance_m(anchor_lat, anchor_lon, fix.lat, fix.lon) <= STOP_RADIUS_M
    )


def find_stops(fixes: Iterable[Fix], *, max_gap: dt.timedelta) -> list[Stop]:
    """Every stop in fixes ordered by time (a stop of one fix has a zero duration)."""
    found: list[Stop] = []
    anchor: Fix | None = None
    last: Fix | None = None
    for fix in fixes:
        if (
            anchor is not None
            and last is not None
            and continues_stop(
                anchor_lat=anchor.lat,
                anchor_lon=anchor.lon,
                previous_ts=last.ts,
                fix=fix,
                max_gap=max_gap,
            )
        ):
            last = fix
            continue
        if anchor is not None and last is not None:
            found.append(Stop(anchor.ts, last.ts, anchor.lat, anchor.lon))
        anchor = fix if is_slow(fix) else None
        last = fix
    if anchor is not None and last is not None:
        found.append(Stop(anchor.ts, last.ts, anchor.lat, anchor.lon))
    return found


def inside_depot(lat: float, lon: float, depots: Iterable[DepotArea]) -> bool:
    return any(distance_m(lat, lon, d.lat, d.lon) <= d.radius_m for d in depots)


def is_idle(stop: Stop, *, idle_after: dt.timedelta, depots: Sequence[DepotArea]) -> bool:
    return stop.duration > idle_after and not inside_depot(stop.lat, stop.lon, depots)


def idle_stops(
    fixes: Iterable[Fix],
    *,
    idle_after: dt.timedelta,
    max_gap: dt.timedelta,
    depots: Sequence[DepotArea],
) -> list[Stop]:
    """The stops of `fixes` that were idle (see the module rules)."""
    return [
        stop
        for stop in find_stops(fixes, max_gap=max_gap)
        if is_idle(stop, idle_after=idle_after, depots=depots)
    ]


def padding_degrees(radius_m: float, max_abs_lat: float) -> tuple[float, float]:
    """(latitude, longitude) degrees that span at least `radius_m` anywhere up to that latitude."""
    dlat = radius_m / METRES_PER_DEGREE * MARGIN
    cos_lat = max(math.cos(math.radians(min(max_abs_lat, 89.0))), 1e-6)
    return dlat, dlat / cos_lat


def bounding_box(
    points: Sequence[Sequence[float]], radius_m: float = 0.0
) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of [lat, lon] points, grown by `radius_m`."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    dlat, dlon = padding_degrees(radius_m, max(abs(min(lats)), abs(max(lats))))
    return min(lats) - dlat, max(lats) + dlat, min(lons) - dlon, max(lons) + dlon


def covered_points(
    points: Sequence[Sequence[float]],
    fixes: Iterable[tuple[float, float]],
    *,
    radius_m: float = COVERAGE_RADIUS_M,
) -> list[bool]:
    """For each route point ([lat, lon]), whether some fix (lat, lon) lies within `radius_m`.

    Fixes go into a grid of cells at least `radius_m` wide (exact repeats dropped), and each point
    checks only the fixes in its 3 x 3 neighbouring cells, stopping at the first hit: O(F + R)
    for F fixes and R points in practice, O(F x R) only if every fix crowds next to every
    point."""
    if not points:
        return []
    max_abs_lat = max(abs(p[0]) for p in points)
    cell_lat, cell_lon = padding_degrees(radius_m, max_abs_lat + 0.1)
    grid: dict[tuple[int, int], set[tuple[float, float]]] = {}
    for lat, lon in fixes:
        key = (math.floor(lat / cell_lat), math.floor(lon / cell_lon))
        grid.setdefault(key, set()).add((lat, lon))
    result = []
    for point in points:
        lat, lon = point[0], point[1]
        row, col = math.floor(lat / cell_lat), math.floor(lon / cell_lon)
        hit = any(
            distance_m(lat, lon, flat, flon) <= radius_m
            for drow in (-1, 0, 1)
            for dcol in (-1, 0, 1)
            for flat, flon in grid.get((row + drow, col + dcol), ())
        )
        result.append(hit)
    return result
