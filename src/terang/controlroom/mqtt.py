"""The MQTT ingest worker (`terang ingest-mqtt`).

MQTT 3.1.1 with a persistent session (clean_session=False) and QoS 1. Messages are acknowledged
only after the batch that holds them is committed (manual acks), so a crash or a broker restart
before the commit makes the broker deliver them again; the unique (station, parameter, ts) key
stores a redelivered reading once. A batch is flushed when it is full, when its oldest message
is `flush_seconds` old, or when no message arrived for `idle_seconds` (the broker's in-flight
window is full or the stream paused).

The same worker also takes vehicle positions on `<fleet prefix>/<vehicle>` (by default the
sibling of the sensor prefix: `terang/sensors` -> `terang/fleet`) and hands them to the fleet
ingest (`terang.fleet.services.ingest_messages`), with the same QoS 1 and ack-after-commit rule.
Each kind is stored in its own transaction and acknowledged after its own commit; a failed part
stays unacknowledged and is retried, while the other part's messages are acknowledged."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

import paho.mqtt.client as mqtt
from django.db import close_old_connections, connection
from paho.mqtt.enums import CallbackAPIVersion

from terang.controlroom import services
from terang.controlroom.partitions import ensure_reading_partitions
from terang.fleet import services as fleet_services

logger = logging.getLogger("terang.controlroom.mqtt")


@dataclass
class WorkerStats:
    received: int = 0
    batches: int = 0
    result: services.IngestResult = field(default_factory=services.IngestResult)
    fleet: services.IngestResult = field(default_factory=services.IngestResult)


@dataclass(frozen=True)
class _Pending:
    topic: str
    payload: bytes
    mid: int
    qos: int


def sibling_fleet_prefix(topic_prefix: str) -> str:
    """`terang/sensors` -> `terang/fleet`: the fleet topics next to the sensor topics."""
    head, _sep, _tail = topic_prefix.rstrip("/").rpartition("/")
    return f"{head}/fleet" if head else "fleet"


class IngestWorker:
    """Subscribe to `<prefix>/+/+` (and `<fleet prefix>/+`), collect messages, store them in
    batches. `fleet_topic_prefix=None` takes the sibling of `topic_prefix`; "" leaves the fleet
    topics alone."""

    def __init__(
        self,
        *,
        url: str,
        client_id: str,
        topic_prefix: str = services.DEFAULT_TOPIC_PREFIX,
        batch_size: int = 500,
        flush_seconds: float = 1.0,
        idle_seconds: float = 0.05,
        fleet_topic_prefix: str | None = None,
    ) -> None:
        self.topic_prefix = topic_prefix.rstrip("/")
        if fleet_topic_prefix is None:
            fleet_topic_prefix = sibling_fleet_prefix(self.topic_prefix)
        self.fleet_topic_prefix = fleet_topic_prefix.rstrip("/")
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.idle_seconds = idle_seconds
        self.stats = WorkerStats()
        self.connected = threading.Event()
        self._lock = threading.Lock()
        self._pending: list[_Pending] = []
        self._first_at = 0.0
        self._last_at = 0.0
        self._wake = threading.Event()
        parsed = urlparse(url)
        self._host = parsed.hostname or "127.0.0.1"
        self._port = parsed.port or (8883 if parsed.scheme == "mqtts" else 1883)
        self.client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
            manual_ack=True,
        )
        if parsed.username:
            self.client.username_pw_set(unquote(parsed.username), unquote(parsed.password or ""))
        if parsed.scheme == "mqtts":
            self.client.tls_set()
        self.client.reconnect_delay_set(min_delay=1, max_delay=60)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, reason_code, properties):  # type: ignore[no-untyped-def]
        if reason_code.is_failure:
            logger.warning("MQTT connect refused: %s", reason_code)
            return
        topics = [(f"{self.topic_prefix}/+/+", 1)]
        if self.fleet_topic_prefix:
            topics.append((f"{self.fleet_topic_prefix}/+", 1))
        client.subscribe(topics)
        logger.info("MQTT connected (session present: %s)", flags.session_present)
        self.connected.set()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):  # type: ignore[no-untyped-def]
        self.connected.clear()
        logger.warning("MQTT disconnected: %s; reconnecting with backoff", reason_code)

    def _on_message(self, client, userdata, message):  # type: ignore[no-untyped-def]
        now = time.monotonic()
        with self._lock:
            if not self._pending:
                self._first_at = now
            self._last_at = now
            self._pending.append(
                _Pending(
                    topic=message.topic,
                    payload=bytes(message.payload),
                    mid=message.mid,
                    qos=message.qos,
                )
            )
            self.stats.received += 1
            if len(self._pending) >= self.batch_size:
                self._wake.set()

    def _due(self) -> bool:
        with self._lock:
            if not self._pending:
                return False
            now = time.monotonic()
            return (
                len(self._pending) >= self.batch_size
                or now - self._first_at >= self.flush_seconds
                or now - self._last_at >= self.idle_seconds
            )

    def _is_fleet(self, topic: str) -> bool:
        return bool(self.fleet_topic_prefix) and topic.startswith(self.fleet_topic_prefix + "/")

    def flush(self) -> services.IngestResult | None:
        """Store what was collected, then acknowledge it to the broker: the sensor readings in
        one transaction and the vehicle positions in another, each acknowledged after its own
        commit. Returns what was stored, or None when nothing was."""
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return None
        readings = [item for item in batch if not self._is_fleet(item.topic)]
        positions = [item for item in batch if self._is_fleet(item.topic)]
        close_old_connections()
        stored: services.IngestResult | None = None
        if readings:
            result = self._store(readings, self._ingest_readings)
            if result is not None:
                self.stats.result.merge(result)
                stored = result
        if positions:
            result = self._store(positions, self._ingest_positions)
            if result is not None:
                self.stats.fleet.merge(result)
                if stored is None:
                    stored = services.IngestResult()
                stored.merge(result)
        return stored

    def _ingest_readings(self, batch: list[_Pending]) -> services.IngestResult:
        messages = []
        for item in batch:
            address = services.parse_topic(item.topic, self.topic_prefix)
            messages.append(
                services.RawMessage(
                    station_code=address.station_code if address else "",
                    parameter_code=address.parameter_code if address else "",
                    payload=item.payload,
                    topic=item.topic,
                )
            )
        return services.ingest_messages(messages)

    def _ingest_positions(self, batch: list[_Pending]) -> services.IngestResult:
        return fleet_services.ingest_messages(
            [
                fleet_services.PositionMessage(
                    vehicle_code=fleet_services.parse_topic(item.topic, self.fleet_topic_prefix)
                    or "",
                    payload=item.payload,
                    topic=item.topic,
                )
                for item in batch
            ]
        )

    def _store(
        self,
        batch: list[_Pending],
        ingest: Callable[[list[_Pending]], services.IngestResult],
    ) -> services.IngestResult | None:
        try:
            result = ingest(batch)
        except Exception:
            # The database is unavailable: keep the batch (unacknowledged) and retry later.
            logger.exception("storing a batch of %d MQTT messages failed", len(batch))
            with self._lock:
                self._pending = batch + self._pending
                self._first_at = time.monotonic()
            connection.close()
            return None
        for item in batch:
            if item.qos > 0:
                self.client.ack(item.mid, item.qos)
        self.stats.batches += 1
        return result

    def run(self, stop: threading.Event) -> WorkerStats:
        """Run until `stop` is set; then flush what is left and disconnect."""
        ensure_reading_partitions()
        self.client.connect_async(self._host, self._port, keepalive=30)
        self.client.loop_start()
        try:
            while not stop.is_set():
                self._wake.wait(timeout=min(self.idle_seconds, 0.05))
                self._wake.clear()
                if self._due():
                    self.flush()
            self.flush()
        finally:
            self.client.disconnect()
            self.client.loop_stop()
            connection.close()
        return self.stats


def run_ingest(
    stop: threading.Event,
    *,
    url: str,
    client_id: str,
    topic_prefix: str = services.DEFAULT_TOPIC_PREFIX,
    batch_size: int = 500,
    flush_seconds: float = 1.0,
    fleet_topic_prefix: str | None = None,
) -> WorkerStats:
    """Run the MQTT ingest loop in this thread until `stop` is set."""
    worker = IngestWorker(
        url=url,
        client_id=client_id,
        topic_prefix=topic_prefix,
        batch_size=batch_size,
        flush_seconds=flush_seconds,
        fleet_topic_prefix=fleet_topic_prefix,
    )
    return worker.run(stop)
