"""Positions over MQTT through the real ingest worker: against the local broker (fixes,
duplicates, batch form, quarantine reasons, a sensor reading beside them), and the
ack-after-commit rule of each part without a broker."""

from __future__ import annotations

import os
import threading
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.db import connection
from paho.mqtt.enums import CallbackAPIVersion

from terang.controlroom.models import Reading
from terang.controlroom.sensors import mqtt as worker_module
from terang.fleet.choices import VehicleKind
from terang.fleet.models import LatestPosition, Position, QuarantinedPosition, Vehicle
from tests.controlroom.ingest_fixtures import make_station, reading

from .conftest import as_json, at, fix

pytestmark = pytest.mark.django_db(transaction=True)


def _vehicle(code: str) -> Vehicle:
    return Vehicle.objects.create(code=code, kind=VehicleKind.GARBAGE_TRUCK)


def _publisher(url: str) -> mqtt.Client:
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}"
    )
    host, _, port = url.removeprefix("mqtt://").partition(":")
    client.connect(host, int(port or 1883))
    client.loop_start()
    return client


def _forget_session(url: str, client_id: str) -> None:
    host, _, port = url.removeprefix("mqtt://").partition(":")
    cleaner = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True
    )
    cleaner.connect(host, int(port or 1883))
    cleaner.disconnect()


def _wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_sibling_fleet_prefix() -> None:
    assert worker_module.sibling_fleet_prefix("terang/sensors") == "terang/fleet"
    assert worker_module.sibling_fleet_prefix("a/b/sensors/") == "a/b/fleet"
    assert worker_module.sibling_fleet_prefix("sensors") == "fleet"


@pytest.mark.mqtt
def test_positions_over_mqtt_are_stored_once_and_bad_ones_quarantined() -> None:
    url = os.environ["MQTT_URL"]
    run = uuid.uuid4().hex[:10]
    client_id = f"terang-fleet-test-{run}"
    fleet = f"test-{run}/fleet"
    truck = f"truk-{run}"
    _vehicle(truck)
    make_station(f"aq-{run}")

    worker = worker_module.IngestWorker(
        url=url, client_id=client_id, topic_prefix=f"test-{run}/sensors", batch_size=5
    )
    assert worker.fleet_topic_prefix == fleet
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    publisher = _publisher(url)
    try:
        assert worker.connected.wait(10), "ingest worker did not connect"
        time.sleep(0.3)  # let the subscriptions settle
        topic = f"{fleet}/{truck}"
        messages: list[tuple[str, bytes]] = []
        messages += [(topic, as_json(fix(m, north=100 * m, speed=20))) for m in range(8)]  # 8
        messages += [(topic, as_json(fix(m, north=100 * m, speed=20))) for m in range(2)]  # dup
        messages.append((topic, as_json({"positions": [fix(10), fix(11), fix(11)]})))  # 2 + dup
        messages.append((topic, b"{not json"))  # malformed_json
        messages.append((f"{fleet}/nobody-{run}", as_json(fix(0))))  # unknown_vehicle
        messages.append((topic, as_json(fix(12, lat=-95))))  # out_of_range
        messages.append((topic, as_json({"lat": 1, "lon": 1})))  # missing_field
        messages.append((f"test-{run}/sensors/aq-{run}/pm25", as_json(reading())))  # a reading
        infos = [publisher.publish(t, payload, qos=1) for t, payload in messages]
        for info in infos:
            info.wait_for_publish(timeout=5)
        assert len(messages) == 16

        # Polled on the worker, not the database (SQLite's shared test database).
        assert _wait_for(
            lambda: (
                worker.stats.fleet.stored + worker.stats.fleet.quarantined >= 14
                and worker.stats.result.stored == 1
            )
        ), (worker.stats.fleet, worker.stats.result)
        time.sleep(0.5)  # nothing more arrives late
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        stop.set()
        thread.join(timeout=10)
        _forget_session(url, client_id)

    assert not thread.is_alive()
    assert worker.stats.received == 16
    assert (worker.stats.fleet.stored, worker.stats.fleet.duplicates) == (10, 3)
    assert Position.objects.filter(vehicle__code=truck).count() == 10
    assert sorted(QuarantinedPosition.objects.values_list("reason", flat=True)) == [
        "malformed_json",
        "missing_field",
        "out_of_range",
        "unknown_vehicle",
    ]
    assert LatestPosition.objects.get(vehicle__code=truck).ts == at(11)
    assert Reading.objects.filter(station__code=f"aq-{run}").count() == 1
    connection.close()


def _message(topic: str, payload: bytes, mid: int):  # type: ignore[no-untyped-def]
    return type("Msg", (), {"topic": topic, "payload": payload, "mid": mid, "qos": 1})()


def test_a_failed_fleet_part_is_dead_lettered_while_readings_are_stored(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from terang.core.ingest import deadletters
    from terang.core.models import IngestDeadLetter
    from terang.fleet.services import ingest as fleet_ingest

    make_station()
    _vehicle("truk-01")
    sleeps: list[float] = []
    worker = worker_module.IngestWorker(
        url="mqtt://127.0.0.1:1", client_id="t", batch_size=10, sleep=sleeps.append
    )
    acks: list[int] = []
    monkeypatch.setattr(worker.client, "ack", lambda mid, qos: acks.append(mid))
    worker._on_message(None, None, _message("terang/sensors/aqms-01/pm25", as_json(reading()), 1))
    worker._on_message(None, None, _message("terang/fleet/truk-01", as_json(fix(0)), 2))

    def broken(messages):  # type: ignore[no-untyped-def]
        raise RuntimeError("database down")

    # The dead letter cannot be kept either (the database is down): the fleet part stays
    # unacknowledged while the readings are stored and acknowledged.
    monkeypatch.setattr(fleet_ingest, "ingest_messages", broken)
    monkeypatch.setattr(deadletters, "record_dead_letters", broken)
    result = worker.flush()
    assert result is not None and (result.stored, worker.stats.fleet.stored) == (1, 0)
    assert acks == [1]
    assert sleeps == [1, 4, 16]
    assert Position.objects.count() == 0

    # The database is back but the fleet part still fails: dead-lettered and acknowledged.
    monkeypatch.undo()
    monkeypatch.setattr(worker.client, "ack", lambda mid, qos: acks.append(mid))
    monkeypatch.setattr(fleet_ingest, "ingest_messages", broken)
    assert worker.flush() is None
    assert acks == [1, 2]
    assert IngestDeadLetter.objects.get().consumer == "fleet"
    assert worker.stats.dead_letters == 1

    # A fresh position is stored by the next flush: the worker went on.
    monkeypatch.undo()
    monkeypatch.setattr(worker.client, "ack", lambda mid, qos: acks.append(mid))
    worker._on_message(None, None, _message("terang/fleet/truk-01", as_json(fix(1)), 3))
    result = worker.flush()
    assert result is not None and result.stored == 1
    assert acks == [1, 2, 3]
    assert Position.objects.count() == 1
    assert worker.stats.fleet.stored == 1
