"""What the PPID desk puts on the control-room wall (contract: terang.core.wall).

Titles carry register numbers and statuses only, never a requester's name or the request
text. Every query is bounded by an indexed column: (status, due_at) of requests and
objections, created_at of events."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from terang.core.wall import DailyFigure, MapPoint, WallCounter, WallEvent

from . import deadlines
from .choices import OPEN_STATUSES, EventKind, ObjectionStatus, Outcome, RequestStatus
from .models import InformationRequest, Objection, RequestEvent

SOURCE = "ppid"
BREACH_LIMIT = 30


def _url(number: str) -> str:
    return reverse("ppid:staff_request", args=[number])


def wall_counters(now: dt.datetime) -> list[WallCounter]:
    open_requests = InformationRequest.objects.filter(status__in=OPEN_STATUSES).aggregate(
        total=Count("id"), late=Count("id", filter=Q(due_at__lt=now))
    )
    objections = Objection.objects.filter(status=ObjectionStatus.FILED).count()
    late = open_requests["late"]
    return [
        WallCounter("ppid_open", _("Permohonan informasi terbuka"), open_requests["total"]),
        WallCounter(
            "ppid_breached",
            _("Permohonan informasi lewat tenggat"),
            late,
            "danger" if late else "info",
        ),
        WallCounter(
            "ppid_objections",
            _("Keberatan informasi menunggu"),
            objections,
            "warning" if objections else "info",
        ),
    ]


def _title(event: RequestEvent) -> tuple[str, str]:
    number = event.request.register_number
    objection = event.objection
    if objection is not None:
        values = {"number": objection.register_number, "request": number}
        if event.kind == EventKind.BREACH:
            return _("Keberatan %(number)s lewat tenggat") % values, "danger"
        if event.kind == EventKind.DISPUTE:
            return _("Keberatan %(number)s dibawa ke Komisi Informasi") % values, "warning"
        if event.to_status == ObjectionStatus.FILED:
            return _("Keberatan %(number)s atas %(request)s diajukan") % values, "warning"
        label = (
            ObjectionStatus(event.to_status).label
            if event.to_status in ObjectionStatus.values
            else "-"
        )
        return _("Keberatan %(number)s: %(status)s") % {**values, "status": label}, "info"
    if event.kind == EventKind.BREACH:
        return _("Permohonan %(number)s lewat tenggat") % {"number": number}, "danger"
    if event.kind == EventKind.DOCUMENTS:
        return _("Dokumen permohonan %(number)s diserahkan") % {"number": number}, "info"
    if event.to_status == RequestStatus.RECEIVED:
        return _("Permohonan informasi baru %(number)s") % {"number": number}, "info"
    if event.to_status == RequestStatus.ANSWERED:
        outcome = event.request.outcome
        label = Outcome(outcome).label if outcome in Outcome.values else "-"
        return (
            _("Permohonan %(number)s dijawab: %(outcome)s") % {"number": number, "outcome": label},
            "info",
        )
    label = RequestStatus(event.to_status).label if event.to_status in RequestStatus.values else "-"
    severity = "warning" if event.to_status == RequestStatus.EXTENDED else "info"
    return _("Permohonan %(number)s: %(status)s") % {"number": number, "status": label}, severity


def wall_events(since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]:
    steps = (
        RequestEvent.objects.filter(created_at__gt=since, created_at__lte=now)
        .select_related("request", "objection")
        .only(
            "id",
            "kind",
            "to_status",
            "created_at",
            "objection_id",
            "request__register_number",
            "request__outcome",
            "objection__register_number",
        )
        .order_by("-created_at", "-id")[:limit]
    )
    events = []
    for step in steps:
        title, severity = _title(step)
        events.append(
            WallEvent(
                key=f"ppid-event:{step.pk}",
                at=step.created_at,
                source=SOURCE,
                title=title,
                severity=severity,
                url=_url(step.request.register_number),
            )
        )
    return events


def wall_map_points(now: dt.datetime) -> list[MapPoint]:
    """Information requests have no place on the map."""
    return []


def wall_breaches(now: dt.datetime) -> list[WallEvent]:
    """Open requests and pending objections past their deadline, the oldest deadline first
    (read from the deadline itself, so they show before the sweep has flagged them)."""
    late_requests = (
        InformationRequest.objects.filter(status__in=OPEN_STATUSES, due_at__lt=now)
        .only("id", "register_number", "due_at")
        .order_by("due_at", "id")[:BREACH_LIMIT]
    )
    breaches = [
        WallEvent(
            key=f"ppid:{request.register_number}:breach",
            at=request.due_at,
            source=SOURCE,
            title=_("Permohonan %(number)s belum dijawab, lewat %(days)s hari kerja")
            % {
                "number": request.register_number,
                "days": -deadlines.working_days_left(now, request.due_at),
            },
            severity="danger",
            url=_url(request.register_number),
        )
        for request in late_requests
    ]
    late_objections = (
        Objection.objects.filter(status=ObjectionStatus.FILED, due_at__lt=now)
        .select_related("request")
        .only("id", "register_number", "due_at", "request__register_number")
        .order_by("due_at", "id")[:BREACH_LIMIT]
    )
    breaches += [
        WallEvent(
            key=f"ppid:{objection.register_number}:breach",
            at=objection.due_at,
            source=SOURCE,
            title=_("Keberatan %(number)s belum ditanggapi atasan PPID")
            % {"number": objection.register_number},
            severity="danger",
            url=_url(objection.request.register_number),
        )
        for objection in late_objections
    ]
    return breaches[:BREACH_LIMIT]


def daily_figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    received = InformationRequest.objects.filter(
        submitted_at__gte=start, submitted_at__lt=end
    ).count()
    answered = InformationRequest.objects.filter(answered_at__gte=start, answered_at__lt=end)
    totals = answered.aggregate(total=Count("id"), late=Count("id", filter=Q(answered_late=True)))
    objections = Objection.objects.filter(filed_at__gte=start, filed_at__lt=end).count()
    return [
        DailyFigure("ppid_received", _("Permohonan informasi masuk"), received),
        DailyFigure(
            "ppid_answered", _("Permohonan informasi dijawab"), totals["total"], "", "higher"
        ),
        DailyFigure(
            "ppid_answered_late",
            _("Permohonan dijawab lewat tenggat"),
            totals["late"],
            "",
            "lower",
        ),
        DailyFigure("ppid_objections", _("Keberatan informasi diajukan"), objections, "", "lower"),
    ]
