"""The sensors-and-alerts part of the wall contract (controlroom.sensors.wall_selectors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terang.controlroom.air.publication import publish_hour
from terang.controlroom.alerts.services import acknowledge_alert, raise_alert, resolve_alert
from terang.controlroom.choices import AlertKind, Comparison, QuarantineReason, Severity
from terang.controlroom.models import (
    Alert,
    AlertRule,
    LatestReading,
    Parameter,
    QuarantinedMessage,
    Station,
)
from terang.controlroom.sensors.wall_selectors import (
    wall_breaches,
    wall_counters,
    wall_events,
    wall_map_points,
)
from terang.core.choices import Role
from terang.core.wall import wall_sources
from tests.factories import make_staff

from .air_helpers import HOUR, add_readings, air_station, current_hour, flat_day

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()


def rule(
    severity: str,
    parameter: str = "pm25",
    threshold: float = 150.0,
    comparison: str = Comparison.GTE,
    name: str = "",
) -> AlertRule:
    return AlertRule.objects.create(
        name=name or f"{parameter} {severity}",
        kind=AlertKind.THRESHOLD,
        parameter=Parameter.objects.get(code=parameter),
        threshold=threshold,
        comparison=comparison,
        severity=severity,
    )


def alert(station, severity: str, at: dt.datetime, name: str = ""):
    """An alert raised from a reading at `at` and, as if processed at once, written at `at`."""
    raised = raise_alert(
        rule=rule(severity, name=name or f"{station.code} {severity}"),
        station=station,
        value=1.0,
        at=at,
        message="pesan",
    )
    Alert.objects.filter(pk=raised.pk).update(created_at=at)
    raised.refresh_from_db()
    return raised


def counters(now) -> dict[str, tuple[int, str]]:
    return {c.key: (c.value, c.severity) for c in wall_counters(now)}


def test_counters_count_active_alerts_by_severity_stations_and_quarantine(now):
    a = air_station("aqms-01", last_seen_at=now - 5 * MINUTE)
    b = air_station("aqms-02", last_seen_at=now - 45 * MINUTE)
    air_station("aqms-03")  # never sent
    air_station("aqms-04", is_active=False, last_seen_at=now)
    alert(a, Severity.DANGER, now - 10 * MINUTE)
    alert(a, Severity.WARNING, now - 10 * MINUTE)
    alert(b, Severity.WARNING, now - 10 * MINUTE)
    resolve_alert(
        actor=make_staff(Role.OPERATOR), alert=alert(b, Severity.DANGER, now - MINUTE), note="ok"
    )
    for minutes in (5, 59, 61):
        QuarantinedMessage.objects.create(
            received_at=now - minutes * MINUTE, reason=QuarantineReason.OUT_OF_RANGE
        )

    assert counters(now) == {
        "alerts_danger": (1, "danger"),
        "alerts_warning": (2, "warning"),
        "alerts_info": (0, "info"),
        "stations_reporting": (1, "info"),
        "stations_silent": (2, "warning"),
        "readings_quarantined_hour": (2, "warning"),
    }


def test_counters_are_cheap(now, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        wall_counters(now)


def test_events_are_openings_acknowledgements_and_resolutions_after_since(now):
    station = air_station("aqms-01")
    operator = make_staff(Role.OPERATOR)
    old = alert(station, Severity.WARNING, now - 3 * HOUR, "lama")
    fresh = alert(station, Severity.DANGER, now - 10 * MINUTE, "baru")
    acknowledge_alert(actor=operator, alert=old)
    resolve_alert(actor=operator, alert=old, note="selesai")

    events = wall_events(now - HOUR, now + MINUTE, 10)

    assert [(e.key, e.severity, e.source) for e in events] == [
        (f"alert:{old.pk}:resolved", "info", "alerts"),
        (f"alert:{old.pk}:acknowledged", "info", "alerts"),
        (f"alert:{fresh.pk}:opened", "danger", "alerts"),
    ]
    assert events[2].at == now - 10 * MINUTE
    assert events[2].title == "Peringatan baru: Stasiun aqms-01. pesan"
    assert events[2].url == f"/ruang-kendali/peringatan/{fresh.pk}/"


def test_events_exclude_since_itself_and_respect_the_limit(now):
    station = air_station("aqms-01")
    at = [now - k * MINUTE for k in range(1, 6)]
    made = [alert(station, Severity.INFO, moment, f"aturan {k}") for k, moment in enumerate(at)]

    events = wall_events(at[3], now, 2)

    assert [e.key for e in events] == [f"alert:{made[0].pk}:opened", f"alert:{made[1].pk}:opened"]
    assert f"alert:{made[3].pk}:opened" not in [e.key for e in wall_events(at[3], now, 10)]


def test_breaches_are_active_danger_alerts(now):
    station = air_station("aqms-01")
    operator = make_staff(Role.OPERATOR)
    open_danger = alert(station, Severity.DANGER, now - 5 * MINUTE, "a")
    handled = alert(station, Severity.DANGER, now - 9 * MINUTE, "b")
    acknowledge_alert(actor=operator, alert=handled)
    alert(station, Severity.WARNING, now - MINUTE, "c")
    resolve_alert(actor=operator, alert=alert(station, Severity.DANGER, now, "d"), note="x")

    breaches = wall_breaches(now)

    assert [(b.key, b.severity) for b in breaches] == [
        (f"alert:{open_danger.pk}:active", "danger"),
        (f"alert:{handled.pk}:active", "danger"),
    ]
    assert breaches[0].title.startswith("Bahaya, belum ditangani: ")
    assert breaches[1].title.startswith("Bahaya, ditangani: ")


def test_map_points_colour_air_by_ispu_rivers_by_threshold_and_grey_without_data(now):
    last = current_hour()
    fresh = air_station("aqms-01", parameters=("o3",))
    stale = air_station("aqms-02", parameters=("o3",))
    add_readings(fresh, "o3", [(last, 300.0)])
    add_readings(stale, "o3", [(last - 5 * HOUR, 300.0)])
    publish_hour(hour_end=last)
    publish_hour(hour_end=last - 5 * HOUR)
    rule(Severity.WARNING, "water_level", 200.0)
    rule(Severity.DANGER, "water_level", 260.0)
    level = Parameter.objects.get(code="water_level")
    rivers = {}
    for code, value, age in [
        ("pda-a", 150.0, 1),
        ("pda-b", 230.0, 1),
        ("pda-c", 300.0, 1),
        ("pda-d", 300.0, 90),
    ]:
        rivers[code] = air_station(code, parameters=(), kind="water_level")
        LatestReading.objects.create(
            station=rivers[code], parameter=level, ts=now - age * MINUTE, value=value
        )
    Station.objects.create(
        code="arg-1", name="Penakar", kind="rainfall", latitude=-6.1, longitude=106.7
    )

    points = {p.key: p for p in wall_map_points(now)}

    assert {k: (p.colour, p.label) for k, p in points.items()} == {
        "station:aqms-01": ("#cccc00", "Stasiun aqms-01: ISPU 139 (Tidak Sehat, O3)"),
        "station:aqms-02": ("#767676", "Stasiun aqms-02: data ISPU tidak cukup"),
        "station:pda-a": ("#1e7b34", "Stasiun pda-a: 150 cm (normal)"),
        "station:pda-b": ("#cc7a00", "Stasiun pda-b: 230 cm (Waspada)"),
        "station:pda-c": ("#b3261e", "Stasiun pda-c: 300 cm (Bahaya)"),
        "station:pda-d": ("#767676", "Stasiun pda-d: tidak ada data terbaru"),
        "station:arg-1": ("#1f6feb", "Penakar"),
    }
    assert points["station:aqms-01"].url == "/udara/aqms-01/"
    assert (points["station:aqms-01"].latitude, points["station:aqms-01"].source) == (
        -6.2,
        "sensors",
    )


def test_map_points_query_count_does_not_grow_with_stations(now, django_assert_max_num_queries):
    last = current_hour()
    for n in range(6):
        station = air_station(f"aqms-{n}", parameters=("pm25",))
        flat_day(station, "pm25", 20.0, end=last)
    publish_hour(hour_end=last)
    with django_assert_max_num_queries(8):
        assert len(wall_map_points(now)) == 6


def test_an_alert_raised_from_late_readings_is_an_event_when_written(now):
    station = air_station("aqms-01")
    late = raise_alert(
        rule=rule(Severity.WARNING, name="terlambat"),
        station=station,
        value=1.0,
        at=now - 3 * HOUR,  # the reading is three hours old, the alert is new
        message="pesan",
    )
    keys = [e.key for e in wall_events(timezone.now() - MINUTE, timezone.now() + MINUTE, 10)]
    assert f"alert:{late.pk}:opened" in keys


def test_the_control_rooms_source_is_registered_from_its_wall_selectors() -> None:
    (source,) = [s for s in wall_sources() if s.name == "controlroom"]
    parts = [
        source.counters,
        source.events,
        source.map_points,
        source.breaches,
        source.daily_figures,
    ]
    assert {part.__module__ for part in parts} == {"terang.controlroom.sensors.wall_selectors"}
    assert source.counters is wall_counters and source.map_points is wall_map_points
