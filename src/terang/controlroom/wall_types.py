"""What each domain hands the control-room wall. Every app with something to show (aspirations,
sensors and alerts, 112 emergencies, fleet, market prices) offers, in its `selectors.py`:

- `wall_counters(now) -> list[WallCounter]`: a few numbers for the header (cheap: counts on
  indexed columns or small tables, never a scan of history);
- `wall_events(since, now, limit) -> list[WallEvent]`: what happened after `since` (exclusive),
  newest first, at most `limit`; `since` is at most a day back;
- `wall_map_points(now) -> list[MapPoint]`: what belongs on the map now (bounded, e.g. active
  items only);
- `wall_breaches(now) -> list[WallEvent]`: items past a deadline or target that need action now;
- `daily_figures(start, end) -> list[DailyFigure]`: the day's numbers for the executive brief.

The wall (controlroom.wall) merges these; it never queries another app's models itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

SOURCE_LABELS = {
    "aspirations": _("Aspirasi"),
    "sensors": _("Sensor"),
    "alerts": _("Peringatan dini"),
    "emergencies": _("112"),
    "fleet": _("Armada"),
    "markets": _("Harga pangan"),
    "ppid": _("PPID"),
}


def source_label(source: str) -> str:
    """The wall's name of a source in the reader's language (the code when unknown)."""
    return str(SOURCE_LABELS.get(source, source))


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
    source: str  # aspirations | sensors | alerts | emergencies | fleet | markets
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
    """One number of one day for the executive daily brief; each source offers
    `daily_figures(start, end) -> list[DailyFigure]` for the day [start, end)."""

    key: str
    label: str  # translated
    value: float | None  # None when the day has nothing to measure (e.g. no ratings)
    unit: str = ""  # translated, e.g. "jam"
    better: str = "neutral"  # higher | lower | neutral: how to word a change
