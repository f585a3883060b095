"""The plugin's part of the wall: a fixed counter, one event a minute old, one map point."""

from __future__ import annotations

import datetime as dt

from terang.core.wall import DailyFigure, MapPoint, WallCounter, WallEvent

EVENT_AGE = dt.timedelta(minutes=1)


def wall_counters(now: dt.datetime) -> list[WallCounter]:
    return [WallCounter("plugin_probes", "Probe plugin", 7, "warning")]


def wall_events(since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]:
    at = now - EVENT_AGE
    if not since < at <= now:
        return []
    return [WallEvent("plugin:probe:1", at, "plugin", "Probe plugin berbunyi", "warning")]


def wall_map_points(now: dt.datetime) -> list[MapPoint]:
    return [MapPoint("plugin:probe", "plugin", -6.2, 106.62, "Probe plugin")]


def daily_figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    return [DailyFigure("plugin_probes", "Probe plugin per hari", 3.0)]
