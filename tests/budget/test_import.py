"""The all-or-nothing import: every problem by line and column, nothing saved on refusal."""

from __future__ import annotations

import pytest

from terang.budget.codes import REFERENCE_NAMES
from terang.budget.models import BudgetCode, BudgetLine, BudgetVersion, BudgetYear
from terang.budget.services import (
    BudgetImportRejected,
    BudgetImportTooLarge,
    import_budget,
    importing,
    parse_amount,
    reading,
)
from terang.core import imports
from terang.core.models import AuditEntry

from .conftest import NOW
from .helpers import HEADER, budget_csv, budget_xlsx, line, small_budget

pytestmark = pytest.mark.django_db

OPDS = ("DINKES", "PUPR")
SUBS = ("1.02.02.2.01.0001", "1.02.02.2.02.0001", "1.03.03.2.01.0001")
SPENDING_ACCOUNTS = ("5.1.02.01.01", "5.1.02.02.01", "5.2.03.01.01", "5.2.04.02.01")


def fifty_lines() -> list[dict]:
    """49 distinct spending lines: with the header, a 50-line file."""
    rows = []
    for index in range(49):
        opd = OPDS[index % 2]
        sub = f"1.02.02.2.01.{index + 1:04d}"
        account = SPENDING_ACCOUNTS[index % 4]
        rows.append(line(opd, sub, account, 10_000_000 + index * 1_000, [1_000_000, 2_000_000]))
    return rows


def run(data: bytes, actor, *, year: int = 2026, kind: str = "murni", name: str = "apbd.csv"):
    return import_budget(file=data, file_name=name, year=year, kind=kind, actor=actor, now=NOW)


def refused(data: bytes, actor, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(BudgetImportRejected) as caught:
        run(data, actor, **kwargs)
    return [(p.line, p.column) for p in caught.value.problems]


def nothing_saved() -> bool:
    return (
        BudgetYear.objects.count(),
        BudgetVersion.objects.count(),
        BudgetCode.objects.count(),
        BudgetLine.objects.count(),
        AuditEntry.objects.count(),
    ) == (0, 0, 0, 0, 0)


def test_bad_code_on_line_37_refuses_the_file_naming_line_37(agencies, admin_user):
    rows = fifty_lines()
    rows[35]["kode_sub_kegiatan"] = "1.02.02.2.01.036"  # data row 36 = line 37
    data = budget_csv(rows)
    assert data.decode().count("\n") == 50

    with pytest.raises(BudgetImportRejected) as caught:
        run(data, admin_user)

    problem = caught.value.problems
    assert [(p.line, p.column, p.value) for p in problem] == [
        (37, "kode_sub_kegiatan", "1.02.02.2.01.036")
    ]
    assert "U.BB.PP.K.AA.SSSS" in problem[0].message
    assert caught.value.details["total"] == 1
    assert nothing_saved()


def test_the_same_fifty_lines_without_the_bad_code_import(agencies, admin_user):
    version = run(budget_csv(fifty_lines()), admin_user).version

    assert version.line_count == 49
    assert BudgetLine.objects.filter(version=version).count() == 49
    assert BudgetLine.objects.get(version=version, source_line=37).sub_kegiatan_code == (
        "1.02.02.2.01.0036"
    )


def test_xlsx_imports_the_same_as_csv(agencies, admin_user):
    from terang.budget import selectors

    rows = small_budget()
    rows[0]["pagu"] = 1_000_000_000.0  # a float cell, as a formula leaves it
    version = run(budget_xlsx(rows), admin_user, name="apbd.xlsx").version

    summary = selectors.year_summary(version)
    assert (summary.revenue.planned, summary.revenue.realised) == (4_200_000_000, 1_070_000_000)
    assert (summary.spending.planned, summary.spending.realised) == (4_900_000_000, 721_000_000)
    assert version.file_name == "apbd.xlsx"
    assert version.line_count == 12


def test_xlsx_problems_are_named_by_worksheet_row(agencies, admin_user):
    rows = small_budget()
    rows[4]["pagu"] = "sepuluh juta"
    rows[6]["kode_opd"] = "DINSOS"

    assert refused(budget_xlsx(rows), admin_user) == [(6, "pagu"), (8, "kode_opd")]
    assert nothing_saved()


def test_every_problem_is_listed_in_line_order(agencies, admin_user):
    rows = small_budget()
    rows[0]["kode_rekening"] = "7.1.01.01.01"  # line 2: not an APBD account
    rows[3]["kode_rekening"] = "5.9.01.01.01"  # line 5: no such kelompok
    rows[4]["pagu"] = "-300000000"  # line 6: negative
    rows[5]["realisasi_02"] = "12,5"  # line 7: not whole rupiah
    rows[6]["kode_opd"] = "BAPPEDA"  # line 8: unknown agency

    assert refused(budget_csv(rows), admin_user) == [
        (2, "kode_rekening"),
        (5, "kode_rekening"),
        (6, "pagu"),
        (7, "realisasi_02"),
        (8, "kode_opd"),
    ]
    assert nothing_saved()


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"kode_rekening": "5.1.2.01.01"}, "kode_rekening", "A.K.JJ.OO.RR"),
        ({"kode_rekening": "5.1.02.01.01.0024"}, "kode_rekening", "sub rincian objek"),
        ({"kode_rekening": "5.1.00.01.01"}, "kode_rekening", "nol"),
        ({"kode_rekening": "3.1.01.01.01"}, "kode_rekening", "bukan akun APBD"),
        ({"kode_sub_kegiatan": "1.02.02.2.01.0000"}, "kode_sub_kegiatan", "nol"),
        ({"kode_sub_kegiatan": "X.XX.01.2.01.0001"}, "kode_sub_kegiatan", "U.BB.PP.K.AA.SSSS"),
        ({"kode_sub_kegiatan": ""}, "kode_sub_kegiatan", "belanja"),
        ({"nama_sub_kegiatan": ""}, "nama_sub_kegiatan", "Wajib"),
        ({"nama_rekening": ""}, "nama_rekening", "Wajib"),
        ({"kode_opd": ""}, "kode_opd", "Wajib"),
        ({"pagu": ""}, "pagu", "Wajib"),
        ({"pagu": "1.5"}, "pagu", "rupiah bulat"),
        ({"pagu": "(5000)"}, "pagu", "negatif"),
        ({"pagu": "2000000000000000"}, "pagu", "terlalu besar"),
        ({"realisasi_04": "1000"}, "realisasi_04", "belum berjalan"),
        ({"realisasi_01": "300000001"}, "realisasi", "melebihi pagu"),
        ({"realisasi": "999"}, "realisasi", "jumlah realisasi bulanan"),
        ({"tahun": "2025"}, "tahun", "2026"),
        ({"kode_program": "1.02.03"}, "kode_program", "1.02.02"),
        ({"kode_jenis": "5.1.01"}, "kode_jenis", "5.1.02"),
    ],
)
def test_line_rules(agencies, admin_user, changes, column, words):
    row = line("DINKES", "1.02.02.2.01.0001", "5.1.02.01.01", 300_000_000)
    row.update(changes)
    header = list(HEADER) + [c for c in changes if c not in HEADER]

    with pytest.raises(BudgetImportRejected) as caught:
        run(budget_csv([row], header=header), admin_user)

    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, column)
    assert words in problem.message
    assert nothing_saved()


def test_revenue_and_financing_take_no_sub_kegiatan(agencies, admin_user):
    row = line("BAPENDA", "1.02.02.2.01.0001", "4.1.01.09.01", 1_000_000)

    assert refused(budget_csv([row]), admin_user) == [(2, "kode_sub_kegiatan")]


def test_revenue_may_exceed_its_target_but_spending_may_not(agencies, admin_user):
    rows = [
        line("BAPENDA", "", "4.1.01.09.01", 1_000_000, [1_500_000]),
        line("BAPENDA", "", "6.1.01.01.01", 1_000_000, [1_100_000]),
        line("BAPENDA", "", "6.2.02.01.01", 1_000_000, [1_100_000]),
        line("DINKES", "1.02.02.2.01.0001", "5.1.02.01.01", 1_000_000, [1_000_000]),
    ]

    assert refused(budget_csv(rows), admin_user) == [(4, "realisasi")]
    del rows[2]
    version = run(budget_csv(rows), admin_user).version
    assert version.line_count == 3


def test_duplicate_line_names_the_first_one(agencies, admin_user):
    rows = small_budget()
    rows.append(dict(rows[4]))

    with pytest.raises(BudgetImportRejected) as caught:
        run(budget_csv(rows), admin_user)

    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (14, "")
    assert "baris 6" in problem.message


def test_one_code_one_name(agencies, admin_user):
    rows = small_budget()
    rows[5]["nama_sub_kegiatan"] = "Nama lain untuk sub kegiatan yang sama"  # same code as line 6

    with pytest.raises(BudgetImportRejected) as caught:
        run(budget_csv(rows), admin_user)

    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (7, "nama_sub_kegiatan")
    assert "baris 6" in problem.message and "Hierarki tidak konsisten" in problem.message


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([c for c in HEADER if c != "pagu"], [(1, "pagu")]),
        ([*HEADER, "PAGU"], [(1, "pagu")]),
        ([*HEADER, "realisasi_13"], [(1, "realisasi_13")]),
        (["", ""], [(1, "")]),
    ],
)
def test_header_problems(agencies, admin_user, header, expected):
    data = budget_csv([], header=header) + b"x\n"

    assert refused(data, admin_user) == expected


def test_header_is_forgiving_about_case_spaces_and_month_digits(agencies, admin_user):
    header = [
        "Kode OPD",
        "KODE-SUB-KEGIATAN",
        "nama sub kegiatan",
        "kode_rekening",
        "nama_rekening",
        "Pagu",
        "realisasi_1",
        "Realisasi 2",
    ]
    text = (
        ";".join(header)
        + "\nDINKES;1.02.02.2.01.0001;Pembangunan RS;5.1.02.01.01;Barang;Rp 2.500.000,00;"
        "1.000.000;500,000\n"
    )

    version = run(text.encode(), admin_user).version

    stored = BudgetLine.objects.get(version=version)
    assert (stored.planned, stored.realised_01, stored.realised_02) == (
        2_500_000,
        1_000_000,
        500_000,
    )


def test_blank_lines_are_skipped_and_counted(agencies, admin_user):
    rows = small_budget()[:2]
    data = budget_csv(rows).replace(b"\n", b"\n\n", 1)  # a blank line 2
    data = data.replace(b"DINKES", b"DINSOS")  # the second data row is now line 4

    assert refused(data, admin_user) == [(4, "kode_opd")]


def test_row_with_the_wrong_number_of_cells(agencies, admin_user):
    data = budget_csv(small_budget()[:1]) + b"DINKES,1.02.02.2.01.0001\n"

    assert refused(data, admin_user) == [(3, "")]


def test_empty_file_and_header_only(agencies, admin_user):
    assert refused(b"", admin_user) == [(1, "")]
    assert refused(budget_csv([]), admin_user) == [(1, "")]


def test_old_xls_and_non_utf8_are_refused(agencies, admin_user):
    assert refused(b"\xd0\xcf\x11\xe0" + b"\0" * 100, admin_user) == [(1, "")]
    data = budget_csv(small_budget()[:2]).replace(b"Pajak", "Pajak \u00e9".encode("latin-1"))
    assert refused(data, admin_user) == [(2, "")]
    assert refused(b"PK\x03\x04garbage", admin_user) == [(1, "")]


def test_size_and_row_limits(agencies, admin_user, monkeypatch, settings):
    monkeypatch.setattr(importing, "MAX_IMPORT_ROWS", 3)
    assert refused(budget_csv(small_budget()), admin_user) == [(5, "")]

    settings.BUDGET_MAX_IMPORT_BYTES = 100
    with pytest.raises(BudgetImportTooLarge):
        run(budget_csv(small_budget()), admin_user)
    assert nothing_saved()


def test_report_is_capped_but_counts_everything(agencies, admin_user, monkeypatch):
    monkeypatch.setattr(imports, "MAX_REPORTED_PROBLEMS", 2)
    rows = small_budget()
    for row in rows:
        row["kode_opd"] = "TIDAK-ADA"

    with pytest.raises(BudgetImportRejected) as caught:
        run(budget_csv(rows), admin_user)

    assert [p.line for p in caught.value.problems] == [2, 3]
    assert caught.value.details["total"] == 12
    assert caught.value.details["truncated"] is True


def test_names_come_from_the_file_then_earlier_imports_then_the_reference(agencies, admin_user):
    header = [*HEADER, "nama_program", "nama_objek"]
    rows = small_budget()
    rows[3].update(nama_program="PROGRAM PENUNJANG", nama_objek="Belanja Gaji dan Tunjangan ASN")
    first = run(budget_csv(rows, header=header), admin_user, year=2025).version
    second = run(budget_csv(small_budget()), admin_user).version

    def names(version):
        rows = BudgetCode.objects.filter(version=version).values_list("scheme", "code", "name")
        return {(scheme, code): name for scheme, code, name in rows}

    assert names(first)[("program", "1.02.01")] == "PROGRAM PENUNJANG"
    assert names(second)[("program", "1.02.01")] == "PROGRAM PENUNJANG"  # from the 2025 import
    assert names(second)[("account", "5.1.01.01")] == "Belanja Gaji dan Tunjangan ASN"
    assert names(second)[("account", "5.1")] == REFERENCE_NAMES[("account", "5.1")]
    assert REFERENCE_NAMES[("account", "5.1")] == "Belanja Operasi"
    assert names(second)[("program", "1.03.03")] == ""  # never named anywhere
    assert names(second)[("program", "1.02.02.2.01.0001")].startswith("Pembangunan Rumah Sakit")


def test_accepted_import_is_audited_on_the_year(agencies, admin_user):
    version = run(budget_csv(small_budget()), admin_user).version

    entry = AuditEntry.objects.get()
    assert entry.chain == f"budget.budgetyear:{version.budget_year_id}"
    assert entry.action == "budget.version_imported"
    assert entry.payload["number"] == 1
    assert entry.payload["lines"] == 12
    assert entry.payload["file_sha256"] == version.file_sha256
    assert entry.payload["totals"]["5"] == {"planned": 4_900_000_000, "realised": 721_000_000}


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (12, "12"), (2.5e9, "2500000000"), (1234.5, "1234.5"), (" 5.1 ", "5.1")],
)
def test_xlsx_cells_read_as_csv_text(value, text):
    assert reading.cell_text(value) == text


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("2500000", 2_500_000),
        ("2.500.000", 2_500_000),
        ("2,500,000", 2_500_000),
        ("2 500 000", 2_500_000),
        ("Rp 2.500.000,00", 2_500_000),
        ("rp2500000", 2_500_000),
        ("0", 0),
        ("2.500.000,50", None),
        ("2.50.000", None),
        ("1e6", None),
        ("", None),
    ],
)
def test_parse_amount(text, amount):
    assert parse_amount(text) == amount
