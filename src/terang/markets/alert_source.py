"""Price alerts as a source of the control room's operator page (registered in `apps.py`):
the active alerts the user may handle, with this app's own acknowledge / resolve URLs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.alerts import AlertRow, AlertSource

from .choices import PriceAlertStatus
from .permissions import can_handle_alerts
from .selectors import alerts_visible_to

KIND = "market"


def alert_rows(user: Any) -> list[AlertRow]:
    """Active price alerts in the user's scope (none for someone who may not handle them)."""
    if not can_handle_alerts(user):
        return []
    rows = []
    for alert in alerts_visible_to(user, status="active")[:200]:
        scope = alert.market.name if alert.market else gettext("Rata-rata kota")
        rows.append(
            AlertRow(
                kind=KIND,
                kind_label=str(SOURCE.label),
                level=alert.severity,
                level_label=alert.get_severity_display(),
                status=alert.status,
                status_label=alert.get_status_display(),
                title=f"{alert.commodity.name} ({scope})",
                message=gettext("Harga naik %(rise)s %% dalam sepekan")
                % {"rise": alert.rise_percent},
                seen_at=alert.last_raised_at,
                url=reverse("markets:staff_alerts") + f"#alert-{alert.pk}",
                acknowledge_url=(
                    reverse("markets:staff_alert_acknowledge", args=[alert.pk])
                    if alert.status == PriceAlertStatus.OPEN
                    else ""
                ),
                resolve_url=reverse("markets:staff_alert_resolve", args=[alert.pk]),
                note_field="catatan",
            )
        )
    return rows


SOURCE = AlertSource(kind=KIND, label=_("Harga pasar"), rows=alert_rows)
