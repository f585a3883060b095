"""Geometry of the server-rendered SVG bar chart of requests per month (no JavaScript; the
statistics table beside it carries the same numbers)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.dates import MONTHS_3

from terang.core.charts import Tick, nice_step, scale

WIDTH = 480
HEIGHT = 240
LEFT = 36
RIGHT = 12
TOP = 12
BOTTOM = 32


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    label_x: float


@dataclass
class BarChart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)


def _step(maximum: int) -> int:
    """A whole-number tick step giving at most about five intervals."""
    if maximum <= 5:
        return 1
    return int(nice_step(maximum, factors=(1, 2, 5)))


def month_labels() -> list[str]:
    """Short month names in the reader's language (Django's translated MONTHS_3)."""
    return [str(MONTHS_3[month]).capitalize() for month in range(1, 13)]


def bar_chart(values: list[int], labels: list[str] | None = None) -> BarChart:
    labels = labels if labels is not None else month_labels()
    chart = BarChart()
    step = _step(max(values, default=0))
    top_value = max(step, math.ceil(max(values, default=0) / step) * step)
    span = chart.bottom - chart.top
    slot = (chart.right - chart.left) / max(len(values), 1)
    width = round(slot * 0.7, 1)
    for index, value in enumerate(values):
        height = round(span * value / top_value, 1)
        x = round(chart.left + slot * index + (slot - width) / 2, 1)
        chart.bars.append(
            Bar(
                x=x,
                y=round(chart.bottom - height, 1),
                width=width,
                height=height,
                label=labels[index] if index < len(labels) else str(index + 1),
                value=value,
                label_x=round(x + width / 2, 1),
            )
        )
    y = scale(0, top_value, chart.bottom, chart.top)
    for value in range(0, top_value + 1, step):
        chart.ticks.append(Tick(position=y(value), value=value))
    return chart
