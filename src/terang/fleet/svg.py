"""Server-rendered map sketches for the staff pages: a trail as an SVG polyline with the route
points and depots around it, projected equirectangularly (a city is small enough that the
distortion is invisible). No tiles, no JavaScript; the pages put a data table beside each."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
HEIGHT = 420
PAD = 18
MAX_POLYLINE_POINTS = 2000
MIN_SPAN_DEGREES = 0.002  # about 200 m, so one point still gets a sensible frame


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    label: str
    kind: str  # css class suffix: covered | missed | depot | idle | start | end


@dataclass
class TrailMap:
    width: int = WIDTH
    height: int = HEIGHT
    polyline: str = ""
    dots: list[Dot] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.polyline and not self.dots


def thin(items: Sequence, limit: int) -> list:  # type: ignore[type-arg]
    """At most `limit` items, evenly spaced, always keeping the first and the last."""
    if len(items) <= limit:
        return list(items)
    step = math.ceil(len(items) / limit)
    kept = list(items[::step])
    if kept[-1] is not items[-1]:
        kept.append(items[-1])
    return kept


class Projection:
    """lat/lon -> SVG x/y inside the frame, north up, one scale for both axes."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        self.mid_lat = (min(lats) + max(lats)) / 2
        self.cos = math.cos(math.radians(self.mid_lat))
        lat_span = max(max(lats) - min(lats), MIN_SPAN_DEGREES)
        lon_span = max(max(lons) - min(lons), MIN_SPAN_DEGREES) * self.cos
        self.scale = min((WIDTH - 2 * PAD) / lon_span, (HEIGHT - 2 * PAD) / lat_span)
        self.lat0 = (min(lats) + max(lats)) / 2
        self.lon0 = (min(lons) + max(lons)) / 2

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x = WIDTH / 2 + (lon - self.lon0) * self.cos * self.scale
        y = HEIGHT / 2 - (lat - self.lat0) * self.scale
        return round(x, 1), round(y, 1)

    def inside(self, x: float, y: float) -> bool:
        return 0 <= x <= WIDTH and 0 <= y <= HEIGHT


def trail_map(
    *,
    trail: Sequence[tuple[float, float]],
    route_points: Sequence[tuple[float, float, bool, str]] = (),
    depots: Sequence[tuple[float, float, str]] = (),
    idle: Sequence[tuple[float, float, str]] = (),
    start_label: str = "",
    end_label: str = "",
) -> TrailMap:
    """The trail (lat, lon) as a polyline with start and end marks (when labelled); route points
    (lat, lon, covered, label); depots and idle spots (lat, lon, label) inside the frame."""
    framed = list(trail) + [(p[0], p[1]) for p in route_points]
    if not framed:
        return TrailMap()
    projection = Projection(framed)
    result = TrailMap()
    line = [projection.xy(lat, lon) for lat, lon in thin(trail, MAX_POLYLINE_POINTS)]
    result.polyline = " ".join(f"{x},{y}" for x, y in line)
    for lat, lon, label in depots:
        x, y = projection.xy(lat, lon)
        if projection.inside(x, y):
            result.dots.append(Dot(x, y, 7, label, "depot"))
    for lat, lon, covered, label in route_points:
        x, y = projection.xy(lat, lon)
        result.dots.append(Dot(x, y, 4, label, "covered" if covered else "missed"))
    for lat, lon, label in idle:
        x, y = projection.xy(lat, lon)
        result.dots.append(Dot(x, y, 8, label, "idle"))
    if line and start_label:
        result.dots.append(Dot(line[0][0], line[0][1], 5, start_label, "start"))
    if line and end_label:
        result.dots.append(Dot(line[-1][0], line[-1][1], 5, end_label, "end"))
    return result
