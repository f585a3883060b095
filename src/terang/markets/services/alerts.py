"""Week-over-week price rise alerts.

The rule, per commodity, at one market and for the city average:

* the reference day D is the commodity's latest price date (any market); the current week is
  D-6..D, the previous week D-13..D-7;
* a week's average is the mean of its daily prices (for the city: of its daily city averages,
  each the mean over the markets that reported that day), over the days that have a price;
  both weeks need at least `MarketSettings.alert_min_days` such days, otherwise nothing is
  decided (an alert already active stays as it is);
* rise = (current - previous) / previous, computed exactly (fractions); rise >= the city's
  `alert_rise_share` raises an alert (exactly 10.00 % with the default 0.10 does), severity
  danger from twice the share;
* an active alert whose rise has fallen below half the share is resolved automatically (the
  price has settled; the gap between half and full share keeps a price hovering at the line
  from opening and closing alerts day after day). Between the two it stays as it is.

`evaluate_commodities` runs after every price entry and import, in the same transaction.
Every change of an alert is appended to its audit chain.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core import alerts
from terang.core.audit import record_audit
from terang.core.errors import PermissionDenied
from terang.core.models import User

from ..choices import PriceAlertSeverity, PriceAlertStatus
from ..models import Commodity, DailyPrice, Market, MarketSettings, PriceAlert
from ..permissions import can_handle_alert, market_settings

WEEK = 7


@dataclass(frozen=True)
class WeeklyRise:
    """Averages of two consecutive weeks ending on `window_end`, and the rise between them."""

    window_end: dt.date
    current_average: Fraction
    previous_average: Fraction
    current_days: int
    previous_days: int

    @property
    def share(self) -> Fraction:
        return (self.current_average - self.previous_average) / self.previous_average


def weekly_rise(
    daily: dict[dt.date, Fraction], *, window_end: dt.date, min_days: int
) -> WeeklyRise | None:
    """The week-over-week rise of a daily series, or None when a week has too few days."""
    current = [
        value
        for day, value in daily.items()
        if window_end - dt.timedelta(days=WEEK - 1) <= day <= window_end
    ]
    previous = [
        value
        for day, value in daily.items()
        if window_end - dt.timedelta(days=2 * WEEK - 1)
        <= day
        <= window_end - dt.timedelta(days=WEEK)
    ]
    if len(current) < max(min_days, 1) or len(previous) < max(min_days, 1):
        return None
    previous_average = sum(previous, Fraction(0)) / len(previous)
    if previous_average <= 0:
        return None
    return WeeklyRise(
        window_end=window_end,
        current_average=sum(current, Fraction(0)) / len(current),
        previous_average=previous_average,
        current_days=len(current),
        previous_days=len(previous),
    )


def _decimal(value: Fraction, places: str) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _series(
    commodity: Commodity, window_end: dt.date
) -> tuple[dict[int, dict[dt.date, Fraction]], dict[dt.date, Fraction]]:
    """Daily prices per market and the daily city average over the two weeks."""
    rows = DailyPrice.objects.filter(
        commodity=commodity,
        market__is_active=True,
        date__gte=window_end - dt.timedelta(days=2 * WEEK - 1),
        date__lte=window_end,
    ).values_list("market_id", "date", "price")
    per_market: dict[int, dict[dt.date, Fraction]] = defaultdict(dict)
    per_day: dict[dt.date, list[int]] = defaultdict(list)
    for market_id, day, price in rows:
        per_market[market_id][day] = Fraction(price)
        per_day[day].append(price)
    city = {day: Fraction(sum(prices), len(prices)) for day, prices in per_day.items()}
    return per_market, city


def evaluate_commodities(
    commodities: Iterable[Commodity], *, now: dt.datetime | None = None
) -> list[PriceAlert]:
    """Apply the rule to each commodity at each market and city-wide; returns the alerts
    opened, updated or resolved. Call inside the transaction that stored the prices."""
    now = now or timezone.now()
    policy = market_settings()
    touched: list[PriceAlert] = []
    # A fixed order (commodity, then market, city last) keeps the alert row locks of
    # concurrent entries in one order, so they queue instead of deadlocking.
    for commodity in sorted(set(commodities), key=lambda c: c.pk):
        window_end = (
            DailyPrice.objects.filter(commodity=commodity, market__is_active=True)
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )
        if window_end is None:
            continue
        per_market, city = _series(commodity, window_end)
        markets = {m.pk: m for m in Market.objects.filter(pk__in=per_market)}
        scopes: list[tuple[Market | None, dict[dt.date, Fraction]]] = [
            (markets[pk], per_market[pk]) for pk in sorted(per_market)
        ]
        scopes.append((None, city))
        for market, daily in scopes:
            rise = weekly_rise(daily, window_end=window_end, min_days=policy.alert_min_days)
            if rise is None:
                continue
            alert = _apply(commodity, market, rise, policy, now)
            if alert is not None:
                touched.append(alert)
    return touched


def _apply(
    commodity: Commodity,
    market: Market | None,
    rise: WeeklyRise,
    policy: MarketSettings,
    now: dt.datetime,
) -> PriceAlert | None:
    threshold = Fraction(policy.alert_rise_share)
    if rise.share >= threshold:
        return raise_price_alert(
            commodity=commodity, market=market, rise=rise, threshold=threshold, now=now
        )
    if rise.share < threshold / 2:
        return _settle(commodity, market, rise, now)
    return None


def _active_alert(commodity: Commodity, market: Market | None) -> PriceAlert | None:
    return alerts.active_alert(PriceAlert, {"commodity": commodity, "market": market})


def _values(rise: WeeklyRise, threshold: Fraction) -> dict[str, Any]:
    danger = rise.share >= 2 * threshold
    severity = PriceAlertSeverity.DANGER if danger else PriceAlertSeverity.WARNING
    return {
        "severity": severity,
        "rise_share": _decimal(rise.share, "0.0001"),
        "threshold_share": _decimal(threshold, "0.0001"),
        "current_average": _decimal(rise.current_average, "0.01"),
        "previous_average": _decimal(rise.previous_average, "0.01"),
        "window_end": rise.window_end,
    }


def raise_price_alert(
    *,
    commodity: Commodity,
    market: Market | None,
    rise: WeeklyRise,
    threshold: Fraction,
    now: dt.datetime,
) -> PriceAlert:
    """Open an alert for (commodity, market or city), or update the active one. A repeat that
    changes nothing (the same weeks and averages) is not counted again."""
    values = _values(rise, threshold)

    def repeat(alert: PriceAlert) -> list[str] | None:
        if all(getattr(alert, name) == value for name, value in values.items()):
            return None
        for name, value in values.items():
            setattr(alert, name, value)
        alert.last_raised_at = max(alert.last_raised_at, now)
        return [*values, "last_raised_at"]

    return alerts.open_or_repeat_alert(
        model=PriceAlert,
        key={"commodity": commodity, "market": market},
        values={**values, "first_raised_at": now, "last_raised_at": now},
        repeat=repeat,
        action_prefix="price_alert",
        payload=_payload,
        find_active=lambda: _active_alert(commodity, market),
    )


def _settle(
    commodity: Commodity, market: Market | None, rise: WeeklyRise, now: dt.datetime
) -> PriceAlert | None:
    alert = _active_alert(commodity, market)
    if alert is None:
        return None
    alert.status = PriceAlertStatus.RESOLVED
    alert.resolved_at = now
    alert.resolution_note = gettext(
        "Selesai otomatis: kenaikan mingguan turun menjadi %(rise)s %%."
    ) % {"rise": number_format(_decimal(rise.share * 100, "0.1"), 1)}
    alert.save(update_fields=["status", "resolved_at", "resolution_note"])
    record_audit(
        actor=None,
        action="price_alert.settled",
        subject=alert,
        payload=_payload(
            alert,
            rise_share=str(_decimal(rise.share, "0.0001")),
            window_end=rise.window_end.isoformat(),
        ),
    )
    return alert


def _payload(alert: PriceAlert, **extra: Any) -> dict[str, Any]:
    return {
        "commodity": alert.commodity_id,
        "market": alert.market_id,
        "status": alert.status,
        "severity": alert.severity,
        "rise_share": str(alert.rise_share),
        "current_average": str(alert.current_average),
        "previous_average": str(alert.previous_average),
        "window_end": alert.window_end.isoformat(),
        "occurrences": alert.occurrences,
        **extra,
    }


def _ensure_can_handle(actor: User, alert: PriceAlert) -> None:
    if not can_handle_alert(actor, alert):
        raise PermissionDenied(_("Anda tidak berwenang menangani peringatan harga ini."))


def acknowledge_price_alert(*, actor: User, alert: PriceAlert) -> PriceAlert:
    """Staff take an open alert in hand (who and when are kept)."""
    _ensure_can_handle(actor, alert)
    return alerts.acknowledge_alert(
        model=PriceAlert,
        alert=alert,
        actor=actor,
        action="price_alert.acknowledged",
        payload=_payload,
    )


def resolve_price_alert(*, actor: User, alert: PriceAlert, note: str = "") -> PriceAlert:
    """Staff close an active alert (e.g. after an operasi pasar, a subsidised market sale);
    the next rise opens a new one."""
    _ensure_can_handle(actor, alert)
    return alerts.resolve_alert(
        model=PriceAlert,
        alert=alert,
        actor=actor,
        action="price_alert.resolved",
        payload=_payload,
        note=note,
        note_max_length=2000,
    )
