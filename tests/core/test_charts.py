"""The one chart-axis module: each app's chart keeps the ticks and positions it drew before
`core.charts` replaced its own copy (values taken from the charts rendered before the move)."""

from __future__ import annotations

import datetime as dt

from terang.budget.charts import monthly_chart
from terang.budget.figures import Monthly
from terang.controlroom.air.selectors import AirHour
from terang.controlroom.air.views import bar_chart as air_chart
from terang.core.charts import nice_step, scale
from terang.markets.charts import line_chart
from terang.markets.selectors import PriceSeries, SeriesPoint
from terang.ppid.charts import bar_chart as ppid_chart


def test_nice_step_and_scale() -> None:
    assert [nice_step(s) for s in (0, 4, 9, 12, 4500, 70000)] == [1.0, 1, 2, 2.5, 1000, 20000]
    assert nice_step(17, factors=(1, 2, 5)) == 5
    y = scale(0, 120, 224, 12)
    assert [y(v) for v in (0, 20, 120)] == [224.0, 188.7, 12.0]


def test_market_price_chart_axes() -> None:
    start = dt.date(2026, 1, 1)
    points = [
        SeriesPoint(
            date=start + dt.timedelta(days=d),
            average=14000 + 250 * d,
            minimum=13500,
            maximum=15500 + 100 * d,
            markets=3,
        )
        for d in range(7)
    ]
    series = PriceSeries(
        commodity=None,  # type: ignore[arg-type]
        market=None,
        start=start,
        end=start + dt.timedelta(days=6),
        days=7,
        points=points,
    )
    chart = line_chart(series)
    assert chart is not None
    assert [(t.position, t.value) for t in chart.y_ticks] == [
        (240.0, 13000),
        (184.0, 14000),
        (128.0, 15000),
        (72.0, 16000),
        (16.0, 17000),
    ]
    assert [t.position for t in chart.x_ticks] == [84.0, 290.7, 497.3, 704.0]
    assert chart.lines == [
        "M 84.0 184.0 L 187.3 170.0 L 290.7 156.0 L 394.0 142.0 L 497.3 128.0 L 600.7 114.0 "
        "L 704.0 100.0"
    ]


def test_budget_monthly_chart_axes() -> None:
    monthly = Monthly(planned=1000, amounts=(100, 200, 400, 500) + (0,) * 8)
    chart = monthly_chart(2026, [("a", "c", monthly)], 4)
    assert chart is not None
    assert [(t.position, t.value) for t in chart.y_ticks] == [
        (224.0, 0),
        (188.7, 20),
        (153.3, 40),
        (118.0, 60),
        (82.7, 80),
        (47.3, 100),
        (12.0, 120),
    ]
    assert [t.position for t in chart.x_ticks][:3] == [75.5, 130.5, 185.5]


def test_ppid_requests_chart_axis() -> None:
    chart = ppid_chart([3, 17, 0, 42, 8, 0, 0, 0, 0, 0, 0, 0])
    assert [(t.position, t.value) for t in chart.ticks] == [
        (208.0, 0),
        (168.8, 10),
        (129.6, 20),
        (90.4, 30),
        (51.2, 40),
        (12.0, 50),
    ]


def test_air_quality_chart_axes() -> None:
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    hours = [
        AirHour(
            hour_end=now - dt.timedelta(hours=h),
            ispu=40 + 7 * h,
            category=None,
            critical_parameter=None,
            published_at=None,
            values={},
        )
        for h in range(24)
    ]
    chart = air_chart(hours)
    assert [(t.position, t.value) for t in chart["grid"]] == [
        (226.0, 0),
        (191.0, 50),
        (156.0, 100),
        (86.0, 200),
        (16.0, 300),
    ]
    assert [(t.position, t.label) for t in chart["ticks"]][:3] == [
        (57.9, "08.00"),
        (141.4, "11.00"),
        (224.9, "14.00"),
    ]
