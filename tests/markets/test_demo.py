"""The demo markets: built on the demo city and accounts (without the aspiration history)."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from terang.core import audit
from terang.demo import markets as demo_markets
from terang.demo.accounts import create_accounts
from terang.demo.city import build_city
from terang.markets import selectors
from terang.markets.models import Commodity, DailyPrice, Market, MarketSettings, PriceAlert

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime(2026, 3, 15, tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(dt.UTC)


@pytest.fixture
def demo_city():  # type: ignore[no-untyped-def]
    with translation.override("id"):
        city = build_city(random.Random(1), TODAY)
        accounts = create_accounts(random.Random(2), city.agencies, pool_size=1, anchor=NOW)
    return city, accounts


def create(demo_city) -> dict[str, int]:  # type: ignore[no-untyped-def]
    city, accounts = demo_city
    with translation.override("id"):
        return demo_markets.create(city, accounts, now=NOW, rng=random.Random(3))


@pytest.fixture
def created(demo_city) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return create(demo_city)


def all_prices() -> list[tuple[str, str, dt.date, int]]:
    return list(
        DailyPrice.objects.order_by("market__code", "commodity__code", "date").values_list(
            "market__code", "commodity__code", "date", "price"
        )
    )


def test_demo_markets_prices_and_an_open_alert(created):
    disdag = MarketSettings.objects.get().agency
    assert disdag.code == "DISDAG"
    assert Market.objects.filter(agency=disdag, area__isnull=False).count() == 5
    assert Commodity.objects.count() == 12
    assert dict(Commodity.objects.values_list("code", "unit"))["minyak-goreng-curah"] == "liter"
    days = DailyPrice.objects.values_list("date", flat=True)
    assert (min(days), max(days)) == (dt.date(2026, 1, 14), dt.date(2026, 3, 14))
    assert created["markets"] == 5 and created["commodities"] == 12
    assert created["daily prices"] == DailyPrice.objects.count()
    assert 0.96 * 5 * 12 * 60 < created["daily prices"] <= 5 * 12 * 60

    spiking = PriceAlert.objects.filter(commodity__code="cabai-rawit-merah", status="open")
    assert spiking.filter(market=None).exists()
    assert created["price alerts"] == PriceAlert.objects.count() >= 1


def test_demo_price_levels_are_realistic(created):
    summaries = {
        s.commodity.code: s for s in selectors.latest_prices(today=TODAY - dt.timedelta(days=1))
    }
    assert 12_500 <= summaries["beras-medium"].average <= 14_500
    assert 110_000 <= summaries["daging-sapi"].average <= 160_000
    assert summaries["cabai-rawit-merah"].direction == "up"
    assert summaries["cabai-rawit-merah"].change_percent >= 20


def test_demo_is_deterministic_audited_and_wiped(demo_city, created):
    first = all_prices()
    assert audit.verify_audit_log().ok

    wiped = demo_markets.wipe()

    assert wiped["daily prices"] == created["daily prices"]
    assert DailyPrice.objects.count() == Market.objects.count() == PriceAlert.objects.count() == 0
    again = create(demo_city)
    assert again == created
    assert all_prices() == first
