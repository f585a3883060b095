"""The executive daily brief: each number of a day beside the mean of the seven days before it,
said in words and drawn as a small bar chart. Days are city days (Asia/Jakarta midnights).

A change within CHANGE_SAME_PCT of the baseline is worded as unchanged, so a leader reading it is
not alarmed by noise; whether a rise is good or bad comes from the figure's `better`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terang.controlroom.wall import composer
from terang.core.wall import DailyFigure

BASELINE_DAYS = 7
CHANGE_SAME_PCT = 5.0
CACHE_SECONDS = 600
CHART_WIDTH = 240
CHART_HEIGHT = 60
SAME_AS_BEFORE = gettext_lazy(
    "%(label)s: %(value)s%(unit)s, setara rata-rata 7 hari sebelumnya (%(baseline)s)."
)
ROSE = gettext_lazy(
    "%(label)s: %(value)s%(unit)s, naik %(pct)s%% dari rata-rata 7 hari sebelumnya (%(baseline)s)."
)
FELL = gettext_lazy(
    "%(label)s: %(value)s%(unit)s, turun %(pct)s%% dari rata-rata 7 hari sebelumnya (%(baseline)s)."
)


@dataclass(frozen=True)
class Bar:
    day: dt.date
    value: float | None
    x: float
    y: float
    height: float
    is_focus: bool


@dataclass(frozen=True)
class BriefLine:
    key: str
    label: str
    unit: str
    value: float | None
    baseline: float | None
    change_pct: float | None
    tone: str  # better | worse | same | unknown
    sentence: str
    bars: list[Bar]


@dataclass(frozen=True)
class Brief:
    day: dt.date
    lines: list[BriefLine]
    days: list[dt.date]


def city_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=city_zone())
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=city_zone())
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def yesterday() -> dt.date:
    return timezone.localdate(timezone=city_zone()) - dt.timedelta(days=1)


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    value = round(value, 1)  # number_format truncates; round half away first
    if float(value).is_integer():
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    return formats.number_format(value, 1, use_l10n=True, force_grouping=True)


def _tone(change_pct: float | None, better: str) -> str:
    if change_pct is None:
        return "unknown"
    if abs(change_pct) < CHANGE_SAME_PCT or better == "neutral":
        return "same" if abs(change_pct) < CHANGE_SAME_PCT else "unknown"
    rising = change_pct > 0
    return "better" if rising == (better == "higher") else "worse"


def _sentence(figure: DailyFigure, baseline: float | None, change_pct: float | None) -> str:
    params = {
        "label": figure.label,
        "value": _number(figure.value),
        "unit": f" {figure.unit}" if figure.unit else "",
        "baseline": _number(baseline),
        "pct": _number(abs(round(change_pct, 1))) if change_pct is not None else "-",
    }
    if figure.value is None:
        return _("%(label)s: tidak ada data.") % params
    if baseline is None:
        return _("%(label)s: %(value)s%(unit)s; tidak ada data pembanding.") % params
    if change_pct is None:
        return _("%(label)s: %(value)s%(unit)s; rata-rata 7 hari sebelumnya 0.") % params
    if abs(change_pct) < CHANGE_SAME_PCT:
        return str(SAME_AS_BEFORE) % params
    if change_pct > 0:
        return str(ROSE) % params
    return str(FELL) % params


def _bars(series: list[tuple[dt.date, float | None]], focus: dt.date) -> list[Bar]:
    peak = max((value for _day, value in series if value is not None), default=0.0) or 1.0
    slot = CHART_WIDTH / len(series)
    bars = []
    for index, (day, value) in enumerate(series):
        height = round((value or 0.0) / peak * (CHART_HEIGHT - 4), 1)
        bars.append(
            Bar(
                day=day,
                value=value,
                x=round(index * slot + slot * 0.15, 1),
                y=round(CHART_HEIGHT - height, 1),
                height=height,
                is_focus=day == focus,
            )
        )
    return bars


def _figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    """Every registered source's figures of [start, end); a failing source is left out."""
    return composer.collect("daily_figures", lambda source: source.daily_figures(start, end))


def _figures_by_day(days: list[dt.date]) -> dict[dt.date, list[DailyFigure]]:
    result: dict[dt.date, list[DailyFigure]] = {}
    for day in days:
        start, end = day_bounds(day)
        result[day] = _figures(start, end)
    return result


def build_brief(day: dt.date | None = None) -> Brief:
    """The brief of `day` (yesterday by default), cached for a few minutes per language."""
    day = day or yesterday()
    key = f"controlroom:brief:{day.isoformat()}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    days = [day - dt.timedelta(days=offset) for offset in range(BASELINE_DAYS, -1, -1)]
    by_day = _figures_by_day(days)
    lines = []
    for figure in by_day[day]:
        series = []
        for other in days:
            match = next((f for f in by_day[other] if f.key == figure.key), None)
            series.append((other, match.value if match else None))
        before = [value for other, value in series if other != day and value is not None]
        baseline = sum(before) / len(before) if before else None
        change_pct = None
        if figure.value is not None and baseline:
            change_pct = (figure.value - baseline) / baseline * 100
        lines.append(
            BriefLine(
                key=figure.key,
                label=figure.label,
                unit=figure.unit,
                value=figure.value,
                baseline=round(baseline, 1) if baseline is not None else None,
                change_pct=round(change_pct, 1) if change_pct is not None else None,
                tone=_tone(change_pct, figure.better),
                sentence=_sentence(figure, baseline, change_pct),
                bars=_bars(series, day),
            )
        )
    brief = Brief(day=day, lines=lines, days=days)
    cache.set(key, brief, CACHE_SECONDS)
    return brief
