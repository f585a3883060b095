# ruff: noqa: F811 - fixtures from conftest and the aspirations browser module are used by name
"""The 112 desk in a real browser: a call taken and a unit sent with JavaScript turned off, and
every page checked with axe-core for WCAG 2.1 AA violations."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from terang.emergencies import services
from terang.emergencies.models import Incident
from tests.aspirations.test_browser import axe_violations, browser  # noqa: F401 - fixture

from .conftest import login_staff, receive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_call_taker_works_without_javascript_and_pages_pass_axe(
    live_server, browser, operator, kelurahan, fire_unit, ambulance, police_unit
):
    client = Client()
    login_staff(client, operator)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    context.add_cookies([cookie])
    page = context.new_page()

    page.goto(f"{live_server.url}/ruang-kendali/112/baru/")
    page.click("text=Simpan panggilan")  # empty: errors, nothing saved
    assert "Ada yang perlu diperbaiki" in page.inner_text("main")
    page.select_option("select[name=incident_type]", "fire")
    page.fill("textarea[name=description]", "Kios bensin eceran terbakar.")
    page.fill("input[name=address]", "Jl. Melati No. 3")
    page.fill("input[name=latitude]", "-6.2")
    page.fill("input[name=longitude]", "106.62")
    page.fill("input[name=caller_phone]", "0812 3333 4444")
    page.click("text=Simpan panggilan")
    reference = Incident.objects.get().reference
    assert f"Panggilan {reference} tercatat" in page.inner_text("main")
    page.check("input[value=DMK-01]")
    page.click("button:text-is('Kerahkan')")
    assert "Unit dikerahkan" in page.inner_text("main")
    page.click("text=DMK-01 tiba di lokasi")
    page.fill("textarea[name=close-note]", "Api padam, tidak ada korban.")
    page.click("button:text-is('Tutup kejadian')")
    assert Incident.objects.get(reference=reference).status == "closed"
    context.close()

    open_one = receive(operator)
    services.dispatch_units(actor=operator, incident=open_one, units=[fire_unit])
    checked_context = browser.new_context(locale="id-ID")
    checked_context.add_cookies([cookie])
    checked = checked_context.new_page()
    for path in (
        "/ruang-kendali/112/",
        "/ruang-kendali/112/baru/",
        "/ruang-kendali/112/unit/",
        f"/ruang-kendali/112/{reference}/",
        f"/ruang-kendali/112/{open_one.reference}/",  # with the dispatch, arrival, cancel forms
    ):
        checked.goto(f"{live_server.url}{path}")
        assert checked.locator("h1").count() == 1, path
        assert axe_violations(checked) == [], path
    checked_context.close()
