"""Position ingest, shared by MQTT (`<prefix>/<vehicle>`) and HTTP.

A message carries one fix `{"ts", "lat", "lon", "speed"?, "heading"?}`, a list of them, or
`{"positions": [...]}`. Each fix is validated on its own; valid fixes are stored once per
(vehicle, ts) and move the vehicle's live state forward; anything else lands in the fleet
quarantine with a stable reason code. Nothing raises for a bad message, so a worker never stops
on one. The batch runs through core's ingest skeleton (`core.ingest.BatchIngest`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from terang.core.ingest import BatchIngest, IngestResult, PayloadRejected, TopicMessage
from terang.core.ingest.payloads import parse_timestamp
from terang.fleet.choices import FleetQuarantineReason as Reason
from terang.fleet.models import Position, QuarantinedPosition, Vehicle
from terang.fleet.services.tracking import advance_tracking

DEFAULT_TOPIC_PREFIX = "terang/fleet"
MAX_SPEED_KMH = 300.0


@dataclass(frozen=True)
class PositionMessage:
    """One received message: the vehicle it is addressed to and the raw or decoded payload."""

    vehicle_code: str
    payload: bytes | str | Any
    topic: str = ""


def parse_topic(topic: str, prefix: str = DEFAULT_TOPIC_PREFIX) -> str | None:
    """`<prefix>/<vehicle>` -> the vehicle code, or None when the topic does not fit."""
    head = prefix.rstrip("/") + "/"
    if not topic.startswith(head):
        return None
    rest = topic[len(head) :]
    if not rest or "/" in rest:
        return None
    return rest


def _number(item: dict[str, Any], key: str, low: float, high: float) -> float | None:
    raw = item.get(key)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise PayloadRejected(Reason.NOT_A_NUMBER, f"{key} must be a number")
    value = float(raw)
    if not math.isfinite(value):
        raise PayloadRejected(Reason.NOT_A_NUMBER, f"{key} must be finite")
    if not low <= value <= high:
        raise PayloadRejected(Reason.OUT_OF_RANGE, f"{key} {value} outside [{low:g}, {high:g}]")
    return value


def _position(item: Any, vehicle: Vehicle, now: dt.datetime) -> Position:
    if not isinstance(item, dict):
        raise PayloadRejected(Reason.MALFORMED_JSON, "position must be an object")
    missing = [key for key in ("ts", "lat", "lon") if item.get(key) is None]
    if missing:
        raise PayloadRejected(Reason.MISSING_FIELD, "missing " + ", ".join(missing))
    ts = parse_timestamp(item["ts"], now)
    lat = _number(item, "lat", -90.0, 90.0) or 0.0  # present: checked above
    lon = _number(item, "lon", -180.0, 180.0) or 0.0
    if lat == 0.0 and lon == 0.0:
        # (0, 0) is what many trackers send before they have a fix.
        raise PayloadRejected(Reason.OUT_OF_RANGE, "lat/lon 0,0 (no GPS fix)")
    speed = _number(item, "speed", 0.0, MAX_SPEED_KMH)
    heading = _number(item, "heading", 0.0, 360.0)
    return Position(
        vehicle=vehicle,
        ts=ts,
        latitude=lat,
        longitude=lon,
        speed_kmh=speed,
        heading_deg=heading,
        received_at=now,
    )


class _PositionIngest(BatchIngest[PositionMessage, Vehicle, Position]):
    """Vehicle positions through the shared batch skeleton."""

    batch_key = "positions"
    quarantine_model = QuarantinedPosition
    device_field = "vehicle_code"

    def __init__(self, messages: Sequence[PositionMessage]) -> None:
        super().__init__(messages)
        codes = {m.vehicle_code for m in self.messages if m.vehicle_code}
        self.vehicles = {v.code: v for v in Vehicle.objects.filter(code__in=codes, is_active=True)}

    def device_code(self, message: PositionMessage) -> str:
        return message.vehicle_code

    def resolve(self, message: PositionMessage) -> Vehicle:
        if not message.vehicle_code:
            raise PayloadRejected(Reason.BAD_TOPIC, "no vehicle in the address")
        vehicle = self.vehicles.get(message.vehicle_code)
        if vehicle is None:
            raise PayloadRejected(Reason.UNKNOWN_VEHICLE, f"vehicle {message.vehicle_code[:60]!r}")
        return vehicle

    def validate(self, item: Any, target: Vehicle) -> tuple[tuple[int, dt.datetime], Position]:
        position = _position(item, target, self.now)
        return (target.pk, position.ts), position

    def store(self, rows: dict[Any, Position]) -> int:
        # Row locks in pk order: concurrent writers of one vehicle (MQTT and HTTP) queue
        # here, so its live state moves through one writer at a time.
        list(
            Vehicle.objects.select_for_update()
            .filter(pk__in={key[0] for key in rows})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        new = _drop_existing(rows)
        Position.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        advance_tracking(new, now=self.now)
        return len(new)


def ingest_messages(messages: Sequence[PositionMessage]) -> IngestResult:
    """Validate, store and quarantine a batch of messages in one transaction."""
    return _PositionIngest(messages).run()


def _drop_existing(positions: dict[tuple[int, dt.datetime], Position]) -> list[Position]:
    """Fixes of this batch not stored before (a redelivery or a resend is stored once)."""
    timestamps = [key[1] for key in positions]
    existing = set(
        Position.objects.filter(
            vehicle_id__in={key[0] for key in positions},
            ts__gte=min(timestamps),
            ts__lte=max(timestamps),
        ).values_list("vehicle_id", "ts")
    )
    return [p for key, p in positions.items() if key not in existing]


def consume_positions(messages: Sequence[TopicMessage]) -> IngestResult:
    """The MQTT consumer of `<root>/fleet/<vehicle>` (registered in `apps.py`): the filter's
    wildcard is the vehicle code."""
    return ingest_messages(
        [
            PositionMessage(
                vehicle_code=message.wildcards[0] if message.wildcards else "",
                payload=message.payload,
                topic=message.topic,
            )
            for message in messages
        ]
    )


def ingest_positions(*, vehicle: Vehicle, payload: Any) -> IngestResult:
    """Ingest one payload (a fix or a batch) for an authenticated vehicle (HTTP ingest)."""
    return ingest_messages([PositionMessage(vehicle_code=vehicle.code, payload=payload)])
