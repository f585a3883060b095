"""Alert reads for staff, scoped by the acting user's role and agency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from terang.controlroom.choices import ACTIVE_ALERT_STATUSES, AlertStatus, Severity
from terang.controlroom.models import Alert, Station
from terang.controlroom.permissions import alert_agency_of, can_read_all_alerts
from terang.core.audit import chain_name
from terang.core.errors import NotFound
from terang.core.models import AuditEntry, User

ACTIVE = "active"
RESOLVED_RECENT_DAYS = 7


@dataclass(frozen=True)
class AlertFilters:
    """`status` is a status code or "active" (open or acknowledged); empty means any."""

    status: str = ""
    severity: str = ""
    station: str = ""


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    """Alerts a staff member may read: all for the control room and oversight, their own
    agency's stations for officers, none for anyone else."""
    qs = Alert.objects.select_related("rule", "station", "acknowledged_by", "resolved_by")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if can_read_all_alerts(user):
        return qs
    agency_id = alert_agency_of(user)
    if agency_id is not None:
        return qs.filter(station__agency_id=agency_id)
    return qs.none()


def filter_alerts(qs: QuerySet[Alert], filters: AlertFilters) -> QuerySet[Alert]:
    if filters.status == ACTIVE:
        qs = qs.filter(status__in=ACTIVE_ALERT_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.station:
        qs = qs.filter(station__code=filters.station)
    return qs


def active_alerts_for(user: User, filters: AlertFilters, *, limit: int = 200) -> list[Alert]:
    """Open and acknowledged alerts (or the status asked for), most severe and newest first."""
    if not filters.status or filters.status == ACTIVE:
        filters = AlertFilters(ACTIVE, filters.severity, filters.station)
    qs = filter_alerts(alerts_visible_to(user), filters)
    severity_rank: dict[str, int] = {Severity.DANGER: 0, Severity.WARNING: 1, Severity.INFO: 2}
    alerts = list(qs.order_by("-last_seen_at", "-id")[:limit])
    return sorted(alerts, key=lambda a: severity_rank.get(a.severity, 3))


def recently_resolved_alerts_for(
    user: User, filters: AlertFilters, *, now: dt.datetime, limit: int = 50
) -> list[Alert]:
    """Alerts resolved in the last week (same severity and station filters)."""
    since = now - dt.timedelta(days=RESOLVED_RECENT_DAYS)
    qs = filter_alerts(
        alerts_visible_to(user),
        AlertFilters(AlertStatus.RESOLVED, filters.severity, filters.station),
    )
    return list(qs.filter(resolved_at__gte=since).order_by("-resolved_at", "-id")[:limit])


def alerts_page_for(
    user: User, filters: AlertFilters, *, after_id: int | None, limit: int
) -> tuple[list[Alert], int | None]:
    """A page of alerts newest-opened first, keyset on the id (stable while alerts repeat)."""
    qs = filter_alerts(alerts_visible_to(user), filters).order_by("-id")
    if after_id is not None:
        qs = qs.filter(id__lt=after_id)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, rows[-1].pk if more and rows else None


def get_alert_for_staff(*, user: User, alert_id: int) -> Alert:
    """The alert if this staff member may read it; the same NotFound as an unknown id."""
    alert = alerts_visible_to(user).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("Peringatan tidak ditemukan."), details={"alert": alert_id})
    return alert


def alert_trail(alert: Alert, *, limit: int = 100) -> list[AuditEntry]:
    """The alert's audit chain, oldest first: raised, repeats, acknowledged, resolved."""
    qs = AuditEntry.objects.filter(chain=chain_name(alert)).select_related("actor")
    return list(qs.order_by("-seq")[:limit])[::-1]


def alert_filter_stations(user: User) -> QuerySet[Station]:
    """Stations offered in the alert filter: those whose alerts the user may read."""
    qs = Station.objects.filter(is_active=True).order_by("name")
    if can_read_all_alerts(user):
        return qs
    agency_id = alert_agency_of(user)
    if agency_id is not None:
        return qs.filter(agency_id=agency_id)
    return qs.none()
