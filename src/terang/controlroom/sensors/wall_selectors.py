"""What the control room's sensors put on the wall (contract: terang.core.wall), registered as
the "controlroom" source in `apps.py`: alert and station counters, alert events and breaches,
every station on the map, and the sensor figures of the daily brief.

The wall package reads these only through the registry, like any other app's source."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext

from terang.controlroom.air.selectors import latest_air_quality
from terang.controlroom.choices import (
    ACTIVE_ALERT_STATUSES,
    AlertKind,
    AlertStatus,
    Comparison,
    Severity,
    StationKind,
)
from terang.controlroom.models import (
    Alert,
    AlertRule,
    IspuStationHourly,
    LatestReading,
    QuarantinedMessage,
    Station,
)
from terang.core.wall import DailyFigure, MapPoint, WallCounter, WallEvent

HOUR = dt.timedelta(hours=1)

#: A station that sent nothing for this long counts as silent on the wall.
STATION_SILENT_AFTER = dt.timedelta(minutes=30)
WALL_BREACH_LIMIT = 50
UNHEALTHY_ABOVE = 100  # ISPU above 100 is 'Tidak Sehat' or worse
NO_DATA_COLOUR = "#767676"
OTHER_STATION_COLOUR = "#1f6feb"
WATER_COLOURS = {
    "normal": "#1e7b34",
    Severity.INFO: "#0b5394",
    Severity.WARNING: "#cc7a00",
    Severity.DANGER: "#b3261e",
}
_SEVERITY_ORDER: list[str] = [Severity.INFO, Severity.WARNING, Severity.DANGER]


def _alert_url(alert_id: int) -> str:
    return reverse("controlroom:alert_detail", args=[alert_id])


def wall_counters(now: dt.datetime) -> list[WallCounter]:
    """Active alerts by severity, stations reporting and silent, messages quarantined in the
    last hour. Counts on indexed columns and the small stations table only."""
    by_severity = dict(
        Alert.objects.filter(status__in=ACTIVE_ALERT_STATUSES)
        .values_list("severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    stations = Station.objects.filter(is_active=True)
    cutoff = now - STATION_SILENT_AFTER
    reporting = stations.filter(last_seen_at__gt=cutoff).count()
    silent = stations.filter(Q(last_seen_at__lte=cutoff) | Q(last_seen_at__isnull=True)).count()
    quarantined = QuarantinedMessage.objects.filter(
        received_at__gt=now - HOUR, received_at__lte=now
    ).count()
    danger = by_severity.get(Severity.DANGER, 0)
    warning = by_severity.get(Severity.WARNING, 0)
    return [
        WallCounter(
            "alerts_danger",
            gettext("Peringatan bahaya aktif"),
            danger,
            Severity.DANGER if danger else "info",
        ),
        WallCounter(
            "alerts_warning",
            gettext("Peringatan waspada aktif"),
            warning,
            Severity.WARNING if warning else "info",
        ),
        WallCounter("alerts_info", gettext("Informasi aktif"), by_severity.get(Severity.INFO, 0)),
        WallCounter("stations_reporting", gettext("Stasiun mengirim data"), reporting),
        WallCounter(
            "stations_silent",
            gettext("Stasiun diam"),
            silent,
            Severity.WARNING if silent else "info",
        ),
        WallCounter(
            "readings_quarantined_hour",
            gettext("Pesan dikarantina (1 jam)"),
            quarantined,
            Severity.WARNING if quarantined else "info",
        ),
    ]


def _alert_title(alert: Alert, what: str) -> str:
    return gettext("%(what)s: %(station)s. %(message)s") % {
        "what": what,
        "station": alert.station.name,
        "message": alert.message,
    }


def wall_events(since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]:
    """Alerts opened, acknowledged or resolved in (since, now], newest first, at most `limit`.

    One indexed range read per kind of change. An alert counts as opened when its row was
    written (`created_at`), not at its first reading's time, so an alert raised from readings
    that arrived late still reaches the wall."""
    base = Alert.objects.select_related("station")
    changes = [
        ("created_at", "opened", gettext("Peringatan baru")),
        ("acknowledged_at", "acknowledged", gettext("Peringatan ditangani")),
        ("resolved_at", "resolved", gettext("Peringatan selesai")),
    ]
    events: list[WallEvent] = []
    for field, kind, what in changes:
        window = {f"{field}__gt": since, f"{field}__lte": now}
        for alert in base.filter(**window).order_by(f"-{field}", "-id")[:limit]:
            events.append(
                WallEvent(
                    key=f"alert:{alert.pk}:{kind}",
                    at=getattr(alert, field),
                    source="alerts",
                    title=_alert_title(alert, what),
                    severity=alert.severity if kind == "opened" else "info",
                    url=_alert_url(alert.pk),
                )
            )
    events.sort(key=lambda e: (e.at, e.key), reverse=True)
    return events[:limit]


def wall_breaches(now: dt.datetime) -> list[WallEvent]:
    """Active danger alerts, most recently seen first: the ones that need action now."""
    alerts = (
        Alert.objects.filter(status__in=ACTIVE_ALERT_STATUSES, severity=Severity.DANGER)
        .select_related("station")
        .order_by("-last_seen_at", "-id")[:WALL_BREACH_LIMIT]
    )
    return [
        WallEvent(
            key=f"alert:{alert.pk}:active",
            at=alert.last_seen_at,
            source="alerts",
            title=_alert_title(
                alert,
                gettext("Bahaya, ditangani")
                if alert.status == AlertStatus.ACKNOWLEDGED
                else gettext("Bahaya, belum ditangani"),
            ),
            severity=Severity.DANGER,
            url=_alert_url(alert.pk),
        )
        for alert in alerts
    ]


def _water_status(value: float, rules: list[AlertRule]) -> str:
    """The highest severity among the gauge's threshold rules that the level breaches."""
    status = "normal"
    for rule in rules:
        if rule.threshold is None:
            continue
        breached = (
            value >= rule.threshold
            if rule.comparison == Comparison.GTE
            else value <= rule.threshold
        )
        if breached and (
            status == "normal"
            or _SEVERITY_ORDER.index(rule.severity) > _SEVERITY_ORDER.index(status)
        ):
            status = rule.severity
    return status


def wall_map_points(now: dt.datetime) -> list[MapPoint]:
    """Every active station: air stations in their newest ISPU category colour (grey when not
    current), river gauges in the colour of the highest threshold their latest level breaches
    (grey when silent), other stations in a plain colour. Labels always say it in words."""
    air = {item.station.pk: item for item in latest_air_quality(now=now)}
    gauges = list(Station.objects.filter(is_active=True, kind=StationKind.WATER_LEVEL))
    levels = {
        row.station_id: row
        for row in LatestReading.objects.filter(station__in=gauges, parameter__code="water_level")
    }
    water_rules = list(
        AlertRule.objects.filter(
            is_active=True,
            kind=AlertKind.THRESHOLD,
            use_ispu=False,
            parameter__code="water_level",
        )
    )
    points = []
    for station in Station.objects.filter(is_active=True).order_by("code"):
        colour, label, url = OTHER_STATION_COLOUR, station.name, ""
        if station.kind == StationKind.AIR_QUALITY and station.pk in air:
            item = air[station.pk]
            url = reverse("controlroom:air_station", args=[station.code])
            latest = item.latest
            if item.is_current and latest is not None and latest.category is not None:
                colour = latest.category.colour
                label = gettext("%(station)s: ISPU %(ispu)s (%(category)s, %(parameter)s)") % {
                    "station": station.name,
                    "ispu": latest.ispu,
                    "category": latest.category.name,
                    "parameter": latest.critical_label,
                }
            else:
                colour = NO_DATA_COLOUR
                label = gettext("%(station)s: data ISPU tidak cukup") % {"station": station.name}
        elif station.kind == StationKind.WATER_LEVEL:
            level = levels.get(station.pk)
            if level is None or level.ts < now - STATION_SILENT_AFTER:
                colour = NO_DATA_COLOUR
                label = gettext("%(station)s: tidak ada data terbaru") % {"station": station.name}
            else:
                rules = [r for r in water_rules if r.station_id in (None, station.pk)]
                status = _water_status(level.value, rules)
                colour = WATER_COLOURS[status]
                status_label = (
                    gettext("normal") if status == "normal" else str(Severity(status).label)
                )
                label = gettext("%(station)s: %(value)s cm (%(status)s)") % {
                    "station": station.name,
                    "value": f"{level.value:g}",
                    "status": status_label,
                }
        points.append(
            MapPoint(
                key=f"station:{station.code}",
                source="sensors",
                latitude=station.latitude,
                longitude=station.longitude,
                label=label,
                colour=colour,
                url=url,
            )
        )
    return points


def daily_figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    """Sensors in the executive brief: air at its worst, unhealthy station-hours, alerts raised
    and messages refused, for the day [start, end) (published hours end inside the day)."""
    hours = IspuStationHourly.objects.filter(hour_end__gt=start, hour_end__lte=end)
    worst = hours.aggregate(worst=Max("ispu"))["worst"]
    unhealthy = hours.filter(ispu__gt=UNHEALTHY_ABOVE).count()
    raised = Alert.objects.filter(created_at__gte=start, created_at__lt=end).count()
    refused = QuarantinedMessage.objects.filter(received_at__gte=start, received_at__lt=end).count()
    return [
        DailyFigure("air_worst_ispu", gettext("ISPU terburuk"), worst, "", "lower"),
        DailyFigure(
            "air_unhealthy_hours",
            gettext("Jam-stasiun dengan udara tidak sehat (ISPU > 100)"),
            unhealthy,
            "",
            "lower",
        ),
        DailyFigure("alerts_raised", gettext("Peringatan dini baru"), raised, "", "lower"),
        DailyFigure(
            "sensor_messages_quarantined", gettext("Pesan sensor ditolak"), refused, "", "lower"
        ),
    ]
