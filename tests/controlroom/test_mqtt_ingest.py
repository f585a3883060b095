"""Against the local broker: publish readings, duplicates and bad messages over QoS 1 and find
exactly the expected readings, quarantine rows and alerts."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.db import connection
from paho.mqtt.enums import CallbackAPIVersion

from terang.controlroom.choices import AlertKind, AlertStatus, Comparison, Severity
from terang.controlroom.models import (
    Alert,
    AlertRule,
    LatestReading,
    Parameter,
    QuarantinedMessage,
    Reading,
)
from terang.controlroom.sensors.mqtt import IngestWorker
from terang.controlroom.sensors.selectors import quarantine_counts

from .ingest_fixtures import make_station, reading

pytestmark = [pytest.mark.mqtt, pytest.mark.django_db(transaction=True)]


def _publisher(url: str) -> mqtt.Client:
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}"
    )
    host, _, port = url.removeprefix("mqtt://").partition(":")
    client.connect(host, int(port or 1883))
    client.loop_start()
    return client


def _wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def _forget_session(url: str, client_id: str) -> None:
    host, _, port = url.removeprefix("mqtt://").partition(":")
    cleaner = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True
    )
    cleaner.connect(host, int(port or 1883))
    cleaner.disconnect()


def test_readings_duplicates_and_bad_messages_over_mqtt() -> None:
    url = os.environ["MQTT_URL"]
    run = uuid.uuid4().hex[:10]
    prefix = f"test-{run}/sensors"
    client_id = f"terang-test-{run}"
    air = make_station(f"aq-{run}")
    gauge = make_station(f"wl-{run}", kind="water_level")
    siaga = AlertRule.objects.create(
        name="Siaga",
        kind=AlertKind.THRESHOLD,
        station=gauge,
        parameter=Parameter.objects.get(code="water_level"),
        threshold=150.0,
        comparison=Comparison.GTE,
        severity=Severity.DANGER,
    )
    dirty = AlertRule.objects.create(
        name="PM2.5",
        kind=AlertKind.THRESHOLD,
        station=air,
        parameter=Parameter.objects.get(code="pm25"),
        threshold=35.0,
        comparison=Comparison.GTE,
        severity=Severity.WARNING,
    )
    AlertRule.objects.create(  # never met: no alert
        name="PM2.5 berbahaya",
        kind=AlertKind.THRESHOLD,
        station=air,
        parameter=Parameter.objects.get(code="pm25"),
        threshold=250.0,
        comparison=Comparison.GTE,
        severity=Severity.DANGER,
    )
    aq = f"{prefix}/aq-{run}/pm25"
    wl = f"{prefix}/wl-{run}/water_level"

    worker = IngestWorker(url=url, client_id=client_id, topic_prefix=prefix, batch_size=5)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    publisher = _publisher(url)
    try:
        assert worker.connected.wait(10), "ingest worker did not connect"
        time.sleep(0.3)  # let the subscription settle
        messages: list[tuple[str, bytes]] = []
        messages += [(aq, json.dumps(reading(i)).encode()) for i in range(10)]  # 10 stored
        messages += [(aq, json.dumps(reading(i)).encode()) for i in range(3)]  # 3 duplicates
        batch = [
            {"ts": f"2025-03-10T08:0{i}:00Z", "value": 120 + i, "unit": "cm"} for i in range(3)
        ]
        messages.append((wl, json.dumps(batch).encode()))  # batch form: 3 stored
        messages.append((wl, json.dumps(reading(9, unit="cm", value=200)).encode()))  # 1 stored
        messages.append((aq, b"{not json"))  # malformed_json
        messages.append((f"{prefix}/nobody-{run}/pm25", json.dumps(reading()).encode()))
        messages.append((aq, json.dumps(reading(30, unit="ppm")).encode()))  # wrong_unit
        messages.append((aq, json.dumps(reading(31, value=5000)).encode()))  # out_of_range
        infos = [publisher.publish(topic, payload, qos=1) for topic, payload in messages]
        for info in infos:
            info.wait_for_publish(timeout=5)
        assert len(messages) == 19

        assert _wait_for(
            lambda: Reading.objects.count() == 14 and QuarantinedMessage.objects.count() == 4
        ), (Reading.objects.count(), QuarantinedMessage.objects.count())
        time.sleep(0.5)  # nothing more arrives late
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        stop.set()
        thread.join(timeout=10)
        _forget_session(url, client_id)

    assert not thread.is_alive()
    assert Reading.objects.filter(station__code=f"aq-{run}").count() == 10
    assert Reading.objects.filter(station__code=f"wl-{run}").count() == 4
    assert quarantine_counts() == {
        "malformed_json": 1,
        "out_of_range": 1,
        "unknown_station": 1,
        "wrong_unit": 1,
    }
    assert dict(LatestReading.objects.values_list("station__code", "value")) == {
        f"aq-{run}": 35.0,
        f"wl-{run}": 200.0,
    }
    # One alert per rule and station, however many readings met it (duplicates included).
    alerts = {(a.rule_id, a.station_id): a for a in Alert.objects.all()}
    assert set(alerts) == {(siaga.pk, gauge.pk), (dirty.pk, air.pk)}
    assert alerts[(siaga.pk, gauge.pk)].value == 200.0
    assert {a.status for a in alerts.values()} == {AlertStatus.OPEN}
    assert worker.stats.received == 19
    assert (worker.stats.result.stored, worker.stats.result.duplicates) == (14, 3)
    connection.close()
