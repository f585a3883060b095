"""Helpers for the market tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from terang.markets.models import Commodity, DailyPrice, Market


def put_prices(
    market: Market,
    commodity: Commodity,
    prices: Iterable[int | None],
    *,
    end: dt.date,
) -> list[DailyPrice]:
    """Plain price rows for consecutive days ending on `end` (None = no price that day)."""
    values = list(prices)
    start = end - dt.timedelta(days=len(values) - 1)
    rows = [
        DailyPrice(
            market=market, commodity=commodity, date=start + dt.timedelta(days=i), price=price
        )
        for i, price in enumerate(values)
        if price is not None
    ]
    return DailyPrice.objects.bulk_create(rows)
