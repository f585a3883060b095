"""The control-room wall contract: what a domain hands the wall, and how it says so.

Every app with something to show (aspirations, sensors and alerts, 112 emergencies, fleet,
market prices, PPID, or a plugin) registers one `WallSource` in its `AppConfig.ready()`
through `register_wall_source`; the wall (controlroom) iterates `wall_sources()` and never
imports a domain app. Each part of a source is optional and has a fixed signature:

- `counters(now) -> list[WallCounter]`: a few numbers for the header (cheap: counts on indexed
  columns or small tables, never a scan of history);
- `events(since, now, limit) -> list[WallEvent]`: what happened after `since` (exclusive),
  newest first, at most `limit`; `since` is at most a day back;
- `map_points(now) -> list[MapPoint]`: what belongs on the map now (bounded, e.g. active items);
- `breaches(now) -> list[WallEvent]`: items past a deadline or target that need action now;
- `ping_pong(now) -> list[WallEvent]`: items moved between agencies too often;
- `daily_figures(start, end) -> list[DailyFigure]`: the day's numbers for the executive brief.

`labels` names, in the reader's language, the `source` codes the source stamps on its events and
points (the control room's one source stamps two: "sensors" and "alerts")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.functional import Promise

from .registry import registry

STORE = "wall_sources"


@dataclass(frozen=True)
class WallCounter:
    key: str  # stable, e.g. "emergencies_active"
    label: str  # translated, short
    value: int
    severity: str = "info"  # info | warning | danger


@dataclass(frozen=True)
class WallEvent:
    key: str  # unique across the wall, e.g. "emergency:112-000123:dispatched"
    at: dt.datetime
    source: str  # a code a registered source labels: aspirations | sensors | alerts | ...
    title: str  # translated, one line, no personal data
    severity: str = "info"  # info | warning | danger
    url: str = ""  # staff page for the item, when there is one

    @property
    def source_label(self) -> str:
        return source_label(self.source)


@dataclass(frozen=True)
class MapPoint:
    key: str
    source: str
    latitude: float
    longitude: float
    label: str  # translated, no personal data
    colour: str = "#1f6feb"  # CSS colour, e.g. the ISPU category colour
    url: str = ""

    @property
    def source_label(self) -> str:
        return source_label(self.source)


@dataclass(frozen=True)
class DailyFigure:
    """One number of one day [start, end) for the executive daily brief."""

    key: str
    label: str  # translated
    value: float | None  # None when the day has nothing to measure (e.g. no ratings)
    unit: str = ""  # translated, e.g. "jam"
    better: str = "neutral"  # higher | lower | neutral: how to word a change


class Counters(Protocol):
    def __call__(self, now: dt.datetime) -> list[WallCounter]: ...


class Events(Protocol):
    def __call__(self, since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]: ...


class MapPoints(Protocol):
    def __call__(self, now: dt.datetime) -> list[MapPoint]: ...


class Breaches(Protocol):
    def __call__(self, now: dt.datetime) -> list[WallEvent]: ...


class DailyFigures(Protocol):
    def __call__(self, start: dt.datetime, end: dt.datetime) -> list[DailyFigure]: ...


def _no_counters(now: dt.datetime) -> list[WallCounter]:
    return []


def _no_events(since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]:
    return []


def _no_points(now: dt.datetime) -> list[MapPoint]:
    return []


def _no_breaches(now: dt.datetime) -> list[WallEvent]:
    return []


def _no_figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    return []


@dataclass(frozen=True)
class WallSource:
    """One domain's contribution to the wall; `name` identifies it in logs. A part the source
    does not offer contributes nothing."""

    name: str
    labels: Mapping[str, str | Promise] = field(default_factory=dict)
    order: int = 100
    counters: Counters = _no_counters
    events: Events = _no_events
    map_points: MapPoints = _no_points
    breaches: Breaches = _no_breaches
    ping_pong: Breaches = _no_breaches
    daily_figures: DailyFigures = _no_figures


def register_wall_source(
    name: str,
    *,
    labels: Mapping[str, str | Promise],
    order: int = 100,
    counters: Counters | None = None,
    events: Events | None = None,
    map_points: MapPoints | None = None,
    breaches: Breaches | None = None,
    ping_pong: Breaches | None = None,
    daily_figures: DailyFigures | None = None,
) -> WallSource:
    """Add a source to the wall (call from `AppConfig.ready()`). Registering the same source
    again is a no-op, because Django may run `ready()` twice (tests that change INSTALLED_APPS);
    a different source under a taken name is a programming error. `order` places the source's
    counters and map points among the others (lower first; ties in registration order)."""
    source = WallSource(
        name=name,
        labels=dict(labels),
        order=order,
        counters=counters or _no_counters,
        events=events or _no_events,
        map_points=map_points or _no_points,
        breaches=breaches or _no_breaches,
        ping_pong=ping_pong or _no_breaches,
        daily_figures=daily_figures or _no_figures,
    )
    store: list[WallSource] = registry[STORE]
    for existing in store:
        if existing.name == name:
            if existing != source:
                raise ValueError(f"wall source {name!r} is already registered")
            return existing
    store.append(source)
    return source


def wall_sources() -> list[WallSource]:
    """The registered sources by `order`, then registration (INSTALLED_APPS) order."""
    return sorted(registry[STORE], key=lambda source: source.order)


def source_label(source: str) -> str:
    """The wall's name of an event or point source in the reader's language (the code when no
    registered source labels it)."""
    for wall_source in registry[STORE]:
        if source in wall_source.labels:
            return str(wall_source.labels[source])
    return source
