"""The fleet's part of the control-room wall: counters, events, map points and breaches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terang.core.wall import MapPoint, WallCounter, WallEvent
from terang.fleet import selectors, services, wall_selectors
from terang.fleet.models import IdlePeriod

from .conftest import LAT, LON, as_json, moved

pytestmark = pytest.mark.django_db


def _fix(ts: dt.datetime, *, north: float = 0.0, speed: float | None = 0.0) -> dict:
    lat, lon = moved(north_m=north)
    body = {"ts": ts.isoformat(), "lat": lat, "lon": lon}
    if speed is not None:
        body["speed"] = speed
    return body


@pytest.fixture
def scene(truck, patrol, dlh):  # type: ignore[no-untyped-def]
    """Now: the truck stands idle for 27 minutes, the patrol drives, the sweeper fell silent
    30 minutes ago, the tanker never reported."""
    now = timezone.now().replace(microsecond=0)
    sweeper = services.register_vehicle(code="sapu-01", kind="street_sweeper", agency=dlh)
    services.register_vehicle(code="tangki-01", kind="water_tanker", agency=dlh)
    services.ingest_positions(
        vehicle=truck,
        payload=as_json([_fix(now - dt.timedelta(minutes=m)) for m in (28, 20, 14, 8, 1)]),
    )
    services.ingest_positions(
        vehicle=patrol, payload=as_json([_fix(now - dt.timedelta(minutes=2), north=800, speed=35)])
    )
    services.ingest_positions(
        vehicle=sweeper,
        payload=as_json([_fix(now - dt.timedelta(minutes=30), north=-800, speed=10)]),
    )
    return now


def test_counters(scene) -> None:  # type: ignore[no-untyped-def]
    assert wall_selectors.wall_counters(scene) == [
        WallCounter("fleet_reporting", "Kendaraan melapor", 2),
        WallCounter("fleet_idle", "Kendaraan diam di luar pool", 1, "warning"),
        WallCounter("fleet_silent", "Kendaraan tanpa kabar", 1, "warning"),
    ]


def test_events_idle_and_silent_newest_first(scene) -> None:  # type: ignore[no-untyped-def]
    period = IdlePeriod.objects.get()
    started = scene - dt.timedelta(minutes=28)
    silent_since = scene - dt.timedelta(minutes=30)
    local = f"{(started + dt.timedelta(hours=7)):%H:%M}"
    silent_local = f"{(silent_since + dt.timedelta(hours=7)):%H:%M}"
    events = wall_selectors.wall_events(scene - dt.timedelta(hours=1), timezone.now(), 10)
    assert events == [
        WallEvent(
            key=f"fleet:truk-01:idle:{started:%Y%m%dT%H%M%SZ}",
            at=period.detected_at,
            source="fleet",
            title=f"B 9001 DLH (truk-01) diam sejak {local} di luar pool",
            severity="warning",
            url="/ruang-kendali/armada/kendaraan/truk-01/",
        ),
        WallEvent(
            key=f"fleet:sapu-01:silent:{silent_since:%Y%m%dT%H%M%SZ}",
            at=silent_since + dt.timedelta(minutes=10),
            source="fleet",
            title=f"sapu-01 tidak mengirim posisi sejak {silent_local}",
            severity="warning",
            url="/ruang-kendali/armada/kendaraan/sapu-01/",
        ),
    ]


def test_events_after_the_cursor_only(scene) -> None:  # type: ignore[no-untyped-def]
    period = IdlePeriod.objects.get()
    later = wall_selectors.wall_events(
        period.detected_at, period.detected_at + dt.timedelta(minutes=1), 10
    )
    assert later == []
    assert len(wall_selectors.wall_events(scene - dt.timedelta(hours=1), scene, 1)) == 1


def test_map_points_show_each_reporting_vehicle_with_its_state(scene) -> None:  # type: ignore[no-untyped-def]
    points = {p.key: p for p in wall_selectors.wall_map_points(scene)}
    assert set(points) == {"fleet:truk-01", "fleet:patroli-01", "fleet:sapu-01"}
    assert points["fleet:truk-01"] == MapPoint(
        key="fleet:truk-01",
        source="fleet",
        latitude=LAT,
        longitude=LON,
        label="B 9001 DLH (truk-01): Truk sampah, Diam terlalu lama",
        colour="#bc4c00",
        url="/ruang-kendali/armada/kendaraan/truk-01/",
    )
    assert points["fleet:sapu-01"].label == "sapu-01: Penyapu jalan, Tidak mengirim posisi"
    assert points["fleet:patroli-01"].colour == "#1f6feb"


def test_breach_is_the_idle_truck_until_it_drives_on(scene, truck) -> None:  # type: ignore[no-untyped-def]
    started = scene - dt.timedelta(minutes=28)
    [breach] = wall_selectors.wall_breaches(scene)
    assert breach.key == f"fleet:truk-01:idle-now:{started:%Y%m%dT%H%M%SZ}"
    assert breach.at == started + dt.timedelta(minutes=15)
    assert breach.severity == "warning"
    assert breach.title.startswith("B 9001 DLH (truk-01) diam 27 menit di luar pool")
    services.ingest_positions(vehicle=truck, payload=as_json([_fix(scene, north=300, speed=20)]))
    assert wall_selectors.wall_breaches(scene) == []


def test_breach_turns_danger_after_twice_the_limit_and_leaves_when_silent(scene, truck) -> None:  # type: ignore[no-untyped-def]
    later = scene + dt.timedelta(minutes=4)  # within the ingest's 5-minute clock skew
    services.ingest_positions(vehicle=truck, payload=as_json([_fix(later)]))
    assert [b.severity for b in wall_selectors.wall_breaches(later)] == ["danger"]
    assert wall_selectors.wall_breaches(later + dt.timedelta(minutes=11)) == []


def test_daily_figures_of_a_city_day(truck, patrol, dlh) -> None:  # type: ignore[no-untyped-def]
    from terang.core.wall import DailyFigure

    from .conftest import fix

    day = dt.date(2025, 3, 10)
    services.ingest_positions(
        vehicle=truck, payload=as_json([fix(m, speed=0) for m in (0, 10, 20)])
    )
    services.save_route(
        code="rute", name="Rute", agency=dlh, vehicle=truck, points=[[LAT, LON], list(moved(500))]
    )
    services.save_route(code="kosong", name="Rute kosong", agency=dlh, points=[list(moved(900))])
    start, end = selectors.day_bounds(day)
    assert wall_selectors.daily_figures(start, end) == [
        DailyFigure("fleet_vehicles_reported", "Kendaraan mengirim posisi", 1, "", "higher"),
        DailyFigure("fleet_idle_periods", "Kendaraan diam terlalu lama", 1, "", "lower"),
        DailyFigure("fleet_route_coverage", "Rata-rata cakupan rute", 25.0, "%", "higher"),
    ]
    next_start, next_end = selectors.day_bounds(day + dt.timedelta(days=1))
    assert [f.value for f in wall_selectors.daily_figures(next_start, next_end)] == [0, 0, 0.0]
