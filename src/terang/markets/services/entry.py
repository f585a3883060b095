"""Officers record the day's prices at one market (the entry grid), or one price at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.errors import PermissionDenied, ValidationFailed
from terang.core.models import User

from ..choices import PriceSource
from ..models import Commodity, DailyPrice, Market, PriceAlert
from ..permissions import can_record_at
from .alerts import evaluate_commodities

#: Plausible bounds of a staple's price per unit, in rupiah; anything outside is a typing slip.
PRICE_MIN = 100
PRICE_MAX = 10_000_000


@dataclass
class EntryResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    prices: list[DailyPrice] = field(default_factory=list)
    alerts: list[PriceAlert] = field(default_factory=list)


def city_today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def price_problem(price: int) -> str:
    """Why a whole-rupiah price is implausible, or "" when it is fine."""
    if price < PRICE_MIN or price > PRICE_MAX:
        return gettext("Harga harus antara %(low)s dan %(high)s rupiah.") % {
            "low": f"{PRICE_MIN:,}".replace(",", "."),
            "high": f"{PRICE_MAX:,}".replace(",", "."),
        }
    return ""


def date_problem(day: dt.date, today: dt.date) -> str:
    if day > today:
        return gettext("Tanggal tidak boleh di masa depan.")
    return ""


def audit_price(
    *, actor: User | None, price: DailyPrice, action: str, old: int | None = None
) -> None:
    payload = {
        "market": price.market_id,
        "commodity": price.commodity_id,
        "date": price.date.isoformat(),
        "price": price.price,
        "source": price.source,
        "import_batch": price.import_batch_id,
    }
    if old is not None:
        payload["old_price"] = old
    record_audit(actor=actor, action=action, subject=price, payload=payload)


def record_prices(
    *,
    actor: User,
    market: Market,
    date: dt.date,
    prices: Mapping[Commodity, int | None],
    now: dt.datetime | None = None,
) -> EntryResult:
    """Record one market's prices for one day. A blank (None) leaves that commodity as it
    was; a different price for a day already recorded corrects it (audited with the old
    value). All or nothing; alerts are re-evaluated for the commodities that changed."""
    if not can_record_at(actor, market):
        raise PermissionDenied(_("Anda tidak berwenang mencatat harga di pasar ini."))
    now = now or timezone.now()
    problems: dict[str, str] = {}
    if problem := date_problem(date, city_today(now)):
        problems["date"] = problem
    given = {commodity: price for commodity, price in prices.items() if price is not None}
    for commodity, price in given.items():
        if not commodity.is_active:
            problems[commodity.code] = gettext("Komoditas ini tidak aktif.")
        elif problem := price_problem(price):
            problems[commodity.code] = problem
    if not given and "date" not in problems:
        problems["prices"] = gettext("Isi sekurangnya satu harga.")
    if problems:
        raise ValidationFailed(details=problems)

    result = EntryResult()
    changed: set[Commodity] = set()
    with transaction.atomic():
        for commodity in sorted(given, key=lambda c: c.pk):
            row, outcome = _upsert(actor, market, commodity, date, given[commodity])
            result.prices.append(row)
            if outcome == "created":
                result.created += 1
            elif outcome == "updated":
                result.updated += 1
            else:
                result.unchanged += 1
            if outcome != "unchanged":
                changed.add(commodity)
        result.alerts = evaluate_commodities(changed, now=now)
    return result


def _upsert(
    actor: User, market: Market, commodity: Commodity, date: dt.date, value: int
) -> tuple[DailyPrice, str]:
    existing = (
        DailyPrice.objects.select_for_update()
        .filter(market=market, commodity=commodity, date=date)
        .first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                price = DailyPrice.objects.create(
                    market=market,
                    commodity=commodity,
                    date=date,
                    price=value,
                    source=PriceSource.MANUAL,
                    entered_by=actor,
                )
        except IntegrityError:  # another officer saved the same day just now
            existing = DailyPrice.objects.select_for_update().get(
                market=market, commodity=commodity, date=date
            )
        else:
            audit_price(actor=actor, price=price, action="price.recorded")
            return price, "created"
    if existing.price == value:
        return existing, "unchanged"
    old = existing.price
    existing.price = value
    existing.source = PriceSource.MANUAL
    existing.entered_by = actor
    existing.import_batch = None
    existing.save(update_fields=["price", "source", "entered_by", "import_batch", "updated_at"])
    audit_price(actor=actor, price=existing, action="price.corrected", old=old)
    return existing, "updated"


def record_price(
    *,
    actor: User,
    market: Market,
    commodity: Commodity,
    date: dt.date,
    price: int,
    now: dt.datetime | None = None,
) -> DailyPrice:
    """One price (the API and tests); the same rules as the entry grid."""
    result = record_prices(
        actor=actor, market=market, date=date, prices={commodity: price}, now=now
    )
    return result.prices[0]
