"""A small SVG map of the city for the wall: kelurahan outlines and points, drawn by the server so
the map works without JavaScript and without a tile server (control rooms are often offline).

Projection: equirectangular with longitude scaled by cos(latitude of the city centre), which is
accurate to well under a pixel at city scale. The script on the wall page repeats the same
arithmetic from the `data-*` attributes of the <svg> to place points it receives later."""

from __future__ import annotations

import math
from dataclasses import dataclass

from terang.core.policy_cache import cached_policy
from terang.core.selectors import get_city, kelurahan_shapes

WIDTH = 1000.0
PADDING = 0.02


@dataclass(frozen=True)
class Projection:
    min_lon: float
    max_lat: float
    scale: float  # SVG units per degree of latitude
    lon_factor: float  # cos(centre latitude)
    width: float
    height: float

    def xy(self, latitude: float, longitude: float) -> tuple[float, float]:
        x = (longitude - self.min_lon) * self.lon_factor * self.scale
        y = (self.max_lat - latitude) * self.scale
        return round(x, 1), round(y, 1)


@dataclass(frozen=True)
class BaseMap:
    projection: Projection
    areas: list[tuple[str, str]]  # (kelurahan name, SVG path data)


def _bounds() -> tuple[float, float, float, float] | None:
    city = get_city()
    if city is not None and city.min_lat is not None and city.max_lat is not None:
        return city.min_lat, city.max_lat, city.min_lon, city.max_lon
    shapes = kelurahan_shapes()
    if not shapes:
        return None
    return (
        min(area.min_lat for area in shapes),
        max(area.max_lat for area in shapes),
        min(area.min_lon for area in shapes),
        max(area.max_lon for area in shapes),
    )


def _build() -> BaseMap | None:
    bounds = _bounds()
    if bounds is None:
        return None
    min_lat, max_lat, min_lon, max_lon = bounds
    pad_lat = (max_lat - min_lat) * PADDING or 0.01
    pad_lon = (max_lon - min_lon) * PADDING or 0.01
    min_lat, max_lat, min_lon, max_lon = (
        min_lat - pad_lat,
        max_lat + pad_lat,
        min_lon - pad_lon,
        max_lon + pad_lon,
    )
    lon_factor = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = WIDTH / ((max_lon - min_lon) * lon_factor)
    projection = Projection(
        min_lon=min_lon,
        max_lat=max_lat,
        scale=scale,
        lon_factor=lon_factor,
        width=WIDTH,
        height=round((max_lat - min_lat) * scale, 1),
    )
    areas = []
    for area in kelurahan_shapes():
        geometry = area.boundary or {}
        polygons = (
            [geometry.get("coordinates", [])]
            if geometry.get("type") == "Polygon"
            else geometry.get("coordinates", [])
        )
        parts = []
        for polygon in polygons:
            for ring in polygon:
                points = [projection.xy(lat, lon) for lon, lat in ring]
                if points:
                    parts.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
        if parts:
            areas.append((area.name, "".join(parts)))
    return BaseMap(projection=projection, areas=areas)


def base_map() -> BaseMap | None:
    """The projected outlines, shared by every poll for a few minutes (see policy_cache)."""
    result: BaseMap | None = cached_policy("controlroom:wall:base-map", _build)
    return result
