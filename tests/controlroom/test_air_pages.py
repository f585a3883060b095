"""Public air-quality pages: the station list, a station's hourly page with its SVG chart and
data table, and the CSV. No sign-in; category colours always come with their name."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from terang.controlroom.air.publication import publish_hour, publish_hours
from terang.controlroom.models import IspuStationHourly

from .air_helpers import HOUR, add_readings, air_station, current_hour, flat_day, hourly

pytestmark = pytest.mark.django_db


def published_station(
    code: str = "aqms-01", pm25: float = 30.0, o3: float | None = None, hours: int = 1, **extra
):
    """A station with a full day of PM2.5 (and optional O3) published for the last `hours`."""
    last = current_hour()
    station = air_station(code, **extra)
    flat_day(station, "pm25", pm25, end=last, hours=24 + hours)
    if o3 is not None:
        add_readings(station, "o3", hourly(last, [o3] * hours))
    publish_hours(last_hour_end=last, hours=hours)
    return station


def local_hm(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H.%M} WIB"


# --- /udara/ ----------------------------------------------------------------------------------


def test_station_list_shows_ispu_category_in_words_and_colour_dominant_pollutant_and_time(client):
    published_station("aqms-01", pm25=30.0, o3=300.0)  # PM2.5 68, O3 139: O3 dominates

    response = client.get("/udara/")

    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index("Stasiun aqms-01") : html.index("</tr>", html.index("Stasiun aqms-01"))]
    assert '<td class="num">139</td>' in row
    assert (
        '<span class="ispu-category" style="background:#cccc00;color:#000000">Tidak Sehat</span>'
    ) in row
    assert "<td>O3</td>" in row
    assert local_hm(current_hour()) in row
    assert "kurangi aktivitas di luar ruangan dan gunakan masker" in row


def test_hazardous_category_is_white_text_on_black(client):
    published_station("aqms-01", pm25=300.0)  # (250.4, 500]: 300 + 200 * 49.6 / 249.6 = 339.7

    html = client.get("/udara/").content.decode()

    assert '<td class="num">340</td>' in html
    assert (
        '<span class="ispu-category" style="background:#000000;color:#ffffff">Berbahaya</span>'
    ) in html


def test_legend_lists_every_category_with_range_name_and_health_advice(client):
    html = client.get("/udara/").content.decode()

    for name, colours, span in [
        ("Baik", "background:#00cc00;color:#000000", "0–50"),
        ("Sedang", "background:#0000cc;color:#ffffff", "51–100"),
        ("Tidak Sehat", "background:#cccc00;color:#000000", "101–200"),
        ("Sangat Tidak Sehat", "background:#cc0000;color:#ffffff", "201–300"),
        ("Berbahaya", "background:#000000;color:#ffffff", "301 ke atas"),
    ]:
        assert f'style="{colours}">{name}</span>' in html
        assert f"<td>{span}</td>" in html
    assert "hindari aktivitas di luar ruangan" in html


def test_station_without_any_publication_says_data_is_insufficient(client):
    air_station("aqms-02")

    html = client.get("/udara/").content.decode()

    assert "Stasiun aqms-02" in html
    assert '<span class="ispu-category ispu-none">data tidak cukup</span>' in html
    assert "Belum ada ISPU yang diterbitkan." in html


def test_stale_publication_is_flagged_as_insufficient_for_the_last_hours(client):
    last = current_hour()
    station = air_station("aqms-01", parameters=("o3",))
    add_readings(station, "o3", [(last - 5 * HOUR, 100.0)])
    publish_hour(hour_end=last - 5 * HOUR)

    html = client.get("/udara/").content.decode()

    assert "Data tidak cukup untuk 2 jam terakhir" in html
    assert local_hm(last - 5 * HOUR) in html


def test_inactive_and_non_air_stations_are_not_listed(client):
    air_station("aqms-tutup", is_active=False)
    air_station("pda-01", parameters=(), kind="water_level")

    html = client.get("/udara/").content.decode()

    assert "aqms-tutup" not in html and "pda-01" not in html
    assert "Belum ada stasiun pemantau kualitas udara." in html


def test_public_pages_read_only_the_published_tables(client):
    station = published_station("aqms-01", o3=100.0, hours=3)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/udara/").status_code == 200
        assert client.get(f"/udara/{station.code}/").status_code == 200
        assert client.get(f"/udara/{station.code}/ispu.csv").status_code == 200

    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "controlroom_ispustationhourly" in sql
    assert "controlroom_reading" not in sql
    assert "controlroom_latestreading" not in sql


# --- /udara/<station>/ ------------------------------------------------------------------------


def test_station_page_chart_has_one_coloured_bar_per_published_hour(client):
    station = published_station("aqms-01", o3=300.0, hours=3)

    response = client.get(f"/udara/{station.code}/")

    assert response.status_code == 200
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<desc" in svg
    assert svg.count('class="bar"') == 3
    assert svg.count('fill="#cccc00"') == 3
    assert f"<title>{local_hm(current_hour())}: ISPU 139 (Tidak Sehat)</title>" in svg
    assert ">139</text>" in svg


def test_station_page_tables_show_every_hour_and_say_when_data_is_insufficient(client):
    station = published_station("aqms-01", o3=300.0, hours=3)

    html = client.get(f"/udara/{station.code}/").content.decode()

    chart_table = html[html.index('class="ispu-chart-data"') :]
    chart_table = chart_table[: chart_table.index("</table>")]
    assert chart_table.count("<tr>") == 25  # header + 24 hours
    assert chart_table.count("data tidak cukup") == 21
    hourly_table = html[html.index('class="ispu-hourly"') :]
    hourly_table = hourly_table[: hourly_table.index("</table>")]
    assert (
        '<th scope="col">PM2.5</th>' in hourly_table and '<th scope="col">O3</th>' in hourly_table
    )
    assert "30,0 µg/m³<br>ISPU 68 <small>(Sedang)</small>" in hourly_table
    assert "300,0 µg/m³<br>ISPU 139 <small>(Tidak Sehat)</small>" in hourly_table
    assert "kritis: O3" in hourly_table


def test_station_page_48_hours_lists_48_rows(client):
    station = published_station("aqms-01")

    html = client.get(f"/udara/{station.code}/?jam=48").content.decode()

    hourly_table = html[html.index('class="ispu-hourly"') :]
    hourly_table = hourly_table[: hourly_table.index("</table>")]
    assert hourly_table.count("<tr>") == 49
    assert "48 jam terakhir</caption>" in hourly_table


@pytest.mark.parametrize("code", ["tidak-ada", "pda-01"])
def test_unknown_or_non_air_station_is_404(client, code):
    air_station("pda-01", parameters=(), kind="water_level")
    assert client.get(f"/udara/{code}/").status_code == 404
    assert client.get(f"/udara/{code}/ispu.csv").status_code == 404


def test_csv_has_one_row_per_published_hour_and_parameter(client):
    station = published_station("aqms-01", o3=300.0, hours=2)
    last = current_hour()

    response = client.get(f"/udara/{station.code}/ispu.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "station",
        "hour_end_utc",
        "hour_end_local",
        "parameter",
        "concentration_ugm3",
        "averaging_hours",
        "hours_with_data",
        "ispu",
        "category",
        "is_critical",
    ]
    earlier = (last - HOUR).strftime("%Y-%m-%dT%H:%M:%SZ")
    latest = last.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [row[:2] + row[3:] for row in rows[1:]] == [
        ["aqms-01", earlier, "pm25", "30.0", "24", "24", "68", "sedang", "false"],
        ["aqms-01", earlier, "o3", "300.0", "1", "1", "139", "tidak_sehat", "true"],
        ["aqms-01", latest, "pm25", "30.0", "24", "24", "68", "sedang", "false"],
        ["aqms-01", latest, "o3", "300.0", "1", "1", "139", "tidak_sehat", "true"],
    ]
    assert rows[-1][2] == timezone.localtime(last).isoformat()
    assert IspuStationHourly.objects.count() == 2


def test_legend_names_each_parameters_averaging_period(client):
    html = client.get("/udara/").content.decode()
    assert (
        "PM2.5 24 jam, PM10 24 jam, SO2 24 jam, CO 8 jam, O3 1 jam, NO2 1 jam, HC 3 jam."
        in " ".join(html.split())
    )
