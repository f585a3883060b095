# ruff: noqa: F811 - fixtures imported from the aspirations modules are used by name
"""Every page fits a phone: at 360x740 no public or staff page scrolls sideways and the site
header keeps to 15 % of the screen, so the content starts above the fold. The pages come from
the named routes (tests/routes.json), filled with the demo city's objects. A report page prints
without navigation or forms but with its URL, and no page asks for a file that is not there
(the favicon)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone

from terang.aspirations.selectors import public_aspirations
from terang.budget.models import BudgetYear
from terang.controlroom.alerts.services import raise_alert
from terang.controlroom.choices import AlertKind, Comparison
from terang.controlroom.models import Alert, AlertRule, Parameter, Station
from terang.core.models import User
from terang.emergencies.models import Incident
from terang.fleet.models import Route, Vehicle
from terang.markets.models import Commodity
from terang.opendata.models import Dataset
from terang.ppid.models import DipEntry, InformationRequest
from tests.aspirations.conftest import admin_user  # noqa: F401 - fixture
from tests.aspirations.test_browser import axe_violations, browser  # noqa: F401 - fixture
from tests.core.test_page_meta import published
from tests.helpers import login_staff
from tests.test_routes import named_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DEMO_TODAY = dt.date(2026, 3, 15)
HEADER_SHARE = 0.15
STAFF_PREFIXES = ("staf/", "ruang-kendali/", "data/staf/")
# Not pages: machine interfaces, downloads, streams and form targets that only take POST.
NOT_PAGES = ("admin:", "api:", "open311:", "opendata:ckan", "opendata:dcat", "opendata:datapack")
NOT_PAGE_NAMES = {
    "healthz",
    "readyz",
    "set_language",
    "core:file",
    "core:logout",
    "controlroom:wall_stream",
    "controlroom:dead_letter_replay",
    "opendata:version_file",
    "opendata:staff_version_file",
    "ppid:dip_document",
    "ppid:request_file",
    "ppid:staff_dip_download",
    "ppid:staff_dip_remove",
}
# Pages also checked with axe-core at phone size (wide tables that scroll must be reachable by
# keyboard).
AXE_AT_PHONE = {
    "core:home",
    "aspirations:detail",
    "aspirations:staff_inbox",
    "budget:year",
    "ppid:register",
}
# Pages that must be measured (a broken fixture must not turn the check into a no-op).
MUST_MEASURE = {
    "core:home",
    "aspirations:submit",
    "aspirations:track",
    "aspirations:detail",
    "aspirations:list",
    "aspirations:staff_inbox",
    "aspirations:staff_detail",
    "budget:year",
    "budget:accounts",
    "controlroom:air_index",
    "controlroom:wall",
    "emergencies:list",
    "fleet:overview",
    "markets:public_prices",
    "opendata:catalog",
    "opendata:dataset",
    "opendata:staff_list",
    "ppid:home",
    "ppid:staff_dashboard",
    "ppid:staff_request",
}


def parameters() -> dict[str, Callable[[], object]]:
    """One existing object of the demo city for each URL parameter name."""
    dataset = Dataset.objects.filter(resources__isnull=False).order_by("name").first()
    public = public_aspirations().order_by("pk")
    return {
        "code": lambda: public.first().code,
        "year": lambda: BudgetYear.objects.order_by("-year").first().year,
        "alert_id": lambda: Alert.objects.order_by("pk").first().pk,
        "reference": lambda: Incident.objects.order_by("pk").first().reference,
        "name": lambda: dataset.name,
        "resource_id": lambda: dataset.resources.order_by("pk").first().pk,
        "number": lambda: InformationRequest.objects.order_by("pk").first().register_number,
        "pk": lambda: DipEntry.objects.order_by("pk").first().pk,
    }


def special_codes() -> dict[str, str]:
    """Routes whose `code` is not an aspiration's."""
    return {
        "controlroom:air_station": Station.objects.order_by("code").first().code,
        "fleet:route": Route.objects.order_by("code").first().code,
        "fleet:vehicle": Vehicle.objects.order_by("code").first().code,
        "markets:public_commodity": Commodity.objects.order_by("code").first().code,
    }


def page_urls() -> dict[str, str]:
    """name -> path of every HTML page among the named routes."""
    values = parameters()
    codes = special_codes()
    urls = {}
    for name, pattern in named_routes(get_resolver()):
        if name.startswith(NOT_PAGES) or name in NOT_PAGE_NAMES or "." in pattern:
            continue
        path = pattern
        while "<" in path:
            start, end = path.index("<"), path.index(">")
            key = path[start + 1 : end].split(":")[-1]
            value = codes[name] if (key == "code" and name in codes) else values[key]()
            path = f"{path[:start]}{value}{path[end + 1 :]}"
        urls.setdefault(name, "/" + path)
    return urls


def measure(page, url: str) -> tuple[int, int, float] | None:
    """(status, scrollWidth, header height) of a page, or None when it is not an HTML page
    (a POST-only form target answers 405, a download is not HTML)."""
    head = page.request.get(url, max_redirects=0)
    if head.status == 405 or not head.headers.get("content-type", "").startswith("text/html"):
        return None
    response = page.goto(url)
    width, header = page.evaluate(
        """() => [document.documentElement.scrollWidth,
                  (document.querySelector('.site-header') || {getBoundingClientRect:
                   () => ({height: 0})}).getBoundingClientRect().height]"""
    )
    return response.status, width, header


@pytest.mark.slow  # seeds the demo city again, then opens every page
def test_every_page_fits_a_phone_screen(live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command(
        "seed-demo",
        "--size",
        "small",
        "--today",
        dt.date(2026, 3, 15).isoformat(),
        stdout=StringIO(),
    )
    station = Station.objects.order_by("pk").first()
    rule = AlertRule.objects.create(
        name="Ambang uji", kind=AlertKind.THRESHOLD, parameter=Parameter.objects.first(),
        threshold=1.0, comparison=Comparison.GTE,
    )  # fmt: skip
    raise_alert(rule=rule, station=station, value=99.0, at=timezone.now(), message="Uji tampilan")
    client = Client()
    login_staff(client, User.objects.get(username="admin"))
    staff_cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    # Visitors in English (the longer language button) and staff in Indonesian.
    anonymous = browser.new_context(viewport=PHONE, locale="en-GB")
    staff = browser.new_context(viewport=PHONE, locale="id-ID")
    staff.add_cookies([staff_cookie])
    pages = {"anonymous": anonymous.new_page(), "staff": staff.new_page()}

    too_wide, tall_header, measured, errors, axe = {}, {}, set(), {}, {}
    for name, path in sorted(page_urls().items()):
        is_staff = path.lstrip("/").startswith(STAFF_PREFIXES)
        for who in ("staff",) if is_staff else ("anonymous", "staff"):
            result = measure(pages[who], f"{live_server.url}{path}")
            if result is None:
                continue
            status, width, header = result
            if status >= 500:
                errors[(who, path)] = status
            if status != 200:
                continue
            measured.add(name)
            if width > PHONE["width"]:
                too_wide[(who, path)] = width
            if header > HEADER_SHARE * PHONE["height"]:
                tall_header[(who, path)] = header
            if name in AXE_AT_PHONE and (violations := axe_violations(pages[who])):
                axe[(who, path)] = violations
    anonymous.close()
    staff.close()

    assert errors == {}
    assert MUST_MEASURE - measured == set()
    assert too_wide == {}
    assert tall_header == {}
    assert axe == {}


def test_the_phone_menu_opens_without_javascript_and_wide_screens_show_the_menu(
    live_server, browser, city
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert not page.is_visible("nav.site-nav a[href='/lapor/']")

    page.click(".site-menu > summary")

    assert page.is_visible("nav.site-nav a[href='/lapor/']")
    page.click("nav.site-nav a[href='/lapor/']")
    assert page.url == f"{live_server.url}/lapor/"
    context.close()

    wide = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    page = wide.new_page()
    page.goto(f"{live_server.url}/")
    assert page.is_visible("nav.site-nav a[href='/lapor/']")  # shown without opening a menu
    assert not page.is_visible(".site-menu > summary")
    wide.close()


def test_a_report_prints_without_navigation_and_no_request_fails(
    live_server,
    browser,
    city,
    kelurahan,
    category,
    admin_user,  # noqa: F811
):
    aspiration = published(admin_user, category)
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    page.goto(f"{live_server.url}/")
    icon = page.request.get(f"{live_server.url}/favicon.ico")
    page.goto(f"{live_server.url}/aspirasi/{aspiration.code}/")
    page.emulate_media(media="print")

    assert failed == []
    assert icon.status == 200 and icon.headers["content-type"] in {
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
    assert not page.is_visible(".site-header") and not page.is_visible(".site-footer")
    shown = page.evaluate(
        "() => [...document.querySelectorAll('form, nav')].map(e => e.checkVisibility())"
    )
    assert len(shown) >= 2 and not any(shown)
    assert page.is_visible(f".print-only:text-is('{live_server.url}/aspirasi/{aspiration.code}/')")
    main = page.inner_text("main")
    assert aspiration.code in main and "Terverifikasi" in main
    assert "Tiga lampu jalan mati" in main
    context.close()
