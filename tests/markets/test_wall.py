"""The control-room wall contract of the markets app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terang.core.wall import MapPoint, WallCounter, WallEvent
from terang.markets import services, wall_selectors
from terang.markets.models import PriceAlert

from .helpers import put_prices

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(panel, pasar_baru, pasar_lama, beras, today) -> dt.datetime:
    """Beras rises 25 % at Pasar Baru (danger) and 12.5 % for the city (warning)."""
    put_prices(pasar_baru, beras, [10000] * 7 + [12500] * 7, end=today)
    put_prices(pasar_lama, beras, [10000] * 14, end=today)
    now = timezone.now()
    services.evaluate_commodities([beras], now=now)
    return now


def test_nothing_to_show(panel):
    now = timezone.now()

    assert wall_selectors.wall_counters(now) == [
        WallCounter("market_price_alerts_active", "Peringatan harga pangan", 0, "info")
    ]
    assert wall_selectors.wall_events(now - dt.timedelta(hours=1), now, 10) == []
    assert wall_selectors.wall_breaches(now) == []
    assert [p.colour for p in wall_selectors.wall_map_points(now)] == ["#1f6feb", "#1f6feb"]


def test_counters_count_active_alerts(raised):
    assert wall_selectors.wall_counters(raised) == [
        WallCounter("market_price_alerts_active", "Peringatan harga pangan", 2, "danger")
    ]


def test_events_after_since_newest_first(raised):
    market_alert = PriceAlert.objects.get(market__code="pasar-baru")
    city_alert = PriceAlert.objects.get(market=None)

    events = wall_selectors.wall_events(raised - dt.timedelta(seconds=1), raised, 10)

    assert {e.key for e in events} == {
        f"price_alert:{market_alert.pk}:raised:1",
        f"price_alert:{city_alert.pk}:raised:1",
    }
    by_key = {e.key: e for e in events}
    market_event = by_key[f"price_alert:{market_alert.pk}:raised:1"]
    assert market_event == WallEvent(
        key=f"price_alert:{market_alert.pk}:raised:1",
        at=raised,
        source="markets",
        title="Harga beras medium naik 25,0 % sepekan (Pasar Baru)",
        severity="danger",
        url="/staf/harga-pasar/peringatan/",
    )
    assert by_key[f"price_alert:{city_alert.pk}:raised:1"].title == (
        "Harga beras medium naik 12,5 % sepekan (rata-rata kota)"
    )
    assert wall_selectors.wall_events(raised, raised + dt.timedelta(minutes=1), 10) == []
    assert len(wall_selectors.wall_events(raised - dt.timedelta(seconds=1), raised, 1)) == 1


def test_resolution_is_an_event(raised, operator):
    alert = PriceAlert.objects.get(market=None)
    services.resolve_price_alert(actor=operator, alert=alert)
    alert.refresh_from_db()

    events = wall_selectors.wall_events(raised, alert.resolved_at, 10)

    assert [e.key for e in events] == [f"price_alert:{alert.pk}:resolved"]
    assert events[0].title.startswith("Selesai: Harga beras medium naik")


def test_map_marks_markets_with_an_active_alert(raised):
    points = wall_selectors.wall_map_points(raised)

    assert points == [
        MapPoint(
            key="market:pasar-baru",
            source="markets",
            latitude=-6.2,
            longitude=106.62,
            label="Pasar Baru: harga naik (beras medium)",
            colour="#cf222e",
            url="/harga-pasar/?pasar=pasar-baru",
        ),
        MapPoint(
            key="market:pasar-lama",
            source="markets",
            latitude=-6.21,
            longitude=106.64,
            label="Pasar Lama",
            colour="#1f6feb",
            url="/harga-pasar/?pasar=pasar-lama",
        ),
    ]


def test_breaches_are_open_alerts_not_yet_taken_in_hand(raised, operator):
    city = PriceAlert.objects.get(market=None)
    services.acknowledge_price_alert(actor=operator, alert=city)

    breaches = wall_selectors.wall_breaches(raised)

    market_alert = PriceAlert.objects.get(market__code="pasar-baru")
    assert [(b.key, b.severity) for b in breaches] == [
        (f"price_alert:{market_alert.pk}:open", "danger")
    ]


def test_daily_figures_for_the_brief(raised, pasar_baru, beras, today):
    from terang.controlroom.wall.brief import day_bounds

    start, end = day_bounds(today)
    figures = {f.key: f.value for f in wall_selectors.daily_figures(start, end)}
    assert figures == {
        "market_prices_recorded": 2,  # today's price at each of the two markets
        "market_alerts_raised": 2,
        "market_commodities_alerted": 1,
    }
    PriceAlert.objects.update(resolved_at=raised, status="resolved")
    tomorrow = day_bounds(today + dt.timedelta(1))
    later = {f.key: f.value for f in wall_selectors.daily_figures(*tomorrow)}
    assert later == {
        "market_prices_recorded": 0,
        "market_alerts_raised": 0,
        "market_commodities_alerted": 0,
    }
