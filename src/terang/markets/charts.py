"""Geometry of the server-rendered SVG price chart (no JavaScript; the data table beside it
carries the same numbers). The line breaks where a day has no price, so a gap is never drawn
as a straight trend."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from terang.core.charts import Tick, nice_step, scale

from .selectors import PriceSeries

WIDTH = 720
HEIGHT = 280
LEFT = 84
RIGHT = 16
TOP = 16
BOTTOM = 40


@dataclass
class LineChart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # SVG path data of the average
    bands: list[str] = field(default_factory=list)  # polygons between the lowest and highest
    dots: list[tuple[float, float]] = field(default_factory=list)  # lone days
    show_band: bool = False


def _segments(series: PriceSeries) -> list[list[int]]:
    """Indexes of points, split where a day is missing."""
    segments: list[list[int]] = []
    for index, point in enumerate(series.points):
        if index and (point.date - series.points[index - 1].date).days == 1:
            segments[-1].append(index)
        else:
            segments.append([index])
    return segments


def line_chart(series: PriceSeries) -> LineChart | None:
    """The chart of a series, or None when it has no points."""
    if not series.points:
        return None
    chart = LineChart(show_band=series.market is None)
    low = min(p.minimum for p in series.points)
    high = max(p.maximum for p in series.points)
    pad = max((high - low) * 0.1, high * 0.02, 1)
    step = nice_step(high - low + 2 * pad)
    y_min = math.floor((low - pad) / step) * step
    y_max = math.ceil((high + pad) / step) * step
    along = scale(0, max(series.days - 1, 1), chart.left, chart.right)
    y = scale(y_min, y_max, chart.bottom, chart.top)

    def x(day: dt.date) -> float:
        return along((day - series.start).days)

    value = y_min
    while value <= y_max + step / 2:
        chart.y_ticks.append(Tick(position=y(value), value=int(round(value))))
        value += step
    every = max(1, math.ceil(series.days / 6))
    for offset in range(0, series.days, every):
        day = series.start + dt.timedelta(days=offset)
        chart.x_ticks.append(Tick(position=x(day), date=day))

    for segment in _segments(series):
        points = [series.points[i] for i in segment]
        if len(points) == 1:
            chart.dots.append((x(points[0].date), y(points[0].average)))
            continue
        chart.lines.append("M " + " L ".join(f"{x(p.date)} {y(p.average)}" for p in points))
        if chart.show_band:
            upper = [f"{x(p.date)},{y(p.maximum)}" for p in points]
            lower = [f"{x(p.date)},{y(p.minimum)}" for p in reversed(points)]
            chart.bands.append(" ".join(upper + lower))
    return chart
