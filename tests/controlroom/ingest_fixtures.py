"""Stations and payload helpers shared by the ingest tests."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from terang.controlroom.choices import StationKind
from terang.controlroom.models import Parameter, Station
from terang.controlroom.sensors.services import ensure_standard_parameters

BASE_TS = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)


def make_station(code: str = "aqms-01", **extra: Any) -> Station:
    ensure_standard_parameters()  # transactional tests flush the rows the migration made
    defaults: dict[str, Any] = {
        "name": f"Stasiun {code}",
        "kind": StationKind.AIR_QUALITY,
        "latitude": -6.2,
        "longitude": 106.6,
    }
    defaults.update(extra)
    return Station.objects.create(code=code, **defaults)


def pm25() -> Parameter:
    return Parameter.objects.get(code="pm25")


def reading(minute: int = 0, value: float = 35.0, unit: str = "ug/m3", **extra: Any) -> dict:
    ts = (BASE_TS + dt.timedelta(minutes=minute)).isoformat()
    return {"ts": ts, "value": value, "unit": unit, **extra}


def as_json(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def now_iso(offset: dt.timedelta = dt.timedelta()) -> str:
    return (timezone.now() + offset).isoformat()
