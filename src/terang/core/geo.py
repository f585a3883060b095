"""Point-in-polygon on GeoJSON polygons: enough for a city boundary and its kelurahan.

A spatial database (PostGIS) is not required for the embedded default; polygons are small and
each area keeps a bounding box so only candidates are tested exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import AdministrativeArea


def _rings(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict[str, Any], *, lat: float, lon: float) -> bool:
    """True when the point lies inside the polygon (holes excluded)."""
    for polygon in _rings(geometry):
        if not polygon:
            continue
        if _in_ring(lon, lat, polygon[0]) and not any(
            _in_ring(lon, lat, hole) for hole in polygon[1:]
        ):
            return True
    return False


def bounding_box(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a polygon."""
    points = [pt for polygon in _rings(geometry) for ring in polygon for pt in ring]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lats), max(lats), min(lons), max(lons)


def kelurahan_at(*, lat: float, lon: float) -> AdministrativeArea | None:
    """The kelurahan whose polygon holds the point (None outside every one): the one lookup
    every app uses to place a report, an incident or a sensor station."""
    from .selectors import kelurahan_shapes  # the geometry above stays importable without Django

    for area in kelurahan_shapes():
        if (
            area.min_lat <= lat <= area.max_lat
            and area.min_lon <= lon <= area.max_lon
            and contains(area.boundary, lat=lat, lon=lon)
        ):
            return area
    return None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    from math import asin, cos, radians, sin, sqrt

    dlat = radians(lat2 - lat1)
    dlon = radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6_371_000 * asin(sqrt(a))


@dataclass(frozen=True)
class Location:
    """Where something happened: a map point, an address (or landmark), or both."""

    latitude: float | None = None
    longitude: float | None = None
    address: str = ""


def validate_location(
    location: Location,
    *,
    required: bool,
    missing_message: Any,
    outside_message: Any,
) -> AdministrativeArea | None:
    """Check a reported location and find its kelurahan: latitude and longitude come together,
    within their ranges and inside the city boundary; without a point an address is needed
    when `required`. Errors are `ValidationFailed` on the field "location" (reason
    "outside_city" outside the boundary); the missing and outside messages are the caller's,
    so each intake keeps its own wording."""
    from django.utils.translation import gettext_lazy as _

    from .errors import ValidationFailed
    from .selectors import get_city

    lat, lon = location.latitude, location.longitude
    if (lat is None) != (lon is None):
        raise ValidationFailed(
            _("Lintang dan bujur harus diisi bersama."), details={"field": "location"}
        )
    if lat is None or lon is None:
        if required and not location.address.strip():
            raise ValidationFailed(missing_message, details={"field": "location"})
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationFailed(_("Koordinat tidak valid."), details={"field": "location"})
    city = get_city()
    if city and city.boundary and not contains(city.boundary, lat=lat, lon=lon):
        raise ValidationFailed(
            outside_message, details={"field": "location", "reason": "outside_city"}
        )
    return kelurahan_at(lat=lat, lon=lon)
