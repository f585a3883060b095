"""Geometry of the server-rendered SVG charts (no JavaScript). Each chart sits beside a table
with the same numbers, so the chart never has to carry a figure alone.

* `bar_chart`: plan and realisation of a drill-down's rows as horizontal bars, the plan as a
  light bar and the realisation as a dark bar over it, serapan written at the end;
* `monthly_chart`: cumulative realisation per month as a share of the plan (so revenue and
  spending share one axis), with the 100 % line marked.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from terang.core.charts import Tick, scale

from .figures import Figures, Monthly

WIDTH = 720
BAR_ROW = 44
BAR_TOP = 8
BAR_HEIGHT = 16
BAR_LABEL_WIDTH = 520  # where the serapan text starts at most
MAX_BARS = 20

MONTHLY_HEIGHT = 260
MONTHLY_LEFT = 48
MONTHLY_RIGHT = 12
MONTHLY_TOP = 12
MONTHLY_BOTTOM = 36


@dataclass(frozen=True)
class Bar:
    label: str
    label_y: float  # baseline of the label above the bar
    bar_y: float
    value_y: float  # baseline of the serapan text beside the bar
    plan_width: float
    realised_width: float
    absorption: Decimal | None
    text_x: float


@dataclass
class BarChart:
    width: int
    height: int
    bar_height: int
    bars: list[Bar]
    left: int = 0
    hidden: int = 0  # rows left out (the smallest); the table lists them all


def _short(label: str, limit: int = 70) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(rows: list[tuple[str, Figures]], limit: int = MAX_BARS) -> BarChart | None:
    """Bars for (label, figures) rows, largest plans first when there are more than `limit`."""
    if not rows:
        return None
    chosen = rows
    if len(rows) > limit:
        chosen = sorted(rows, key=lambda r: -r[1].planned)[:limit]
    scale = max(max(f.planned, f.realised) for _label, f in chosen)
    usable = BAR_LABEL_WIDTH
    bars = []
    for index, (label, figures) in enumerate(chosen):
        top = index * BAR_ROW + BAR_TOP
        plan_width = usable * figures.planned / scale if scale else 0
        realised_width = usable * figures.realised / scale if scale else 0
        bars.append(
            Bar(
                label=_short(label),
                label_y=top + 10,
                bar_y=top + 16,
                value_y=top + 28,
                plan_width=round(plan_width, 1),
                realised_width=round(realised_width, 1),
                absorption=figures.absorption,
                text_x=round(max(plan_width, realised_width) + 6, 1),
            )
        )
    return BarChart(
        width=WIDTH,
        height=len(chosen) * BAR_ROW + BAR_TOP,
        bar_height=BAR_HEIGHT,
        bars=bars,
        hidden=len(rows) - len(chosen),
    )


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    height: float
    percent: Decimal | None


@dataclass(frozen=True)
class Series:
    label: str
    css: str
    columns: list[Column]


@dataclass
class MonthlyChart:
    width: int = WIDTH
    height: int = MONTHLY_HEIGHT
    left: int = MONTHLY_LEFT
    right: int = WIDTH - MONTHLY_RIGHT
    top: int = MONTHLY_TOP
    bottom: int = MONTHLY_HEIGHT - MONTHLY_BOTTOM
    column_width: float = 0
    full_line: float = 0  # y of 100 %
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)


def monthly_chart(
    year: int, series: list[tuple[str, str, Monthly]], through: int
) -> MonthlyChart | None:
    """Cumulative realisation as % of plan for months 1..`through`, one bar per series and
    month. None when nothing has been realised or no series has a plan."""
    through = max(0, min(12, through))
    usable = [(label, css, m) for label, css, m in series if m.planned > 0]
    if through == 0 or not usable:
        return None
    chart = MonthlyChart()
    highest = max(float(p.absorption or 0) for _l, _c, m in usable for p in m.points[:through])
    top_value = max(100, int(math.ceil(highest / 20.0)) * 20)
    y = scale(0, top_value, chart.bottom, chart.top)
    for value in range(0, top_value + 1, 20):
        chart.y_ticks.append(Tick(position=y(value), value=value))
    chart.full_line = y(100)
    slot = (chart.right - chart.left) / 12
    chart.column_width = round(slot * 0.8 / len(usable), 1)
    for month in range(1, 13):
        chart.x_ticks.append(
            Tick(position=round(chart.left + slot * (month - 0.5), 1), date=dt.date(year, month, 1))
        )
    for index, (label, css, monthly) in enumerate(usable):
        columns = []
        for point in monthly.points[:through]:
            share = float(point.absorption or 0)
            x = chart.left + slot * (point.month - 1) + slot * 0.1 + index * chart.column_width
            columns.append(
                Column(
                    x=round(x, 1),
                    y=y(share),
                    height=round(chart.bottom - y(share), 1),
                    percent=point.absorption,
                )
            )
        chart.series.append(Series(label=label, css=css, columns=columns))
    return chart
