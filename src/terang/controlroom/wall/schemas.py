"""What the wall hands out as JSON: the /api/v1/wall snapshot and the event stream's pushes
share these shapes."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class CounterOut(Schema):
    key: str
    label: str
    value: int
    severity: str


class EventOut(Schema):
    key: str
    at: dt.datetime
    source: str
    source_label: str
    title: str
    severity: str
    url: str


class PointOut(Schema):
    key: str
    source: str
    source_label: str
    latitude: float
    longitude: float
    label: str
    colour: str
    url: str


class WallOut(Schema):
    now: dt.datetime
    cursor: dt.datetime
    events: list[EventOut]
    counters: list[CounterOut]
    map_points: list[PointOut]
    breaches: list[EventOut]
    ping_pong: list[EventOut]
