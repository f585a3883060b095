"""Public air-quality reads: only the published ISPU tables (and station metadata), never the
readings history. The HTML pages, the CSV and the API all call these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from terang.controlroom.air import ispu
from terang.controlroom.air.ispu import Category
from terang.controlroom.choices import StationKind
from terang.controlroom.models import IspuHourly, IspuStationHourly, Station, StationParameter
from terang.core.errors import NotFound, ValidationFailed

HOUR = dt.timedelta(hours=1)

#: A station whose newest publication is older than this shows "data tidak cukup" for now (the
#: hourly task runs a few minutes past the hour, so a current station is at most ~1 h behind).
AIR_CURRENT_WITHIN = dt.timedelta(hours=2)
#: The longest range the hourly API answers in one request.
AIR_MAX_RANGE = dt.timedelta(days=31)
ISPU_CODES = tuple(parameter.value for parameter in ispu.PARAMETER_ORDER)


class InvalidRange(ValidationFailed):
    code = "invalid_range"
    default_message = _("Awal rentang waktu harus sebelum akhirnya.")


class RangeTooLong(ValidationFailed):
    code = "range_too_long"
    default_message = _("Rentang waktu paling lama 31 hari.")


@dataclass(frozen=True)
class PublishedValue:
    """One parameter's published average and ISPU for an hour."""

    parameter: str
    label: str
    concentration: float
    averaging_hours: int
    hours_with_data: int
    ispu: int
    category: Category


@dataclass(frozen=True)
class AirHour:
    """A station's publication for one hour; `ispu` is None when nothing was published (no
    parameter had enough data in its window)."""

    hour_end: dt.datetime
    ispu: int | None
    category: Category | None
    critical_parameter: str | None
    published_at: dt.datetime | None
    values: dict[str, PublishedValue]

    @property
    def critical_label(self) -> str:
        if self.critical_parameter is None:
            return ""
        return ispu.parameter_spec(self.critical_parameter).label


@dataclass(frozen=True)
class StationAirQuality:
    """An air station with its newest publication and whether that is current."""

    station: Station
    parameters: list[str]
    latest: AirHour | None
    is_current: bool


def parameter_label(code: str) -> str:
    return ispu.parameter_spec(code).label


def air_stations() -> QuerySet[Station]:
    """Active air-quality stations, by name."""
    return Station.objects.filter(kind=StationKind.AIR_QUALITY, is_active=True).order_by(
        "name", "code"
    )


def get_air_station(*, code: str) -> Station:
    station = air_stations().filter(code=code).first()
    if station is None:
        raise NotFound(_("Stasiun kualitas udara tidak ditemukan."), details={"station": code})
    return station


def _measured(stations: Sequence[Station]) -> dict[int, list[str]]:
    """ISPU parameters each station measures, in the regulation's order."""
    found: dict[int, set[str]] = {station.pk: set() for station in stations}
    rows = StationParameter.objects.filter(
        station__in=stations, parameter__code__in=ISPU_CODES
    ).values_list("station_id", "parameter__code")
    for station_id, code in rows:
        found[station_id].add(code)
    return {pk: [c for c in ISPU_CODES if c in codes] for pk, codes in found.items()}


def _published_value(row: IspuHourly) -> PublishedValue:
    return PublishedValue(
        parameter=row.parameter,
        label=parameter_label(row.parameter),
        concentration=row.concentration,
        averaging_hours=row.averaging_hours,
        hours_with_data=row.hours_with_data,
        ispu=row.ispu,
        category=ispu.category_by_code(row.category),
    )


def _air_hour(
    hour_end: dt.datetime, row: IspuStationHourly | None, values: list[IspuHourly]
) -> AirHour:
    ordered = sorted(values, key=lambda v: ISPU_CODES.index(v.parameter))
    return AirHour(
        hour_end=hour_end,
        ispu=row.ispu if row else None,
        category=ispu.category_by_code(row.category) if row else None,
        critical_parameter=row.critical_parameter if row else None,
        published_at=row.published_at if row else None,
        values={v.parameter: _published_value(v) for v in ordered},
    )


def latest_air_quality(*, now: dt.datetime) -> list[StationAirQuality]:
    """Every active air station with its newest published hour (four queries in all)."""
    newest = IspuStationHourly.objects.filter(station=OuterRef("pk")).order_by("-hour_end")
    stations = list(air_stations().annotate(latest_id=Subquery(newest.values("pk")[:1])))
    rows = IspuStationHourly.objects.in_bulk([s.latest_id for s in stations if s.latest_id])
    wanted = {(row.station_id, row.hour_end) for row in rows.values()}
    values: dict[tuple[int, dt.datetime], list[IspuHourly]] = {key: [] for key in wanted}
    if wanted:
        candidates = IspuHourly.objects.filter(
            station_id__in={key[0] for key in wanted},
            hour_end__in={key[1] for key in wanted},
        )
        for value in candidates:
            key = (value.station_id, value.hour_end)
            if key in values:
                values[key].append(value)
    measured = _measured(stations)
    result = []
    for station in stations:
        row = rows.get(station.latest_id) if station.latest_id else None
        latest = (
            _air_hour(row.hour_end, row, values[(row.station_id, row.hour_end)]) if row else None
        )
        result.append(
            StationAirQuality(
                station=station,
                parameters=measured[station.pk] or (list(latest.values) if latest else []),
                latest=latest,
                is_current=latest is not None and latest.hour_end >= now - AIR_CURRENT_WITHIN,
            )
        )
    return result


def station_parameters(*, station: Station, hours: list[AirHour]) -> list[str]:
    """Parameters to show as columns: those the station measures and any it published."""
    codes = set(_measured([station])[station.pk])
    for hour in hours:
        codes.update(hour.values)
    return [code for code in ISPU_CODES if code in codes]


def _ceil_hour(moment: dt.datetime) -> dt.datetime:
    floor = moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + HOUR


def air_hour_range(
    *, start: dt.datetime | None, end: dt.datetime | None, latest: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """The hour ends to list for a requested range: on-the-hour ends within [start, end].

    Defaults: `end` is `latest` (the last complete hour), `start` 23 hours before `end` (24
    hours). The range may not run backwards nor span more than `AIR_MAX_RANGE`; hours after
    `latest` are not listed (they have not ended)."""
    end = end or latest
    start = start or end - 23 * HOUR
    if start > end:
        raise InvalidRange(details={"from": start.isoformat(), "to": end.isoformat()})
    if end - start > AIR_MAX_RANGE:
        raise RangeTooLong(details={"max_days": AIR_MAX_RANGE.days})
    first = _ceil_hour(start)
    last = min(end.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0), latest)
    return first, last


def station_air_hours(*, station: Station, first: dt.datetime, last: dt.datetime) -> list[AirHour]:
    """Every hour ending in [first, last] (on the hour), newest first, published or not."""
    rows = {
        row.hour_end: row
        for row in IspuStationHourly.objects.filter(
            station=station, hour_end__gte=first, hour_end__lte=last
        )
    }
    values: dict[dt.datetime, list[IspuHourly]] = {}
    for value in IspuHourly.objects.filter(
        station=station, hour_end__gte=first, hour_end__lte=last
    ):
        values.setdefault(value.hour_end, []).append(value)
    hours = []
    hour_end = last
    while hour_end >= first:
        hours.append(_air_hour(hour_end, rows.get(hour_end), values.get(hour_end, [])))
        hour_end -= HOUR
    return hours
