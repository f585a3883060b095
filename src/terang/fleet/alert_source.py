"""Vehicles standing idle too long as a source of the control room's operator page
(registered in `apps.py`). An idle period has no acknowledge / resolve lifecycle of its own
(it ends when the vehicle moves on), so the page lists it without actions."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.alerts import AlertRow, AlertSource

from .models import IdlePeriod
from .permissions import can_view_fleet
from .selectors import vehicles_visible_to

KIND = "fleet_idle"


def alert_rows(user: Any) -> list[AlertRow]:
    """Open idle periods of the vehicles the user may follow (none for others)."""
    if not can_view_fleet(user):
        return []
    periods = (
        IdlePeriod.objects.filter(ended_at__isnull=True, vehicle__in=vehicles_visible_to(user))
        .select_related("vehicle")
        .order_by("-idle_at")[:200]
    )
    return [
        AlertRow(
            kind=KIND,
            kind_label=str(SOURCE.label),
            level="warning",
            level_label=gettext("Waspada"),
            status="open",
            status_label=gettext("Terbuka"),
            title=period.vehicle.code,
            message=gettext("Kendaraan diam terlalu lama di luar pool"),
            seen_at=period.last_seen_at,
            url=reverse("fleet:vehicle", args=[period.vehicle.code]),
        )
        for period in periods
    ]


SOURCE = AlertSource(kind=KIND, label=_("Armada diam"), rows=alert_rows)
