"""Hourly ISPU publication: the averaging windows, coverage, dominant pollutant, idempotent
republishing, the UTC hour boundary, the periodic task and the `publish-ispu` command."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from terang.controlroom import tasks
from terang.controlroom.air.publication import (
    REPUBLISH_HOURS,
    latest_complete_hour,
    publish_hour,
    publish_hours,
)
from terang.controlroom.models import IspuHourly, IspuStationHourly, Reading

from .air_helpers import HOUR, HOUR_END, add_readings, air_station, flat_day, hourly

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NOW = HOUR_END + dt.timedelta(minutes=5)


def values_of(station) -> dict[str, tuple[float, int, str, int]]:
    return {
        row.parameter: (row.concentration, row.ispu, row.category, row.hours_with_data)
        for row in IspuHourly.objects.filter(station=station)
    }


def hand_built_day(station) -> None:
    """PM2.5 8, 10, ..., 54 µg/m³ closing each of the 24 hours (newest first), plus a second
    reading of 38 in the hour whose closing reading is 14: that hour's mean is 26, so the 24-hour
    mean of hourly means is (744 + 12) / 24 = 31.5 (a plain mean of the 25 readings would be
    31.28). Readings exactly 24 h back and after the hour are outside the window."""
    add_readings(station, "pm25", hourly(HOUR_END, [2 * k + 8 for k in range(24)]))
    add_readings(
        station,
        "pm25",
        [
            (HOUR_END - 3 * HOUR - dt.timedelta(minutes=20), 38.0),
            (HOUR_END - 24 * HOUR, 500.0),
            (HOUR_END + dt.timedelta(seconds=1), 500.0),
        ],
    )
    flat_day(station, "pm10", 100.0)  # (50, 150] -> 50 + 50 * 50 / 100 = 75
    add_readings(
        station,
        "o3",
        [
            (HOUR_END, 300.0),  # O3 averages 1 h: (235, 400] -> 100 + 100 * 65 / 165 = 139.39
            (HOUR_END - HOUR, 1000.0),  # the previous hour: outside O3's window
        ],
    )


def test_hand_built_series_gives_exact_averages_ispu_and_dominant_pollutant() -> None:
    station = air_station()
    hand_built_day(station)

    result = publish_hour(hour_end=HOUR_END, now=NOW)

    assert values_of(station) == {
        "pm25": (31.5, 70, "sedang", 24),  # 50 + 50 * (31.5 - 15.5) / 39.9 = 70.05
        "pm10": (100.0, 75, "sedang", 24),
        "o3": (300.0, 139, "tidak_sehat", 1),
    }
    overall = IspuStationHourly.objects.get(station=station)
    assert (overall.hour_end, overall.ispu, overall.category, overall.critical_parameter) == (
        HOUR_END,
        139,
        "tidak_sehat",
        "o3",
    )
    assert overall.published_at == NOW
    assert (result.stations, result.values, result.written, result.removed) == (1, 3, 4, 0)
    averaging = dict(IspuHourly.objects.values_list("parameter", "averaging_hours"))
    assert averaging == {"pm25": 24, "pm10": 24, "o3": 1}


def test_republishing_the_same_data_changes_nothing() -> None:
    station = air_station()
    hand_built_day(station)
    publish_hour(hour_end=HOUR_END, now=NOW)
    before = list(IspuHourly.objects.order_by("pk").values())

    again = publish_hour(hour_end=HOUR_END, now=NOW + dt.timedelta(hours=1))

    assert (again.values, again.written, again.removed) == (3, 0, 0)
    assert list(IspuHourly.objects.order_by("pk").values()) == before
    assert IspuStationHourly.objects.get().published_at == NOW


def test_late_reading_updates_the_published_hour_in_place() -> None:
    station = air_station(parameters=("pm25",))
    flat_day(station, "pm25", 30.0, hours=23)  # the hour 23 h back is missing
    publish_hour(hour_end=HOUR_END, now=NOW)
    assert values_of(station)["pm25"] == (30.0, 68, "sedang", 23)

    add_readings(station, "pm25", [(HOUR_END - 23 * HOUR, 54.0)])
    later = NOW + dt.timedelta(hours=2)
    result = publish_hour(hour_end=HOUR_END, now=later)

    assert result.written == 2  # the parameter row and the station row
    assert values_of(station)["pm25"] == (31.0, 69, "sedang", 24)
    assert IspuHourly.objects.count() == 1
    assert IspuStationHourly.objects.get().published_at == later


def test_window_under_75_percent_publishes_nothing_for_that_parameter() -> None:
    station = air_station()
    flat_day(station, "pm25", 30.0, hours=17)  # 17 of 24 hours: below 18
    add_readings(station, "o3", [(HOUR_END, 100.0)])

    result = publish_hour(hour_end=HOUR_END, now=NOW)

    assert set(values_of(station)) == {"o3"}
    overall = IspuStationHourly.objects.get()
    assert (overall.ispu, overall.critical_parameter) == (42, "o3")  # 50 * 100 / 120 = 41.7
    assert result.incomplete == [(station.code, "pm25")]


def test_eighteen_hours_of_twenty_four_are_enough() -> None:
    station = air_station(parameters=("pm25",))
    flat_day(station, "pm25", 15.5, hours=18)

    publish_hour(hour_end=HOUR_END, now=NOW)

    assert values_of(station) == {"pm25": (15.5, 50, "baik", 18)}


def test_station_without_enough_data_gets_no_rows_at_all() -> None:
    station = air_station()
    flat_day(station, "pm25", 30.0, hours=5)

    result = publish_hour(hour_end=HOUR_END, now=NOW)

    assert not IspuHourly.objects.exists()
    assert not IspuStationHourly.objects.exists()
    assert (result.stations, result.incomplete) == (0, [(station.code, "pm25")])


def test_hour_that_lost_its_data_is_withdrawn_on_republish() -> None:
    station = air_station()
    flat_day(station, "pm25", 30.0)
    publish_hour(hour_end=HOUR_END, now=NOW)
    Reading.objects.filter(ts__lt=HOUR_END - 5 * HOUR).delete()

    result = publish_hour(hour_end=HOUR_END, now=NOW)

    assert result.removed == 2
    assert not IspuHourly.objects.exists()
    assert not IspuStationHourly.objects.exists()


def test_only_air_stations_are_published() -> None:
    river = air_station("pda-01", parameters=(), kind="water_level")
    flat_day(river, "pm25", 30.0)

    publish_hour(hour_end=HOUR_END, now=NOW)

    assert not IspuHourly.objects.exists()


def test_stations_argument_limits_the_publication() -> None:
    first, second = air_station("aqms-01"), air_station("aqms-02")
    flat_day(first, "pm25", 30.0)
    flat_day(second, "pm25", 30.0)

    publish_hour(hour_end=HOUR_END, stations=[second], now=NOW)

    assert list(IspuStationHourly.objects.values_list("station__code", flat=True)) == ["aqms-02"]


# --- the hour boundary ------------------------------------------------------------------------


def test_hour_given_in_wib_is_stored_as_the_same_instant_in_utc() -> None:
    station = air_station(parameters=("o3",))
    add_readings(
        station,
        "o3",
        [
            (HOUR_END, 120.0),  # 17:00:00 WIB closes the hour 16-17 WIB
            (HOUR_END + dt.timedelta(seconds=1), 1000.0),  # 17:00:01 WIB is the next hour
        ],
    )

    publish_hour(hour_end=dt.datetime(2025, 3, 10, 17, 0, tzinfo=WIB), now=NOW)

    row = IspuHourly.objects.get()
    assert row.hour_end == dt.datetime(2025, 3, 10, 10, 0, tzinfo=dt.UTC)
    assert (row.concentration, row.ispu) == (120.0, 50)


def test_reading_on_the_hour_closes_that_hour_not_the_next() -> None:
    station = air_station(parameters=("o3",))
    add_readings(station, "o3", [(HOUR_END, 240.0)])

    publish_hour(hour_end=HOUR_END, now=NOW + HOUR)
    publish_hour(hour_end=HOUR_END + HOUR, now=NOW + HOUR)

    assert list(IspuHourly.objects.values_list("hour_end", flat=True)) == [HOUR_END]


@pytest.mark.parametrize(
    "bad",
    [
        dt.datetime(2025, 3, 10, 17, 30, tzinfo=WIB),  # not on the hour
        dt.datetime(2025, 3, 10, 10, 0),  # naive  # noqa: DTZ001
        HOUR_END + HOUR,  # has not ended yet at NOW
    ],
)
def test_hour_end_must_be_aware_on_the_hour_and_past(bad: dt.datetime) -> None:
    air_station()
    with pytest.raises(ValueError, match="hour"):
        publish_hour(hour_end=bad, now=NOW)


def test_latest_complete_hour_is_the_utc_hour_that_just_ended() -> None:
    moment = dt.datetime(2025, 3, 10, 17, 59, 59, tzinfo=WIB)
    assert latest_complete_hour(moment) == dt.datetime(2025, 3, 10, 10, 0, tzinfo=dt.UTC)


# --- task and command -------------------------------------------------------------------------


def test_backfill_publishes_each_hour_oldest_first() -> None:
    station = air_station(parameters=("o3",))
    add_readings(station, "o3", hourly(HOUR_END, [100.0, 200.0, 300.0]))

    results = publish_hours(last_hour_end=HOUR_END, hours=3, now=NOW)

    assert [r.hour_end for r in results] == [HOUR_END - 2 * HOUR, HOUR_END - HOUR, HOUR_END]
    rows = IspuHourly.objects.order_by("hour_end").values_list("hour_end", "concentration")
    assert list(rows) == [
        (HOUR_END - 2 * HOUR, 300.0),
        (HOUR_END - HOUR, 200.0),
        (HOUR_END, 100.0),
    ]


def test_periodic_task_publishes_the_last_hour_and_republishes_a_few_before() -> None:
    station = air_station(parameters=("o3",))
    last = latest_complete_hour(timezone.now())
    add_readings(station, "o3", hourly(last, [100.0] * 6))

    summary = tasks.publish_ispu.delay().get()

    hours = sorted(IspuHourly.objects.values_list("hour_end", flat=True))
    assert hours == [last - k * HOUR for k in range(REPUBLISH_HOURS, -1, -1)]
    assert summary == {"hours": REPUBLISH_HOURS + 1, "values": 4, "written": 8, "removed": 0}


def test_command_publishes_the_given_wib_hour_with_backfill() -> None:
    station = air_station(parameters=("o3",))
    add_readings(station, "o3", hourly(HOUR_END, [100.0, 200.0]))
    out = io.StringIO()

    call_command("publish-ispu", "--hour", "2025-03-10T17:00", "--backfill", "2", stdout=out)

    assert IspuHourly.objects.count() == 2
    assert out.getvalue().splitlines() == [
        "2025-03-10T09:00Z (16:00 WIB): 1 stations, 1 values, 2 written, 0 removed",
        "2025-03-10T10:00Z (17:00 WIB): 1 stations, 1 values, 2 written, 0 removed",
    ]


def test_command_reports_windows_without_enough_data() -> None:
    station = air_station(parameters=("pm25",))
    flat_day(station, "pm25", 30.0, hours=3)
    out = io.StringIO()

    call_command("publish-ispu", "--hour", "2025-03-10T10:00+00:00", stdout=out)

    assert out.getvalue().strip().endswith("not enough data: aqms-01/pm25")
    assert not IspuHourly.objects.exists()


def test_command_refuses_an_hour_that_is_not_over() -> None:
    air_station()
    future = (timezone.now() + dt.timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    with pytest.raises(CommandError, match="has not ended"):
        call_command("publish-ispu", "--hour", future.isoformat())
    assert not IspuHourly.objects.exists()
