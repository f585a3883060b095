# ruff: noqa: F811 - fixtures imported from the aspirations conftest are used by name
"""The control-room wall: snapshot contents, who may see it, the poll API, the no-JS page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from terang.aspirations.models import Aspiration
from terang.aspirations.services import Location, submit_aspiration, verify_aspiration
from terang.controlroom.wall import composer as wall
from tests.aspirations.conftest import GUEST_CONTACT, INSIDE_A, login_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _report(category, title="Lampu jalan mati di Jl. Melati", **extra) -> Aspiration:
    return submit_aspiration(
        title=title,
        text="Sudah tiga malam gelap, rawan kecelakaan.",
        category=category,
        location=extra.pop("location", INSIDE_A),
        reporter_name=extra.pop("reporter_name", "Budi Santoso"),
        reporter_contact=extra.pop("reporter_contact", GUEST_CONTACT),
        **extra,
    )


def test_snapshot_merges_new_reports_counters_and_map(kelurahan, category, operator):
    item = _report(category)
    snap = wall.snapshot(fresh=True)

    keys = [event.key for event in snap.events]
    assert f"aspiration:{item.code}:new" in keys
    counters = {counter.key: counter.value for counter in snap.counters}
    assert counters["aspirations_open"] == 1
    assert counters["aspirations_received_24h"] == 1
    assert counters["aspirations_breached"] == 0
    assert [point.key for point in snap.map_points] == [f"aspiration:{item.code}"]
    assert snap.map_points[0].latitude == INSIDE_A.latitude


def test_events_after_the_cursor_only_with_overlap(kelurahan, category, operator):
    old = _report(category, title="Sampah menumpuk")
    Aspiration.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=10)
    )
    cursor = timezone.now() - dt.timedelta(minutes=1)
    new = _report(category, title="Pohon tumbang")

    keys = [event.key for event in wall.snapshot(cursor).events]
    assert keys == [f"aspiration:{new.code}:new"]
    # An event stamped within OVERLAP before the cursor is still delivered (late commit).
    late_cursor = new.created_at + wall.OVERLAP / 2
    assert f"aspiration:{new.code}:new" in [e.key for e in wall.snapshot(late_cursor).events]


def test_transition_and_disposition_events(kelurahan, category, operator, agency):
    item = _report(category)
    verify_aspiration(actor=operator, aspiration=item, agency=agency)
    titles = [event.title for event in wall.snapshot().events]
    assert any(item.code in title and agency.short_name in title for title in titles)


def test_titles_mask_the_reporters_name(kelurahan, category):
    item = _report(category, title="Budi Santoso minta lampu diperbaiki")
    snap = wall.snapshot(fresh=True)
    new = next(e for e in snap.events if e.key == f"aspiration:{item.code}:new")
    assert "Budi Santoso" not in new.title
    assert all("Budi Santoso" not in point.label for point in snap.map_points)


def test_breaches_and_ping_pong_listed(kelurahan, category):
    item = _report(category)
    Aspiration.objects.filter(pk=item.pk).update(
        breached=True, is_ping_pong=True, disposition_count=3
    )
    snap = wall.snapshot(fresh=True)
    assert [e.key for e in snap.breaches] == [f"aspiration:{item.code}:breach"]
    assert [e.key for e in snap.ping_pong] == [f"aspiration:{item.code}:ping-pong"]
    counters = {counter.key: counter for counter in snap.counters}
    assert counters["aspirations_breached"].value == 1
    assert counters["aspirations_breached"].severity == "danger"


@pytest.mark.parametrize("role", ["operator", "admin", "inspectorate"])
def test_api_for_wall_roles(client, kelurahan, category, role):
    item = _report(category)
    login_staff(client, make_user(f"u-{role}", role))
    response = client.get("/api/v1/wall")
    assert response.status_code == 200
    body = response.json()
    assert f"aspiration:{item.code}:new" in [event["key"] for event in body["events"]]
    assert {event["source_label"] for event in body["events"]} == {"Aspirasi"}
    assert {"now", "cursor", "counters", "map_points", "breaches", "ping_pong"} <= body.keys()

    since = dt.datetime.fromisoformat(body["cursor"])
    again = client.get("/api/v1/wall", {"since": (since + dt.timedelta(seconds=10)).isoformat()})
    assert again.json()["events"] == []


def test_api_refuses_others(client, kelurahan, category, officer, citizen):
    _report(category)
    assert client.get("/api/v1/wall").json()["error"]["code"] == "not_authenticated"
    login_staff(client, officer)
    response = client.get("/api/v1/wall")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    client.force_login(citizen)
    assert client.get("/api/v1/wall").status_code == 403


def test_api_rejects_a_bad_cursor(client, operator):
    login_staff(client, operator)
    response = client.get("/api/v1/wall", {"since": "kemarin"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_api_accepts_a_naive_cursor_as_utc(client, kelurahan, category, operator):
    _report(category)
    login_staff(client, operator)
    naive = (timezone.now() - dt.timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    assert len(client.get("/api/v1/wall", {"since": naive}).json()["events"]) == 1


def test_page_works_without_javascript(client, kelurahan, category, operator):
    item = _report(category)
    login_staff(client, operator)
    response = client.get("/ruang-kendali/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta http-equiv="refresh"' in html
    assert item.code in html
    assert 'id="wall-svg"' in html and f'data-key="aspiration:{item.code}"' in html
    assert 'role="log"' in html


def test_page_refuses_officers_and_sends_strangers_to_login(client, officer):
    assert client.get("/ruang-kendali/").status_code == 302
    login_staff(client, officer)
    assert client.get("/ruang-kendali/").status_code == 403


def test_poll_cost_does_not_grow_with_events(client, kelurahan, category, operator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_staff(client, operator)
    since = (timezone.now() - dt.timedelta(minutes=5)).isoformat()

    def poll_queries() -> int:
        client.get("/api/v1/wall")  # warms the cached slow parts
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/wall", {"since": since}).status_code == 200
        return len(queries)

    _report(category, title="Laporan pertama", location=Location(-6.2, 106.62, "Jl. A"))
    few = poll_queries()
    for n in range(10):
        _report(category, title=f"Laporan nomor {n}", location=Location(-6.2, 106.62, "Jl. A"))
    cache.clear()
    assert poll_queries() == few
