"""The MQTT topic consumers, kept in `registry["mqtt_topics"]`.

Each app registers in its `AppConfig.ready()` a topic filter relative to the worker's topic root
(`sensors/+/+` under `terang` is `terang/sensors/+/+`) and a function that stores a batch of the
messages matching it. The worker subscribes to every registered filter and hands each consumer
its messages, with the segments the filter's wildcards matched (a station and a parameter, a
vehicle), so no consumer parses the root and the worker knows no app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from terang.core.ingest.results import IngestResult
from terang.core.registry import registry


@dataclass(frozen=True)
class TopicMessage:
    """One received message. `wildcards` holds what the filter's `+` (and a final `#`, joined
    by "/") matched; `mid` and `qos` are the broker's, for the acknowledgement."""

    topic: str
    payload: bytes
    wildcards: tuple[str, ...] = ()
    mid: int = 0
    qos: int = 0


Consume = Callable[[Sequence[TopicMessage]], IngestResult]


@dataclass(frozen=True)
class TopicConsumer:
    """A registered consumer: its stable name (kept on dead letters, so a replay finds it), its
    topic filter relative to the root, and the function that stores a batch."""

    name: str
    filter: str
    consume: Consume


def register_topic(name: str, topic_filter: str, consume: Consume) -> TopicConsumer:
    """Append a consumer to `registry["mqtt_topics"]` (call from `AppConfig.ready()`). Dead
    letters find their consumer by name, so a name taken by another consumer is refused; the
    same registration again (`ready()` run twice, as when tests swap INSTALLED_APPS) is kept
    once."""
    validate_filter(topic_filter)
    consumer = TopicConsumer(name=name, filter=topic_filter.strip("/"), consume=consume)
    consumers: list[TopicConsumer] = registry["mqtt_topics"]
    for existing in consumers:
        if existing.name == name:
            if existing == consumer:
                return existing
            raise ValueError(f"MQTT topic consumer {name!r} is already registered")
    consumers.append(consumer)
    return consumer


def registered_consumers() -> list[TopicConsumer]:
    return list(registry["mqtt_topics"])


def consumer_named(name: str) -> TopicConsumer | None:
    return next((c for c in registry["mqtt_topics"] if c.name == name), None)


def validate_filter(topic_filter: str) -> None:
    levels = topic_filter.strip("/").split("/")
    if not topic_filter.strip("/") or any(
        ("+" in level or "#" in level) and level not in ("+", "#") for level in levels
    ):
        raise ValueError(f"not an MQTT topic filter: {topic_filter!r}")
    if "#" in levels[:-1]:
        raise ValueError(f"'#' must be the last level: {topic_filter!r}")


def topic_root(sensor_prefix: str) -> str:
    """The root every registered filter sits under, from the sensors' historical prefix setting
    (`MQTT_TOPIC_PREFIX`, `terang/sensors` -> `terang`): its parent."""
    head, _sep, _tail = sensor_prefix.strip("/").rpartition("/")
    return head


def absolute_filter(root: str, topic_filter: str) -> str:
    return f"{root}/{topic_filter}" if root else topic_filter


def match(root: str, topic_filter: str, topic: str) -> tuple[str, ...] | None:
    """The wildcard segments when `topic` matches `root/filter`, else None."""
    head = f"{root}/" if root else ""
    if not topic.startswith(head):
        return None
    levels = topic[len(head) :].split("/")
    pattern = topic_filter.split("/")
    found: list[str] = []
    for position, expected in enumerate(pattern):
        if expected == "#":
            found.append("/".join(levels[position:]))
            return tuple(found)
        if position >= len(levels):
            return None
        if expected == "+":
            found.append(levels[position])
        elif expected != levels[position]:
            return None
    return tuple(found) if len(levels) == len(pattern) else None
