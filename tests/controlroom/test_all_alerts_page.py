"""The control room's alerts page lists every kind of alert (sensor, market price, fleet idle)
through the alert sources apps register in `ready()`, filterable by kind, and its forms post
to each app's own acknowledge / resolve URL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from terang.controlroom.alerts.services import raise_alert
from terang.controlroom.choices import AlertKind, Severity
from terang.controlroom.models import AlertRule, Parameter
from terang.core.models import AuditEntry
from terang.fleet.choices import VehicleKind
from terang.fleet.models import IdlePeriod, Vehicle
from terang.markets.models import Commodity, PriceAlert
from tests.helpers import client_for

from .air_helpers import air_station

pytestmark = pytest.mark.django_db

PAGE = "/ruang-kendali/peringatan/"
NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def sensor_alert(agency):
    rule = AlertRule.objects.create(
        name="PM2.5 tinggi",
        kind=AlertKind.THRESHOLD,
        parameter=Parameter.objects.get(code="pm25"),
        threshold=150.0,
        severity=Severity.WARNING,
    )
    station = air_station("aqms-01", agency=agency)
    return raise_alert(
        rule=rule, station=station, value=160.0, at=NOW, message="PM2.5 di atas ambang"
    )


@pytest.fixture
def price_alert():
    commodity = Commodity.objects.create(code="cabai-rawit", name="Cabai rawit")
    return PriceAlert.objects.create(
        commodity=commodity,
        market=None,
        severity="danger",
        rise_share=Decimal("0.2500"),
        threshold_share=Decimal("0.1000"),
        current_average=Decimal("50000"),
        previous_average=Decimal("40000"),
        window_end=NOW.date(),
        first_raised_at=NOW,
        last_raised_at=NOW,
    )


@pytest.fixture
def idle_period(agency):
    vehicle = Vehicle.objects.create(code="truk-07", kind=VehicleKind.choices[0][0], agency=agency)
    return IdlePeriod.objects.create(
        vehicle=vehicle,
        started_at=NOW - dt.timedelta(minutes=40),
        idle_at=NOW - dt.timedelta(minutes=10),
        last_seen_at=NOW,
        latitude=-6.2,
        longitude=106.63,
        detected_at=NOW,
    )


@pytest.fixture
def all_kinds(sensor_alert, price_alert, idle_period):
    return sensor_alert, price_alert, idle_period


def test_the_page_lists_one_alert_of_each_kind(all_kinds, operator) -> None:
    response = client_for(operator).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "PM2.5 di atas ambang" in html
    assert "Cabai rawit (Rata-rata kota)" in html
    assert "truk-07" in html
    assert "Harga pasar" in html and "Armada diam" in html
    price = PriceAlert.objects.get()
    assert reverse("markets:staff_alert_acknowledge", args=[price.pk]) in html
    assert reverse("markets:staff_alert_resolve", args=[price.pk]) in html


def test_the_kind_filter_shows_only_that_kind(all_kinds, operator) -> None:
    client = client_for(operator)
    market = client.get(PAGE, {"kind": "market"}).content.decode()
    assert "Cabai rawit" in market
    assert "truk-07" not in market and "PM2.5 di atas ambang" not in market
    fleet = client.get(PAGE, {"kind": "fleet_idle"}).content.decode()
    assert "truk-07" in fleet
    assert "Cabai rawit" not in fleet and "PM2.5 di atas ambang" not in fleet
    sensor = client.get(PAGE, {"kind": "sensor"}).content.decode()
    assert "PM2.5 di atas ambang" in sensor
    assert "Cabai rawit" not in sensor and "truk-07" not in sensor
    assert client.get(PAGE, {"kind": "unknown"}).status_code == 422


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 302), ("citizen", 403), ("officer", 200), ("operator", 200)],
)
def test_permission_matrix(request, all_kinds, who, expected) -> None:
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(PAGE)
    assert response.status_code == expected
    if expected != 200:
        return
    html = response.content.decode()
    assert "truk-07" in html  # the officer's agency owns the vehicle
    # An officer of an agency without markets may not handle price alerts: not listed.
    assert ("Cabai rawit" in html) is (who == "operator")


def test_an_officer_of_another_agency_sees_no_foreign_fleet_alert(all_kinds, other_officer) -> None:
    html = client_for(other_officer).get(PAGE)
    assert "truk-07" not in html.content.decode()


def test_acknowledge_and_resolve_a_market_alert_from_the_page(
    all_kinds, price_alert, operator
) -> None:
    client = client_for(operator)
    client.get(PAGE)
    acknowledged = client.post(reverse("markets:staff_alert_acknowledge", args=[price_alert.pk]))
    assert acknowledged.status_code == 302
    price_alert.refresh_from_db()
    assert price_alert.status == "acknowledged"
    assert price_alert.acknowledged_by is not None
    html = client.get(PAGE).content.decode()
    assert reverse("markets:staff_alert_acknowledge", args=[price_alert.pk]) not in html
    resolved = client.post(
        reverse("markets:staff_alert_resolve", args=[price_alert.pk]),
        {"catatan": "Operasi pasar"},
    )
    assert resolved.status_code == 302
    price_alert.refresh_from_db()
    assert (price_alert.status, price_alert.resolution_note) == ("resolved", "Operasi pasar")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"price_alert.acknowledged", "price_alert.resolved"} <= actions
    assert "Cabai rawit" not in client.get(PAGE).content.decode()


def test_a_fleet_idle_alert_is_listed_with_its_actions_until_resolved(
    all_kinds, idle_period, operator
) -> None:
    """An idle period is an alert on core's lifecycle: the page links the fleet's own actions,
    and a resolved one leaves the page (resolving, not the period's end, decides)."""
    acknowledge = reverse("fleet:alert_acknowledge", args=[idle_period.pk])
    resolve = reverse("fleet:alert_resolve", args=[idle_period.pk])
    html = client_for(operator).get(PAGE, {"kind": "fleet_idle"}).content.decode()
    assert "truk-07" in html
    assert reverse("fleet:vehicle", args=["truk-07"]) in html
    assert f'action="{acknowledge}"' in html and f'action="{resolve}"' in html
    IdlePeriod.objects.filter(pk=idle_period.pk).update(status="resolved", resolved_at=NOW)
    html = client_for(operator).get(PAGE, {"kind": "fleet_idle"}).content.decode()
    assert "truk-07" not in html


def test_acknowledge_and_resolve_a_fleet_idle_alert_from_the_page(
    all_kinds, idle_period, operator
) -> None:
    client = client_for(operator)
    acknowledge = reverse("fleet:alert_acknowledge", args=[idle_period.pk])
    resolve = reverse("fleet:alert_resolve", args=[idle_period.pk])
    page = f"http://testserver{PAGE}"
    acknowledged = client.post(acknowledge, HTTP_REFERER=page)
    assert (acknowledged.status_code, acknowledged["Location"]) == (302, page)
    idle_period.refresh_from_db()
    assert (idle_period.status, idle_period.acknowledged_by) == ("acknowledged", operator)
    html = client.get(PAGE).content.decode()
    assert "truk-07" in html and "Peringatan ditandai sedang ditangani." in html
    assert acknowledge not in html and resolve in html
    resolved = client.post(resolve, {"note": "Sopir sudah ditelepon"}, HTTP_REFERER=page)
    assert (resolved.status_code, resolved["Location"]) == (302, page)
    idle_period.refresh_from_db()
    assert (idle_period.status, idle_period.resolved_by, idle_period.resolution_note) == (
        "resolved",
        operator,
        "Sopir sudah ditelepon",
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"fleet_idle_alert.acknowledged", "fleet_idle_alert.resolved"} <= actions
    assert "truk-07" not in client.get(PAGE).content.decode()


@pytest.mark.parametrize("who", ["citizen", "other_officer"])
def test_a_fleet_idle_alert_cannot_be_handled_by_others(request, all_kinds, idle_period, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    acknowledged = client.post(reverse("fleet:alert_acknowledge", args=[idle_period.pk]))
    resolved = client.post(reverse("fleet:alert_resolve", args=[idle_period.pk]), {"note": "x"})
    expected = 403 if who == "citizen" else 404
    assert (acknowledged.status_code, resolved.status_code) == (expected, expected)
    idle_period.refresh_from_db()
    assert (idle_period.status, idle_period.acknowledged_by, idle_period.resolved_by) == (
        "open",
        None,
        None,
    )
    assert not AuditEntry.objects.filter(action__startswith="fleet_idle_alert").exists()
