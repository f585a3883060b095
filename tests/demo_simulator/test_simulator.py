"""The demo sensor scenario: plausible values, the haze episode, the flood wave past siaga, garbage
that the ingest quarantines, and `simulate-sensors --once` storing through the service path."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from io import StringIO
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
import pytest
from django.core.management import call_command
from paho.mqtt.enums import CallbackAPIVersion

from terang.controlroom.models import LatestReading, QuarantinedMessage, Reading, Station
from terang.controlroom.sensors import services
from terang.controlroom.sensors.mqtt import IngestWorker
from terang.controlroom.sensors.selectors import quarantine_counts
from terang.demo import simulator
from terang.demo.sensors import DEMO_STATIONS, RIVER_LEVELS, create_demo_stations, demo_token

TS = dt.datetime(2025, 6, 1, 0, 0, tzinfo=dt.UTC)
AIR_INDEXES = [i for i, s in enumerate(DEMO_STATIONS) if "o3" in s.parameters and not s.broken]
HEALTHY = [s for s in DEMO_STATIONS if not s.broken]
BROKEN = [s for s in DEMO_STATIONS if s.broken]


def _mean_pm25(minutes: range) -> float:
    values = [simulator.pm25(i, m) for i in AIR_INDEXES for m in minutes]
    return sum(values) / len(values)


def test_haze_window_lifts_pm25_well_above_the_diurnal_background() -> None:
    start, end = simulator.HAZE_WINDOW
    middle = (start + end) / 2
    inside = _mean_pm25(range(int(middle) - 30, int(middle) + 30, 5))
    outside = _mean_pm25(range(0, int(start) - 30, 5))
    assert inside > 2.5 * outside
    assert inside > 100  # "tidak sehat" territory on the ISPU scale
    assert all(5 < simulator.pm25(i, 0) < 60 for i in AIR_INDEXES)


def test_diurnal_curve_peaks_with_traffic_and_is_clean_at_night() -> None:
    assert simulator.diurnal_pm25(7.5) > 1.5 * simulator.diurnal_pm25(3.0)
    assert simulator.diurnal_pm25(19.0) > 1.5 * simulator.diurnal_pm25(13.0)


def test_rain_falls_only_in_its_window() -> None:
    start, end = simulator.RAIN_WINDOW
    assert simulator.rainfall(start - 5) == 0.0
    assert simulator.rainfall(end + 5) == 0.0
    assert simulator.rainfall((start + end) / 2) > 3.0


@pytest.mark.parametrize("code", sorted(RIVER_LEVELS))
def test_river_gauge_crosses_siaga_after_the_rain_and_recedes(code: str) -> None:
    levels = RIVER_LEVELS[code]
    rain_start, rain_end = simulator.RAIN_WINDOW
    before = [simulator.water_level(code, m) for m in range(0, int(rain_start), 5)]
    during = [simulator.water_level(code, m) for m in range(int(rain_start), 480, 5)]
    assert max(before) < levels.waspada
    assert max(during) > levels.siaga
    first_siaga = next(m for m in range(0, 480, 5) if simulator.water_level(code, m) > levels.siaga)
    assert first_siaga > rain_end  # the flood wave arrives after the rain
    assert simulator.water_level(code, 720) < levels.waspada


def test_emissions_are_deterministic_and_cover_every_station_parameter() -> None:
    first = simulator.emissions(240, TS)
    assert first == simulator.emissions(240, TS)
    assert {(e.station_code, e.parameter_code) for e in first} == {
        (s.code, p) for s in DEMO_STATIONS for p in s.parameters
    }
    assert [e.garbage for e in first] == [s.broken for s in DEMO_STATIONS for _p in s.parameters]


@pytest.mark.django_db
def test_scenario_is_stored_and_every_garbage_message_is_quarantined() -> None:
    create_demo_stations()
    expected_good = expected_bad = 0
    for step, minute in enumerate(range(0, 600, 30)):
        ts = TS + dt.timedelta(minutes=step)
        batch = simulator.emissions(minute, ts)
        result = services.ingest_messages(
            [
                services.RawMessage(
                    station_code=e.station_code, parameter_code=e.parameter_code, payload=e.payload
                )
                for e in batch
            ]
        )
        good = sum(not e.garbage for e in batch)
        bad = sum(e.garbage for e in batch)
        assert (result.stored, result.quarantined, result.duplicates) == (good, bad, 0), minute
        expected_good += good
        expected_bad += bad
    assert Reading.objects.count() == expected_good
    assert QuarantinedMessage.objects.count() == expected_bad
    assert set(quarantine_counts()) == set(simulator.GARBAGE_KINDS)
    assert set(QuarantinedMessage.objects.values_list("station_code", flat=True)) == {
        s.code for s in BROKEN
    }


@pytest.mark.parametrize("kind", simulator.GARBAGE_KINDS)
@pytest.mark.django_db
def test_each_garbage_kind_is_quarantined_for_its_reason(kind: str) -> None:
    create_demo_stations()
    station = Station.objects.get(code=BROKEN[0].code)
    result = services.ingest_readings(
        station=station, parameter_code="pm25", payload=simulator.garbage(kind, TS)
    )
    assert (result.stored, result.quarantined) == (0, 1)
    assert dict(result.reasons) == {kind: 1}


@pytest.mark.django_db
def test_demo_stations_are_idempotent_and_authenticate_with_their_demo_token() -> None:
    first = create_demo_stations()
    again = create_demo_stations()
    assert [s.pk for s in first] == [s.pk for s in again]
    assert Station.objects.count() == len(DEMO_STATIONS)
    for spec in DEMO_STATIONS:
        station = Station.objects.get(code=spec.code)
        assert set(station.parameters.values_list("code", flat=True)) == set(spec.parameters)
        found = services.authenticate_station(station_code=spec.code, token=demo_token(spec.code))
        assert found.pk == station.pk
    assert demo_token("pda-hulu") != demo_token("pda-hilir")


@pytest.mark.django_db
def test_simulate_sensors_once_without_mqtt_stores_through_the_service(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MQTT_URL = ""
    out = StringIO()
    call_command("simulate-sensors", "--once", "--url", "", stdout=out)
    good = sum(len(s.parameters) for s in HEALTHY)
    bad = sum(len(s.parameters) for s in BROKEN)
    assert Reading.objects.count() == good
    assert LatestReading.objects.count() == good
    assert QuarantinedMessage.objects.count() == bad
    output = out.getvalue()
    assert "the ingest service (in process)" in output
    assert f"stored {good}, duplicates 0, quarantined {bad}" in output


@pytest.mark.django_db
def test_simulate_sensors_at_the_flood_peak_reports_siaga_levels(settings) -> None:  # type: ignore[no-untyped-def]
    settings.MQTT_URL = ""
    call_command("simulate-sensors", "--once", "--start", "260", stdout=StringIO())
    for code, levels in RIVER_LEVELS.items():
        latest = LatestReading.objects.get(station__code=code, parameter__code="water_level")
        assert latest.value > levels.siaga


@pytest.mark.django_db(transaction=True)
def test_simulate_sensors_posts_to_the_http_ingest(live_server, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MQTT_URL = ""
    out = StringIO()
    url = f"{live_server.url}/api/v1/sensors"
    call_command("simulate-sensors", "--once", "--ingest-url", url, stdout=out)
    bad = sum(len(s.parameters) for s in BROKEN)
    assert QuarantinedMessage.objects.count() == bad
    assert Reading.objects.count() == sum(len(s.parameters) for s in HEALTHY)
    assert f"HTTP {url}" in out.getvalue()
    assert sum(quarantine_counts().values()) == bad


def _forget_session(url: str, client_id: str) -> None:
    """Drop the worker's persistent session so the shared broker keeps nothing for it."""
    parsed = urlparse(url)
    cleaner = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True
    )
    cleaner.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883)
    cleaner.disconnect()


@pytest.mark.mqtt
@pytest.mark.django_db(transaction=True)
def test_simulate_sensors_publishes_over_mqtt_to_the_ingest_worker() -> None:
    url = os.environ["MQTT_URL"]
    run = uuid.uuid4().hex[:10]
    prefix = f"sim-{run}/sensors"
    create_demo_stations()
    worker = IngestWorker(url=url, client_id=f"terang-sim-{run}", topic_prefix=prefix)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    good = sum(len(s.parameters) for s in HEALTHY)
    bad = sum(len(s.parameters) for s in BROKEN)
    out = StringIO()
    try:
        assert worker.connected.wait(10), "ingest worker did not connect"
        time.sleep(0.3)  # let the subscription settle
        call_command(
            "simulate-sensors", "--once", "--url", url, "--topic-prefix", prefix, stdout=out
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and worker.stats.received < good + bad:
            time.sleep(0.05)
        time.sleep(0.3)  # the last batch is committed
    finally:
        stop.set()
        thread.join(timeout=10)
        _forget_session(url, f"terang-sim-{run}")
    assert (worker.stats.result.stored, worker.stats.result.quarantined) == (good, bad)
    assert Reading.objects.count() == good
    assert QuarantinedMessage.objects.count() == bad
    assert f"{good + bad} messages published" in out.getvalue()
