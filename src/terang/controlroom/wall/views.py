"""The live wall for the control room and the executive daily brief.

The wall page is complete when served: counters, map, events, breaches. Without JavaScript a
<noscript> refresh reloads it every NOSCRIPT_REFRESH_SECONDS; with JavaScript a small script
polls the wall API every second and patches the page (see controlroom.wall.composer)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from terang.controlroom.permissions import BRIEF_ROLES, WALL_ROLES
from terang.controlroom.wall import brief, composer
from terang.controlroom.wall.map import base_map
from terang.core.views.access import staff_required

POLL_INTERVAL_MS = 1000
NOSCRIPT_REFRESH_SECONDS = 15
BRIEF_HISTORY_DAYS = 366


@staff_required(roles=WALL_ROLES)
@require_GET
def wall_page(request: HttpRequest) -> HttpResponse:
    snap = composer.snapshot()
    projection = None
    areas: list[tuple[str, str]] = []
    points = []
    basemap = base_map()
    if basemap is not None:
        projection = basemap.projection
        areas = basemap.areas
        points = [
            (point, *projection.xy(point.latitude, point.longitude)) for point in snap.map_points
        ]
    return render(
        request,
        "controlroom/wall/wall.html",
        {
            "snap": snap,
            "projection": projection,
            "areas": areas,
            "points": points,
            "poll_interval_ms": POLL_INTERVAL_MS,
            "stream_url": settings.WALL_STREAM_URL,
            "noscript_refresh": NOSCRIPT_REFRESH_SECONDS,
        },
    )


@staff_required(roles=BRIEF_ROLES)
@require_GET
def daily_brief(request: HttpRequest) -> HttpResponse:
    """Yesterday by default; `?tanggal=YYYY-MM-DD` for another day of the past year."""
    latest = brief.yesterday()
    day = latest
    error = ""
    raw = request.GET.get("tanggal", "").strip()
    if raw:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            error = "format"
        else:
            if not latest - dt.timedelta(days=BRIEF_HISTORY_DAYS) <= day <= latest:
                error, day = "range", latest
    result = brief.build_brief(day)
    return render(
        request,
        "controlroom/wall/brief.html",
        {
            "brief": result,
            "latest": latest,
            "earliest": latest - dt.timedelta(days=BRIEF_HISTORY_DAYS),
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1) if day < latest else None,
            "date_error": error,
            "chart_width": brief.CHART_WIDTH,
            "chart_height": brief.CHART_HEIGHT,
        },
        status=400 if error == "format" else 200,
    )
