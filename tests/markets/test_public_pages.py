"""The public price pages (no login) and their CSV downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tests.helpers import LAYOUT_SCRIPTS, page_scripts

from .helpers import put_prices

pytestmark = pytest.mark.django_db


@pytest.fixture
def priced(panel, pasar_baru, pasar_lama, beras, cabai, today):
    """Beras: a flat week at 13,000 / 13,400, then 14,000 / 14,600 on the latest day (a week
    later). Cabai: one market, two days only. Minyak: no price at all."""
    end = today - dt.timedelta(days=1)
    put_prices(pasar_baru, beras, [13000] + [None] * 6 + [14000], end=end)
    put_prices(pasar_lama, beras, [13400] + [None] * 6 + [14600], end=end)
    put_prices(pasar_baru, cabai, [45000, 47000], end=end)
    return end


def test_page_without_data_says_so(client, db):
    response = client.get("/harga-pasar/")

    assert response.status_code == 200
    assert "Belum ada data harga yang dapat ditampilkan." in response.content.decode()


def test_page_shows_city_average_range_and_weekly_change(client, priced):
    response = client.get("/harga-pasar/")

    html = response.content.decode()
    assert response.status_code == 200
    summaries = {s.commodity.code: s for s in response.context["summaries"]}
    beras = summaries["beras-medium"]
    assert (beras.date, beras.average, beras.minimum, beras.maximum) == (
        priced,
        14300,
        14000,
        14600,
    )
    assert (beras.minimum_markets, beras.maximum_markets) == (("Pasar Baru",), ("Pasar Lama",))
    assert (beras.previous_date, beras.previous_average) == (priced - dt.timedelta(days=7), 13200)
    assert (beras.direction, str(beras.change_percent)) == ("up", "8.3")
    assert summaries["cabai-merah-keriting"].direction == ""
    assert summaries["minyak-goreng-curah"].date is None
    assert "Rp\xa014.300" in html
    assert "naik 8,3\xa0%" in html  # the word and the number, not only a colour
    assert "belum ada pembanding" in html
    assert "belum ada data" in html


def test_filter_by_market_shows_that_markets_price(client, priced):
    response = client.get("/harga-pasar/?pasar=pasar-lama")

    beras = response.context["summaries"][0]
    assert (beras.average, beras.previous_average, beras.markets_reporting) == (14600, 13400, 1)
    assert "Harga terkini di Pasar Lama" in response.content.decode()


def test_latest_csv_has_the_rows_shown(client, priced):
    response = client.get("/harga-pasar/harga-terkini.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["komoditas_kode"] for r in rows] == [
        "beras-medium",
        "cabai-merah-keriting",
        "minyak-goreng-curah",
    ]
    assert {k: rows[0][k] for k in ("harga_rata_rata", "harga_terendah", "perubahan_persen")} == {
        "harga_rata_rata": "14300",
        "harga_terendah": "14000",
        "perubahan_persen": "8.3",
    }
    assert rows[2]["harga_rata_rata"] == ""


def test_commodity_page_draws_an_svg_chart_with_a_data_table(client, priced):
    response = client.get("/harga-pasar/beras-medium/?hari=60")

    html = response.content.decode()
    assert response.status_code == 200
    series = response.context["series"]
    assert (series.days, series.end, len(series.points)) == (60, priced, 2)
    assert '<svg viewBox="0 0 720 280" role="img"' in html
    assert "<circle" in html  # two lone days (a gap between them): dots, no line across
    assert "<path" not in html
    assert "<caption>Harga harian Beras medium, terbaru di atas</caption>" in html
    assert page_scripts(html) == LAYOUT_SCRIPTS  # the chart itself needs no script


def test_commodity_page_draws_a_line_over_consecutive_days(client, priced):
    response = client.get("/harga-pasar/cabai-merah-keriting/")

    html = response.content.decode()
    assert html.count('<path class="line"') == 1
    assert html.count('<polygon class="band"') == 1


def test_commodity_page_for_one_market(client, priced):
    response = client.get("/harga-pasar/beras-medium/?pasar=pasar-baru")

    points = response.context["series"].points
    assert [(p.average, p.markets) for p in points] == [(13000, 1), (14000, 1)]
    assert "Terendah" not in response.content.decode()


def test_commodity_page_without_data(client, panel):
    response = client.get("/harga-pasar/minyak-goreng-curah/")

    assert response.status_code == 200
    assert "Belum ada data harga untuk periode ini." in response.content.decode()


def test_unknown_commodity_is_404(client, panel):
    response = client.get("/harga-pasar/kangkung/")

    assert response.status_code == 404
    assert "Komoditas tidak ditemukan." in response.content.decode()


def test_commodity_csv(client, priced):
    response = client.get("/harga-pasar/beras-medium/tren.csv?hari=30")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    start = (priced - dt.timedelta(days=7)).isoformat()
    assert rows == [
        [
            "tanggal",
            "pasar",
            "komoditas_kode",
            "satuan",
            "harga_rata_rata",
            "harga_terendah",
            "harga_tertinggi",
            "jumlah_pasar",
        ],
        [start, "", "beras-medium", "kg", "13200", "13000", "13400", "2"],
        [priced.isoformat(), "", "beras-medium", "kg", "14300", "14000", "14600", "2"],
    ]


def test_unknown_filter_values_are_shown_as_form_errors(client, priced):
    response = client.get("/harga-pasar/beras-medium/?pasar=pasar-x&hari=7")

    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"pasar", "hari"}
    assert response.context["series"].days == 30
