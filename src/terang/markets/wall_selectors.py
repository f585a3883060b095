"""What market prices put on the control-room wall (contract: terang.core.wall): active price
alerts as counters, events, breaches and market points, and the day's figures for the brief."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from terang.core.wall import DailyFigure, MapPoint, WallCounter, WallEvent

from .choices import ACTIVE_ALERT_STATUSES, PriceAlertSeverity, PriceAlertStatus
from .models import DailyPrice, Market, PriceAlert

WALL_SOURCE = "markets"
COLOUR_NORMAL = "#1f6feb"
COLOUR_WARNING = "#9a6700"
COLOUR_DANGER = "#cf222e"


def alert_title(alert: PriceAlert) -> str:
    """One line, no personal data: what rose, by how much, where."""
    place = alert.market.name if alert.market is not None else gettext("rata-rata kota")
    return gettext("Harga %(commodity)s naik %(rise)s %% sepekan (%(place)s)") % {
        "commodity": alert.commodity.name.lower(),
        "rise": number_format(alert.rise_percent, 1),
        "place": place,
    }


def _alerts_url() -> str:
    return reverse("markets:staff_alerts")


def wall_counters(now: dt.datetime) -> list[WallCounter]:
    """Active price alerts (open or being handled)."""
    counts = PriceAlert.objects.filter(status__in=ACTIVE_ALERT_STATUSES).aggregate(
        total=Count("id"), danger=Count("id", filter=Q(severity=PriceAlertSeverity.DANGER))
    )
    severity = "danger" if counts["danger"] else "warning" if counts["total"] else "info"
    return [
        WallCounter(
            key="market_price_alerts_active",
            label=gettext("Peringatan harga pangan"),
            value=counts["total"],
            severity=severity,
        )
    ]


def wall_events(since: dt.datetime, now: dt.datetime, limit: int) -> list[WallEvent]:
    """Price alerts raised, repeated or resolved after `since`, newest first."""
    url = _alerts_url()
    alerts = PriceAlert.objects.select_related("commodity", "market")
    events: list[WallEvent] = []
    for alert in alerts.filter(last_raised_at__gt=since, last_raised_at__lte=now).order_by(
        "-last_raised_at", "-id"
    )[:limit]:
        events.append(
            WallEvent(
                key=f"price_alert:{alert.pk}:raised:{alert.occurrences}",
                at=alert.last_raised_at,
                source=WALL_SOURCE,
                title=alert_title(alert),
                severity=alert.severity,
                url=url,
            )
        )
    for alert in alerts.filter(resolved_at__gt=since, resolved_at__lte=now).order_by(
        "-resolved_at", "-id"
    )[:limit]:
        events.append(
            WallEvent(
                key=f"price_alert:{alert.pk}:resolved",
                at=alert.resolved_at or now,
                source=WALL_SOURCE,
                title=gettext("Selesai: %(title)s") % {"title": alert_title(alert)},
                severity="info",
                url=url,
            )
        )
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:limit]


def wall_map_points(now: dt.datetime) -> list[MapPoint]:
    """Active markets with a location; red or amber while a price alert is active there."""
    active: dict[int, list[PriceAlert]] = defaultdict(list)
    for alert in PriceAlert.objects.filter(
        status__in=ACTIVE_ALERT_STATUSES, market__isnull=False
    ).select_related("commodity"):
        if alert.market_id is not None:
            active[alert.market_id].append(alert)
    points = []
    for market in Market.objects.filter(
        is_active=True, latitude__isnull=False, longitude__isnull=False
    ).order_by("name"):
        alerts = active.get(market.pk, [])
        colour, label = COLOUR_NORMAL, market.name
        if alerts:
            danger = any(a.severity == PriceAlertSeverity.DANGER for a in alerts)
            colour = COLOUR_DANGER if danger else COLOUR_WARNING
            label = gettext("%(market)s: harga naik (%(items)s)") % {
                "market": market.name,
                "items": ", ".join(sorted(a.commodity.name.lower() for a in alerts)),
            }
        points.append(
            MapPoint(
                key=f"market:{market.code}",
                source=WALL_SOURCE,
                latitude=float(market.latitude or 0),
                longitude=float(market.longitude or 0),
                label=label,
                colour=colour,
                url=reverse("markets:public_prices") + f"?pasar={market.code}",
            )
        )
    return points


def wall_breaches(now: dt.datetime) -> list[WallEvent]:
    """Open price alerts nobody has taken in hand yet, newest first."""
    url = _alerts_url()
    return [
        WallEvent(
            key=f"price_alert:{alert.pk}:open",
            at=alert.first_raised_at,
            source=WALL_SOURCE,
            title=alert_title(alert),
            severity=alert.severity,
            url=url,
        )
        for alert in PriceAlert.objects.filter(status=PriceAlertStatus.OPEN)
        .select_related("commodity", "market")
        .order_by("-first_raised_at", "-id")[:50]
    ]


def daily_figures(start: dt.datetime, end: dt.datetime) -> list[DailyFigure]:
    """Market prices in the executive brief: prices reported for the city day that starts at
    `start`, price alerts raised in [start, end), and how many commodities carry an active alert
    at its end."""
    recorded = DailyPrice.objects.filter(date=timezone.localtime(start).date()).count()
    raised = PriceAlert.objects.filter(first_raised_at__gte=start, first_raised_at__lt=end)
    active_at_end = (
        PriceAlert.objects.filter(first_raised_at__lt=end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
        .values("commodity")
        .distinct()
        .count()
    )
    return [
        DailyFigure(
            "market_prices_recorded", gettext("Harga pasar dicatat"), recorded, "", "higher"
        ),
        DailyFigure(
            "market_alerts_raised",
            gettext("Peringatan kenaikan harga baru"),
            raised.count(),
            "",
            "lower",
        ),
        DailyFigure(
            "market_commodities_alerted",
            gettext("Komoditas dengan kenaikan harga"),
            active_at_end,
            "",
            "lower",
        ),
    ]
