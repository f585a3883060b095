"""A test-only plugin: what an app adds to the MQTT ingest without editing any other app or core.

`register()` is what the plugin's `AppConfig.ready()` would call; tests call it and `unregister`
it afterwards (the registry's stores are lists only appended to in production)."""

from __future__ import annotations

from collections.abc import Sequence

from terang.core.ingest import IngestResult, TopicConsumer, TopicMessage, register_topic
from terang.core.registry import registry

NAME = "test-plugin"
FILTER = "plugin/+/#"

#: What the consumer received, as (wildcards, payload): the plugin's "storage".
received: list[tuple[tuple[str, ...], bytes]] = []


def consume_gauges(messages: Sequence[TopicMessage]) -> IngestResult:
    received.extend((message.wildcards, message.payload) for message in messages)
    return IngestResult(stored=len(messages))


def register() -> TopicConsumer:
    return register_topic(NAME, FILTER, consume_gauges)


def unregister(consumer: TopicConsumer) -> None:
    registry["mqtt_topics"].remove(consumer)
