"""Sensor readings over MQTT: the consumer this app registers for `<root>/sensors/<station>/
<parameter>` (see `apps.py` and `terang.core.ingest.worker`, which runs it).

`IngestWorker` and `sibling_fleet_prefix` keep the worker's old name and arguments for existing
callers (the MQTT tests, the sensor simulator); new code uses `terang.core.ingest.worker`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings

from terang.controlroom.sensors import services
from terang.core.ingest import IngestResult, TopicMessage
from terang.core.ingest import worker as core_worker
from terang.core.ingest.topics import topic_root

CONSUMER = "sensors"


def sensors_topic_filter() -> str:
    """`<last level of MQTT_TOPIC_PREFIX>/+/+` under the worker's root (`sensors/+/+`)."""
    return settings.MQTT_TOPIC_PREFIX.strip("/").rpartition("/")[2] + "/+/+"


def consume_readings(messages: Sequence[TopicMessage]) -> IngestResult:
    """Store a batch of sensor messages; the filter's wildcards are the station and parameter."""
    return services.ingest_messages(
        [
            services.RawMessage(
                station_code=message.wildcards[0] if len(message.wildcards) > 0 else "",
                parameter_code=message.wildcards[1] if len(message.wildcards) > 1 else "",
                payload=message.payload,
                topic=message.topic,
            )
            for message in messages
        ]
    )


def sibling_fleet_prefix(topic_prefix: str) -> str:
    """`terang/sensors` -> `terang/fleet`: the fleet topics next to the sensor topics."""
    head, _sep, _tail = topic_prefix.rstrip("/").rpartition("/")
    return f"{head}/fleet" if head else "fleet"


class _SensorStats(core_worker.WorkerStats):
    @property
    def result(self) -> IngestResult:
        """The sensors' result (the old `stats.result`)."""
        return self.results.setdefault(CONSUMER, IngestResult())


class IngestWorker(core_worker.IngestWorker):
    """The core worker under its old arguments: `topic_prefix` is the sensors' prefix, and every
    registered topic sits beside it (its parent is the root)."""

    stats_class = _SensorStats
    stats: _SensorStats

    def __init__(self, *, topic_prefix: str = services.DEFAULT_TOPIC_PREFIX, **kwargs: Any) -> None:
        super().__init__(topic_root=topic_root(topic_prefix), **kwargs)
        self.topic_prefix = topic_prefix.rstrip("/")
        self.fleet_topic_prefix = sibling_fleet_prefix(self.topic_prefix)
