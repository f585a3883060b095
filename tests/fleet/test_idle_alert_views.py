"""The two POST actions on an idle alert (acknowledge, resolve) that the control room's
all-alerts page links to: who may use them, post/redirect/get, CSRF, refusals change nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terang.core.choices import Role
from terang.core.models import User
from tests.factories import login_verified, make_staff

from .conftest import snapshot

pytestmark = pytest.mark.django_db
ALERTS_PAGE = "/ruang-kendali/peringatan/"


def _client(kind: str, dlh, dishub) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    user: User | None = None
    if kind == "citizen":
        client.force_login(make_staff(Role.CITIZEN, with_device=False))
    elif kind == "officer_dlh":
        user = make_staff(Role.OFFICER, agency=dlh)
    elif kind == "officer_dishub":
        user = make_staff(Role.OFFICER, agency=dishub)
    elif kind != "anonymous":
        user = make_staff(kind)
    if user is not None:
        login_verified(client, user)
    return client


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        (Role.INSPECTORATE, 403),
        ("officer_dishub", 404),
    ],
)
def test_the_actions_refuse_others_and_change_nothing(
    idle_truck, dlh, dishub, kind, expected
) -> None:
    client = _client(kind, dlh, dishub)
    before = snapshot(idle_truck)
    acknowledge = client.post(reverse("fleet:alert_acknowledge", args=[idle_truck.pk]))
    resolve = client.post(reverse("fleet:alert_resolve", args=[idle_truck.pk]), {"note": "x"})
    assert (acknowledge.status_code, resolve.status_code) == (expected, expected)
    if kind == "anonymous":
        assert acknowledge["Location"].startswith(reverse("core:login"))
    assert snapshot(idle_truck) == before


def test_the_owning_agencys_officer_acts_and_returns_to_the_vehicle(
    idle_truck, dlh, dishub
) -> None:
    client = _client("officer_dlh", dlh, dishub)
    vehicle_page = reverse("fleet:vehicle", args=["truk-01"])
    acknowledged = client.post(reverse("fleet:alert_acknowledge", args=[idle_truck.pk]))
    assert (acknowledged.status_code, acknowledged["Location"]) == (302, vehicle_page)
    resolved = client.post(
        reverse("fleet:alert_resolve", args=[idle_truck.pk]), {"note": "Sopir istirahat"}
    )
    assert (resolved.status_code, resolved["Location"]) == (302, vehicle_page)
    idle_truck.refresh_from_db()
    assert (idle_truck.status, idle_truck.resolution_note) == ("resolved", "Sopir istirahat")


def test_an_action_returns_to_the_page_it_was_posted_from_on_this_site_only(
    idle_truck, dlh, dishub
) -> None:
    client = _client(Role.OPERATOR, dlh, dishub)
    url = reverse("fleet:alert_acknowledge", args=[idle_truck.pk])
    here = client.post(url, HTTP_REFERER=f"http://testserver{ALERTS_PAGE}?kind=fleet_idle")
    assert here["Location"] == f"http://testserver{ALERTS_PAGE}?kind=fleet_idle"
    elsewhere = client.post(
        reverse("fleet:alert_resolve", args=[idle_truck.pk]),
        HTTP_REFERER="https://evil.example/phish",
    )
    assert elsewhere["Location"] == reverse("fleet:vehicle", args=["truk-01"])


def test_a_second_resolve_is_refused_with_a_message(idle_truck, dlh, dishub) -> None:
    client = _client(Role.OPERATOR, dlh, dishub)
    url = reverse("fleet:alert_resolve", args=[idle_truck.pk])
    client.post(url, {"note": "Selesai"})
    before = snapshot(idle_truck)
    again = client.post(url, {"note": "Lagi"}, follow=True)
    assert "Peringatan ini sudah selesai." in again.content.decode()
    assert snapshot(idle_truck) == before


def test_a_too_long_note_is_refused(idle_truck, dlh, dishub) -> None:
    client = _client(Role.OPERATOR, dlh, dishub)
    before = snapshot(idle_truck)
    response = client.post(
        reverse("fleet:alert_resolve", args=[idle_truck.pk]), {"note": "x" * 2001}, follow=True
    )
    assert "Periksa kembali isian formulir." in response.content.decode()
    assert snapshot(idle_truck) == before


def test_the_actions_are_post_only(idle_truck, dlh, dishub) -> None:
    client = _client(Role.OPERATOR, dlh, dishub)
    assert client.get(reverse("fleet:alert_acknowledge", args=[idle_truck.pk])).status_code == 405
    assert client.get(reverse("fleet:alert_resolve", args=[idle_truck.pk])).status_code == 405
    assert snapshot(idle_truck)[0] == "open"


def test_the_actions_need_a_csrf_token(idle_truck, dlh, dishub) -> None:
    client = _client(Role.OPERATOR, dlh, dishub)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("fleet:alert_acknowledge", args=[idle_truck.pk]))
    assert response.status_code == 403
    assert snapshot(idle_truck)[0] == "open"
