"""Operators handle sensor alerts on staff pages and over the API: list with filters, detail
with its audit trail, acknowledge and resolve. Only operators and administrators may act; every
other caller is refused and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from terang.controlroom.alerts.services import acknowledge_alert, raise_alert, resolve_alert
from terang.controlroom.choices import AlertKind, AlertStatus, Severity
from terang.controlroom.models import Alert, AlertRule, Parameter
from terang.core.audit import chain_name
from terang.core.choices import Role
from terang.core.models import AuditEntry
from tests.factories import AgencyFactory, UserFactory, login_verified, make_staff
from tests.helpers import client_for

from .air_helpers import air_station

pytestmark = pytest.mark.django_db

API = "/api/v1/alerts"
NOW = timezone.now().replace(microsecond=0)  # JSON keeps milliseconds only


@pytest.fixture
def agency():
    return AgencyFactory(code="DLH", name="Dinas Lingkungan Hidup")


@pytest.fixture
def station(agency):
    return air_station("aqms-01", agency=agency)


def rule(severity: str = Severity.WARNING, name: str = "PM2.5 tinggi") -> AlertRule:
    return AlertRule.objects.create(
        name=name,
        kind=AlertKind.THRESHOLD,
        parameter=Parameter.objects.get(code="pm25"),
        threshold=150.0,
        severity=severity,
    )


def open_alert(
    station,
    severity: str = Severity.WARNING,
    name: str = "PM2.5 tinggi",
    at: dt.datetime | None = None,
) -> Alert:
    return raise_alert(
        rule=rule(severity, name),
        station=station,
        value=160.0,
        at=at or NOW - dt.timedelta(minutes=5),
        message=f"{name}: 160",
    )


def user(role: str, agency=None):
    if role == "citizen":
        return UserFactory(role=Role.CITIZEN)
    return make_staff(role, agency=agency)


def audit_actions(alert: Alert) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(chain=chain_name(alert))
        .order_by("seq")
        .values_list("action", "actor_label")
    )


def snapshot(alert: Alert) -> tuple:
    alert.refresh_from_db()
    return (
        alert.status,
        alert.acknowledged_by_id,
        alert.resolved_by_id,
        alert.resolution_note,
        len(audit_actions(alert)),
    )


# --- list and detail pages --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "own_agency", "status", "sees"),
    [
        (None, False, 302, False),
        ("citizen", False, 403, False),
        (Role.OFFICER, False, 200, False),
        (Role.OFFICER, True, 200, True),
        (Role.AGENCY_HEAD, True, 200, True),
        (Role.INSPECTORATE, False, 200, True),
        (Role.OPERATOR, False, 200, True),
        (Role.ADMIN, False, 200, True),
    ],
)
def test_alert_list_permission_matrix(station, agency, role, own_agency, status, sees):
    alert = open_alert(station)
    person = None
    if role is not None:
        person = user(
            role,
            agency
            if own_agency
            else AgencyFactory(code="DISHUB")
            if role in (Role.OFFICER, Role.AGENCY_HEAD)
            else None,
        )

    response = client_for(person).get("/ruang-kendali/peringatan/")

    assert response.status_code == status
    assert (alert.message in response.content.decode()) is sees


def test_list_shows_active_alerts_most_severe_first_and_recently_resolved(station):
    warning = open_alert(station, Severity.WARNING, "PM2.5 tinggi")
    danger = open_alert(station, Severity.DANGER, "PM2.5 sangat tinggi")
    done = open_alert(station, Severity.INFO, "Sensor diam")
    operator = user(Role.OPERATOR)
    resolve_alert(actor=operator, alert=done, note="Listrik pulih")

    html = client_for(operator).get("/ruang-kendali/peringatan/").content.decode()

    active = html[html.index('id="active-h"') : html.index('id="resolved-h"')]
    resolved = html[html.index('id="resolved-h"') :]
    assert active.index(danger.message) < active.index(warning.message)
    assert done.message not in active
    assert done.message in resolved


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"severity": "danger"}, {"PM2.5 sangat tinggi: 160"}),
        ({"status": "acknowledged"}, {"PM2.5 tinggi: 160"}),
        ({"station": "aqms-02"}, {"Sensor diam: 160"}),
        ({}, {"PM2.5 tinggi: 160", "PM2.5 sangat tinggi: 160", "Sensor diam: 160"}),
    ],
)
def test_list_filters_by_status_severity_and_station(station, query, expected):
    operator = user(Role.OPERATOR)
    acknowledge_alert(actor=operator, alert=open_alert(station, Severity.WARNING, "PM2.5 tinggi"))
    open_alert(station, Severity.DANGER, "PM2.5 sangat tinggi")
    open_alert(air_station("aqms-02"), Severity.INFO, "Sensor diam")

    html = client_for(operator).get("/ruang-kendali/peringatan/", query).content.decode()

    active = html[html.index('id="active-h"') : html.index('id="resolved-h"')]
    shown = {
        m
        for m in ["PM2.5 tinggi: 160", "PM2.5 sangat tinggi: 160", "Sensor diam: 160"]
        if f">{m}</a>" in active
    }
    assert shown == expected


def test_invalid_filter_is_422(station):
    response = client_for(user(Role.OPERATOR)).get(
        "/ruang-kendali/peringatan/", {"severity": "kiamat"}
    )
    assert response.status_code == 422


def test_detail_offers_actions_to_operators_only(station):
    alert = open_alert(station)
    url = f"/ruang-kendali/peringatan/{alert.pk}/"

    operator_html = client_for(user(Role.OPERATOR)).get(url).content.decode()
    inspector_html = client_for(user(Role.INSPECTORATE)).get(url).content.decode()

    assert f'action="/ruang-kendali/peringatan/{alert.pk}/tangani"' in operator_html
    assert f'action="/ruang-kendali/peringatan/{alert.pk}/selesaikan"' in operator_html
    assert "/tangani" not in inspector_html and "/selesaikan" not in inspector_html
    assert "Hanya operator ruang kendali yang dapat menangani peringatan." in inspector_html
    assert "<strong>Dibuka</strong>" in operator_html


def test_officer_of_another_agency_gets_404_for_the_alert(station):
    alert = open_alert(station)
    other = user(Role.OFFICER, AgencyFactory(code="DISHUB"))
    response = client_for(other).get(f"/ruang-kendali/peringatan/{alert.pk}/")
    assert response.status_code == 404


# --- acknowledge and resolve (HTML) -----------------------------------------------------------


def test_operator_acknowledges_then_resolves_with_audit_entries(station):
    alert = open_alert(station)
    operator = user(Role.OPERATOR)
    client = client_for(operator)

    response = client.post(f"/ruang-kendali/peringatan/{alert.pk}/tangani")
    assert response.status_code == 302
    assert response["Location"] == f"/ruang-kendali/peringatan/{alert.pk}/"
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == (AlertStatus.ACKNOWLEDGED, operator)

    response = client.post(
        f"/ruang-kendali/peringatan/{alert.pk}/selesaikan", {"note": " Filter sensor dibersihkan "}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by, alert.resolution_note) == (
        AlertStatus.RESOLVED,
        operator,
        "Filter sensor dibersihkan",
    )
    assert audit_actions(alert) == [
        ("alert.raised", "system"),
        ("alert.acknowledged", operator.username),
        ("alert.resolved", operator.username),
    ]
    resolved_entry = AuditEntry.objects.get(chain=chain_name(alert), action="alert.resolved")
    assert resolved_entry.payload["note"] == "Filter sensor dibersihkan"

    page = client.get(response["Location"]).content.decode()
    assert "Peringatan diselesaikan." in page
    assert "Filter sensor dibersihkan" in page
    assert "<strong>Ditangani</strong>" in page and "<strong>Diselesaikan</strong>" in page


def test_admin_may_resolve_an_open_alert_directly(station):
    alert = open_alert(station)
    admin = user(Role.ADMIN)
    response = client_for(admin).post(
        f"/ruang-kendali/peringatan/{alert.pk}/selesaikan", {"note": "Alarm palsu"}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by) == (AlertStatus.RESOLVED, admin)


@pytest.mark.parametrize("action", ["tangani", "selesaikan"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("citizen", 403),
        (Role.OFFICER, 403),
        (Role.AGENCY_HEAD, 403),
        (Role.INSPECTORATE, 403),
    ],
)
def test_others_are_refused_and_nothing_changes(station, agency, role, status, action):
    alert = open_alert(station)
    before = snapshot(alert)
    person = user(role, agency if role in (Role.OFFICER, Role.AGENCY_HEAD) else None)

    response = client_for(person).post(
        f"/ruang-kendali/peringatan/{alert.pk}/{action}", {"note": "Saya coba"}
    )

    assert response.status_code == status
    assert snapshot(alert) == before
    if role != "citizen":
        assert "Hanya operator ruang kendali" in response.content.decode()


def test_anonymous_post_is_sent_to_login_and_nothing_changes(station):
    alert = open_alert(station)
    before = snapshot(alert)
    response = Client().post(f"/ruang-kendali/peringatan/{alert.pk}/tangani")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('core:login')}?next=/ruang-kendali/peringatan/{alert.pk}/tangani"
    )
    assert snapshot(alert) == before


def test_acknowledging_twice_is_409_and_nothing_changes(station):
    alert = open_alert(station)
    operator = user(Role.OPERATOR)
    acknowledge_alert(actor=operator, alert=alert)
    before = snapshot(alert)

    response = client_for(user(Role.OPERATOR)).post(f"/ruang-kendali/peringatan/{alert.pk}/tangani")

    assert response.status_code == 409
    assert "Hanya peringatan terbuka yang dapat ditangani." in response.content.decode()
    assert snapshot(alert) == before


def test_resolve_needs_a_note(station):
    alert = open_alert(station)
    before = snapshot(alert)
    response = client_for(user(Role.OPERATOR)).post(
        f"/ruang-kendali/peringatan/{alert.pk}/selesaikan", {"note": "  "}
    )
    assert response.status_code == 422
    assert snapshot(alert) == before


def test_forms_need_the_csrf_token(station):
    alert = open_alert(station)
    before = snapshot(alert)
    client = Client(enforce_csrf_checks=True)
    login_verified(client, user(Role.OPERATOR))
    response = client.post(f"/ruang-kendali/peringatan/{alert.pk}/tangani")
    assert response.status_code == 403
    assert snapshot(alert) == before


def test_get_on_an_action_url_is_405(station):
    alert = open_alert(station)
    response = client_for(user(Role.OPERATOR)).get(f"/ruang-kendali/peringatan/{alert.pk}/tangani")
    assert response.status_code == 405


# --- API --------------------------------------------------------------------------------------


def test_api_list_shape_for_an_operator(station):
    alert = open_alert(station, Severity.DANGER)
    operator = user(Role.OPERATOR)

    response = client_for(operator).get(API, {"status": "active"})

    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    (item,) = body["items"]
    assert item == {
        "id": alert.pk,
        "status": "open",
        "status_label": "Terbuka",
        "severity": "danger",
        "severity_label": "Bahaya",
        "station": {"code": "aqms-01", "name": "Stasiun aqms-01"},
        "rule": {"id": alert.rule_id, "name": "PM2.5 tinggi", "kind": "threshold"},
        "message": "PM2.5 tinggi: 160",
        "value": 160.0,
        "occurrences": 1,
        "first_seen_at": item["first_seen_at"],
        "last_seen_at": item["last_seen_at"],
        "acknowledged_by": None,
        "acknowledged_at": None,
        "resolved_by": None,
        "resolved_at": None,
        "resolution_note": "",
        "can_manage": True,
        "url": f"/ruang-kendali/peringatan/{alert.pk}/",
    }
    assert dt.datetime.fromisoformat(item["first_seen_at"]) == alert.first_seen_at


def test_api_list_pages_with_a_cursor_newest_first(station):
    alerts = [open_alert(air_station(f"aqms-1{n}"), name=f"Aturan {n}") for n in range(3)]
    client = client_for(user(Role.OPERATOR))

    first = client.get(API, {"limit": 2}).json()
    second = client.get(API, {"limit": 2, "cursor": first["next_cursor"]}).json()

    assert [i["id"] for i in first["items"]] == [alerts[2].pk, alerts[1].pk]
    assert [i["id"] for i in second["items"]] == [alerts[0].pk]
    assert second["next_cursor"] is None


def test_api_list_is_scoped_for_officers(station, agency):
    mine = open_alert(station)
    open_alert(air_station("aqms-02"), name="Lain")
    officer = user(Role.OFFICER, agency)

    body = client_for(officer).get(API).json()

    assert [i["id"] for i in body["items"]] == [mine.pk]
    assert body["items"][0]["can_manage"] is False


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("citizen", 403, "permission_denied"),
    ],
)
def test_api_list_refuses_non_staff(station, role, status, code):
    open_alert(station)
    response = client_for(user(role) if role else None).get(API)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    ("query", "field"), [({"status": "x"}, "status"), ({"severity": "x"}, "severity")]
)
def test_api_list_rejects_unknown_filters(station, query, field):
    response = client_for(user(Role.OPERATOR)).get(API, query)
    assert response.status_code == 422
    assert field in response.json()["error"]["details"]["allowed"]


def test_api_operator_acknowledges_and_resolves(station):
    alert = open_alert(station)
    operator = user(Role.OPERATOR)
    client = client_for(operator)

    acked = client.post(f"{API}/{alert.pk}/acknowledge")
    assert acked.status_code == 200
    assert (acked.json()["status"], acked.json()["acknowledged_by"]) == (
        "acknowledged",
        operator.display_name,
    )

    resolved = client.post(
        f"{API}/{alert.pk}/resolve", {"note": "Selesai"}, content_type="application/json"
    )
    assert resolved.status_code == 200
    assert (resolved.json()["status"], resolved.json()["resolution_note"]) == (
        "resolved",
        "Selesai",
    )
    assert [a for a, _ in audit_actions(alert)] == [
        "alert.raised",
        "alert.acknowledged",
        "alert.resolved",
    ]


def test_api_resolving_a_resolved_alert_is_409_with_the_error_shape(station):
    alert = open_alert(station)
    operator = user(Role.OPERATOR)
    resolve_alert(actor=operator, alert=alert, note="Pertama")
    before = snapshot(alert)

    response = client_for(operator).post(
        f"{API}/{alert.pk}/resolve", {"note": "Kedua"}, content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "invalid_transition",
            "message": "Peringatan ini sudah selesai.",
            "details": {},
        }
    }
    assert snapshot(alert) == before


@pytest.mark.parametrize("role", [Role.OFFICER, Role.INSPECTORATE])
def test_api_non_operators_get_403_and_nothing_changes(station, agency, role):
    alert = open_alert(station)
    before = snapshot(alert)
    client = client_for(user(role, agency if role == Role.OFFICER else None))

    ack = client.post(f"{API}/{alert.pk}/acknowledge")
    res = client.post(f"{API}/{alert.pk}/resolve", {"note": "x"}, content_type="application/json")

    assert (ack.status_code, res.status_code) == (403, 403)
    assert ack.json()["error"]["code"] == "permission_denied"
    assert snapshot(alert) == before


def test_api_resolve_needs_a_note(station):
    alert = open_alert(station)
    before = snapshot(alert)
    response = client_for(user(Role.OPERATOR)).post(
        f"{API}/{alert.pk}/resolve", {"note": ""}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert snapshot(alert) == before


def test_api_unknown_alert_is_404(station):
    response = client_for(user(Role.OPERATOR)).post(f"{API}/999999/acknowledge")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
