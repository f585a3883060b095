"""Reads of market prices: the public latest-price table and trends (the HTML page, the CSV
download and the JSON API call the same functions) and the staff alert list. What the
control-room wall shows is in `wall_selectors`.

City average of a day = the mean of the prices of the markets that reported that day, rounded
to whole rupiah (half up). "A week before" = the latest day with a price from 7 to 13 days
before the latest day, so one missed market day does not blank the comparison.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core.errors import NotFound

from .choices import ACTIVE_ALERT_STATUSES
from .models import Commodity, DailyPrice, ImportBatch, Market, PriceAlert
from .permissions import alerts_scope, sees_every_import

SERIES_DAYS = (30, 60)
MAX_SERIES_DAYS = 366
COMPARE_FROM_DAYS = 7
COMPARE_TO_DAYS = 13


def whole_rupiah(value: Fraction | Decimal | int) -> int:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


# Reference rows ------------------------------------------------------------------------------


def active_commodities() -> QuerySet[Commodity]:
    return Commodity.objects.filter(is_active=True).order_by("display_order", "name")


def active_markets() -> QuerySet[Market]:
    return Market.objects.filter(is_active=True).select_related("area").order_by("name")


def get_commodity(code: str) -> Commodity:
    """An active commodity by code; NotFound otherwise."""
    commodity = Commodity.objects.filter(code=code, is_active=True).first()
    if commodity is None:
        raise NotFound(_("Komoditas tidak ditemukan."), details={"commodity": code})
    return commodity


def get_market(code: str) -> Market:
    """An active market by code; NotFound otherwise."""
    market = Market.objects.filter(code=code, is_active=True).first()
    if market is None:
        raise NotFound(_("Pasar tidak ditemukan."), details={"market": code})
    return market


def _prices(market: Market | None) -> QuerySet[DailyPrice]:
    rows = DailyPrice.objects.filter(commodity__is_active=True, market__is_active=True)
    return rows.filter(market=market) if market is not None else rows


# Latest prices ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceSummary:
    """The latest price of one commodity (city average, or one market's price) and its change
    against a week before."""

    commodity: Commodity
    date: dt.date | None = None
    average: int | None = None
    minimum: int | None = None
    minimum_markets: tuple[str, ...] = ()
    maximum: int | None = None
    maximum_markets: tuple[str, ...] = ()
    markets_reporting: int = 0
    previous_date: dt.date | None = None
    previous_average: int | None = None

    @property
    def change_share(self) -> Decimal | None:
        if self.average is None or not self.previous_average:
            return None
        share = Fraction(self.average - self.previous_average, self.previous_average)
        return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )

    @property
    def change_percent(self) -> Decimal | None:
        """The change in percent, one decimal, sign included."""
        share = self.change_share
        return None if share is None else (share * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def direction(self) -> str:
        """up, down, flat, or "" when there is nothing to compare with."""
        percent = self.change_percent
        if percent is None:
            return ""
        return "up" if percent > 0 else "down" if percent < 0 else "flat"


def latest_prices(
    *, market: Market | None = None, today: dt.date | None = None
) -> list[PriceSummary]:
    """One summary per active commodity (in display order); commodities without any price show
    empty. Two queries whatever the number of commodities and markets."""
    today = _today(today)
    commodities = list(active_commodities())
    base = _prices(market).filter(date__lte=today)
    latest = dict(
        base.values("commodity_id")
        .annotate(latest=Max("date"))
        .values_list("commodity_id", "latest")
    )
    if not latest:
        return [PriceSummary(commodity=c) for c in commodities]
    rows = base.filter(
        date__gte=min(latest.values()) - dt.timedelta(days=COMPARE_TO_DAYS),
        date__lte=max(latest.values()),
    ).values_list("commodity_id", "date", "price", "market__name")
    by_day: dict[int, dict[dt.date, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for commodity_id, day, price, market_name in rows:
        by_day[commodity_id][day].append((price, market_name))
    return [_summary(c, latest.get(c.pk), by_day.get(c.pk, {})) for c in commodities]


def _average(prices: list[tuple[int, str]]) -> int:
    return whole_rupiah(Fraction(sum(p for p, _name in prices), len(prices)))


def _summary(
    commodity: Commodity, day: dt.date | None, days: dict[dt.date, list[tuple[int, str]]]
) -> PriceSummary:
    if day is None or day not in days:
        return PriceSummary(commodity=commodity)
    prices = days[day]
    low = min(p for p, _name in prices)
    high = max(p for p, _name in prices)
    first = day - dt.timedelta(days=COMPARE_TO_DAYS)
    last = day - dt.timedelta(days=COMPARE_FROM_DAYS)
    earlier = [d for d in days if first <= d <= last]
    previous_date = max(earlier) if earlier else None
    return PriceSummary(
        commodity=commodity,
        date=day,
        average=_average(prices),
        minimum=low,
        minimum_markets=tuple(sorted(name for p, name in prices if p == low)),
        maximum=high,
        maximum_markets=tuple(sorted(name for p, name in prices if p == high)),
        markets_reporting=len(prices),
        previous_date=previous_date,
        previous_average=_average(days[previous_date]) if previous_date else None,
    )


# Trends ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoint:
    date: dt.date
    average: int
    minimum: int
    maximum: int
    markets: int


@dataclass(frozen=True)
class PriceSeries:
    commodity: Commodity
    market: Market | None
    start: dt.date
    end: dt.date
    days: int
    points: list[SeriesPoint]


def price_series(
    *,
    commodity: Commodity,
    days: int = SERIES_DAYS[0],
    market: Market | None = None,
    today: dt.date | None = None,
) -> PriceSeries:
    """Daily prices of one commodity over `days` days ending on its latest price day (or
    today when it has none): the city average with the lowest and highest market, or one
    market's price. Days without a price are absent from `points`."""
    days = max(1, min(int(days), MAX_SERIES_DAYS))
    today = _today(today)
    base = _prices(market).filter(commodity=commodity, date__lte=today)
    end = base.aggregate(latest=Max("date"))["latest"] or today
    start = end - dt.timedelta(days=days - 1)
    per_day: dict[dt.date, list[int]] = defaultdict(list)
    for day, price in base.filter(date__gte=start, date__lte=end).values_list("date", "price"):
        per_day[day].append(price)
    points = [
        SeriesPoint(
            date=day,
            average=whole_rupiah(Fraction(sum(prices), len(prices))),
            minimum=min(prices),
            maximum=max(prices),
            markets=len(prices),
        )
        for day, prices in sorted(per_day.items())
    ]
    return PriceSeries(
        commodity=commodity, market=market, start=start, end=end, days=days, points=points
    )


# Staff reads ---------------------------------------------------------------------------------


def alerts_visible_to(user: Any, *, status: str | None = None) -> QuerySet[PriceAlert]:
    """Price alerts `user` may see (and handle), newest change first. status: "active" (open
    and acknowledged), a PriceAlertStatus value, or None for all."""
    scope = alerts_scope(user)
    alerts = PriceAlert.objects.select_related(
        "commodity", "market", "acknowledged_by", "resolved_by"
    )
    if scope is None:
        return alerts.none()
    alerts = alerts.filter(scope)
    if status == "active":
        alerts = alerts.filter(status__in=ACTIVE_ALERT_STATUSES)
    elif status:
        alerts = alerts.filter(status=status)
    return alerts.order_by("-last_raised_at", "-id")


def get_alert_for_staff(*, user: Any, pk: int) -> PriceAlert:
    alert = alerts_visible_to(user).filter(pk=pk).first()
    if alert is None:
        raise NotFound(_("Peringatan harga tidak ditemukan."))
    return alert


def recent_imports(*, user: Any, limit: int = 10) -> QuerySet[ImportBatch]:
    """The user's own latest imports (administrators see everyone's)."""
    batches = ImportBatch.objects.select_related("uploaded_by").order_by("-created_at", "-id")
    if not sees_every_import(user):
        batches = batches.filter(uploaded_by=user)
    return batches[:limit]


def entered_prices(*, market: Market, date: dt.date) -> dict[int, int]:
    """Prices already recorded at `market` on `date`, by commodity id (prefills the grid)."""
    return dict(
        DailyPrice.objects.filter(market=market, date=date).values_list("commodity_id", "price")
    )
