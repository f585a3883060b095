"""The explorer's reads: the year's totals, drill-downs that always add up, the year-on-year
comparison, and the flat open-data table."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal

import pytest

from terang.budget import selectors
from terang.budget.figures import Figures
from terang.budget.selectors import AGENCY
from terang.budget.services import import_budget
from terang.core.errors import NotFound, ValidationFailed

from .conftest import NOW
from .helpers import budget_csv, line, small_budget

pytestmark = pytest.mark.django_db


def random_budget(rng: random.Random) -> list[dict]:
    """Lines over three agencies, several programs, kegiatan and sub kegiatan, all akun."""
    rows, seen = [], set()
    accounts = ["5.1.01.01.01", "5.1.02.01.01", "5.1.02.02.01", "5.2.02.05.01", "5.2.03.01.01"]
    for _ in range(rng.randint(25, 60)):
        opd = rng.choice(["DINKES", "PUPR", "BAPENDA"])
        bidang = rng.choice(["1.02", "1.03"])
        sub = f"{bidang}.{rng.randint(1, 3):02d}.2.{rng.randint(1, 3):02d}.{rng.randint(1, 4):04d}"
        account = rng.choice(accounts)
        if (opd, sub, account) in seen:
            continue
        seen.add((opd, sub, account))
        planned = rng.randint(1, 5_000) * 1_000_000
        months = [rng.randint(0, planned // 12) for _ in range(3)]
        rows.append(line(opd, sub, account, planned, months))
    for account in ("4.1.01.09.01", "4.2.01.01.01", "6.1.01.01.01", "6.2.02.01.01"):
        for opd in rng.sample(["DINKES", "PUPR", "BAPENDA"], 2):
            rows.append(line(opd, "", account, rng.randint(1, 900) * 10_000_000, [12_345]))
    return rows


def check_adds_up(found: selectors.Breakdown, parent: Figures | None, walk) -> int:
    """Children add up to the selection, plan, realisation and every month; recurse down."""
    assert sum(r.figures.planned for r in found.rows) == found.total.planned
    assert sum(r.figures.realised for r in found.rows) == found.total.realised
    for month in range(12):
        assert sum(r.monthly.amounts[month] for r in found.rows) == found.monthly.amounts[month]
    if parent is not None:
        assert found.total == parent
    shares = [r.share for r in found.rows if r.share is not None]
    assert abs(sum(shares) - 100) <= Decimal("0.01") * len(shares)
    visited = 1
    for row in found.rows:
        if row.params is not None:
            visited += check_adds_up(walk(**row.params), row.figures, walk)
    return visited


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_spending_drill_down_adds_up_from_city_total_to_account(agencies, admin_user, seed):
    rows = random_budget(random.Random(seed))
    version = import_budget(
        file=budget_csv(rows), file_name="r.csv", year=2026, kind="murni", actor=admin_user, now=NOW
    ).version

    def walk(opd=None, kode=None):
        return selectors.spending_breakdown(version, agency_code=opd, code=kode)

    root = walk()
    assert root.total == selectors.year_summary(version).spending
    assert root.level == AGENCY
    visited = check_adds_up(root, None, walk)
    expected_nodes = 1 + len(
        {(r["kode_opd"], r["kode_sub_kegiatan"][:7]) for r in rows if r["kode_sub_kegiatan"]}
    )
    assert visited > expected_nodes  # agencies, programs, kegiatan and sub kegiatan were visited


@pytest.mark.parametrize("seed", [1, 2])
def test_account_drill_down_adds_up_down_to_agencies(agencies, admin_user, seed):
    rows = random_budget(random.Random(seed))
    version = import_budget(
        file=budget_csv(rows), file_name="r.csv", year=2026, kind="murni", actor=admin_user, now=NOW
    ).version

    def walk(opd=None, kode=None):
        return selectors.account_breakdown(version, code=kode, agency_code=opd)

    root = walk()
    assert [row.key for row in root.rows] == ["4", "5", "6"]
    check_adds_up(root, None, walk)
    for agency in ("DINKES", "PUPR"):
        check_adds_up(walk(opd=agency), None, walk)


def test_year_summary_of_the_small_budget(imported):
    summary = selectors.year_summary(imported)

    assert summary.revenue == Figures(4_200_000_000, 1_070_000_000)
    assert summary.spending == Figures(4_900_000_000, 721_000_000)
    assert summary.surplus == Figures(-700_000_000, 349_000_000)
    assert summary.financing_receipts == Figures(400_000_000, 400_000_000)
    assert summary.financing_payments == Figures(100_000_000, 0)
    assert summary.net_financing == Figures(300_000_000, 400_000_000)
    assert summary.silpa == Figures(-400_000_000, 749_000_000)
    assert [(r.code, r.figures.planned) for r in summary.rows] == [
        ("4", 4_200_000_000),
        ("4.1", 1_200_000_000),
        ("4.2", 3_000_000_000),
        ("5", 4_900_000_000),
        ("5.1", 2_500_000_000),
        ("5.2", 2_400_000_000),
        ("6", 300_000_000),  # net financing, not receipts plus payments
        ("6.1", 400_000_000),
        ("6.2", 100_000_000),
    ]
    assert summary.rows[6].name == "Pembiayaan netto"
    assert summary.spending_monthly.amounts[:4] == (182_000_000, 323_000_000, 216_000_000, 0)
    assert summary.spending.absorption == Decimal("14.71")


def test_spending_levels_and_crumbs(imported):
    found = selectors.spending_breakdown(imported, agency_code="dinkes", code="1.02.02.2.01")

    assert found.level == "sub_kegiatan"
    assert found.agency.code == "DINKES"
    assert [c.params for c in found.crumbs] == [
        {},
        {"opd": "DINKES"},
        {"opd": "DINKES", "kode": "1.02.02"},
        {"opd": "DINKES", "kode": "1.02.02.2.01"},
    ]
    [row] = found.rows
    assert (row.key, row.figures, row.share) == (
        "1.02.02.2.01.0001",
        Figures(1_200_000_000, 60_000_000),
        Decimal("100.00"),
    )
    assert row.name.startswith("Pembangunan Rumah Sakit")
    leaf = selectors.spending_breakdown(imported, agency_code="DINKES", code=row.key)
    assert leaf.level == "rincian"
    assert [(r.key, r.name, r.params) for r in leaf.rows] == [
        ("5.1.02.01.01", "Belanja Barang Pakai Habis", None),
        ("5.2.03.01.01", "Belanja Modal Bangunan Gedung Kantor", None),
    ]


def test_city_wide_program_without_an_agency(imported):
    found = selectors.spending_breakdown(imported, code="1.03.03")

    assert found.agency is None
    assert [(r.key, r.figures.planned) for r in found.rows] == [("1.03.03.2.01", 1_600_000_000)]


def test_account_bottom_lists_agencies(imported):
    found = selectors.account_breakdown(imported, code="5.1.01.01.01")

    assert found.level == AGENCY
    assert [(r.key, r.figures.planned, r.share) for r in found.rows] == [
        ("DINKES", 1_200_000_000, Decimal("60.00")),
        ("PUPR", 800_000_000, Decimal("40.00")),
    ]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda v: selectors.spending_breakdown(v, code="5.1"), ValidationFailed),
        (lambda v: selectors.spending_breakdown(v, code="1"), ValidationFailed),
        (lambda v: selectors.spending_breakdown(v, agency_code="DINSOS"), NotFound),
        (lambda v: selectors.spending_breakdown(v, agency_code="BAPENDA"), NotFound),
        (lambda v: selectors.spending_breakdown(v, code="2.11.01"), NotFound),
        (lambda v: selectors.account_breakdown(v, code="7"), ValidationFailed),
        (lambda v: selectors.account_breakdown(v, code="5.9"), ValidationFailed),
        (lambda v: selectors.account_breakdown(v, code="5.1.99"), NotFound),
        (lambda v: selectors.account_breakdown(v, code="abc"), ValidationFailed),
    ],
)
def test_bad_selections(imported, call, error):
    with pytest.raises(error):
        call(imported)


def test_unknown_year_and_version(imported):
    with pytest.raises(NotFound):
        selectors.get_budget_year(2020)
    with pytest.raises(NotFound):
        selectors.resolve_version(imported.budget_year, 5)


def test_comparison_uses_the_months_both_years_have(agencies, admin_user):
    older = small_budget()
    for row in older:
        row["pagu"] = int(row["pagu"]) // 2
        row.update({f"realisasi_{m:02d}": 1_000_000 for m in range(1, 13)})
    import_budget(
        file=budget_csv(older),
        file_name="a.csv",
        year=2025,
        kind="murni",
        actor=admin_user,
        now=NOW,
    )
    newer = import_budget(
        file=budget_csv(small_budget()),
        file_name="b.csv",
        year=2026,
        kind="murni",
        actor=admin_user,
        now=NOW,
    ).version
    other = selectors.resolve_version(selectors.get_budget_year(2025))

    found = selectors.compare_years(newer, other)

    assert found.through == 3
    spending = next(r for r in found.accounts if r.key == "5")
    assert spending.base == Figures(4_900_000_000, 721_000_000)
    assert spending.other == Figures(2_450_000_000, 7 * 3 * 1_000_000)  # January to March only
    assert spending.plan_change == Decimal("100.00")
    financing = next(r for r in found.accounts if r.key == "6")
    assert financing.base.planned == 300_000_000  # net financing
    assert [r.key for r in found.agencies] == ["DINKES", "PUPR"]


def test_year_table_rows_and_schema(imported):
    table = selectors.year_table(2026)

    assert table.version.pk == imported.pk
    assert len(table.rows) == 12
    assert table.field_names == [f["name"] for f in table.schema["fields"]]
    row = table.rows[4]
    assert {
        k: row[k] for k in ("kode_opd", "kode_program", "kode_sub_kegiatan", "kode_rekening")
    } == {
        "kode_opd": "DINKES",
        "kode_program": "1.02.02",
        "kode_sub_kegiatan": "1.02.02.2.01.0001",
        "kode_rekening": "5.1.02.01.01",
    }
    assert (row["pagu"], row["realisasi"], row["serapan_persen"]) == (
        300_000_000,
        15_000_000,
        Decimal("5.00"),
    )
    assert row["realisasi_03"] == 5_000_000
    assert row["nama_kelompok"] == "Belanja Operasi"
    assert table.rows[0]["kode_sub_kegiatan"] == ""
    assert selectors.published_years() == [
        {
            "year": 2026,
            "status": "open",
            "version": 1,
            "kind": "murni",
            "imported_at": imported.imported_at,
            "line_count": 12,
            "file_sha256": imported.file_sha256,
        }
    ]


def test_year_csv_is_valid_against_its_table_schema(imported):
    from frictionless import Resource, Schema

    data = selectors.year_csv(2026)
    table = selectors.year_table(2026)

    resource = Resource(data=data, format="csv", schema=Schema.from_descriptor(table.schema))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
    parsed = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(parsed) == 12
    assert parsed[4]["serapan_persen"] == "5.00"


def test_published_csv_imports_again_as_it_is(imported, admin_user):
    data = selectors.year_csv(2026)

    again = import_budget(
        file=data, file_name="apbd-2026.csv", year=2026, kind="murni", actor=admin_user, now=NOW
    ).version

    def without_version(rows):
        return [{k: v for k, v in row.items() if k != "versi"} for row in rows]

    assert again.number == 2
    assert without_version(selectors.year_table(2026, 2).rows) == without_version(
        selectors.year_table(2026, 1).rows
    )
