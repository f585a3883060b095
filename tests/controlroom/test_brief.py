# ruff: noqa: F811 - fixtures imported from the aspirations conftest are used by name
"""The executive daily brief: a day's figures against the mean of the seven days before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import translation

from terang.aspirations.models import Aspiration
from terang.aspirations.services import submit_aspiration
from terang.controlroom.wall import brief
from tests.aspirations.conftest import INSIDE_A, login_staff

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _received_on(category, day: dt.date, count: int) -> None:
    start, _end = brief.day_bounds(day)
    for n in range(count):
        item = submit_aspiration(
            title=f"Laporan {day} {n}",
            text="Isi laporan.",
            category=category,
            location=INSIDE_A,
            reporter_contact="warga@contoh.id",
        )
        # 23:30 WIB belongs to that city day although it is 16:30 UTC.
        at = start + dt.timedelta(hours=23, minutes=30)
        Aspiration.objects.filter(pk=item.pk).update(created_at=at)


def test_day_bounds_are_city_midnights():
    start, end = brief.day_bounds(DAY)
    assert start == dt.datetime(2026, 11, 9, 17, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 11, 10, 17, 0, tzinfo=dt.UTC)


def test_received_rise_against_the_week_before(kelurahan, category):
    for offset in range(1, 8):
        _received_on(category, DAY - dt.timedelta(days=offset), 2 if offset % 2 else 1)
    _received_on(category, DAY, 3)
    with translation.override("id"):
        line = next(x for x in brief.build_brief(DAY).lines if x.key == "aspirations_received")
    # The seven days before: 2,1,2,1,2,1,2 = 11 -> mean 1.571...; 3 is +90.9 %.
    assert line.value == 3
    assert line.baseline == 1.6
    assert line.change_pct == 90.9
    assert line.tone == "unknown"  # received is neutral: more reports is neither good nor bad
    assert line.sentence == (
        "Aspirasi masuk: 3, naik 90,9% dari rata-rata 7 hari sebelumnya (1,6)."
    )
    assert [bar.value for bar in line.bars] == [2, 1, 2, 1, 2, 1, 2, 3]
    assert [bar.is_focus for bar in line.bars] == [False] * 7 + [True]


def test_small_change_is_worded_as_unchanged(kelurahan, category):
    for offset in range(1, 8):
        _received_on(category, DAY - dt.timedelta(days=offset), 20)
    _received_on(category, DAY, 21)
    with translation.override("id"):
        line = next(x for x in brief.build_brief(DAY).lines if x.key == "aspirations_received")
    assert line.change_pct == 5.0  # exactly the limit counts as a change
    assert "naik 5%" in line.sentence
    cache.clear()
    Aspiration.objects.filter(title__startswith=f"Laporan {DAY} 20").delete()
    _received_on(category, DAY - dt.timedelta(days=1), 0)
    with translation.override("id"):
        line = next(x for x in brief.build_brief(DAY).lines if x.key == "aspirations_received")
    assert line.change_pct == 0.0
    assert line.tone == "same"
    assert line.sentence == ("Aspirasi masuk: 20, setara rata-rata 7 hari sebelumnya (20).")


def test_no_data_is_said_plainly(kelurahan, category):
    _received_on(category, DAY, 2)
    with translation.override("id"):
        lines = {x.key: x for x in brief.build_brief(DAY).lines}
    assert lines["aspirations_rating"].sentence == "Rata-rata penilaian warga: tidak ada data."
    assert (
        lines["aspirations_received"].sentence
        == "Aspirasi masuk: 2; rata-rata 7 hari sebelumnya 0."
    )


def test_page_for_operator_and_agency_head_not_officer(
    client, kelurahan, category, operator, agency_head, officer
):
    login_staff(client, operator)
    response = client.get("/ruang-kendali/ringkasan-harian/")
    assert response.status_code == 200
    assert "Aspirasi masuk" in response.content.decode()
    login_staff(client, agency_head)
    assert client.get("/ruang-kendali/ringkasan-harian/").status_code == 200
    login_staff(client, officer)
    assert client.get("/ruang-kendali/ringkasan-harian/").status_code == 403


def test_page_refuses_bad_and_future_dates(client, operator):
    login_staff(client, operator)
    response = client.get("/ruang-kendali/ringkasan-harian/", {"tanggal": "besok"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    future = client.get("/ruang-kendali/ringkasan-harian/", {"tanggal": "2999-01-01"})
    assert future.status_code == 200
    assert future.context["brief"].day == brief.yesterday()


def test_sensor_figures_of_the_day(db):
    from terang.controlroom.models import IspuStationHourly, QuarantinedMessage
    from tests.controlroom.ingest_fixtures import make_station

    station = make_station()
    start, end = brief.day_bounds(DAY)
    for hours, ispu in ((1, 80), (5, 150), (24, 101), (25, 300)):  # 25 h: the next day
        IspuStationHourly.objects.create(
            station=station,
            hour_end=start + dt.timedelta(hours=hours),
            ispu=ispu,
            category="x",
            critical_parameter="pm25",
            published_at=end,
        )
    QuarantinedMessage.objects.create(received_at=start, reason="malformed_json")
    QuarantinedMessage.objects.create(received_at=end, reason="malformed_json")  # next day
    with translation.override("id"):
        lines = {x.key: x for x in brief.build_brief(DAY).lines}
    assert lines["air_worst_ispu"].value == 150
    assert lines["air_unhealthy_hours"].value == 2
    assert lines["sensor_messages_quarantined"].value == 1
    assert lines["alerts_raised"].value == 0
