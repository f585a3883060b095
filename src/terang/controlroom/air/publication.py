"""Hourly ISPU publication: averaged concentrations, ISPU and the dominant pollutant per air
station and hour, stored in `IspuHourly` / `IspuStationHourly` for the public pages and API.

KLHK publishes PM2.5 every hour as a 24-hour rolling average (DOMAIN.md §1); every parameter is
published here every hour over its own window from `ispu.PARAMETERS` (PM2.5, PM10 and SO2
24 h, CO 8 h, HC 3 h, O3 and NO2 1 h), with the 75 % coverage rule of `ispu.rolling_average`.
A window with too few hours of data publishes nothing for that parameter.

Hours are named by their end (UTC, on the hour): the publication of 10:00 UTC averages up to and
including 10:00 UTC, so it can be computed from a few minutes past 10:00 UTC (17.00 WIB).
`publish_hour` is a pure function of the readings: publishing the same hour again writes only
what changed (late readings) and removes what is no longer complete, so it is safe to repeat.
Publications are derived data, not decisions, so they are not written to the audit chain.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, DateTimeField, ExpressionWrapper, F
from django.db.models.functions import TruncHour
from django.utils import timezone

from terang.controlroom.air import ispu
from terang.controlroom.choices import StationKind
from terang.controlroom.models import (
    IspuHourly,
    IspuStationHourly,
    Parameter,
    Reading,
    Station,
)

HOUR = dt.timedelta(hours=1)
#: The longest averaging window: how far back one publication reads readings.
LONGEST_WINDOW_HOURS = max(spec.averaging_hours for spec in ispu.PARAMETERS.values())
#: The periodic task also republishes this many earlier hours, to take in buffered readings.
REPUBLISH_HOURS = 3
VALUE_FIELDS = ["concentration", "averaging_hours", "hours_with_data", "ispu", "category"]
STATION_FIELDS = ["ispu", "category", "critical_parameter"]


@dataclass
class PublicationResult:
    """What one `publish_hour` call did; `incomplete` lists (station, parameter) pairs that had
    readings in their window but too few hours of them."""

    hour_end: dt.datetime
    stations: int = 0
    values: int = 0
    written: int = 0
    removed: int = 0
    incomplete: list[tuple[str, str]] = field(default_factory=list)


def hour_floor(moment: dt.datetime) -> dt.datetime:
    """The start of the UTC hour holding `moment` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def latest_complete_hour(now: dt.datetime | None = None) -> dt.datetime:
    """The end of the last hour that has fully passed: 10:00 UTC from 10:00:00 to 10:59:59."""
    return hour_floor(now or timezone.now())


def _check_hour_end(hour_end: dt.datetime, now: dt.datetime) -> dt.datetime:
    if timezone.is_naive(hour_end):
        raise ValueError("hour_end must be timezone-aware")
    hour_end = hour_end.astimezone(dt.UTC)
    if hour_end != hour_floor(hour_end):
        raise ValueError(f"hour_end must be on the hour, got {hour_end.isoformat()}")
    if hour_end > latest_complete_hour(now):
        raise ValueError(f"hour {hour_end.isoformat()} has not ended yet")
    return hour_end


def _air_stations(stations: Iterable[Station] | None) -> list[Station]:
    if stations is not None:
        return [s for s in stations if s.kind == StationKind.AIR_QUALITY]
    return list(Station.objects.filter(kind=StationKind.AIR_QUALITY, is_active=True))


def _hourly_means(
    station_ids: list[int], parameters: dict[int, str], hour_end: dt.datetime
) -> dict[tuple[int, str], list[tuple[dt.datetime, float]]]:
    """Per (station, parameter), the mean of each hour slot of the longest window, stamped at
    the slot's end. The database averages within each slot, so one publication moves at most
    window x parameters rows per station, not every raw reading; `rolling_average` then sees one
    value per slot, which gives the same mean of slot means and the same coverage count."""
    # Slot k is (end - (k+1) h, end - k h]: shifting by a microsecond makes the hour truncation
    # put a reading stamped exactly on the hour into the hour it ends.
    slot_start = TruncHour(
        ExpressionWrapper(F("ts") - dt.timedelta(microseconds=1), output_field=DateTimeField()),
        tzinfo=dt.UTC,
    )
    rows = (
        Reading.objects.filter(
            station_id__in=station_ids,
            parameter_id__in=list(parameters),
            ts__gt=hour_end - LONGEST_WINDOW_HOURS * HOUR,
            ts__lte=hour_end,
        )
        .annotate(slot=slot_start)
        .values("station_id", "parameter_id", "slot")
        .annotate(mean=Avg("value"))
        .order_by()
    )
    series: dict[tuple[int, str], list[tuple[dt.datetime, float]]] = defaultdict(list)
    for row in rows:
        start = row["slot"]
        if timezone.is_naive(start):
            start = timezone.make_aware(start, dt.UTC)
        key = (row["station_id"], parameters[row["parameter_id"]])
        series[key].append((start + HOUR, row["mean"]))
    return series


def publish_hour(
    *,
    hour_end: dt.datetime,
    stations: Iterable[Station] | None = None,
    now: dt.datetime | None = None,
) -> PublicationResult:
    """Publish (or republish) the ISPU of every air station, or of `stations`, for the hour
    ending at `hour_end` (aware, on the hour, not in the future).

    One transaction: the station rows and their parameter rows change together."""
    now = now or timezone.now()
    hour_end = _check_hour_end(hour_end, now)
    result = PublicationResult(hour_end=hour_end)
    air = _air_stations(stations)
    if not air:
        return result
    by_id = {station.pk: station for station in air}
    parameters = dict(
        Parameter.objects.filter(code__in=[p.value for p in ispu.PARAMETERS]).values_list(
            "pk", "code"
        )
    )
    series = _hourly_means(list(by_id), parameters, hour_end)

    wanted_values: dict[tuple[int, str], IspuHourly] = {}
    wanted_stations: dict[int, IspuStationHourly] = {}
    averages: dict[int, dict[str, float]] = defaultdict(dict)
    for (station_id, code), points in sorted(series.items()):
        spec = ispu.parameter_spec(code)
        average = ispu.rolling_average(points, end=hour_end, hours=spec.averaging_hours)
        if average is None:
            if any(ts > hour_end - spec.averaging_hours * HOUR for ts, _ in points):
                result.incomplete.append((by_id[station_id].code, code))
            continue
        averages[station_id][code] = average
        value = ispu.ispu_for(code, average)
        wanted_values[(station_id, code)] = IspuHourly(
            station_id=station_id,
            hour_end=hour_end,
            parameter=code,
            concentration=average,
            averaging_hours=spec.averaging_hours,
            hours_with_data=sum(
                1 for ts, _ in points if ts > hour_end - spec.averaging_hours * HOUR
            ),
            ispu=value,
            category=ispu.category_for(value).code,
            published_at=now,
        )
    for station_id, station_averages in averages.items():
        overall = ispu.station_ispu(station_averages)
        wanted_stations[station_id] = IspuStationHourly(
            station_id=station_id,
            hour_end=hour_end,
            ispu=overall.ispu,
            category=overall.category.code,
            critical_parameter=overall.critical_parameter.value,
            published_at=now,
        )

    with transaction.atomic():
        result.written, result.removed = _store(
            hour_end, list(by_id), wanted_values, wanted_stations
        )
    result.stations = len(wanted_stations)
    result.values = len(wanted_values)
    return result


def _store(
    hour_end: dt.datetime,
    station_ids: list[int],
    wanted_values: dict[tuple[int, str], IspuHourly],
    wanted_stations: dict[int, IspuStationHourly],
) -> tuple[int, int]:
    """Upsert what changed, delete what is no longer published; returns (written, removed)."""
    existing_values = {
        (row.station_id, row.parameter): row
        for row in IspuHourly.objects.filter(station_id__in=station_ids, hour_end=hour_end)
    }
    existing_stations = {
        row.station_id: row
        for row in IspuStationHourly.objects.filter(station_id__in=station_ids, hour_end=hour_end)
    }
    changed_values = [
        row
        for key, row in wanted_values.items()
        if key not in existing_values or _differs(existing_values[key], row, VALUE_FIELDS)
    ]
    changed_stations = [
        row
        for key, row in wanted_stations.items()
        if key not in existing_stations or _differs(existing_stations[key], row, STATION_FIELDS)
    ]
    stale_values = [row.pk for key, row in existing_values.items() if key not in wanted_values]
    stale_stations = [
        row.pk for key, row in existing_stations.items() if key not in wanted_stations
    ]
    if stale_values:
        IspuHourly.objects.filter(pk__in=stale_values).delete()
    if stale_stations:
        IspuStationHourly.objects.filter(pk__in=stale_stations).delete()
    # ON CONFLICT DO UPDATE: a concurrent publisher of the same hour cannot make this fail.
    if changed_values:
        IspuHourly.objects.bulk_create(
            changed_values,
            update_conflicts=True,
            unique_fields=["station", "hour_end", "parameter"],
            update_fields=[*VALUE_FIELDS, "published_at"],
        )
    if changed_stations:
        IspuStationHourly.objects.bulk_create(
            changed_stations,
            update_conflicts=True,
            unique_fields=["station", "hour_end"],
            update_fields=[*STATION_FIELDS, "published_at"],
        )
    written = len(changed_values) + len(changed_stations)
    return written, len(stale_values) + len(stale_stations)


def _differs(stored: object, wanted: object, fields: list[str]) -> bool:
    return any(getattr(stored, name) != getattr(wanted, name) for name in fields)


def publish_hours(
    *,
    last_hour_end: dt.datetime,
    hours: int,
    stations: Iterable[Station] | None = None,
    now: dt.datetime | None = None,
) -> list[PublicationResult]:
    """Publish the `hours` hours ending at `last_hour_end`, oldest first (backfill)."""
    if hours < 1:
        raise ValueError(f"hours must be at least 1, got {hours}")
    station_list = list(stations) if stations is not None else None
    return [
        publish_hour(hour_end=last_hour_end - back * HOUR, stations=station_list, now=now)
        for back in range(hours - 1, -1, -1)
    ]


def publish_recent(*, now: dt.datetime | None = None) -> list[PublicationResult]:
    """The periodic job: the hour that just ended plus `REPUBLISH_HOURS` before it, so readings
    a station buffered and sent late still reach their hours."""
    now = now or timezone.now()
    return publish_hours(
        last_hour_end=latest_complete_hour(now), hours=REPUBLISH_HOURS + 1, now=now
    )
