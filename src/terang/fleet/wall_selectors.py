"""What the fleet puts on the control-room wall (contract: terang.core.wall).

Every read is on the small per-vehicle tables (LatestPosition, IdlePeriod) through indexed
columns (LatestPosition.ts, IdlePeriod.detected_at and ended_at); the positions history is never
touched. Events:
- `fleet:<vehicle>:idle:<stop start>`: a vehicle stood longer than the idle limit outside every
  depot, stamped when the ingest recorded it (server time, so the wall's cursor never skips a
  fix that arrived late);
- `fleet:<vehicle>:silent:<last fix>`: no fix for the silent limit, stamped at last fix + limit
  (it disappears once the vehicle reports again).

`daily_figures` (the executive brief) reads the positions of one day: one EXISTS per vehicle
on the (vehicle, ts) index, and one coverage read per active route."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from terang.core.calendar import city_timezone
from terang.core.wall import DailyFigure, MapPoint, WallCounter, WallEvent
from terang.fleet.choices import VehicleKind, VehicleState
from terang.fleet.models import IdlePeriod, LatestPosition, Position, Route, Vehicle
from terang.fleet.policy import fleet_rules
from terang.fleet.selectors.tracking import city_day, route_coverage_between, vehicle_state

SOURCE = "fleet"
MAP_WINDOW = dt.timedelta(hours=24)
MAP_LIMIT = 500
BREACH_LIMIT = 30
STATE_COLOURS: dict[str, str] = {
    VehicleState.MOVING: "#1f6feb",
    VehicleState.STOPPED: "#1f6feb",
    VehicleState.IN_DEPOT: "#1a7f37",
    VehicleState.IDLE: "#bc4c00",
    VehicleState.SILENT: "#6e7781",
}


def vehicle_label(vehicle: Vehicle) -> str:
    """How a vehicle is named on screens: its plate and code, never a driver."""
    return f"{vehicle.plate} ({vehicle.code})" if vehicle.plate else vehicle.code


def _url(vehicle: Vehicle) -> str:
    return reverse("fleet:vehicle", args=[vehicle.code])


def _clock(moment: dt.datetime) -> str:
    return moment.astimezone(city_timezone()).strftime("%H:%M")


def wall_counters(now: dt.datetime) -> list[WallCounter]:
    rules = fleet_rules()
    recent = list(
        LatestPosition.objects.filter(vehicle__is_active=True, ts__gt=now - MAP_WINDOW).values_list(
            "ts", "open_idle_id"
        )
    )
    reporting = [idle for ts, idle in recent if now - ts <= rules.silent_after]
    idle = sum(1 for open_idle in reporting if open_idle is not None)
    silent = len(recent) - len(reporting)
    return [
        WallCounter("fleet_reporting", _("Kendaraan melapor"), len(reporting)),
        WallCounter(
            "fleet_idle", _("Kendaraan diam di luar pool"), idle, "warning" if idle else "info"
        ),
        WallCounter(
            "fleet_silent", _("Kendaraan tanpa kabar"), silent, "warning" if silent else "info"
        ),
    ]


def wall_events(since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]:
    rules = fleet_rules()
    events: list[WallEvent] = []
    periods = (
        IdlePeriod.objects.filter(detected_at__gt=since, detected_at__lte=now)
        .select_related("vehicle")
        .order_by("-detected_at", "-id")[:limit]
    )
    for period in periods:
        events.append(
            WallEvent(
                key=f"fleet:{period.vehicle.code}:idle:{period.started_at:%Y%m%dT%H%M%SZ}",
                at=period.detected_at,
                source=SOURCE,
                title=_("%(vehicle)s diam sejak %(time)s di luar pool")
                % {"vehicle": vehicle_label(period.vehicle), "time": _clock(period.started_at)},
                severity="warning",
                url=_url(period.vehicle),
            )
        )
    silent = (
        LatestPosition.objects.filter(
            vehicle__is_active=True,
            ts__gt=since - rules.silent_after,
            ts__lte=now - rules.silent_after,
        )
        .select_related("vehicle")
        .order_by("-ts")[:limit]
    )
    for latest in silent:
        events.append(
            WallEvent(
                key=f"fleet:{latest.vehicle.code}:silent:{latest.ts:%Y%m%dT%H%M%SZ}",
                at=latest.ts + rules.silent_after,
                source=SOURCE,
                title=_("%(vehicle)s tidak mengirim posisi sejak %(time)s")
                % {"vehicle": vehicle_label(latest.vehicle), "time": _clock(latest.ts)},
                severity="warning",
                url=_url(latest.vehicle),
            )
        )
    events.sort(key=lambda event: (event.at, event.key), reverse=True)
    return events[:limit]


def wall_map_points(now: dt.datetime) -> list[MapPoint]:
    """The last position of every active vehicle that reported in the last 24 hours."""
    rules = fleet_rules()
    rows = (
        LatestPosition.objects.filter(vehicle__is_active=True, ts__gt=now - MAP_WINDOW)
        .select_related("vehicle")
        .order_by("vehicle__code")[:MAP_LIMIT]
    )
    points = []
    for latest in rows:
        state = vehicle_state(latest, now=now, rules=rules)
        vehicle = latest.vehicle
        points.append(
            MapPoint(
                key=f"fleet:{vehicle.code}",
                source=SOURCE,
                latitude=latest.latitude,
                longitude=latest.longitude,
                label=f"{vehicle_label(vehicle)}: {VehicleKind(vehicle.kind).label}, "
                f"{VehicleState(state).label}",
                colour=STATE_COLOURS.get(state, "#1f6feb"),
                url=_url(vehicle),
            )
        )
    return points


def wall_breaches(now: dt.datetime) -> list[WallEvent]:
    """Vehicles standing idle outside every depot right now (and still reporting); danger
    once they have stood twice the idle limit."""
    rules = fleet_rules()
    periods = (
        IdlePeriod.objects.filter(
            ended_at__isnull=True,
            vehicle__is_active=True,
            vehicle__latest__ts__gt=now - rules.silent_after,
        )
        .select_related("vehicle")
        .order_by("started_at", "id")[:BREACH_LIMIT]
    )
    breaches = []
    for period in periods:
        minutes = int((period.last_seen_at - period.started_at).total_seconds() // 60)
        breaches.append(
            WallEvent(
                key=f"fleet:{period.vehicle.code}:idle-now:{period.started_at:%Y%m%dT%H%M%SZ}",
                at=period.idle_at,
                source=SOURCE,
                title=_("%(vehicle)s diam %(minutes)d menit di luar pool (sejak %(time)s)")
                % {
                    "vehicle": vehicle_label(period.vehicle),
                    "minutes": minutes,
                    "time": _clock(period.started_at),
                },
                severity="danger"
                if period.last_seen_at - period.started_at > 2 * rules.idle_after
                else "warning",
                url=_url(period.vehicle),
            )
        )
    return breaches


def daily_figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    """The fleet in the executive brief for the day [start, end): vehicles that reported, idle
    periods that began, and the mean coverage of the active routes (None without routes)."""
    reported = (
        Vehicle.objects.filter(is_active=True)
        .filter(Exists(Position.objects.filter(vehicle=OuterRef("pk"), ts__gte=start, ts__lt=end)))
        .count()
    )
    idle = IdlePeriod.objects.filter(started_at__gte=start, started_at__lt=end).count()
    day = city_day(start)
    shares = [
        route_coverage_between(route=route, start=start, end=end, day=day).share
        for route in Route.objects.filter(is_active=True).order_by("code")
    ]
    coverage = round(100 * sum(shares) / len(shares), 1) if shares else None
    return [
        DailyFigure(
            "fleet_vehicles_reported", _("Kendaraan mengirim posisi"), reported, "", "higher"
        ),
        DailyFigure("fleet_idle_periods", _("Kendaraan diam terlalu lama"), idle, "", "lower"),
        DailyFigure("fleet_route_coverage", _("Rata-rata cakupan rute"), coverage, "%", "higher"),
    ]
