"""The demo fleet: trucks driving their routes, one idling outside the depots, emitted by
`simulate-sensors` through each transport, and created with today's positions by the seed."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
import uuid
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from terang.controlroom.sensors.mqtt import IngestWorker
from terang.core.geo import distance_m
from terang.demo import fleet as demo
from terang.demo import simulator
from terang.fleet import selectors, services, wall_selectors
from terang.fleet.choices import VehicleState
from terang.fleet.models import IdlePeriod, LatestPosition, Position, Route, Vehicle
from terang.fleet.tracks import DepotArea, inside_depot

from .test_mqtt import _forget_session

WIB = ZoneInfo("Asia/Jakarta")
DAY = dt.date(2026, 3, 15)
DAY_START = dt.datetime(2026, 3, 15, tzinfo=WIB).astimezone(dt.UTC)
CODES = sorted(v.code for v in demo.DEMO_VEHICLES)


def _at(hour: float) -> dt.datetime:
    return DAY_START + dt.timedelta(hours=hour)


def _spec(code: str) -> demo.DemoVehicle:
    return next(v for v in demo.DEMO_VEHICLES if v.code == code)


def test_positions_are_a_pure_function_of_time() -> None:
    since, until = _at(9.5), _at(10)
    assert simulator.fleet_emissions(since, until) == simulator.fleet_emissions(since, until)
    first = simulator.fleet_emissions(since, until)
    assert sorted(e.vehicle_code for e in first) == CODES
    truck = json.loads(next(e for e in first if e.vehicle_code == "dlh-truk-04").payload)
    assert len(truck["positions"]) == 60  # on shift: every 30 seconds
    parked = json.loads(next(e for e in first if e.vehicle_code == "dlh-truk-01").payload)
    assert len(parked["positions"]) == 6  # back in its depot: a heartbeat every 5 minutes


def test_the_spare_truck_stands_still_outside_every_depot() -> None:
    fixes = demo.fixes_between(_spec("dlh-truk-07"), _at(10), _at(11), 30)
    first = fixes[0]
    assert len(fixes) == 120
    assert max(distance_m(first.lat, first.lon, f.lat, f.lon) for f in fixes) < 15
    assert {f.speed for f in fixes} == {0.0}
    areas = [
        DepotArea(demo.CENTER_LAT + d.dlat, demo.CENTER_LON + d.dlon, d.radius_m)
        for d in demo.DEMO_DEPOTS
    ]
    assert not inside_depot(first.lat, first.lon, areas)


def test_a_route_truck_leaves_its_depot_collects_and_returns() -> None:
    spec = _spec("dlh-truk-03")
    shift = dt.timedelta(seconds=demo.shift_seconds(spec.code))
    before = demo.fix_at(spec, _at(spec.start_hour) - dt.timedelta(minutes=5))
    during = demo.fix_at(spec, _at(spec.start_hour) + shift / 2)
    back = _at(spec.start_hour) + shift
    after = demo.fixes_between(spec, back, back + dt.timedelta(minutes=10), 60)[0]  # heartbeat
    depot = demo.DEMO_DEPOTS[0]
    depot_lat, depot_lon = demo.CENTER_LAT + depot.dlat, demo.CENTER_LON + depot.dlon
    assert before is not None and after is not None and during is not None
    assert distance_m(before.lat, before.lon, depot_lat, depot_lon) < 30
    assert distance_m(after.lat, after.lon, depot_lat, depot_lon) < 30
    assert distance_m(during.lat, during.lon, depot_lat, depot_lon) > 1000
    assert dt.timedelta(minutes=80) < shift < dt.timedelta(minutes=130)


@pytest.mark.django_db
def test_seeded_day_has_trails_an_idle_truck_and_partial_coverage() -> None:
    demo.create_demo_fleet()
    stored = demo.seed_positions(DAY_START, now=_at(10))
    assert stored == Position.objects.count() > 1000
    assert LatestPosition.objects.count() == len(CODES)
    now = _at(10)
    states = {row.vehicle.code: row.state for row in selectors.last_positions(now=now)}
    assert states["dlh-truk-07"] == VehicleState.IDLE
    assert states["dlh-truk-01"] == VehicleState.IN_DEPOT  # its shift is over
    assert states["dlh-truk-04"] in {VehicleState.MOVING, VehicleState.STOPPED}
    [idle] = IdlePeriod.objects.all()
    assert (idle.vehicle.code, idle.started_at, idle.ended_at) == (
        "dlh-truk-07",
        _at(10) - dt.timedelta(minutes=45),
        None,
    )
    coverage = {
        route.code: selectors.route_coverage(route=route, day=DAY).percent
        for route in Route.objects.all()
    }
    assert coverage["rute-perumahan-asri"] == 100.0  # shift 06:30-08:07
    assert 50 < coverage["rute-pasar-lama"] < 100  # a skipped stretch
    assert 0 < coverage["rute-selatan-satu"] < 100  # on its way since 09:15
    assert coverage["rute-selatan-dua"] == 0.0  # starts at 14:00
    assert [b.key.split(":")[1] for b in wall_selectors.wall_breaches(now)] == ["dlh-truk-07"]


@pytest.mark.django_db
def test_create_demo_fleet_is_idempotent_and_tokens_authenticate(dlh) -> None:  # type: ignore[no-untyped-def]
    demo.create_demo_fleet()
    demo.create_demo_fleet()
    assert Vehicle.objects.count() == len(CODES)
    assert Route.objects.count() == len(demo.DEMO_ROUTES)
    truck = services.authenticate_vehicle(
        vehicle_code="dlh-truk-01", token=demo.demo_token("dlh-truk-01")
    )
    assert truck.agency == dlh
    assert demo.wipe()["vehicles"] == len(CODES)
    assert not Vehicle.objects.exists()


@pytest.mark.django_db
def test_simulate_sensors_once_stores_the_fleet_through_the_service(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MQTT_URL = ""
    out = StringIO()
    call_command("simulate-sensors", "--once", stdout=out)
    stored = Position.objects.count()
    assert stored > 60
    assert LatestPosition.objects.count() == len(CODES)
    assert f"fleet: {len(CODES)} messages, {stored} positions, stored {stored}, " in out.getvalue()
    assert list(IdlePeriod.objects.values_list("vehicle__code", flat=True)) == ["dlh-truk-07"]


@pytest.mark.django_db
def test_simulate_sensors_without_fleet(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MQTT_URL = ""
    out = StringIO()
    call_command("simulate-sensors", "--once", "--no-fleet", stdout=out)
    assert not Vehicle.objects.exists()
    assert "fleet:" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_simulate_sensors_posts_positions_to_the_http_ingest(live_server, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MQTT_URL = ""
    out = StringIO()
    url = f"{live_server.url}/api/v1/sensors"
    call_command("simulate-sensors", "--once", "--ingest-url", url, stdout=out)
    stored = Position.objects.count()
    assert stored > 60
    assert f"{stored} positions, stored {stored}, duplicates 0, quarantined 0" in out.getvalue()


@pytest.mark.mqtt
@pytest.mark.django_db(transaction=True)
def test_simulate_sensors_publishes_positions_over_mqtt() -> None:
    url = os.environ["MQTT_URL"]
    run = uuid.uuid4().hex[:10]
    prefix = f"sim-{run}/sensors"
    worker = IngestWorker(url=url, client_id=f"terang-fleet-sim-{run}", topic_prefix=prefix)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    out = StringIO()
    try:
        assert worker.connected.wait(10), "ingest worker did not connect"
        time.sleep(0.3)  # let the subscriptions settle
        call_command(
            "simulate-sensors", "--once", "--url", url, "--topic-prefix", prefix, stdout=out
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and worker.stats.fleet.stored == 0:
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        stop.set()
        thread.join(timeout=10)
        _forget_session(url, f"terang-fleet-sim-{run}")
    positions = int(out.getvalue().split("fleet: ")[1].split(" messages, ")[1].split(" ")[0])
    assert worker.stats.fleet.stored == positions == Position.objects.count()
    assert worker.stats.fleet.quarantined == 0
    connection.close()
