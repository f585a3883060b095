"""Public air-quality pages (no sign-in): every air station's newest ISPU, and per station the
hourly table, a bar chart of the last 24 hours (inline SVG beside its data table) and a CSV.

They read only the published ISPU tables through the selectors; nothing here touches readings.
Category colours always come with the category name in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from terang.controlroom.air import ispu, selectors
from terang.controlroom.air.publication import latest_complete_hour
from terang.controlroom.models import Station
from terang.core.charts import Tick, scale
from terang.core.errors import NotFound
from terang.core.exports import safe_csv_writer

TEMPLATES = "controlroom/air/"
HOUR = dt.timedelta(hours=1)
CHART_HOURS = 24


class PeriodForm(forms.Form):
    jam = forms.TypedChoiceField(
        label=_("Tampilkan"),
        choices=[
            (24, _("24 jam terakhir")),
            (48, _("48 jam terakhir")),
            (168, _("7 hari terakhir")),
            (744, _("31 hari terakhir")),
        ],
        coerce=int,
        required=False,
        empty_value=None,
    )


def _station_or_404(code: str) -> Station:
    try:
        return selectors.get_air_station(code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _period(request: HttpRequest) -> tuple[PeriodForm, int]:
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["jam"] or 24
    return form, 24


@require_GET
def air_index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        "stations": selectors.latest_air_quality(now=now),
        "categories": ispu.CATEGORIES,
        "averaging": list(ispu.PARAMETERS.values()),
        "current_within_hours": int(selectors.AIR_CURRENT_WITHIN / HOUR),
    }
    return render(request, TEMPLATES + "index.html", context)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label_y: float
    hour: selectors.AirHour


CHART = {"width": 720, "height": 260, "left": 44, "right": 8, "top": 16, "bottom": 34}


def _scale_top(highest: int) -> int:
    for top in (100, 200, 300, 500):
        if highest <= top:
            return top
    return -(-highest // 100) * 100


def bar_chart(hours: list[selectors.AirHour]) -> dict[str, Any]:
    """Geometry of the ISPU bar chart, oldest hour on the left; hours without a publication
    leave a gap (the table beside the chart says "data tidak cukup")."""
    ordered = list(reversed(hours))
    plot_width = CHART["width"] - CHART["left"] - CHART["right"]
    plot_height = CHART["height"] - CHART["top"] - CHART["bottom"]
    baseline = CHART["top"] + plot_height
    top = _scale_top(max([h.ispu for h in ordered if h.ispu is not None] or [0]))
    slot = plot_width / max(len(ordered), 1)
    y_of = scale(0, top, baseline, CHART["top"])

    bars, ticks = [], []
    for index, hour in enumerate(ordered):
        x = CHART["left"] + index * slot
        if hour.ispu is not None:
            y = y_of(min(hour.ispu, top))
            bars.append(
                Bar(round(x + 2, 1), y, round(slot - 4, 1), round(baseline - y, 1), y - 3, hour)
            )
        if index % 3 == 0:
            local = timezone.localtime(hour.hour_end)
            ticks.append(Tick(round(x + slot / 2, 1), label=f"{local:%H.%M}"))
    grid = [Tick(y_of(v), v) for v in (0, 50, 100, 200, 300, 500) if v <= top]
    return {
        **CHART,
        "baseline": baseline,
        "plot_right": CHART["width"] - CHART["right"],
        "bars": bars,
        "grid": grid,
        "ticks": ticks,
        "tick_y": baseline + 16,
    }


@require_GET
def air_station(request: HttpRequest, code: str) -> HttpResponse:
    station = _station_or_404(code)
    form, span = _period(request)
    last = latest_complete_hour()
    hours = selectors.station_air_hours(station=station, first=last - (span - 1) * HOUR, last=last)
    latest = next((h for h in hours if h.ispu is not None), None)
    codes = selectors.station_parameters(station=station, hours=hours)
    context = {
        "station": station,
        "form": form,
        "span": span,
        "rows": [(hour, [hour.values.get(code) for code in codes]) for hour in hours],
        "latest": latest,
        "parameters": [(code, selectors.parameter_label(code)) for code in codes],
        "chart": bar_chart(hours[:CHART_HOURS]),
        "chart_hours": hours[:CHART_HOURS],
        "categories": ispu.CATEGORIES,
        "averaging": list(ispu.PARAMETERS.values()),
        "query": request.GET.urlencode(),
    }
    return render(request, TEMPLATES + "station.html", context)


CSV_HEADER = [
    "station",
    "hour_end_utc",
    "hour_end_local",
    "parameter",
    "concentration_ugm3",
    "averaging_hours",
    "hours_with_data",
    "ispu",
    "category",
    "is_critical",
]


@require_GET
def air_station_csv(request: HttpRequest, code: str) -> HttpResponse:
    """Open data: one row per published (hour, parameter), oldest first; the station ISPU is the
    row marked `is_critical`. Hours without enough data have no rows. Dot decimals, UTF-8."""
    station = _station_or_404(code)
    _form, span = _period(request)
    last = latest_complete_hour()
    hours = selectors.station_air_hours(station=station, first=last - (span - 1) * HOUR, last=last)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"ispu-{station.code}-{timezone.localtime(last):%Y%m%d%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = safe_csv_writer(response)
    writer.writerow(CSV_HEADER)
    for hour in reversed(hours):
        local = timezone.localtime(hour.hour_end).isoformat()
        for value in hour.values.values():
            writer.writerow(
                [
                    station.code,
                    hour.hour_end.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    local,
                    value.parameter,
                    repr(round(value.concentration, 3)),
                    value.averaging_hours,
                    value.hours_with_data,
                    value.ispu,
                    value.category.code,
                    "true" if value.parameter == hour.critical_parameter else "false",
                ]
            )
    return response
