"""What the 112 desk puts on the control-room wall (contract: terang.core.wall): active and
breached incidents, their events and positions, and the day's figures for the brief. Titles
name the reference, type and kelurahan only: never the caller, the number or the account."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.wall import DailyFigure, MapPoint, WallCounter, WallEvent

from .choices import ACTIVE_STATUSES, EventKind, IncidentStatus, IncidentType
from .models import Dispatch, Incident, IncidentEvent, ResponseUnit
from .selectors import breaching_incidents, incident_breach, target_minutes

WALL_MAP_LIMIT = 200
WALL_BREACH_LIMIT = 50


def _staff_url(incident: Incident) -> str:
    return reverse("emergencies:detail", args=[incident.reference])


def _place_label(incident: Incident) -> str:
    return incident.kelurahan.name if incident.kelurahan_id and incident.kelurahan else ""


def _headline(incident: Incident) -> str:
    """Reference, type and kelurahan: never the caller, the number or the free-text account."""
    place = _place_label(incident)
    kind = incident.get_incident_type_display()
    if place:
        return gettext("%(ref)s · %(kind)s di %(place)s") % {
            "ref": incident.reference,
            "kind": kind,
            "place": place,
        }
    return f"{incident.reference} · {kind}"


def wall_counters(now: dt.datetime) -> list[WallCounter]:
    by_status = dict(
        Incident.objects.filter(status__in=ACTIVE_STATUSES)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    active = sum(by_status.values())
    waiting = by_status.get(IncidentStatus.RECEIVED, 0)
    breaching = breaching_incidents(now=now).count()
    free_units = (
        ResponseUnit.objects.filter(is_available=True)
        .exclude(Exists(Dispatch.objects.filter(unit=OuterRef("pk"), released_at__isnull=True)))
        .count()
    )
    return [
        WallCounter(
            "emergencies_active",
            gettext("Kejadian 112 aktif"),
            active,
            "warning" if active else "info",
        ),
        WallCounter(
            "emergencies_waiting_dispatch",
            gettext("112 menunggu pengerahan"),
            waiting,
            "warning" if waiting else "info",
        ),
        WallCounter(
            "emergencies_breaching",
            gettext("112 melewati target"),
            breaching,
            "danger" if breaching else "info",
        ),
        WallCounter(
            "emergencies_units_free",
            gettext("Unit respons siaga"),
            free_units,
            "info" if free_units else "danger",
        ),
    ]


_EVENT_TITLES: dict[str, Any] = {
    EventKind.RECEIVED: _("panggilan diterima"),
    EventKind.DISPATCHED: _("%(unit)s dikerahkan"),
    EventKind.UNIT_ON_SCENE: _("%(unit)s tiba di lokasi"),
    EventKind.CLOSED: _("penanganan selesai"),
    EventKind.CANCELLED: _("dibatalkan"),
    EventKind.FALSE_CALL: _("panggilan palsu"),
}


def wall_events(since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]:
    """Timeline rows after `since` up to `now`, newest first (indexed on the event time)."""
    events = (
        IncidentEvent.objects.filter(at__gt=since, at__lte=now)
        .select_related("incident", "incident__kelurahan", "unit")
        .order_by("-at", "-pk")[: max(0, limit)]
    )
    items = []
    for event in events:
        incident = event.incident
        what = str(_EVENT_TITLES[event.kind]) % {"unit": event.unit.name if event.unit else ""}
        severity = "warning" if event.kind == EventKind.RECEIVED else "info"
        if event.kind == EventKind.RECEIVED and incident.incident_type in (
            IncidentType.FIRE,
            IncidentType.DISASTER,
        ):
            severity = "danger"
        key = f"emergency:{incident.reference}:{event.kind}"
        if event.unit_id:
            key += f":{event.unit.code}"  # type: ignore[union-attr]
        items.append(
            WallEvent(
                key=f"{key}:{event.pk}",
                at=event.at,
                source="emergencies",
                title=f"{_headline(incident)}: {what}",
                severity=severity,
                url=_staff_url(incident),
            )
        )
    return items


_MAP_COLOURS: dict[str, str] = {
    IncidentStatus.RECEIVED: "#d93f0b",
    IncidentStatus.DISPATCHED: "#fbca04",
    IncidentStatus.ON_SCENE: "#1f6feb",
}
BREACH_COLOUR = "#b60205"
DISPATCH_LATE = _("belum ada unit dikerahkan, target %(target)d menit terlewati %(late)d menit")
ARRIVAL_LATE = _("belum ada unit di lokasi, target %(target)d menit terlewati %(late)d menit")


def wall_map_points(now: dt.datetime) -> list[MapPoint]:
    """Active incidents with a point; the label names the status and any breach in words."""
    incidents = (
        Incident.objects.filter(
            status__in=ACTIVE_STATUSES, latitude__isnull=False, longitude__isnull=False
        )
        .select_related("kelurahan")
        .order_by("-received_at", "-pk")[:WALL_MAP_LIMIT]
    )
    points = []
    for incident in incidents:
        breach = incident_breach(incident, now=now)
        label = f"{_headline(incident)} · {incident.get_status_display()}"
        if breach.any:
            label += " · " + gettext("melewati target")
        points.append(
            MapPoint(
                key=f"emergency:{incident.reference}",
                source="emergencies",
                latitude=float(incident.latitude),  # type: ignore[arg-type]
                longitude=float(incident.longitude),  # type: ignore[arg-type]
                label=label,
                colour=BREACH_COLOUR if breach.any else _MAP_COLOURS[incident.status],
                url=_staff_url(incident),
            )
        )
    return points


def wall_breaches(now: dt.datetime) -> list[WallEvent]:
    """Pending stages past their target, the longest overdue first."""
    incidents = (
        breaching_incidents(now=now)
        .select_related("kelurahan")
        .order_by("dispatch_due_at", "pk")[:WALL_BREACH_LIMIT]
    )
    items = []
    for incident in incidents:
        dispatch_minutes, arrival_minutes = target_minutes(incident)
        stages = []
        if incident.dispatched_at is None and incident.dispatch_due_at < now:
            stages.append(("dispatch", incident.dispatch_due_at, DISPATCH_LATE, dispatch_minutes))
        if incident.on_scene_at is None and incident.arrival_due_at < now:
            stages.append(("arrival", incident.arrival_due_at, ARRIVAL_LATE, arrival_minutes))
        for stage, due_at, text, target in stages:
            late = int((now - due_at).total_seconds() // 60)
            items.append(
                WallEvent(
                    key=f"emergency:{incident.reference}:breach:{stage}",
                    at=due_at,
                    source="emergencies",
                    title=f"{_headline(incident)}: " + str(text) % {"target": target, "late": late},
                    severity="danger",
                    url=_staff_url(incident),
                )
            )
    items.sort(key=lambda item: item.at)
    return items


def _median_minutes(pairs: list[tuple[dt.datetime, dt.datetime | None]]) -> float | None:
    if not pairs:
        return None
    spans = [(done - start).total_seconds() / 60 for start, done in pairs if done is not None]
    return round(statistics.median(spans), 1)


def daily_figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    """The 112 numbers of the day [start, end) for the executive brief."""
    calls = Incident.objects.filter(received_at__gte=start, received_at__lt=end).count()
    false_calls = Incident.objects.filter(
        closed_at__gte=start, closed_at__lt=end, status=IncidentStatus.FALSE_CALL
    ).count()
    dispatched = list(
        Incident.objects.filter(dispatched_at__gte=start, dispatched_at__lt=end).values_list(
            "received_at", "dispatched_at"
        )
    )
    arrivals = list(
        Incident.objects.filter(on_scene_at__gte=start, on_scene_at__lt=end).values_list(
            "received_at", "on_scene_at", "arrival_due_at"
        )
    )
    on_target = (
        round(100 * sum(bool(a and a <= due) for _r, a, due in arrivals) / len(arrivals), 1)
        if arrivals
        else None
    )
    return [
        DailyFigure("emergencies_calls", gettext("Panggilan 112"), calls),
        DailyFigure(
            "emergencies_false_calls", gettext("Panggilan 112 palsu"), false_calls, "", "lower"
        ),
        DailyFigure(
            "emergencies_dispatch_minutes",
            gettext("Median waktu pengerahan 112"),
            _median_minutes(dispatched),
            gettext("menit"),
            "lower",
        ),
        DailyFigure(
            "emergencies_arrival_minutes",
            gettext("Median waktu tiba di lokasi 112"),
            _median_minutes([(received, arrived) for received, arrived, _due in arrivals]),
            gettext("menit"),
            "lower",
        ),
        DailyFigure(
            "emergencies_arrival_on_target",
            gettext("Kedatangan 112 sesuai target"),
            on_target,
            "%",
            "higher",
        ),
    ]
