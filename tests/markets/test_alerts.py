"""Week-over-week rise alerts: the boundary of the rule, repeats, settling, and handling.

The scenario: a week at Rp 10,000 (D-13..D-7), then a week at Rp 11,000 (D-6..D-1) and the
price of day D recorded through the service, which evaluates the rule. With the last day at
11,000 the rise is exactly 10 %."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from terang.core.errors import InvalidTransition, PermissionDenied
from terang.core.models import AuditEntry
from terang.markets import services
from terang.markets.models import MarketSettings, PriceAlert

from .helpers import put_prices

pytestmark = pytest.mark.django_db


@pytest.fixture
def rising(panel, pasar_baru, beras, today):
    put_prices(pasar_baru, beras, [10000] * 7 + [11000] * 6, end=today - dt.timedelta(days=1))


def record_last_day(officer, pasar_baru, beras, today, price):
    return services.record_prices(
        actor=officer, market=pasar_baru, date=today, prices={beras: price}
    )


def scopes() -> list[tuple[str | None, str, Decimal, int]]:
    return [
        (a.market.code if a.market else None, a.status, a.rise_share, a.occurrences)
        for a in PriceAlert.objects.order_by("market_id")
    ]


def test_rise_of_exactly_the_threshold_opens_market_and_city_alerts(
    rising, officer, pasar_baru, beras, today
):
    result = record_last_day(officer, pasar_baru, beras, today, 11000)

    assert len(result.alerts) == 2
    assert sorted(scopes(), key=str) == sorted(
        [
            ("pasar-baru", "open", Decimal("0.1000"), 1),
            (None, "open", Decimal("0.1000"), 1),
        ],
        key=str,
    )
    alert = PriceAlert.objects.get(market=pasar_baru)
    assert (alert.current_average, alert.previous_average) == (Decimal("11000"), Decimal("10000"))
    assert (alert.window_end, alert.severity, alert.threshold_share) == (
        today,
        "warning",
        Decimal("0.1000"),
    )
    entry = AuditEntry.objects.get(chain=f"markets.pricealert:{alert.pk}")
    assert (entry.action, entry.actor_id) == ("price_alert.raised", None)


def test_rise_just_below_the_threshold_opens_nothing(rising, officer, pasar_baru, beras, today):
    result = record_last_day(officer, pasar_baru, beras, today, 10999)

    assert result.alerts == []
    assert PriceAlert.objects.count() == 0


def test_threshold_is_the_citys_setting(rising, officer, pasar_baru, beras, today):
    MarketSettings.objects.filter(pk=1).update(alert_rise_share=Decimal("0.2"))

    record_last_day(officer, pasar_baru, beras, today, 11000)

    assert PriceAlert.objects.count() == 0


def test_twice_the_threshold_is_danger(panel, officer, pasar_baru, beras, today):
    put_prices(pasar_baru, beras, [10000] * 7 + [12000] * 6, end=today - dt.timedelta(days=1))

    record_last_day(officer, pasar_baru, beras, today, 12000)

    assert set(PriceAlert.objects.values_list("severity", flat=True)) == {"danger"}


def test_too_few_days_in_a_week_decide_nothing(panel, officer, pasar_baru, beras, today):
    previous = [None, None, None, None, None, 10000, 10000]
    put_prices(pasar_baru, beras, previous + [13000] * 6, end=today - dt.timedelta(days=1))

    record_last_day(officer, pasar_baru, beras, today, 13000)

    assert PriceAlert.objects.count() == 0


def test_repeat_updates_the_active_alert_instead_of_opening_another(
    rising, officer, pasar_baru, beras, today
):
    record_last_day(officer, pasar_baru, beras, today, 11000)
    first = PriceAlert.objects.get(market=pasar_baru)

    record_last_day(officer, pasar_baru, beras, today, 12000)

    assert PriceAlert.objects.count() == 2
    again = PriceAlert.objects.get(market=pasar_baru)
    assert again.pk == first.pk
    assert (again.status, again.occurrences, again.rise_share) == ("open", 2, Decimal("0.1143"))
    actions = AuditEntry.objects.filter(chain=f"markets.pricealert:{first.pk}").order_by("seq")
    assert list(actions.values_list("action", flat=True)) == [
        "price_alert.raised",
        "price_alert.repeated",
    ]


def test_unchanged_evaluation_does_not_count_as_a_repeat(
    rising, officer, pasar_baru, beras, cabai, today
):
    record_last_day(officer, pasar_baru, beras, today, 11000)

    services.evaluate_commodities([beras])

    assert set(PriceAlert.objects.values_list("occurrences", flat=True)) == {1}


def test_alert_settles_when_the_rise_falls_below_half_the_threshold(
    rising, officer, pasar_baru, beras, today
):
    record_last_day(officer, pasar_baru, beras, today, 11000)

    record_last_day(officer, pasar_baru, beras, today, 7000)  # week average 10,428.57: +4.3 %

    alert = PriceAlert.objects.get(market=pasar_baru)
    assert (alert.status, alert.resolved_by) == ("resolved", None)
    assert alert.resolved_at is not None
    assert alert.resolution_note == "Selesai otomatis: kenaikan mingguan turun menjadi 4,3 %."
    assert set(PriceAlert.objects.values_list("status", flat=True)) == {"resolved"}
    last = AuditEntry.objects.filter(chain=f"markets.pricealert:{alert.pk}").order_by("seq").last()
    assert last.action == "price_alert.settled"


def test_alert_stays_between_half_and_full_threshold(rising, officer, pasar_baru, beras, today):
    record_last_day(officer, pasar_baru, beras, today, 11000)

    record_last_day(officer, pasar_baru, beras, today, 9000)  # week average 10,714.29: +7.1 %

    assert set(scopes()) == {
        ("pasar-baru", "open", Decimal("0.1000"), 1),
        (None, "open", Decimal("0.1000"), 1),
    }


def test_city_average_is_the_mean_of_reporting_markets(
    rising, officer, pasar_baru, pasar_lama, beras, today
):
    put_prices(pasar_lama, beras, [10000] * 13, end=today - dt.timedelta(days=1))

    record_last_day(officer, pasar_baru, beras, today, 11000)

    # pasar-lama stays flat and has no price on day D: the city's daily averages are 10,500 on
    # D-6..D-1 and 11,000 on D, so its week averages 10,571.43 against 10,000: +5.7 %
    assert scopes() == [("pasar-baru", "open", Decimal("0.1000"), 1)]


def test_import_evaluates_the_rule_too(rising, officer, today):
    data = f"tanggal,pasar,komoditas,harga\n{today.isoformat()},pasar-baru,beras-medium,11000\n"

    result = services.import_prices_csv(file=data.encode(), file_name="h.csv", actor=officer)

    assert len(result.alerts) == 2
    assert PriceAlert.objects.filter(status="open").count() == 2


def test_weekly_rise_ignores_days_outside_the_two_weeks():
    end = dt.date(2026, 3, 14)
    daily = {end - dt.timedelta(days=n): 100 for n in range(7, 14)}
    daily.update({end - dt.timedelta(days=n): 110 for n in range(0, 7)})
    daily[end - dt.timedelta(days=14)] = 1  # the day before the previous week
    daily[end + dt.timedelta(days=1)] = 1000

    rise = services.weekly_rise(daily, window_end=end, min_days=7)

    assert rise is not None
    assert (rise.current_average, rise.previous_average, rise.share) == (110, 100, Fraction(1, 10))


@pytest.fixture
def raised(rising, officer, pasar_baru, beras, today) -> PriceAlert:
    record_last_day(officer, pasar_baru, beras, today, 11000)
    return PriceAlert.objects.get(market=pasar_baru)


def test_officer_of_the_agency_acknowledges_then_resolves(raised, officer):
    services.acknowledge_price_alert(actor=officer, alert=raised)
    raised.refresh_from_db()
    assert (raised.status, raised.acknowledged_by) == ("acknowledged", officer)

    services.resolve_price_alert(actor=officer, alert=raised, note="Operasi pasar digelar.")

    raised.refresh_from_db()
    assert (raised.status, raised.resolved_by, raised.resolution_note) == (
        "resolved",
        officer,
        "Operasi pasar digelar.",
    )
    actions = AuditEntry.objects.filter(chain=f"markets.pricealert:{raised.pk}").order_by("seq")
    assert list(actions.values_list("action", flat=True)) == [
        "price_alert.raised",
        "price_alert.acknowledged",
        "price_alert.resolved",
    ]


@pytest.mark.parametrize("who", ["other_officer", "inspector", "citizen"])
def test_others_cannot_handle_an_alert(request, raised, who):
    user = request.getfixturevalue(who)
    entries = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.acknowledge_price_alert(actor=user, alert=raised)
    with pytest.raises(PermissionDenied):
        services.resolve_price_alert(actor=user, alert=raised)

    raised.refresh_from_db()
    assert raised.status == "open"
    assert AuditEntry.objects.count() == entries


def test_operator_resolves_and_a_second_resolve_is_refused(raised, operator):
    services.resolve_price_alert(actor=operator, alert=raised)

    with pytest.raises(InvalidTransition):
        services.resolve_price_alert(actor=operator, alert=raised)
    with pytest.raises(InvalidTransition):
        services.acknowledge_price_alert(actor=operator, alert=raised)


def test_after_resolution_a_new_rise_opens_a_new_alert(
    raised, operator, officer, pasar_baru, beras, today
):
    services.resolve_price_alert(actor=operator, alert=raised)

    record_last_day(officer, pasar_baru, beras, today, 12000)

    alerts = PriceAlert.objects.filter(market=pasar_baru).order_by("pk")
    assert list(alerts.values_list("status", flat=True)) == ["resolved", "open"]


def test_agency_of_a_market_handles_its_alerts_but_not_the_city_ones(
    panel, pasar_lain, other_officer, beras, today
):
    put_prices(pasar_lain, beras, [10000] * 7 + [11000] * 7, end=today)
    services.evaluate_commodities([beras])
    market_alert = PriceAlert.objects.get(market=pasar_lain)
    city_alert = PriceAlert.objects.get(market=None)

    services.acknowledge_price_alert(actor=other_officer, alert=market_alert)
    with pytest.raises(PermissionDenied):
        services.acknowledge_price_alert(actor=other_officer, alert=city_alert)


def test_database_keeps_one_active_city_alert_per_commodity(raised, beras):
    city = PriceAlert.objects.get(market=None)
    now = timezone.now()

    with pytest.raises(IntegrityError), transaction.atomic():
        PriceAlert.objects.create(
            commodity=beras,
            market=None,
            severity="warning",
            rise_share=city.rise_share,
            threshold_share=city.threshold_share,
            current_average=city.current_average,
            previous_average=city.previous_average,
            window_end=city.window_end,
            first_raised_at=now,
            last_raised_at=now,
        )
