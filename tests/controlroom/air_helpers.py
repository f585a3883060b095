"""Stations, readings and publications shared by the air-quality and alert view tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from terang.controlroom.choices import StationKind
from terang.controlroom.models import Parameter, Reading, Station, StationParameter
from terang.controlroom.sensors.services import ensure_standard_parameters

HOUR = dt.timedelta(hours=1)
#: 10:00 UTC = 17.00 WIB: the end of the hour most tests publish.
HOUR_END = dt.datetime(2025, 3, 10, 10, 0, tzinfo=dt.UTC)


def air_station(
    code: str = "aqms-01", parameters: Iterable[str] = ("pm25", "pm10", "o3"), **extra: Any
) -> Station:
    ensure_standard_parameters()
    fields: dict[str, Any] = {
        "name": f"Stasiun {code}",
        "kind": StationKind.AIR_QUALITY,
        "latitude": -6.2,
        "longitude": 106.6,
    }
    fields.update(extra)
    station = Station.objects.create(code=code, **fields)
    for parameter in Parameter.objects.filter(code__in=list(parameters)):
        StationParameter.objects.create(station=station, parameter=parameter)
    return station


def add_readings(
    station: Station, parameter: str, points: Iterable[tuple[dt.datetime, float]]
) -> None:
    param = Parameter.objects.get(code=parameter)
    Reading.objects.bulk_create(
        [
            Reading(station=station, parameter=param, ts=ts, value=value, received_at=ts)
            for ts, value in points
        ]
    )


def hourly(end: dt.datetime, values: list[float]) -> list[tuple[dt.datetime, float]]:
    """values[k] stamped at end - k hours (the reading closing the k-th hour back)."""
    return [(end - k * HOUR, value) for k, value in enumerate(values)]


def flat_day(
    station: Station, parameter: str, value: float, end: dt.datetime = HOUR_END, hours: int = 24
) -> None:
    add_readings(station, parameter, hourly(end, [value] * hours))


def current_hour() -> dt.datetime:
    """The end of the last complete UTC hour now (what the pages and API list first)."""
    from terang.controlroom.air.publication import latest_complete_hour

    return latest_complete_hour()
