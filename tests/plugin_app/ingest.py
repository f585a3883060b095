"""The test plugin's MQTT consumer: what it received is its "storage"."""

from __future__ import annotations

from collections.abc import Sequence

from terang.core.ingest import IngestResult, TopicMessage

RECEIVED: list[tuple[tuple[str, ...], bytes]] = []


def consume_levels(messages: Sequence[TopicMessage]) -> IngestResult:
    RECEIVED.extend((message.wildcards, message.payload) for message in messages)
    return IngestResult(stored=len(messages))
