"""The control-room wall: one snapshot merged from every domain's wall selectors.

Transport (docs/adr/0002-wall-transport.md, chosen by measurement): Server-Sent Events from
the small ASGI process `terang.asgi_streams` when the city runs it (`WALL_STREAM_URL`), with
`GET /api/v1/wall?since=<cursor>` polled once a second through the main WSGI site as the
fallback and for cities without it. A poll returns the events after the cursor plus the
slower-moving parts (counters, map, breaches), cached for `SLOW_PARTS_SECONDS` (one second):
a room full of screens costs one computation a second.

Cursor rule: events are selected by their own timestamp, and a transaction can commit a little
after the time it stamped. The poll therefore looks back `OVERLAP` before the cursor and the
client drops keys it has already shown, so a late commit is still delivered exactly once.

The sources are whatever apps registered (`terang.core.wall`): the wall imports no domain app.
A source that raises is logged with its name and left out; the rest of the wall still renders."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone, translation

from terang.core.wall import MapPoint, WallCounter, WallEvent, WallSource, wall_sources

logger = logging.getLogger(__name__)

EVENT_LIMIT = 50
FIRST_LOAD_WINDOW = dt.timedelta(hours=6)
MAX_LOOKBACK = dt.timedelta(hours=24)
OVERLAP = dt.timedelta(seconds=5)
SLOW_PARTS_SECONDS = 1
SEVERITY_ORDER = {"danger": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class SlowParts:
    counters: list[WallCounter]
    map_points: list[MapPoint]
    breaches: list[WallEvent]
    ping_pong: list[WallEvent]


@dataclass(frozen=True)
class WallSnapshot:
    now: dt.datetime
    cursor: dt.datetime
    events: list[WallEvent]
    counters: list[WallCounter]
    map_points: list[MapPoint]
    breaches: list[WallEvent]
    ping_pong: list[WallEvent]


T = TypeVar("T")


def collect(part: str, call: Callable[[WallSource], list[T]]) -> list[T]:
    """`call` on every registered source, merged in registration order. A source that raises
    is logged (its name and `part` at WARNING, with the traceback) and skipped, so one broken
    domain never blanks the control room. Inside a transaction each source runs under a
    savepoint, so a failed query does not abort the transaction for the sources after it."""
    merged: list[T] = []
    for source in wall_sources():
        guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with guard:
                merged.extend(call(source))
        except Exception:
            logger.warning(
                "wall source %r failed in %s; left out of the wall",
                source.name,
                part,
                exc_info=True,
            )
    return merged


def events_since(since: dt.datetime, now: dt.datetime, limit: int = EVENT_LIMIT) -> list[WallEvent]:
    """Events of every source after `since` (minus the overlap), newest first."""
    since = max(since - OVERLAP, now - MAX_LOOKBACK)
    merged = collect("events", lambda source: source.events(since, now, limit))
    merged.sort(key=lambda event: (event.at, event.key), reverse=True)
    return merged[:limit]


def _compute_slow_parts(now: dt.datetime) -> SlowParts:
    counters = collect("counters", lambda source: source.counters(now))
    points = collect("map_points", lambda source: source.map_points(now))
    breaches = collect("breaches", lambda source: source.breaches(now))
    ping_pong = collect("ping_pong", lambda source: source.ping_pong(now))
    breaches.sort(key=lambda event: (SEVERITY_ORDER.get(event.severity, 3), event.at))
    return SlowParts(counters, points, breaches, ping_pong)


def slow_parts(now: dt.datetime, *, fresh: bool = False) -> SlowParts:
    key = f"controlroom:wall:slow:{translation.get_language()}"
    if not fresh:
        cached = cache.get(key)
        if cached is not None:
            return cached
    parts = _compute_slow_parts(now)
    cache.set(key, parts, SLOW_PARTS_SECONDS)
    return parts


def snapshot(since: dt.datetime | None = None, *, fresh: bool = False) -> WallSnapshot:
    """The wall as of now; events after `since` (the last FIRST_LOAD_WINDOW when None)."""
    now = timezone.now()
    if since is not None and timezone.is_naive(since):
        since = timezone.make_aware(since, dt.UTC)
    events = events_since(since or now - FIRST_LOAD_WINDOW, now)
    parts = slow_parts(now, fresh=fresh)
    return WallSnapshot(
        now=now,
        cursor=now,
        events=events,
        counters=parts.counters,
        map_points=parts.map_points,
        breaches=parts.breaches,
        ping_pong=parts.ping_pong,
    )
