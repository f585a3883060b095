"""Staff pages: who may open them, and what they show (states, the trail as SVG and a table,
idle periods, coverage)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from terang.core.choices import Role
from terang.fleet import services
from tests.factories import login_verified, make_staff

from .conftest import LAT, LON, as_json, fix, ingest, moved

pytestmark = pytest.mark.django_db
OVERVIEW = "/ruang-kendali/armada/"
TRUCK_PAGE = "/ruang-kendali/armada/kendaraan/truk-01/"
ROUTES = "/ruang-kendali/armada/rute/"
ROUTE_PAGE = "/ruang-kendali/armada/rute/rute-dlh/"


@pytest.fixture
def fleet_data(truck, patrol, dlh, depot):  # type: ignore[no-untyped-def]
    standing = [fix(m, speed=0) for m in (0, 10, 20)]
    ingest(truck, as_json(standing + [fix(21, north=500, speed=20), fix(22, north=600, speed=20)]))
    ingest(patrol, as_json([fix(0, east=300, speed=30)]))
    services.save_route(
        code="rute-dlh",
        name="Rute Pasar",
        agency=dlh,
        vehicle=truck,
        points=[[LAT, LON], list(moved(north_m=500)), list(moved(north_m=900))],
    )


def _login(client: Client, kind: str, dlh, dishub) -> None:  # type: ignore[no-untyped-def]
    if kind == "anonymous":
        return
    if kind == "citizen":
        user = make_staff(Role.CITIZEN, with_device=False)
    elif kind == "officer_dlh":
        user = make_staff(Role.OFFICER, agency=dlh)
    elif kind == "head_dishub":
        user = make_staff(Role.AGENCY_HEAD, agency=dishub)
    else:
        user = make_staff(kind)
    login_verified(client, user) if kind != "citizen" else client.force_login(user)


@pytest.mark.parametrize(
    ("kind", "overview", "truck_page", "route_page"),
    [
        ("anonymous", 302, 302, 302),
        ("citizen", 403, 403, 403),
        (Role.INSPECTORATE, 403, 403, 403),
        ("officer_dlh", 200, 200, 200),
        ("head_dishub", 200, 404, 404),
        (Role.OPERATOR, 200, 200, 200),
        (Role.ADMIN, 200, 200, 200),
    ],
)
def test_permission_matrix(
    client, fleet_data, dlh, dishub, kind, overview, truck_page, route_page
) -> None:  # type: ignore[no-untyped-def]
    _login(client, kind, dlh, dishub)
    assert client.get(OVERVIEW).status_code == overview
    assert client.get(TRUCK_PAGE).status_code == truck_page
    assert client.get(ROUTE_PAGE).status_code == route_page
    assert client.get(ROUTES).status_code == overview


def test_staff_without_two_factor_is_sent_to_verify(client, fleet_data) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_staff(Role.OPERATOR))
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_officer_sees_only_their_agencys_vehicles(client, fleet_data, dlh) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.OFFICER, agency=dlh))
    html = client.get(OVERVIEW).content.decode()
    assert "B 9001 DLH" in html
    assert "B 9101 DHB" not in html
    assert "Rute Pasar" in html


def test_overview_shows_state_as_text_and_coverage(client, fleet_data) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.OPERATOR))
    html = client.get(OVERVIEW).content.decode()
    assert reverse("fleet:vehicle", args=["truk-01"]) in html
    assert 'class="fleet-state fleet-state-silent">Tidak mengirim posisi</span>' in html
    assert "Rute Pasar</a>: 0,0&nbsp;%" in html  # March 2025 is not today


def test_vehicle_day_shows_svg_trail_table_idle_and_coverage(client, fleet_data) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.OPERATOR))
    html = client.get(TRUCK_PAGE, {"tanggal": "2025-03-10"}).content.decode()
    polyline = re.search(r'<polyline class="trail" points="([^"]+)"/>', html)
    assert polyline is not None
    assert len(polyline.group(1).split()) == 5
    assert html.count('class="dot-covered"') == 2
    assert html.count('class="dot-missed"') == 1
    assert '<time datetime="2025-03-10T08:00:00+07:00">08:00:00</time>' in html
    assert "<td>08:00:00</td><td>08:20:00</td><td>20 menit</td>" in html  # idle, in WIB
    assert "2 dari 3 titik (66,7 %)" in html


def test_vehicle_day_without_fixes_and_an_invalid_date(client, fleet_data) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.OPERATOR))
    empty = client.get(TRUCK_PAGE, {"tanggal": "2025-03-11"}).content.decode()
    assert "Tidak ada posisi pada hari itu." in empty
    invalid = client.get(TRUCK_PAGE, {"tanggal": "kemarin"})
    assert invalid.status_code == 200
    assert "Tanggal tidak valid; hari ini yang ditampilkan." in invalid.content.decode()


def test_route_page_lists_each_point(client, fleet_data) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.ADMIN))
    html = client.get(ROUTE_PAGE, {"tanggal": "2025-03-10"}).content.decode()
    assert "2 dari 3 titik terlewati (66,7 %)" in html
    assert html.count("<td>Ya</td>") == 2
    assert html.count("<strong>Belum</strong>") == 1
    routes = client.get(ROUTES, {"tanggal": "2025-03-10"}).content.decode()
    assert "2 dari 3" in routes
