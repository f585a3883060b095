"""A broker restart mid-stream loses no QoS 1 reading that the broker accepted.

The test starts its own Mosquitto on a free port (restarting the shared broker would disturb
other tests) with persistence in a temporary directory, so the sessions and the messages queued
or in flight for them survive a clean stop (SIGTERM saves the database). It publishes readings
before the restart, while the ingest worker is still disconnected after it (the broker queues
them in the worker's persistent session) and after the worker is back, and finds every reading
the broker acknowledged stored exactly once."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.db import connection
from paho.mqtt.enums import CallbackAPIVersion

from terang.controlroom.models import QuarantinedMessage, Reading
from terang.controlroom.sensors.mqtt import IngestWorker

from .ingest_fixtures import make_station, reading

pytestmark = [pytest.mark.mqtt, pytest.mark.django_db(transaction=True)]

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
WORKER_RECONNECT_SECONDS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Broker:
    """A private Mosquitto that can be stopped cleanly and started again on the same port."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.config = directory / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\n"
            "allow_anonymous true\n"
            # Run as root, mosquitto drops to the `mosquitto` user and could not write here.
            f"user {pwd.getpwuid(os.getuid()).pw_name}\n"
            "persistence true\n"
            f"persistence_location {directory}/\n"
            "autosave_interval 1\n"
            f"log_dest file {directory}/mosquitto.log\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - fixed binary, generated config
            [MOSQUITTO, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert _wait_for(lambda: _listening(self.port), 10), "mosquitto did not start"

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        path = self.directory / "mosquitto.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    if not Path(MOSQUITTO).exists():
        message = "needs the mosquitto binary to restart a private broker"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    instance = Broker(tmp_path)
    instance.start()
    try:
        yield instance
    finally:
        instance.stop()


def _publish_all(port: int, messages: list[tuple[str, bytes]]) -> None:
    """Publish with QoS 1 and wait for every PUBACK: the broker has accepted each reading."""
    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}"
    )
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        for topic, payload in messages:
            info = client.publish(topic, payload, qos=1)
            info.wait_for_publish(timeout=5)
            assert info.is_published(), f"broker did not acknowledge {payload!r}"
    finally:
        client.disconnect()
        client.loop_stop()


def test_broker_restart_loses_no_accepted_reading(broker: Broker) -> None:
    run = uuid.uuid4().hex[:10]
    prefix = f"restart-{run}/sensors"
    make_station(f"aq-{run}")
    topic = f"{prefix}/aq-{run}/pm25"

    def batch(minutes: range) -> list[tuple[str, bytes]]:
        return [(topic, json.dumps(reading(m, value=10 + m)).encode()) for m in minutes]

    worker = IngestWorker(
        url=f"mqtt://127.0.0.1:{broker.port}",
        client_id=f"terang-restart-{run}",
        topic_prefix=prefix,
        batch_size=5,
        flush_seconds=0.3,
        idle_seconds=0.2,
    )
    worker.client.reconnect_delay_set(
        min_delay=WORKER_RECONNECT_SECONDS, max_delay=WORKER_RECONNECT_SECONDS
    )
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert worker.connected.wait(10), "ingest worker did not connect"
        time.sleep(0.3)  # let the subscription settle

        # Before the restart: the last ones are still queued or in flight when the broker stops.
        _publish_all(broker.port, batch(range(0, 40)))
        broker.stop()
        assert _wait_for(lambda: not worker.connected.is_set(), 5)
        broker.start()

        # The worker waits before reconnecting; the broker queues these in its session.
        _publish_all(broker.port, batch(range(40, 60)))
        assert not worker.connected.is_set(), "worker reconnected before the queued readings"

        assert worker.connected.wait(WORKER_RECONNECT_SECONDS + 10), "worker did not reconnect"
        _publish_all(broker.port, batch(range(60, 80)))

        # Polled on the worker, not the database: SQLite's shared in-memory test database
        # locks a table that another thread is writing.
        assert _wait_for(lambda: worker.stats.result.stored >= 80, 15), (
            worker.stats.result.stored,
            broker.log(),
        )
        time.sleep(0.5)  # nothing more arrives late
    finally:
        stop.set()
        thread.join(timeout=10)

    assert not thread.is_alive()
    stored = sorted(
        Reading.objects.filter(station__code=f"aq-{run}").values_list("value", flat=True)
    )
    assert stored == [float(10 + m) for m in range(80)]
    assert QuarantinedMessage.objects.count() == 0
    assert worker.stats.result.stored == 80
    assert worker.stats.received >= 80  # redeliveries after the restart are stored once
    connection.close()
