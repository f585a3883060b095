"""The MQTT worker's pure `consume`, without a broker: sensor readings and vehicle positions
routed by the registered topic filters, duplicates, quarantine, a failing batch retried after
1, 4 and 16 s (injected sleeps) and then kept as a dead letter while the rest goes on, and a
test-only plugin consumer registered without editing any app."""

from __future__ import annotations

import os
import threading
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from django.db import connection
from paho.mqtt.enums import CallbackAPIVersion

from terang.controlroom.models import QuarantinedMessage, Reading
from terang.controlroom.sensors import services as sensor_services
from terang.core.ingest import register_topic
from terang.core.ingest.topics import match, registered_consumers, topic_root
from terang.core.ingest.worker import IngestWorker, consume
from terang.core.models import IngestDeadLetter
from terang.fleet.choices import VehicleKind
from terang.fleet.models import Position, QuarantinedPosition, Vehicle
from tests import ingest_plugin
from tests.controlroom.ingest_fixtures import as_json, make_station, reading
from tests.fleet.conftest import fix

pytestmark = pytest.mark.django_db

ROOT = "terang"
SENSOR = "terang/sensors/aqms-01/pm25"
TRUCK = "terang/fleet/truk-01"


@pytest.fixture
def devices() -> None:
    make_station()
    Vehicle.objects.create(code="truk-01", kind=VehicleKind.GARBAGE_TRUCK)


@pytest.fixture
def plugin():  # type: ignore[no-untyped-def]
    ingest_plugin.received.clear()
    consumer = ingest_plugin.register()
    yield consumer
    ingest_plugin.unregister(consumer)
    ingest_plugin.received.clear()


def _broken(messages):  # type: ignore[no-untyped-def]
    raise RuntimeError("database down")


def test_the_apps_register_their_topics() -> None:
    filters = {c.name: c.filter for c in registered_consumers()}
    assert filters["sensors"] == "sensors/+/+"
    assert filters["fleet"] == "fleet/+"
    assert topic_root("terang/sensors") == "terang"


def test_topic_filters_match_and_give_their_wildcards() -> None:
    assert match("terang", "sensors/+/+", SENSOR) == ("aqms-01", "pm25")
    assert match("terang", "sensors/+/+", "terang/sensors/aqms-01") is None
    assert match("terang", "sensors/+/+", "other/sensors/a/b") is None
    assert match("terang", "plugin/+/#", "terang/plugin/a/b/c") == ("a", "b/c")
    assert match("", "fleet/+", "fleet/truk-01") == ("truk-01",)


def test_consume_stores_readings_and_positions(devices) -> None:  # type: ignore[no-untyped-def]
    outcome = consume(
        [(SENSOR, as_json(reading(0))), (TRUCK, as_json(fix(0))), (SENSOR, as_json(reading(1)))],
        root=ROOT,
    )
    assert outcome.results["sensors"].stored == 2
    assert outcome.results["fleet"].stored == 1
    assert (len(outcome.done), outcome.pending, outcome.dead_lettered) == (3, [], [])
    assert Reading.objects.count() == 2
    assert Position.objects.count() == 1


def test_consume_counts_duplicates_and_stores_a_redelivery_once(devices) -> None:  # type: ignore[no-untyped-def]
    batch = [(SENSOR, as_json(reading(0))), (SENSOR, as_json(reading(0))), (TRUCK, as_json(fix(0)))]
    first = consume(batch, root=ROOT)
    again = consume(batch, root=ROOT)
    assert (first.results["sensors"].stored, first.results["sensors"].duplicates) == (1, 1)
    assert (again.results["sensors"].stored, again.results["sensors"].duplicates) == (0, 2)
    assert (again.results["fleet"].stored, again.results["fleet"].duplicates) == (0, 1)
    assert Reading.objects.count() == 1
    assert Position.objects.count() == 1


def test_consume_quarantines_bad_messages_with_reasons(devices) -> None:  # type: ignore[no-untyped-def]
    outcome = consume(
        [
            (SENSOR, b"{not json"),
            ("terang/sensors/nobody/pm25", as_json(reading())),
            ("terang/sensors//pm25", as_json(reading())),
            (TRUCK, as_json(fix(0, lat=-95))),
            ("terang/fleet/nobody", as_json(fix(0))),
        ],
        root=ROOT,
    )
    assert outcome.total.quarantined == 5
    assert sorted(QuarantinedMessage.objects.values_list("reason", flat=True)) == [
        "bad_topic",
        "malformed_json",
        "unknown_station",
    ]
    assert sorted(QuarantinedPosition.objects.values_list("reason", flat=True)) == [
        "out_of_range",
        "unknown_vehicle",
    ]
    assert len(outcome.done) == 5 and not IngestDeadLetter.objects.exists()


def test_a_failing_batch_is_retried_then_dead_lettered_and_the_worker_goes_on(
    devices, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    sleeps: list[float] = []
    monkeypatch.setattr(sensor_services, "ingest_messages", _broken)
    outcome = consume(
        [(SENSOR, as_json(reading(0)), (), 11, 1), (TRUCK, as_json(fix(0)), (), 12, 1)],
        root=ROOT,
        sleep=sleeps.append,
    )
    assert sleeps == [1, 4, 16]
    assert [m.mid for m in outcome.dead_lettered] == [11]
    assert sorted(m.mid for m in outcome.done) == [11, 12]  # both acknowledged
    assert outcome.results["fleet"].stored == 1  # the other consumer's batch went through
    letter = IngestDeadLetter.objects.get()
    assert (letter.consumer, letter.topic, letter.wildcards, letter.attempts) == (
        "sensors",
        SENSOR,
        ["aqms-01", "pm25"],
        4,
    )
    assert bytes(letter.payload) == as_json(reading(0))
    assert letter.error == "RuntimeError: database down"
    assert letter.first_failed_at <= letter.last_failed_at and letter.replayed_at is None
    assert Reading.objects.count() == 0

    monkeypatch.undo()
    following = consume([(SENSOR, as_json(reading(1)))], root=ROOT, sleep=sleeps.append)
    assert following.results["sensors"].stored == 1
    assert sleeps == [1, 4, 16]
    assert IngestDeadLetter.objects.count() == 1


def test_a_batch_that_recovers_on_a_retry_is_stored(devices, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    real = sensor_services.ingest_messages

    def flaky(messages):  # type: ignore[no-untyped-def]
        calls.append(len(messages))
        if len(calls) < 3:
            raise RuntimeError("deadlock detected")
        return real(messages)

    monkeypatch.setattr(sensor_services, "ingest_messages", flaky)
    sleeps: list[float] = []
    outcome = consume([(SENSOR, as_json(reading(0)))], root=ROOT, sleep=sleeps.append)
    assert sleeps == [1, 4]
    assert outcome.results["sensors"].stored == 1
    assert not IngestDeadLetter.objects.exists()


def test_a_message_no_consumer_claims_is_dropped_and_acknowledged() -> None:
    outcome = consume([("terang/unknown/x", b"{}", (), 5, 1)], root=ROOT)
    assert [m.mid for m in outcome.unmatched] == [5]
    assert [m.mid for m in outcome.done] == [5]
    assert outcome.results == {}


def test_a_plugin_topic_is_subscribed_and_consumed_without_editing_an_app(plugin) -> None:  # type: ignore[no-untyped-def]
    worker = IngestWorker(url="mqtt://127.0.0.1:1", client_id="t", topic_root="kota")
    assert "kota/plugin/+/#" in worker.subscriptions
    assert {"kota/sensors/+/+", "kota/fleet/+"} <= set(worker.subscriptions)
    outcome = consume([("kota/plugin/g-1/level/raw", b"42")], root="kota")
    assert outcome.results[ingest_plugin.NAME].stored == 1
    assert ingest_plugin.received == [(("g-1", "level/raw"), b"42")]


@pytest.mark.mqtt
@pytest.mark.django_db(transaction=True)
def test_the_worker_subscribes_to_a_plugin_topic_over_mqtt(plugin) -> None:  # type: ignore[no-untyped-def]
    url = os.environ["MQTT_URL"]
    run = uuid.uuid4().hex[:10]
    client_id = f"terang-plugin-test-{run}"
    worker = IngestWorker(url=url, client_id=client_id, topic_root=f"test-{run}", batch_size=5)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    host, _, port = url.removeprefix("mqtt://").partition(":")
    publisher = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
    publisher.connect(host, int(port or 1883))
    publisher.loop_start()
    try:
        assert worker.connected.wait(10), "ingest worker did not connect"
        time.sleep(0.3)  # let the subscriptions settle
        publisher.publish(f"test-{run}/plugin/g-1/level", b"7", qos=1).wait_for_publish(5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not ingest_plugin.received:
            time.sleep(0.05)
    finally:
        publisher.loop_stop()
        publisher.disconnect()
        stop.set()
        thread.join(timeout=10)
        cleaner = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=True,
        )
        cleaner.connect(host, int(port or 1883))
        cleaner.disconnect()
    assert ingest_plugin.received == [(("g-1", "level"), b"7")]
    assert worker.stats.results[ingest_plugin.NAME].stored == 1
    connection.close()


def test_a_consumer_name_is_registered_once(plugin) -> None:  # type: ignore[no-untyped-def]
    assert ingest_plugin.register() is plugin  # ready() run again: kept once
    with pytest.raises(ValueError, match="already registered"):
        register_topic(ingest_plugin.NAME, "other/+", ingest_plugin.consume_gauges)
    with pytest.raises(ValueError, match="not an MQTT topic filter"):
        register_topic("bad", "a/b+", ingest_plugin.consume_gauges)
    assert [c.name for c in registered_consumers()].count(ingest_plugin.NAME) == 1
