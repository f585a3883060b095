"""The wall as JSON (/api/v1/wall): what the wall page polls, and what another screen or a
city dashboard may read. Operators, administrators and the inspectorate only."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from terang.controlroom import wall
from terang.core.api_auth import require_staff, session_auth
from terang.core.errors import PermissionDenied
from terang.core.schemas import ErrorOut

router = Router(tags=["wall"])


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


@router.get(
    "",
    response={200: WallOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=session_auth,
    summary="Wall snapshot: events after `since`, counters, map points, breaches",
)
def wall_snapshot(request: HttpRequest, since: dt.datetime | None = None) -> wall.WallSnapshot:
    """What the wall page polls every second. `since` is the `cursor` of the previous answer
    (ISO 8601; without an offset it is read as UTC); events stamped up to five seconds before
    it are repeated so a late commit is not missed: drop keys already shown. Without `since`,
    the last six hours of events. Counters, map points and breaches are at most a second old."""
    user = require_staff(request)
    if user.role not in wall.WALL_ROLES:
        raise PermissionDenied()
    return wall.snapshot(since)
