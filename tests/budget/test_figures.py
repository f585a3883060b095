"""Serapan and the other percentages: exact, two decimals, half away from zero; and the way
amounts are written on the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from terang.budget.figures import Figures, Monthly, change_percent, percent
from terang.budget.templatetags.budget_tags import (
    percent as percent_filter,
)
from terang.budget.templatetags.budget_tags import (
    query,
    rupiah,
    rupiah_short,
    signed_percent,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("realised", "planned", "expected"),
    [
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (1, 800, "0.13"),  # 0.125 rounds half up, not to even
        (3, 800, "0.38"),  # 0.375
        (1, 8000, "0.01"),  # 0.0125
        (721_000_000, 4_900_000_000, "14.71"),
        (4_900_000_000, 4_900_000_000, "100.00"),
        (1_500_000, 1_000_000, "150.00"),
        (0, 5, "0.00"),
        (10**15 - 1, 10**15, "100.00"),
        (1, 10**15, "0.00"),
    ],
)
def test_absorption_rounds_half_up_to_two_decimals(realised, planned, expected):
    assert Figures(planned, realised).absorption == Decimal(expected)


def test_absorption_of_a_zero_plan_is_none():
    assert Figures(0, 0).absorption is None
    assert Figures(0, 10).absorption is None


@pytest.mark.parametrize(
    ("new", "old", "expected"),
    [
        (110, 100, "10.00"),
        (99_875, 100_000, "-0.13"),  # -0.125 rounds away from zero
        (99_876, 100_000, "-0.12"),
        (100, 100, "0.00"),
        (-50, 100, "-150.00"),
    ],
)
def test_change_percent_is_symmetric_around_zero(new, old, expected):
    assert change_percent(new, old) == Decimal(expected)


def test_change_against_nothing_is_none():
    assert change_percent(5, 0) is None


@given(st.integers(0, 10**15), st.integers(1, 10**15))
def test_percent_matches_exact_rational_rounding(numerator, denominator):
    exact = Decimal(numerator * 100) / Decimal(denominator)
    expected = (Decimal(numerator * 100 * 100) / Decimal(denominator)).to_integral_value(
        rounding="ROUND_HALF_UP"
    ) / 100
    assert percent(numerator, denominator) == expected
    assert abs(percent(numerator, denominator) - exact) <= Decimal("0.005")


def test_figures_add_and_subtract():
    assert Figures(10, 4) + Figures(5, 1) == Figures(15, 5)
    assert Figures(10, 4) - Figures(15, 1) == Figures(-5, 3)
    assert Figures(10, 4).remaining == 6


def test_monthly_points_are_cumulative_against_the_plan():
    monthly = Monthly(1_000, (100, 0, 250) + (0,) * 9)

    points = monthly.points
    assert [(p.month, p.amount, p.cumulative) for p in points[:4]] == [
        (1, 100, 100),
        (2, 0, 100),
        (3, 250, 350),
        (4, 0, 350),
    ]
    assert points[2].absorption == Decimal("35.00")
    assert monthly.through == 3
    assert Monthly(0).through == 0


def test_amounts_are_written_the_indonesian_way():
    with translation.override("id"):
        assert rupiah(1_234_567) == f"Rp{NBSP}1.234.567"
        assert rupiah(-191_153_555_000) == f"−Rp{NBSP}191.153.555.000"
        assert rupiah(None) == "–"
        assert rupiah_short(2_500_000_000) == f"Rp{NBSP}2,50{NBSP}miliar"
        assert rupiah_short(4_252_664_233_000) == f"Rp{NBSP}4,25{NBSP}triliun"
        assert rupiah_short(70_000_000) == f"Rp{NBSP}70,00{NBSP}juta"
        assert rupiah_short(950_000) == f"Rp{NBSP}950.000"
        assert rupiah_short(-191_153_555_000) == f"−Rp{NBSP}191,15{NBSP}miliar"
        assert percent_filter(Decimal("87.35")) == f"87,35{NBSP}%"
        assert percent_filter(None) == "–"
        assert signed_percent(Decimal("-0.13")) == f"−0,13{NBSP}%"
        assert signed_percent(Decimal("6.11")) == f"+6,11{NBSP}%"


def test_query_strings_for_drill_down_links():
    assert (
        query({"opd": "DINKES", "kode": "1.02.02"}, versi=2) == "?opd=DINKES&kode=1.02.02&versi=2"
    )
    assert query({}, versi=None) == ""
    assert query(None, kode="5.1") == "?kode=5.1"
