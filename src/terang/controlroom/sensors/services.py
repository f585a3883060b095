"""Writes of the control room: station tokens and reading ingestion.

Every incoming message (MQTT or HTTP) goes through `ingest_messages`: each reading is validated
on its own; valid readings are stored once per (station, parameter, ts) and move the latest
value forward; anything else lands in the quarantine with a stable reason code. Nothing raises
for a bad message, so a worker never stops on one."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from terang.controlroom.alerts.services import evaluate_new_readings
from terang.controlroom.choices import STANDARD_PARAMETERS, QuarantineReason
from terang.controlroom.models import (
    LatestReading,
    Parameter,
    QuarantinedMessage,
    Reading,
    Station,
    StationParameter,
)
from terang.core.crypto import digest
from terang.core.errors import DomainError
from terang.core.ingest import BatchIngest, IngestResult, PayloadRejected, Rejection
from terang.core.ingest.payloads import parse_timestamp, payload_items

DEFAULT_TOPIC_PREFIX = "terang/sensors"


@dataclass(frozen=True)
class RawMessage:
    """One received message: a topic-like address and the undecoded or decoded payload."""

    station_code: str
    parameter_code: str
    payload: bytes | str | Any
    topic: str = ""


__all__ = ["IngestResult", "Rejection"]  # the batch result types, named here for old callers


class StationNotAuthenticated(DomainError):
    code = "invalid_station_token"
    status = 401
    default_message = _("Token stasiun tidak valid.")


def ensure_standard_parameters() -> None:
    """Create the standard parameters that are missing (a migration does this once; a fresh
    or flushed database may need it again)."""
    for code, name, unit, low, high in STANDARD_PARAMETERS:
        Parameter.objects.get_or_create(
            code=code, defaults={"name": name, "unit": unit, "min_value": low, "max_value": high}
        )


def issue_station_token(*, station: Station) -> str:
    """Give the station a new ingest token; only its digest is kept, so show it once."""
    token = secrets.token_hex(32)
    station.token_digest = digest(token)
    station.save(update_fields=["token_digest"])
    return token


def authenticate_station(*, station_code: str, token: str) -> Station:
    """The active station with this code whose token matches; the same error for every miss."""
    station = Station.objects.filter(code=station_code, is_active=True).first()
    expected = station.token_digest if station is not None else ""
    if station is None or not token or not expected:
        raise StationNotAuthenticated()
    if not secrets.compare_digest(expected, digest(token)):
        raise StationNotAuthenticated()
    return station


def parse_topic(topic: str, prefix: str = DEFAULT_TOPIC_PREFIX) -> RawMessage | None:
    """`<prefix>/<station>/<parameter>` -> a message address, or None when it does not fit."""
    head = prefix.rstrip("/") + "/"
    if not topic.startswith(head):
        return None
    parts = topic[len(head) :].split("/")
    if len(parts) != 2 or not all(parts):
        return None
    return RawMessage(station_code=parts[0], parameter_code=parts[1], payload=b"", topic=topic)


def _value(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise PayloadRejected(QuarantineReason.NOT_A_NUMBER, "value must be a number")
    value = float(raw)
    if not math.isfinite(value):
        raise PayloadRejected(QuarantineReason.NOT_A_NUMBER, "value must be finite")
    return value


class _ReadingIngest(BatchIngest[RawMessage, tuple[Station, Parameter], Reading]):
    """Sensor readings through the shared batch skeleton. Stations and parameters are looked
    up once per batch."""

    batch_key = "readings"
    quarantine_model = QuarantinedMessage
    device_field = "station_code"

    def __init__(self, messages: Sequence[RawMessage]) -> None:
        super().__init__(messages)
        codes = {m.station_code for m in self.messages}
        self.stations = {s.code: s for s in Station.objects.filter(code__in=codes, is_active=True)}
        self.parameters = {p.code: p for p in Parameter.objects.all()}
        self.allowed: dict[int, set[int]] = {}
        for station_id, parameter_id in StationParameter.objects.filter(
            station__in=self.stations.values()
        ).values_list("station_id", "parameter_id"):
            self.allowed.setdefault(station_id, set()).add(parameter_id)

    def device_code(self, message: RawMessage) -> str:
        return message.station_code

    def resolve(self, message: RawMessage) -> tuple[Station, Parameter]:
        if not message.station_code:
            raise PayloadRejected(QuarantineReason.BAD_TOPIC, "no station in the address")
        station = self.stations.get(message.station_code)
        if station is None:
            raise PayloadRejected(
                QuarantineReason.UNKNOWN_STATION, f"station {message.station_code[:60]!r}"
            )
        parameter = self.parameters.get(message.parameter_code)
        allowed = self.allowed.get(station.pk)
        if parameter is None or (allowed is not None and parameter.pk not in allowed):
            raise PayloadRejected(
                QuarantineReason.UNKNOWN_PARAMETER, f"parameter {message.parameter_code[:30]!r}"
            )
        return station, parameter

    def validate(
        self, item: Any, target: tuple[Station, Parameter]
    ) -> tuple[tuple[int, int, dt.datetime], Reading]:
        station, parameter = target
        reading = _reading(item, station, parameter, self.now)
        return (station.pk, parameter.pk, reading.ts), reading

    def store(self, rows: dict[Any, Reading]) -> int:
        new = _insert_new(rows)
        _advance_latest(new)
        Station.objects.filter(pk__in={r.station_id for r in new}).update(last_seen_at=self.now)
        # Same transaction, not on_commit: a stored batch always has its alerts evaluated
        # (a worker dying after commit cannot lose them), and a failed evaluation rolls the
        # batch back so the MQTT worker redelivers it rather than storing it unchecked.
        evaluate_new_readings(new)
        return len(new)


def _reading(item: Any, station: Station, parameter: Parameter, now: dt.datetime) -> Reading:
    if not isinstance(item, dict):
        raise PayloadRejected(QuarantineReason.MALFORMED_JSON, "reading must be an object")
    missing = [key for key in ("ts", "value", "unit") if item.get(key) is None]
    if missing:
        raise PayloadRejected(QuarantineReason.MISSING_FIELD, "missing " + ", ".join(missing))
    ts = parse_timestamp(item["ts"], now)
    value = _value(item["value"])
    unit = item["unit"]
    if not isinstance(unit, str) or unit.strip() != parameter.unit:
        raise PayloadRejected(
            QuarantineReason.WRONG_UNIT, f"unit {str(unit)[:20]!r}, expected {parameter.unit!r}"
        )
    if not parameter.min_value <= value <= parameter.max_value:
        raise PayloadRejected(
            QuarantineReason.OUT_OF_RANGE,
            f"{value} outside [{parameter.min_value}, {parameter.max_value}]",
        )
    return Reading(station=station, parameter=parameter, ts=ts, value=value, received_at=now)


def ingest_messages(messages: Sequence[RawMessage]) -> IngestResult:
    """Validate, store and quarantine a batch of messages in one transaction."""
    return _ReadingIngest(messages).run()


def _insert_new(readings: dict[tuple[int, int, dt.datetime], Reading]) -> list[Reading]:
    """Store the readings not stored before and return exactly those.

    On PostgreSQL one INSERT ... ON CONFLICT DO NOTHING RETURNING says which rows this
    transaction stored, so a reading another writer (HTTP beside MQTT, a second worker) stored
    first is counted as a duplicate here and never evaluated twice for alerts. Elsewhere the
    rows are looked up first (one writer at a time on SQLite)."""
    if connection.vendor != "postgresql":
        new = _drop_existing(readings)
        Reading.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        return new
    rows = list(readings.values())
    table = connection.ops.quote_name(Reading._meta.db_table)
    stored: set[tuple[int, int, dt.datetime]] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            cursor.execute(
                f"INSERT INTO {table} (station_id, parameter_id, ts, value, received_at) "  # noqa: S608
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[], "
                "%s::float8[], %s::timestamptz[]) "
                "ON CONFLICT (station_id, parameter_id, ts) DO NOTHING "
                "RETURNING station_id, parameter_id, ts",
                [
                    [r.station_id for r in chunk],
                    [r.parameter_id for r in chunk],
                    [r.ts for r in chunk],
                    [r.value for r in chunk],
                    [r.received_at for r in chunk],
                ],
            )
            stored.update((row[0], row[1], row[2]) for row in cursor.fetchall())
    return [reading for key, reading in readings.items() if key in stored]


def _drop_existing(readings: dict[tuple[int, int, dt.datetime], Reading]) -> list[Reading]:
    """Readings of this batch not stored before (a redelivery or a resend is stored once)."""
    timestamps = [key[2] for key in readings]
    existing = set(
        Reading.objects.filter(
            station_id__in={key[0] for key in readings},
            parameter_id__in={key[1] for key in readings},
            ts__gte=min(timestamps),
            ts__lte=max(timestamps),
        ).values_list("station_id", "parameter_id", "ts")
    )
    return [r for key, r in readings.items() if key not in existing]


def _advance_latest(readings: list[Reading]) -> None:
    """Upsert the newest value per (station, parameter), only ever moving forward in time."""
    newest: dict[tuple[int, int], Reading] = {}
    for reading in readings:
        key = (reading.station_id, reading.parameter_id)
        if key not in newest or reading.ts > newest[key].ts:
            newest[key] = reading
    if not newest:
        return
    table = connection.ops.quote_name(LatestReading._meta.db_table)
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(newest))
    params: list[Any] = []
    for reading in newest.values():
        ts = connection.ops.adapt_datetimefield_value(reading.ts)
        params.extend([reading.station_id, reading.parameter_id, ts, reading.value])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (station_id, parameter_id, ts, value) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT (station_id, parameter_id) DO UPDATE "
            f"SET ts = excluded.ts, value = excluded.value WHERE {table}.ts < excluded.ts",
            params,
        )


def ingest_readings(*, station: Station, parameter_code: str, payload: Any) -> IngestResult:
    """Ingest one payload (a reading or a batch) for an authenticated station (HTTP ingest)."""
    return ingest_messages(
        [RawMessage(station_code=station.code, parameter_code=parameter_code, payload=payload)]
    )


def ingest_mixed_batch(*, station: Station, payload: Any) -> IngestResult:
    """Ingest readings that each name their parameter: {"parameter": "pm25", "ts", ...}."""
    try:
        items = payload_items(payload, "readings")
    except PayloadRejected:
        return ingest_readings(station=station, parameter_code="", payload=payload)
    messages = [
        RawMessage(
            station_code=station.code,
            parameter_code=str(item.get("parameter", "")) if isinstance(item, dict) else "",
            payload=item,
        )
        for item in items
    ]
    return ingest_messages(messages)


def store_history(readings: list[Reading]) -> int:
    """Store already-validated past readings in bulk (backfills, the demo's history): duplicates
    are skipped, the latest values move forward, and no alert is evaluated, because history is
    not news. Returns how many readings were new."""
    with transaction.atomic():
        if not readings:
            return 0
        fresh = _drop_existing({(r.station_id, r.parameter_id, r.ts): r for r in readings})
        Reading.objects.bulk_create(fresh, batch_size=2000)
        _advance_latest(fresh)
    return len(fresh)
