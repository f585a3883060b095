"""The demo budget: two years built on the demo city through the real import service."""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from terang.budget import selectors
from terang.budget.choices import VersionKind, YearStatus
from terang.budget.models import BudgetLine, BudgetVersion, BudgetYear
from terang.core import audit
from terang.demo import budget as demo_budget
from terang.demo.accounts import create_accounts
from terang.demo.city import build_city

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime(2026, 3, 15, tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(dt.UTC)


@pytest.fixture
def created():  # type: ignore[no-untyped-def]
    with translation.override("id"):
        city = build_city(random.Random(1), TODAY)
        accounts = create_accounts(random.Random(2), city.agencies, pool_size=1, anchor=NOW)
        started = time.perf_counter()
        counts = demo_budget.create(city, accounts, now=NOW, rng=random.Random(3))
        counts["seconds"] = time.perf_counter() - started
    return counts


def test_two_years_three_versions_and_last_year_closed(created):
    assert created["seconds"] < 5
    years = {y.year: y for y in BudgetYear.objects.all()}
    assert sorted(years) == [2025, 2026]
    assert years[2025].status == YearStatus.CLOSED
    assert years[2026].status == YearStatus.OPEN
    versions = list(
        BudgetVersion.objects.order_by("budget_year__year", "number").values_list(
            "budget_year__year", "number", "kind", "is_current", "realised_through"
        )
    )
    assert versions == [
        (2025, 1, VersionKind.ORIGINAL, True, 9),
        (2025, 2, VersionKind.AMENDED, True, 12),
        (2026, 1, VersionKind.ORIGINAL, True, 3),
    ]
    assert created["budget lines"] == BudgetLine.objects.count()
    assert audit.verify_audit_log().ok


def test_demo_has_the_agencies_and_realistic_proportions(created):
    version = selectors.resolve_version(selectors.get_budget_year(2025))
    summary = selectors.year_summary(version)
    agencies = {row.key for row in selectors.spending_breakdown(version).rows}
    assert len(agencies) == 17
    assert "PDAM" not in agencies  # a water company, not an agency spending the APBD
    # employee spending is about two fifths of all spending, capital spending a fifth or so
    groups = {row.key: row.figures for row in selectors.account_breakdown(version, code="5.1").rows}
    assert 0.33 < groups["5.1.01"].planned / summary.spending.planned < 0.5
    capital = selectors.account_breakdown(version, code="5").rows
    modal = next(row for row in capital if row.key == "5.2").figures
    assert 0.15 < modal.planned / summary.spending.planned < 0.35
    # the budget balances: revenue - spending + net financing = 0 in the plan
    assert summary.silpa.planned == 0
    assert 0.8 < summary.spending.absorption / 100 < 0.97
    assert summary.revenue.realised > 0.95 * summary.revenue.planned
    pad = next(row for row in summary.rows if row.code == "4.1").figures
    assert 0.25 < pad.planned / summary.revenue.planned < 0.45


def test_this_year_realises_up_to_the_current_month(created):
    version = selectors.resolve_version(selectors.get_budget_year(2026))
    summary = selectors.year_summary(version)
    assert summary.silpa.planned == 0
    amounts = summary.spending_monthly.amounts
    assert all(amount > 0 for amount in amounts[:3])
    assert amounts[3:] == (0,) * 9
    assert 0.05 < summary.spending.realised / summary.spending.planned < 0.25


def test_amendment_kept_the_original_and_added_flood_recovery(created):
    year = selectors.get_budget_year(2025)
    original = selectors.resolve_version(year, 1)
    amended = selectors.resolve_version(year, 2)
    assert amended.line_count == original.line_count + 2
    assert not BudgetLine.objects.filter(
        version=original, agency__code="BPBD", sub_kegiatan_code="1.05.03.2.04.0001"
    ).exists()
    assert (
        BudgetLine.objects.filter(
            version=amended, agency__code="BPBD", sub_kegiatan_code="1.05.03.2.04.0001"
        ).count()
        == 2
    )


def test_wipe_removes_every_budget_row(created):
    deleted = demo_budget.wipe()

    assert deleted["budget years"] == 2
    assert BudgetLine.objects.count() == 0 and BudgetYear.objects.count() == 0
