"""Sensor reads. 'Latest value' reads the small LatestReading table only."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from terang.controlroom.models import LatestReading, QuarantinedMessage, Station


def latest_values(*, station: Station | None = None) -> QuerySet[LatestReading]:
    """The newest value per station and parameter (never scans the readings history)."""
    qs = LatestReading.objects.select_related("station", "parameter").order_by(
        "station__code", "parameter__code"
    )
    if station is not None:
        qs = qs.filter(station=station)
    return qs


def quarantine_counts() -> dict[str, int]:
    """How many messages were quarantined, per reason code."""
    rows = QuarantinedMessage.objects.values("reason").annotate(n=Count("id")).order_by("reason")
    return {row["reason"]: row["n"] for row in rows}


def active_stations() -> QuerySet[Station]:
    return Station.objects.filter(is_active=True).select_related("agency")
