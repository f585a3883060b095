"""Vehicles standing idle too long as a source of the control room's operator page
(registered in `apps.py`): the active idle alerts of the vehicles the user follows, with this
app's own acknowledge / resolve URLs (the lifecycle is in `services.alerts`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.alerts import AlertRow, AlertSource

from .choices import IdleAlertStatus
from .permissions import can_handle_idle_alert, can_view_fleet
from .selectors import active_idle_alerts_for

KIND = "fleet_idle"


def alert_rows(user: Any) -> list[AlertRow]:
    """Active idle alerts of the vehicles the user may follow (none for others)."""
    if not can_view_fleet(user):
        return []
    rows = []
    for period in active_idle_alerts_for(user)[:200]:
        handles = can_handle_idle_alert(user, period)
        rows.append(
            AlertRow(
                kind=KIND,
                kind_label=str(SOURCE.label),
                level="warning",
                level_label=gettext("Waspada"),
                status=period.status,
                status_label=period.get_status_display(),
                title=period.vehicle.code,
                message=gettext("Kendaraan diam terlalu lama di luar pool"),
                seen_at=period.last_seen_at,
                url=reverse("fleet:vehicle", args=[period.vehicle.code]),
                acknowledge_url=(
                    reverse("fleet:alert_acknowledge", args=[period.pk])
                    if handles and period.status == IdleAlertStatus.OPEN
                    else ""
                ),
                resolve_url=reverse("fleet:alert_resolve", args=[period.pk]) if handles else "",
            )
        )
    return rows


SOURCE = AlertSource(kind=KIND, label=_("Armada diam"), rows=alert_rows)
