"""The MQTT ingest worker (`terang ingest-mqtt`) and its pure `consume`.

The worker knows no app: it subscribes to every filter in `registry["mqtt_topics"]` under one
topic root (`terang`), collects messages and hands them in batches to `consume`, which routes
each message to its consumer (Zulip's queue workers: tests call `consume` without a broker).

MQTT 3.1.1 with a persistent session (clean_session=False) and QoS 1. Messages are acknowledged
only after their consumer's batch is committed or kept as a dead letter (manual acks), so a
crash or a broker restart before that makes the broker deliver them again; each consumer stores
a redelivered message once. A batch is flushed when it is full, when its oldest message is
`flush_seconds` old, or when no message arrived for `idle_seconds`.

A consumer's batch that raises (a bug, a database error; bad payloads never raise, they go to
the app's quarantine) is retried after 1, 4 and 16 seconds. If it still fails, its messages are
stored as dead letters (`IngestDeadLetter`) and acknowledged, and the worker goes on; operators
replay them from the control room. If even the dead letters cannot be stored (the database is
down), the messages stay unacknowledged and pending, and the next flush tries them again."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

import paho.mqtt.client as mqtt
from django.db import close_old_connections, connection
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion

from terang.core.ingest import deadletters
from terang.core.ingest.partitions import ensure_all_partitions
from terang.core.ingest.results import IngestResult
from terang.core.ingest.topics import (
    TopicConsumer,
    TopicMessage,
    absolute_filter,
    match,
    registered_consumers,
)

logger = logging.getLogger("terang.core.ingest")

RETRY_BACKOFF: tuple[float, ...] = (1.0, 4.0, 16.0)  # seconds before each retry of a batch

Sleep = Callable[[float], object]


@dataclass
class ConsumeOutcome:
    """What one `consume` call did with its messages."""

    results: dict[str, IngestResult] = field(default_factory=dict)
    dead_lettered: list[TopicMessage] = field(default_factory=list)
    unmatched: list[TopicMessage] = field(default_factory=list)
    #: Failed and not even kept as dead letters: leave them unacknowledged and try again.
    pending: list[TopicMessage] = field(default_factory=list)
    done: list[TopicMessage] = field(default_factory=list)

    @property
    def total(self) -> IngestResult:
        total = IngestResult()
        for result in self.results.values():
            total.merge(result)
        return total


def _as_message(item: TopicMessage | tuple) -> TopicMessage:  # type: ignore[type-arg]
    return item if isinstance(item, TopicMessage) else TopicMessage(*item)


def _reset_connection() -> None:
    """Drop a connection a failure may have broken; the next query opens a fresh one. Inside
    an outer transaction (a test, a replay) the connection is the caller's to keep."""
    if not connection.in_atomic_block:
        connection.close()


def consume(
    messages: Iterable[TopicMessage | tuple],  # type: ignore[type-arg]
    *,
    root: str = "",
    consumers: Sequence[TopicConsumer] | None = None,
    sleep: Sleep = time.sleep,
    backoff: Sequence[float] = RETRY_BACKOFF,
) -> ConsumeOutcome:
    """Route `(topic, payload[, wildcards, mid, qos])` messages to their registered consumers
    (the first whose filter under `root` matches), one batch per consumer in arrival order.
    A batch that raises is retried after each of `backoff`'s delays (`sleep` is injectable
    so tests do not wait), then dead-lettered. Messages no consumer claims are dropped with a
    warning (the worker only subscribes to registered filters)."""
    consumers = registered_consumers() if consumers is None else list(consumers)
    outcome = ConsumeOutcome()
    groups: dict[str, tuple[TopicConsumer, list[TopicMessage]]] = {}
    for raw in messages:
        message = _as_message(raw)
        for consumer in consumers:
            wildcards = match(root, consumer.filter, message.topic)
            if wildcards is not None:
                routed = TopicMessage(
                    topic=message.topic,
                    payload=message.payload,
                    wildcards=wildcards,
                    mid=message.mid,
                    qos=message.qos,
                )
                groups.setdefault(consumer.name, (consumer, []))[1].append(routed)
                break
        else:
            logger.warning("no MQTT topic consumer for %r; dropped", message.topic[:255])
            outcome.unmatched.append(message)
            outcome.done.append(message)
    for consumer, batch in groups.values():
        _consume_batch(consumer, batch, outcome, sleep=sleep, backoff=backoff)
    return outcome


def _consume_batch(
    consumer: TopicConsumer,
    batch: list[TopicMessage],
    outcome: ConsumeOutcome,
    *,
    sleep: Sleep,
    backoff: Sequence[float],
) -> None:
    first_failed_at = None
    attempts = 0
    while True:
        attempts += 1
        try:
            result = consumer.consume(batch)
        except Exception as exc:  # noqa: BLE001 - any failure is retried, then dead-lettered
            error = deadletters.describe(exc)
            first_failed_at = first_failed_at or timezone.now()
            logger.exception(
                "MQTT consumer %s failed on a batch of %d (attempt %d)",
                consumer.name,
                len(batch),
                attempts,
            )
            _reset_connection()
            if attempts > len(backoff):
                break
            sleep(backoff[attempts - 1])
        else:
            outcome.results.setdefault(consumer.name, IngestResult()).merge(result)
            outcome.done.extend(batch)
            return
    try:
        deadletters.record_dead_letters(
            consumer=consumer.name,
            messages=batch,
            error=error,
            attempts=attempts,
            first_failed_at=first_failed_at,
            last_failed_at=timezone.now(),
        )
    except Exception:  # noqa: BLE001 - the database is down: keep the batch for later
        logger.exception("could not keep %d MQTT messages as dead letters", len(batch))
        _reset_connection()
        outcome.pending.extend(batch)
        return
    logger.error(
        "MQTT consumer %s: %d messages kept as dead letters after %d attempts",
        consumer.name,
        len(batch),
        attempts,
    )
    outcome.dead_lettered.extend(batch)
    outcome.done.extend(batch)


@dataclass
class WorkerStats:
    """Counts since the worker started; `stats.<consumer name>` is that consumer's result."""

    received: int = 0
    batches: int = 0
    dead_letters: int = 0
    unmatched: int = 0
    results: dict[str, IngestResult] = field(default_factory=dict)

    def __getattr__(self, name: str) -> IngestResult:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.results.setdefault(name, IngestResult())

    @property
    def total(self) -> IngestResult:
        total = IngestResult()
        for result in self.results.values():
            total.merge(result)
        return total


class IngestWorker:
    """Subscribe to every registered topic filter under `topic_root`, collect messages and
    `consume` them in batches, acknowledging each message once it is stored or dead-lettered."""

    stats_class: type[WorkerStats] = WorkerStats

    def __init__(
        self,
        *,
        url: str,
        client_id: str,
        topic_root: str = "terang",
        batch_size: int = 500,
        flush_seconds: float = 1.0,
        idle_seconds: float = 0.05,
        consumers: Sequence[TopicConsumer] | None = None,
        sleep: Sleep = time.sleep,
        backoff: Sequence[float] = RETRY_BACKOFF,
    ) -> None:
        self.topic_root = topic_root.strip("/")
        self.consumers = registered_consumers() if consumers is None else list(consumers)
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.idle_seconds = idle_seconds
        self.sleep = sleep
        self.backoff = tuple(backoff)
        self.stats = self.stats_class()
        self.connected = threading.Event()
        self._lock = threading.Lock()
        self._pending: list[TopicMessage] = []
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

    @property
    def subscriptions(self) -> list[str]:
        """The absolute topic filters this worker subscribes to."""
        return [absolute_filter(self.topic_root, c.filter) for c in self.consumers]

    def _on_connect(self, client, userdata, flags, reason_code, properties):  # type: ignore[no-untyped-def]
        if reason_code.is_failure:
            logger.warning("MQTT connect refused: %s", reason_code)
            return
        if self.subscriptions:
            client.subscribe([(topic, 1) for topic in self.subscriptions])
        else:
            logger.warning("no MQTT topic consumer is registered; nothing to subscribe to")
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
                TopicMessage(
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

    def flush(self) -> IngestResult | None:
        """Consume what was collected and acknowledge what was stored or dead-lettered; keep
        the rest pending. Returns what was stored, or None when no consumer stored anything."""
        with self._lock:
            batch, self._pending = self._pending, []
        if not batch:
            return None
        close_old_connections()
        outcome = consume(
            batch,
            root=self.topic_root,
            consumers=self.consumers,
            sleep=self.sleep,
            backoff=self.backoff,
        )
        if outcome.pending:
            with self._lock:
                self._pending = outcome.pending + self._pending
                self._first_at = time.monotonic()
        for item in outcome.done:
            if item.qos > 0:
                self.client.ack(item.mid, item.qos)
        for name, result in outcome.results.items():
            self.stats.results.setdefault(name, IngestResult()).merge(result)
        self.stats.dead_letters += len(outcome.dead_lettered)
        self.stats.unmatched += len(outcome.unmatched)
        if outcome.done:
            self.stats.batches += 1
        return outcome.total if outcome.results else None

    def run(self, stop: threading.Event) -> WorkerStats:
        """Run until `stop` is set; then flush what is left and disconnect."""
        ensure_all_partitions()
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
