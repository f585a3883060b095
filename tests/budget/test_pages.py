"""Public explorer pages and their CSV downloads: anonymous, no JavaScript, numbers written
the Indonesian way, and every view downloadable with the same parameters."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

from terang.budget.services import import_budget
from tests.helpers import LAYOUT_SCRIPTS, page_scripts

from .conftest import NOW
from .helpers import budget_csv, small_budget

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def text(response) -> str:
    return response.content.decode()


def rows_of(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_years_page_lists_the_year(client, imported):
    response = client.get("/apbd/")

    assert response.status_code == 200
    body = text(response)
    assert '<a href="/apbd/2026/">2026</a>' in body
    assert f"Rp{NBSP}4,90{NBSP}miliar" in body
    assert f"14,71{NBSP}%" in body


def test_year_page_totals_chart_and_tables(client, imported):
    response = client.get("/apbd/2026/")

    assert response.status_code == 200
    body = text(response)
    assert page_scripts(body) == LAYOUT_SCRIPTS  # the chart itself needs no script
    assert f"Rp{NBSP}4.900.000.000" in body and f"Rp{NBSP}721.000.000" in body
    assert f"−Rp{NBSP}700.000.000" in body  # the planned deficit
    assert "Defisit" in body
    assert 'role="img"' in body and '<title id="monthly-title">' in body
    assert body.count("<caption>") == 2
    assert '<th scope="row">Maret</th>' in body and "April</th>" not in body
    assert 'href="/apbd/2026/rekening/?kode=5.1"' in body
    assert 'href="/apbd/2026/ringkasan.csv"' in body
    assert 'href="/api/v1/budget/years/2026"' in body
    assert 'href="/apbd/2026/data.csv"' in body


def test_version_selector_shows_the_murni_after_an_apbd_p(client, imported, admin_user):
    rows = small_budget()
    rows[3]["pagu"] = 1_300_000_000
    import_budget(
        file=budget_csv(rows),
        file_name="p.csv",
        year=2026,
        kind="perubahan",
        actor=admin_user,
        now=NOW,
    )

    default = text(client.get("/apbd/2026/"))
    original = text(client.get("/apbd/2026/", {"versi": 1}))

    assert f"Rp{NBSP}5.000.000.000" in default and "APBD perubahan (APBD-P), impor ke-2" in default
    assert f"Rp{NBSP}4.900.000.000" in original and "APBD murni, impor ke-1" in original
    assert '<option value="1" selected>' in original
    assert 'href="/apbd/2026/ringkasan.csv?versi=1"' in original


def test_spending_drill_down_page(client, imported):
    response = client.get("/apbd/2026/belanja/", {"opd": "DINKES", "kode": "1.02.02"})

    assert response.status_code == 200
    body = text(response)
    assert '<a href="/apbd/2026/belanja/?opd=DINKES">Dinas Kesehatan</a>' in body
    assert '<span aria-current="page">1.02.02</span>' in body
    assert 'href="/apbd/2026/belanja/?opd=DINKES&amp;kode=1.02.02.2.01"' in body
    assert f"92,31{NBSP}%" in body  # share of the program's plan
    assert 'href="/apbd/2026/belanja.csv?opd=DINKES&amp;kode=1.02.02"' in body
    assert 'href="/api/v1/budget/years/2026/spending?opd=DINKES&amp;kode=1.02.02"' in body
    assert page_scripts(body) == LAYOUT_SCRIPTS  # the chart itself needs no script


def test_account_page_marks_revenue_above_target(client, agencies, admin_user):
    rows = small_budget()
    rows[0]["realisasi_03"] = 900_000_000  # the billboard tax beats its target
    import_budget(
        file=budget_csv(rows),
        file_name="a.csv",
        year=2026,
        kind="murni",
        actor=admin_user,
        now=NOW,
    )

    body = text(client.get("/apbd/2026/rekening/", {"kode": "4.1.01"}))

    assert f"107,00{NBSP}%" in body and "melampaui target" in body


@pytest.mark.parametrize(
    ("url", "params", "status"),
    [
        ("/apbd/2020/", {}, 404),
        ("/apbd/2026/", {"versi": 9}, 404),
        ("/apbd/2026/", {"versi": "satu"}, 422),
        ("/apbd/2026/belanja/", {"opd": "DINSOS"}, 404),
        ("/apbd/2026/belanja/", {"kode": "5.1"}, 422),
        ("/apbd/2026/rekening/", {"kode": "7.1"}, 422),
        ("/apbd/2026/perbandingan/", {}, 404),  # no 2025 budget
        ("/apbd/2026/perbandingan/", {"dengan": 2026}, 422),
        ("/apbd/2026/belanja.csv", {"opd": "DINSOS"}, 404),
        ("/apbd/2020/data.csv", {}, 404),
    ],
)
def test_errors_are_pages_not_stack_traces(client, imported, url, params, status):
    response = client.get(url, params)

    assert response.status_code == status
    assert "Traceback" not in text(response)


def test_spending_csv_has_exactly_the_rows_shown(client, imported):
    response = client.get("/apbd/2026/belanja.csv", {"opd": "DINKES"})

    assert response["Content-Disposition"] == 'attachment; filename="apbd-2026-belanja-DINKES.csv"'
    rows = rows_of(response)
    assert [
        (
            r["tingkat"],
            r["kode"],
            r["pagu"],
            r["realisasi"],
            r["serapan_persen"],
            r["porsi_pagu_persen"],
        )
        for r in rows
    ] == [
        ("program", "1.02.01", "1200000000", "300000000", "25.00", "48.00"),
        ("program", "1.02.02", "1300000000", "70000000", "5.38", "52.00"),
    ]
    assert rows[0]["filter_opd"] == "DINKES" and rows[0]["realisasi_01"] == "100000000"


def test_accounts_csv_and_summary_csv(client, imported):
    accounts = rows_of(client.get("/apbd/2026/rekening.csv", {"kode": "6"}))
    summary = rows_of(client.get("/apbd/2026/ringkasan.csv"))

    assert [(r["kode"], r["pagu"], r["realisasi"]) for r in accounts] == [
        ("6.1", "400000000", "400000000"),
        ("6.2", "100000000", "0"),
    ]
    assert [(r["tingkat"], r["kode"], r["pagu"]) for r in summary][-3:] == [
        ("kelompok", "6.2", "100000000"),
        ("surplus_defisit", "", "-700000000"),
        ("silpa", "", "-400000000"),
    ]


def test_years_csv_and_dataset_csv(client, imported):
    years = rows_of(client.get("/apbd/tahun.csv"))
    dataset = client.get("/apbd/2026/data.csv")

    assert [
        (r["tahun"], r["versi"], r["belanja_pagu"], r["belanja_serapan_persen"]) for r in years
    ] == [("2026", "1", "4900000000", "14.71")]
    assert dataset["Content-Disposition"] == 'attachment; filename="apbd-2026.csv"'
    assert len(rows_of(dataset)) == 12


def test_comparison_page_and_csv(client, imported, admin_user):
    older = small_budget()
    for row in older:
        row["pagu"] = int(row["pagu"]) * 2
    import_budget(
        file=budget_csv(older),
        file_name="a.csv",
        year=2025,
        kind="murni",
        actor=admin_user,
        now=NOW,
    )

    page = client.get("/apbd/2026/perbandingan/")
    rows = rows_of(client.get("/apbd/2026/perbandingan.csv", {"dengan": 2025}))

    assert page.status_code == 200
    assert f"−50,00{NBSP}%" in text(page)
    spending = next(r for r in rows if r["kode"] == "5")
    assert (spending["pagu"], spending["pagu_pembanding"], spending["perubahan_pagu_persen"]) == (
        "4900000000",
        "9800000000",
        "-50.00",
    )
    assert spending["realisasi_sd_bulan"] == "3"


def test_drill_down_page_query_count(client, imported, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/apbd/2026/belanja/", {"opd": "DINKES", "kode": "1.02.02"})
    assert response.status_code == 200


def test_every_link_of_the_demo_explorer_works(client):
    """Crawl the explorer of the demo city from /apbd/ (a bounded walk)."""
    import datetime as dt
    import random
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from terang.demo import budget as demo_budget
    from terang.demo.accounts import create_accounts
    from terang.demo.city import build_city

    now = dt.datetime(2026, 3, 15, tzinfo=ZoneInfo("Asia/Jakarta"))
    with translation.override("id"):
        city = build_city(random.Random(1), now.date())
        accounts = create_accounts(random.Random(2), city.agencies, pool_size=1, anchor=now)
        demo_budget.create(city, accounts, now=now, rng=random.Random(3))

    seen, todo, failures = set(), ["/apbd/"], []
    while todo and len(seen) < 120:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
            continue
        if response["Content-Type"].startswith("text/html"):
            for href in re.findall(r'href="([^"]+)"', text(response)):
                href = unescape(href)
                if href.startswith(("/apbd/", "/api/v1/budget")) and href not in seen:
                    todo.append(href)
    assert failures == []
    assert len(seen) == 120
