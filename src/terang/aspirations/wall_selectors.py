"""What aspirations put on the control-room wall (contract: terang.core.wall).

Every query here is bounded by an indexed column (created_at, status + due dates, is_ping_pong)
so a poll stays cheap however long the city's history grows. Titles are masked the way the
public list masks them: the wall is projected in a room full of people."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import cast

from django.db.models import Avg, Count
from django.urls import reverse
from django.utils.translation import gettext as _

from terang.core.wall import DailyFigure, MapPoint, WallCounter, WallEvent

from .choices import OPEN_STATUSES, EventKind, Status
from .models import Aspiration, AspirationEvent
from .selectors import public_title

MAP_WINDOW = dt.timedelta(days=7)
MAP_LIMIT = 400
BREACH_LIMIT = 30
STATUS_COLOURS: dict[str, str] = {
    Status.SUBMITTED: "#6e40c9",
    Status.VERIFIED: "#1f6feb",
    Status.DISPOSITIONED: "#1f6feb",
    Status.IN_PROGRESS: "#9a6700",
}
BREACHED_COLOUR = "#cf222e"
WALL_EVENT_KINDS = (EventKind.TRANSITION, EventKind.DISPOSITION, EventKind.ESCALATION)


def _staff_url(code: str) -> str:
    return reverse("aspirations:staff_detail", args=[code])


def wall_counters(now: dt.datetime) -> list[WallCounter]:
    by_status = dict(
        Aspiration.objects.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    open_total = sum(by_status.values())
    breached = Aspiration.objects.filter(status__in=OPEN_STATUSES, breached=True).count()
    ping_pong = Aspiration.objects.filter(
        status__in=OPEN_STATUSES, is_ping_pong=True, assigned_for_good=False
    ).count()
    today_start = now - dt.timedelta(hours=24)
    received = Aspiration.objects.filter(created_at__gt=today_start).count()
    return [
        WallCounter("aspirations_received_24h", _("Aspirasi masuk 24 jam"), received),
        WallCounter("aspirations_open", _("Aspirasi terbuka"), open_total),
        WallCounter(
            "aspirations_breached",
            _("Aspirasi lewat tenggat"),
            breached,
            "danger" if breached else "info",
        ),
        WallCounter(
            "aspirations_ping_pong",
            _("Aspirasi dilempar antar-OPD"),
            ping_pong,
            "warning" if ping_pong else "info",
        ),
    ]


def wall_events(since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]:
    events: list[WallEvent] = []
    new_items = (
        Aspiration.objects.filter(created_at__gt=since, created_at__lte=now)
        .select_related("category", "reporter")
        .order_by("-created_at", "-id")[:limit]
    )
    for item in new_items:
        events.append(
            WallEvent(
                key=f"aspiration:{item.code}:new",
                at=item.created_at,
                source="aspirations",
                title=_("Aspirasi baru %(code)s: %(title)s (%(category)s)")
                % {"code": item.code, "title": public_title(item), "category": item.category.name},
                url=_staff_url(item.code),
            )
        )
    steps = (
        AspirationEvent.objects.filter(
            created_at__gt=since, created_at__lte=now, kind__in=WALL_EVENT_KINDS
        )
        .select_related("aspiration", "to_agency")
        .order_by("-created_at", "-id")[:limit]
    )
    for step in steps:
        code = step.aspiration.code
        if step.kind == EventKind.ESCALATION:
            title, severity = _("%(code)s dieskalasi") % {"code": code}, "danger"
        elif step.kind == EventKind.DISPOSITION:
            agency = step.to_agency.short_name if step.to_agency else "-"
            title = _("%(code)s didisposisikan ke %(agency)s") % {"code": code, "agency": agency}
            severity = "warning" if step.aspiration.is_ping_pong else "info"
        else:
            if step.to_status == Status.SUBMITTED:
                continue
            label = Status(step.to_status).label if step.to_status in Status.values else "-"
            title, severity = _("%(code)s: %(status)s") % {"code": code, "status": label}, "info"
        events.append(
            WallEvent(
                key=f"aspiration-event:{step.pk}",
                at=step.created_at,
                source="aspirations",
                title=title,
                severity=severity,
                url=_staff_url(code),
            )
        )
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:limit]


def wall_map_points(now: dt.datetime) -> list[MapPoint]:
    items = (
        Aspiration.objects.filter(
            status__in=OPEN_STATUSES,
            created_at__gt=now - MAP_WINDOW,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .select_related("reporter")
        .order_by("-created_at")[:MAP_LIMIT]
    )
    return [
        MapPoint(
            key=f"aspiration:{item.code}",
            source="aspirations",
            # The query keeps only placed items: both coordinates are set.
            latitude=cast(float, item.latitude),
            longitude=cast(float, item.longitude),
            label=f"{item.code}: {public_title(item)}",
            colour=BREACHED_COLOUR if item.breached else STATUS_COLOURS.get(item.status, "#1f6feb"),
            url=_staff_url(item.code),
        )
        for item in items
    ]


def wall_breaches(now: dt.datetime) -> list[WallEvent]:
    items = (
        Aspiration.objects.filter(status__in=OPEN_STATUSES, breached=True)
        .select_related("agency", "reporter")
        .order_by("-escalation", "resolution_due_at", "id")[:BREACH_LIMIT]
    )
    return [
        WallEvent(
            key=f"aspiration:{item.code}:breach",
            at=item.resolution_due_at or item.created_at,
            source="aspirations",
            title=_("%(code)s lewat tenggat di %(agency)s: %(title)s")
            % {"code": item.code, "agency": item.agency.short_name, "title": public_title(item)},
            severity="danger",
            url=_staff_url(item.code),
        )
        for item in items
    ]


def wall_ping_pong(now: dt.datetime, limit: int = 20) -> list[WallEvent]:
    """Items moved between agencies twice or more and not yet assigned for good."""
    items = (
        Aspiration.objects.filter(
            status__in=OPEN_STATUSES, is_ping_pong=True, assigned_for_good=False
        )
        .select_related("agency", "reporter")
        .order_by("resolution_due_at", "id")[:limit]
    )
    return [
        WallEvent(
            key=f"aspiration:{item.code}:ping-pong",
            at=item.updated_at,
            source="aspirations",
            title=_("%(code)s dipindah %(moves)s kali, kini di %(agency)s")
            % {
                "code": item.code,
                "moves": item.disposition_count,
                "agency": item.agency.short_name,
            },
            severity="warning",
            url=_staff_url(item.code),
        )
        for item in items
    ]


def daily_figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    received = Aspiration.objects.filter(created_at__gte=start, created_at__lt=end).count()
    resolved = Aspiration.objects.filter(resolved_at__gte=start, resolved_at__lt=end).count()
    closed = Aspiration.objects.filter(closed_at__gte=start, closed_at__lt=end)
    rating = closed.filter(rating__isnull=False).aggregate(mean=Avg("rating"))["mean"]
    responses = list(
        Aspiration.objects.filter(
            first_response_at__gte=start, first_response_at__lt=end
        ).values_list("created_at", "first_response_at")
    )
    hours = [
        (answered - created).total_seconds() / 3600
        for created, answered in responses
        if answered is not None  # always set: the query filters on it
    ]
    return [
        DailyFigure("aspirations_received", _("Aspirasi masuk"), received),
        DailyFigure(
            "aspirations_resolved", _("Aspirasi selesai ditangani"), resolved, "", "higher"
        ),
        DailyFigure(
            "aspirations_first_response_hours",
            _("Median waktu tanggapan pertama"),
            round(statistics.median(hours), 1) if hours else None,
            _("jam"),
            "lower",
        ),
        DailyFigure(
            "aspirations_rating",
            _("Rata-rata penilaian warga"),
            round(rating, 2) if rating is not None else None,
            _("dari 5"),
            "higher",
        ),
    ]
