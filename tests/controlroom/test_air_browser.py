"""The air-quality and alert pages in a real browser: checked with axe-core for WCAG 2.1 AA
violations (contrast of the category labels included), and the operator's acknowledge and
resolve forms used with JavaScript turned off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from terang.controlroom.air.publication import publish_hours
from terang.controlroom.alerts.services import raise_alert
from terang.controlroom.choices import AlertKind, Severity
from terang.controlroom.models import AlertRule, Parameter
from terang.core.choices import Role
from tests.aspirations.test_browser import axe_violations, browser  # noqa: F401 - fixture
from tests.factories import login_verified, make_staff

from .air_helpers import add_readings, air_station, current_hour, flat_day, hourly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_air_pages_pass_axe(live_server, browser):  # noqa: F811
    last = current_hour()
    for code, pm25, o3 in [
        ("aqms-01", 10.0, 100.0),
        ("aqms-02", 300.0, 300.0),
        ("aqms-03", 120.0, 500.0),
    ]:
        station = air_station(code)
        flat_day(station, "pm25", pm25, end=last, hours=30)
        add_readings(station, "o3", hourly(last, [o3 * (1 + k % 3) / 2 for k in range(6)]))
    air_station("aqms-04")
    publish_hours(last_hour_end=last, hours=6)
    page = browser.new_context(locale="id-ID").new_page()

    for path in ("/udara/", "/udara/aqms-02/", "/udara/aqms-03/?jam=48"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], path
    page.goto(f"{live_server.url}/udara/aqms-03/")
    assert page.locator("svg rect.bar").count() == 6


def test_operator_handles_an_alert_without_javascript(live_server, browser):  # noqa: F811
    station = air_station("aqms-01")
    rule = AlertRule.objects.create(
        name="PM2.5 tinggi",
        kind=AlertKind.THRESHOLD,
        parameter=Parameter.objects.get(code="pm25"),
        threshold=150.0,
        severity=Severity.DANGER,
    )
    alert = raise_alert(
        rule=rule,
        station=station,
        value=160.0,
        at=timezone.now() - dt.timedelta(minutes=3),
        message="PM2.5: 160",
    )
    client = Client()
    login_verified(client, make_staff(Role.OPERATOR))
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    with_js = browser.new_context(locale="id-ID")
    with_js.add_cookies([cookie])
    checked = with_js.new_page()
    for path in ("/ruang-kendali/peringatan/", f"/ruang-kendali/peringatan/{alert.pk}/"):
        checked.goto(f"{live_server.url}{path}")
        assert axe_violations(checked) == [], path
    with_js.close()

    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    context.add_cookies([cookie])
    page = context.new_page()
    page.goto(f"{live_server.url}/ruang-kendali/peringatan/{alert.pk}/")
    page.click("text=Tangani peringatan")
    assert "Peringatan ditandai sedang ditangani." in page.inner_text("main")
    page.fill("textarea[name=note]", "Sumber asap dipadamkan")
    page.click("text=Selesaikan peringatan")
    assert "Peringatan diselesaikan." in page.inner_text("main")
    assert page.locator("dd", has_text="Sumber asap dipadamkan").count() == 1
