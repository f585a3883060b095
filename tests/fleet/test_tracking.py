"""Stops and idle detection, live (LatestPosition / IdlePeriod on ingest) and recomputed from
history (selectors.idle_periods): the N-minute boundary, depots, speed, drift and gaps."""

from __future__ import annotations

import datetime as dt

import pytest

from terang.fleet import selectors, services
from terang.fleet.choices import VehicleState
from terang.fleet.models import IdlePeriod, LatestPosition
from terang.fleet.policy import forget_fleet_rules
from terang.fleet.tracks import Stop

from .conftest import BASE, LAT, LON, as_json, at, fix, ingest, moved

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 10)


def standing(minutes: list[float], **where) -> list[dict]:
    """Fixes at one spot (a few metres of GPS noise) at these minutes, speed 0."""
    return [
        fix(m, north=(i % 3) * 4, east=(i % 2) * 3, speed=0, **where) for i, m in enumerate(minutes)
    ]


def drive_away(minute: float) -> dict:
    return fix(minute, north=400, speed=25)


def test_stop_of_exactly_the_limit_is_not_idle(truck) -> None:
    ingest(truck, as_json(standing([0, 5, 10, 15]) + [drive_away(16)]))
    assert selectors.idle_periods(vehicle=truck, day=DAY) == []
    assert not IdlePeriod.objects.exists()
    [stop] = [s for s in selectors.stops_of_day(vehicle=truck, day=DAY) if s.duration]
    assert stop.duration == dt.timedelta(minutes=15)


def test_stop_one_second_past_the_limit_is_idle_live_and_in_history(truck) -> None:
    ingest(truck, as_json(standing([0, 5, 10, 15 + 1 / 60])))
    assert selectors.idle_periods(vehicle=truck, day=DAY) == [
        Stop(started_at=at(0), ended_at=at(15) + dt.timedelta(seconds=1), lat=LAT, lon=LON)
    ]
    period = IdlePeriod.objects.get()
    assert (period.started_at, period.idle_at, period.last_seen_at, period.ended_at) == (
        at(0),
        at(15),
        at(15) + dt.timedelta(seconds=1),
        None,
    )
    latest = LatestPosition.objects.get(vehicle=truck)
    assert latest.open_idle == period
    now = at(16)
    [row] = selectors.last_positions(now=now)
    assert (row.state, row.is_idle) == (VehicleState.IDLE, True)


def test_idle_period_closes_when_the_vehicle_drives_on(truck) -> None:
    ingest(truck, as_json(standing([0, 10, 20])))
    ingest(truck, as_json(standing([25]) + [drive_away(26)]))
    period = IdlePeriod.objects.get()
    assert (period.last_seen_at, period.ended_at) == (at(25), at(25))
    latest = LatestPosition.objects.get(vehicle=truck)
    assert latest.open_idle is None
    assert latest.stop_started_at is None
    assert selectors.last_positions(now=at(27))[0].state == VehicleState.MOVING


def test_stop_inside_a_depot_is_never_idle(truck, depot) -> None:
    inside = dict(east=1000 - 90)  # 90 m from the centre of a 100 m depot
    ingest(truck, as_json([fix(m, speed=0, **inside) for m in range(0, 61, 5)]))
    assert selectors.idle_periods(vehicle=truck, day=DAY) == []
    assert not IdlePeriod.objects.exists()
    latest = LatestPosition.objects.get(vehicle=truck)
    assert latest.in_depot is True
    assert selectors.last_positions(now=at(61))[0].state == VehicleState.IN_DEPOT


def test_stop_just_outside_a_depot_is_idle(truck, depot) -> None:
    outside = dict(east=1000 - 110)  # 110 m from the centre of a 100 m depot
    ingest(truck, as_json([fix(m, speed=0, **outside) for m in (0, 10, 20)]))
    assert len(selectors.idle_periods(vehicle=truck, day=DAY)) == 1
    assert IdlePeriod.objects.count() == 1


def test_reported_speed_breaks_a_stop(truck) -> None:
    fixes = standing([0, 5]) + [fix(8, speed=5)] + standing([10, 20])
    ingest(truck, as_json(fixes))
    stops = selectors.stops_of_day(vehicle=truck, day=DAY)
    assert [(s.started_at, s.ended_at) for s in stops] == [(at(0), at(5)), (at(10), at(20))]
    assert selectors.idle_periods(vehicle=truck, day=DAY) == []
    assert not IdlePeriod.objects.exists()


def test_slow_creep_beyond_the_stop_radius_starts_a_new_stop(truck) -> None:
    # 9 m per fix at walking pace, no speed reported: within 30 m of each neighbour, but the
    # anchor rule ends the stop once it is more than 30 m from where it began.
    ingest(truck, as_json([fix(m, north=9 * m) for m in range(0, 20)]))
    stops = selectors.stops_of_day(vehicle=truck, day=DAY)
    assert [s.duration for s in stops] == [dt.timedelta(minutes=3)] * 5
    assert not IdlePeriod.objects.exists()


def test_a_silence_longer_than_the_silent_limit_breaks_a_stop(truck) -> None:
    ingest(truck, as_json(standing([0, 8, 19, 27])))  # 11-minute gap > 10-minute limit
    stops = selectors.stops_of_day(vehicle=truck, day=DAY)
    assert [(s.started_at, s.ended_at) for s in stops] == [(at(0), at(8)), (at(19), at(27))]
    assert selectors.idle_periods(vehicle=truck, day=DAY) == []
    assert not IdlePeriod.objects.exists()


def test_city_policy_changes_the_idle_limit(truck) -> None:
    services.set_fleet_policy(idle_minutes=5, silent_minutes=10)
    forget_fleet_rules()
    ingest(truck, as_json(standing([0, 3, 6])))
    assert [p.idle_at for p in IdlePeriod.objects.all()] == [at(5)]
    assert len(selectors.idle_periods(vehicle=truck, day=DAY)) == 1


def test_vehicle_is_silent_after_the_limit_and_never_without_fixes(truck, patrol) -> None:
    ingest(truck, as_json([drive_away(0)]))
    rows = {r.vehicle.code: r for r in selectors.last_positions(now=at(10))}
    assert rows["truk-01"].state == VehicleState.MOVING
    assert rows["truk-01"].age == dt.timedelta(minutes=10)
    assert rows["patroli-01"].state == VehicleState.NEVER
    later = at(10) + dt.timedelta(seconds=1)
    later_rows = {r.vehicle.code: r.state for r in selectors.last_positions(now=later)}
    assert later_rows == {"truk-01": VehicleState.SILENT, "patroli-01": VehicleState.NEVER}


def test_late_fixes_fill_history_but_never_rewind_the_live_state(truck) -> None:
    ingest(truck, as_json([drive_away(30)]))
    ingest(truck, as_json(standing([0, 10, 20])))  # arrives late: a 20-minute stop before
    assert not IdlePeriod.objects.exists()
    assert LatestPosition.objects.get(vehicle=truck).ts == at(30)
    assert len(selectors.idle_periods(vehicle=truck, day=DAY)) == 1


def test_trail_of_day_uses_the_city_day_boundaries(truck) -> None:
    wib_midnight = dt.datetime(2025, 3, 10, 17, 0, tzinfo=dt.UTC)  # 11 March 00:00 WIB
    times = [
        dt.datetime(2025, 3, 9, 16, 59, 59, tzinfo=dt.UTC),  # 9 March 23:59:59 WIB
        dt.datetime(2025, 3, 9, 17, 0, tzinfo=dt.UTC),  # 10 March 00:00 WIB
        BASE,
        wib_midnight - dt.timedelta(seconds=1),  # 10 March 23:59:59 WIB
        wib_midnight,
    ]
    ingest(truck, as_json([{"ts": t.isoformat(), "lat": LAT, "lon": LON} for t in times]))
    assert [p.ts for p in selectors.trail_of_day(vehicle=truck, day=DAY)] == times[1:4]
    assert [p.ts for p in selectors.trail_of_day(vehicle=truck, day=DAY - dt.timedelta(1))] == [
        times[0]
    ]
    assert selectors.day_bounds(DAY) == (times[1], wib_midnight)
    assert selectors.city_day(wib_midnight) == dt.date(2025, 3, 11)


def test_moved_helper_is_exact_on_the_haversine() -> None:
    from terang.core.geo import distance_m

    lat, lon = moved(north_m=60)
    assert distance_m(LAT, LON, lat, lon) == pytest.approx(60, abs=1e-6)
