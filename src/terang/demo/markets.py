"""Demo data for the markets app, created by `seed-demo` inside its transaction.

Five traditional markets (one per kecamatan picked at random), twelve staples as the national
panels (PIHPS, SP2KP) list them, and 60 market days of prices up to yesterday (city date) at
realistic early-2026 levels: each staple's city level wanders around its usual price (a
mean-reverting random walk, chillies far more volatile than rice), each market sits a little
above or below it, and about 2 % of a market's daily entries are missing. The first 46 days
arrive as one recorded CSV import, the last 14 as the officer's daily entries. Cabai rawit
merah climbs over the last week (+4-6 % a day), so the week-over-week rule opens alerts for
the city average and for the markets, as the seeded control room should show.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from zoneinfo import ZoneInfo

from django.utils.text import slugify

from terang.core.audit import record_audit
from terang.markets.choices import PriceSource
from terang.markets.models import (
    Commodity,
    DailyPrice,
    ImportBatch,
    Market,
    MarketSettings,
    PriceAlert,
)
from terang.markets.services import evaluate_commodities

from . import catalog
from .accounts import Accounts
from .city import City

AGENCY = "DISDAG"
MARKETS = 5
DAYS = 60
MANUAL_DAYS = 14
SPIKE_DAYS = 7
SPIKE = "cabai-rawit-merah"
MISSING_SHARE = 0.02
MEAN_REVERSION = 0.9

# code, name, unit, usual city price (Rp per unit), daily volatility of the log price
COMMODITIES: list[tuple[str, str, str, int, float]] = [
    ("beras-medium", "Beras medium", "kg", 13_300, 0.003),
    ("beras-premium", "Beras premium", "kg", 15_400, 0.003),
    ("cabai-merah-keriting", "Cabai merah keriting", "kg", 48_000, 0.015),
    ("cabai-rawit-merah", "Cabai rawit merah", "kg", 56_000, 0.015),
    ("bawang-merah", "Bawang merah", "kg", 38_000, 0.01),
    ("bawang-putih", "Bawang putih honan", "kg", 39_000, 0.006),
    ("gula-pasir", "Gula pasir lokal", "kg", 17_800, 0.003),
    ("minyak-goreng-curah", "Minyak goreng curah", "liter", 16_800, 0.004),
    ("minyak-goreng-kemasan", "Minyak goreng kemasan sederhana", "liter", 18_500, 0.003),
    ("telur-ayam-ras", "Telur ayam ras", "kg", 29_000, 0.008),
    ("daging-ayam-ras", "Daging ayam ras", "kg", 36_500, 0.008),
    ("daging-sapi", "Daging sapi murni", "kg", 135_000, 0.002),
]


def _rounded(price: float) -> int:
    """Market prices are quoted in round amounts: Rp 100 below 20,000, 500 below 100,000."""
    step = 100 if price < 20_000 else 500 if price < 100_000 else 1_000
    return max(step, int(round(price / step)) * step)


def _markets(city: City, rng: random.Random) -> list[Market]:
    agency = city.agencies[AGENCY]
    by_kecamatan: dict[int, list] = {}  # type: ignore[type-arg]
    for place in city.places:
        by_kecamatan.setdefault(place.kecamatan.pk, []).append(place)
    chosen = rng.sample(sorted(by_kecamatan), k=min(MARKETS, len(by_kecamatan)))
    markets = []
    for kecamatan_id in chosen:
        place = rng.choice(by_kecamatan[kecamatan_id])
        latitude, longitude = city.shape.sample_point(rng, place.shape)
        name = f"Pasar {place.kecamatan.name}"
        markets.append(
            Market(
                code=slugify(name)[:40],
                name=name,
                area=place.area,
                address=f"Jl. {rng.choice(catalog.names()['streets'])}, {place.area.name}",
                latitude=latitude,
                longitude=longitude,
                agency=agency,
            )
        )
    return Market.objects.bulk_create(markets)


def _city_levels(usual: int, volatility: float, rng: random.Random, spike: bool) -> list[float]:
    """Daily city-level prices: log-price AR(1) around the usual price; a spike adds a steady
    climb over the last week."""
    levels = []
    deviation = rng.gauss(0, volatility * 2)
    climb = 1.0
    for day in range(DAYS):
        deviation = MEAN_REVERSION * deviation + rng.gauss(0, volatility)
        if spike and day >= DAYS - SPIKE_DAYS:
            climb *= rng.uniform(1.04, 1.06)
        levels.append(usual * math.exp(deviation) * climb)
    return levels


def create(
    city: City, accounts: Accounts, *, now: dt.datetime, rng: random.Random
) -> dict[str, int]:
    """Create the demo rows; return counts by name for the seed summary."""
    agency = city.agencies[AGENCY]
    officer = accounts.officers[agency.pk]
    MarketSettings.objects.update_or_create(pk=1, defaults={"agency": agency})
    markets = _markets(city, rng)
    commodities = Commodity.objects.bulk_create(
        Commodity(code=code, name=name, unit=unit, display_order=10 * (i + 1))
        for i, (code, name, unit, _usual, _vol) in enumerate(COMMODITIES)
    )
    last_day = now.astimezone(ZoneInfo(catalog.CITY_TIMEZONE)).date() - dt.timedelta(days=1)
    first_day = last_day - dt.timedelta(days=DAYS - 1)
    imported_until = last_day - dt.timedelta(days=MANUAL_DAYS)
    offsets = {m.pk: rng.uniform(-0.04, 0.04) for m in markets}

    batch = ImportBatch.objects.create(
        file_name=f"harga-pasar-{first_day:%Y%m%d}-{imported_until:%Y%m%d}.csv",
        file_digest=hashlib.sha256(f"demo-{first_day}".encode()).hexdigest(),
        uploaded_by=officer,
        row_count=0,
    )
    prices: list[DailyPrice] = []
    for commodity, (code, _name, _unit, usual, volatility) in zip(
        commodities, COMMODITIES, strict=True
    ):
        levels = _city_levels(usual, volatility, rng, spike=code == SPIKE)
        for market in markets:
            for offset_days, level in enumerate(levels):
                if rng.random() < MISSING_SHARE:
                    continue
                day = first_day + dt.timedelta(days=offset_days)
                imported = day <= imported_until
                noise = rng.gauss(0, volatility / 2)
                prices.append(
                    DailyPrice(
                        market=market,
                        commodity=commodity,
                        date=day,
                        price=_rounded(level * (1 + offsets[market.pk]) * math.exp(noise)),
                        source=PriceSource.IMPORT if imported else PriceSource.MANUAL,
                        entered_by=officer,
                        import_batch=batch if imported else None,
                    )
                )
    DailyPrice.objects.bulk_create(prices, batch_size=2000)
    imported_rows = sum(1 for p in prices if p.import_batch is not None)
    ImportBatch.objects.filter(pk=batch.pk).update(
        row_count=imported_rows, created_count=imported_rows
    )
    record_audit(
        actor=officer,
        action="price_import.accepted",
        subject=batch,
        payload={"file_name": batch.file_name, "rows": imported_rows, "created": imported_rows},
    )
    alerts = evaluate_commodities(commodities, now=now)
    return {
        "markets": len(markets),
        "commodities": len(commodities),
        "daily prices": len(prices),
        "price alerts": len({a.pk for a in alerts}),
    }


def wipe() -> dict[str, int]:
    """Delete the demo rows (called by `seed-demo --reset` before agencies and users go)."""
    deleted: dict[str, int] = {}
    for name, model in (
        ("price alerts", PriceAlert),
        ("daily prices", DailyPrice),
        ("price imports", ImportBatch),
        ("commodities", Commodity),
        ("markets", Market),
        ("market settings", MarketSettings),
    ):
        deleted[name] = model.objects.all().delete()[0]
    return deleted
