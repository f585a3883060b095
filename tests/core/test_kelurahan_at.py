# ruff: noqa: F811 - fixtures imported from the aspirations conftest are used by name
"""One `kelurahan_at` for the platform (core.geo): every app places points through it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from terang.core.geo import kelurahan_at

SRC = Path(__file__).resolve().parents[2] / "src" / "terang"


@pytest.mark.django_db
def test_a_point_lands_in_the_kelurahan_holding_it(kelurahan, kelurahan_b):
    assert kelurahan_at(lat=-6.20, lon=106.62) == kelurahan
    assert kelurahan_at(lat=-6.20, lon=106.68) == kelurahan_b
    assert kelurahan_at(lat=-7.50, lon=110.00) is None


def test_no_app_keeps_its_own_copy():
    copies = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef) and node.name == "kelurahan_at"
    )
    assert copies == ["core/geo.py"]
