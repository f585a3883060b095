"""Public air-quality API (/api/v1/air): the published hourly ISPU per station, open to
everyone, read only from the published tables (the same selectors as the /udara/ pages)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import AwareDatetime

from terang.controlroom.air import ispu, selectors
from terang.controlroom.air.publication import latest_complete_hour
from terang.core.schemas import errors

router = Router(tags=["air"])
# Each operation_id is the one the endpoint was first published with: generated clients name
# their methods after it, so it stays put when the module moves.


class CategoryOut(Schema):
    code: str = Field(..., description="baik, sedang, tidak_sehat, sangat_tidak_sehat, berbahaya")
    name: str
    colour: str = Field(..., description="Warna kategori (hex).")
    text_colour: str = Field(..., description="Warna teks yang terbaca di atas `colour`.")
    health_message: str


class ParameterValueOut(Schema):
    code: str
    label: str
    concentration: float = Field(..., description="Konsentrasi rata-rata (µg/m³).")
    unit: str = "ug/m3"
    averaging_hours: int
    hours_with_data: int
    ispu: int
    category: CategoryOut


class HourOut(Schema):
    hour_end: dt.datetime = Field(
        ..., description="Akhir jam (UTC); rata-rata berjalan hingga dan termasuk waktu ini."
    )
    ispu: int | None = Field(..., description="ISPU stasiun; null bila data tidak cukup.")
    category: CategoryOut | None
    critical_parameter: str | None = Field(..., description="Parameter kritis (pencemar dominan).")
    published_at: dt.datetime | None
    parameters: list[ParameterValueOut]


class StationRef(Schema):
    code: str
    name: str
    latitude: float
    longitude: float


class StationAirOut(Schema):
    station: StationRef
    parameters: list[str] = Field(..., description="Parameter ISPU yang diukur stasiun.")
    is_current: bool = Field(
        ..., description="False bila ISPU terbaru lebih tua dari 2 jam (data tidak cukup)."
    )
    latest: HourOut | None


class StationsOut(Schema):
    generated_at: dt.datetime
    stations: list[StationAirOut]


class HourlyOut(Schema):
    station: StationRef
    start: dt.datetime = Field(..., alias="from")
    end: dt.datetime = Field(..., alias="to")
    hours: list[HourOut] = Field(..., description="Setiap jam dalam rentang, terbaru dulu.")


class HourlyFilters(Schema):
    start: AwareDatetime | None = Field(
        None, alias="from", description="Awal rentang (ISO 8601 dengan zona waktu)."
    )
    end: AwareDatetime | None = Field(
        None, alias="to", description="Akhir rentang (ISO 8601 dengan zona waktu)."
    )


def _category(category: ispu.Category | None) -> dict[str, str] | None:
    if category is None:
        return None
    return {
        "code": category.code,
        "name": str(category.name),
        "colour": category.colour,
        "text_colour": category.text_colour,
        "health_message": str(category.health_message),
    }


def _station(station: Any) -> dict[str, Any]:
    return {
        "code": station.code,
        "name": station.name,
        "latitude": station.latitude,
        "longitude": station.longitude,
    }


def _hour(hour: selectors.AirHour) -> dict[str, Any]:
    return {
        "hour_end": hour.hour_end,
        "ispu": hour.ispu,
        "category": _category(hour.category),
        "critical_parameter": hour.critical_parameter,
        "published_at": hour.published_at,
        "parameters": [
            {
                "code": value.parameter,
                "label": value.label,
                "concentration": value.concentration,
                "averaging_hours": value.averaging_hours,
                "hours_with_data": value.hours_with_data,
                "ispu": value.ispu,
                "category": _category(value.category),
            }
            for value in hour.values.values()
        ],
    }


@router.get(
    "/stations",
    response={200: StationsOut, **errors()},
    summary="ISPU terbaru per stasiun",
    description="Setiap stasiun kualitas udara aktif dengan ISPU terbaru yang diterbitkan, "
    "kategori, parameter kritis, dan nilai tiap parameter. Tanpa autentikasi.",
    operation_id="terang_controlroom_api_air_air_stations",
)
def air_stations(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    return {
        "generated_at": now,
        "stations": [
            {
                "station": _station(item.station),
                "parameters": item.parameters,
                "is_current": item.is_current,
                "latest": _hour(item.latest) if item.latest else None,
            }
            for item in selectors.latest_air_quality(now=now)
        ],
    }


@router.get(
    "/stations/{code}/hourly",
    response={200: HourlyOut, **errors(404, 422)},
    by_alias=True,
    summary="ISPU per jam satu stasiun",
    description="Setiap jam yang berakhir dalam rentang `from`..`to` (bawaan: 24 jam terakhir; "
    "paling lama 31 hari, selain itu 422 `range_too_long`). Jam tanpa data cukup punya "
    "`ispu` null dan daftar parameter kosong. Tanpa autentikasi.",
    operation_id="terang_controlroom_api_air_air_station_hourly",
)
def air_station_hourly(
    request: HttpRequest, code: str, filters: Query[HourlyFilters]
) -> dict[str, Any]:
    station = selectors.get_air_station(code=code)
    first, last = selectors.air_hour_range(
        start=filters.start, end=filters.end, latest=latest_complete_hour()
    )
    hours = selectors.station_air_hours(station=station, first=first, last=last)
    return {
        "station": _station(station),
        "from": first,
        "to": last,
        "hours": [_hour(hour) for hour in hours],
    }
