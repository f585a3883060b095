"""Budget files for the tests: CSV and XLSX built from plain dicts."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

MONTH_COLUMNS = [f"realisasi_{month:02d}" for month in range(1, 13)]
HEADER = [
    "kode_opd",
    "kode_sub_kegiatan",
    "nama_sub_kegiatan",
    "kode_rekening",
    "nama_rekening",
    "pagu",
    *MONTH_COLUMNS,
]

SUB_NAMES = {
    "1.02.02.2.01.0001": "Pembangunan Rumah Sakit beserta Sarana dan Prasarana Pendukungnya",
    "1.02.02.2.02.0001": "Pengelolaan Pelayanan Kesehatan Ibu Hamil",
    "1.02.01.2.02.0001": "Penyediaan Gaji dan Tunjangan ASN",
    "1.03.03.2.01.0001": "Pembangunan Sistem Drainase",
    "1.03.01.2.02.0001": "Penyediaan Gaji dan Tunjangan ASN",
}
ACCOUNT_NAMES = {
    "5.1.01.01.01": "Belanja Gaji Pokok ASN",
    "5.1.02.01.01": "Belanja Barang Pakai Habis",
    "5.1.02.02.01": "Belanja Jasa Kantor",
    "5.2.03.01.01": "Belanja Modal Bangunan Gedung Kantor",
    "5.2.04.02.01": "Belanja Modal Bangunan Air",
    "4.1.01.09.01": "Pajak Reklame Papan/Billboard",
    "4.1.02.01.01": "Retribusi Pelayanan Kesehatan",
    "4.2.01.01.01": "Dana Alokasi Umum",
    "6.1.01.01.01": "SiLPA Tahun Anggaran Sebelumnya",
    "6.2.02.01.01": "Penyertaan Modal pada BUMD",
}


def line(
    opd: str,
    sub: str,
    account: str,
    planned: int | str,
    months: Sequence[int | str] = (),
    **extra: Any,
) -> dict[str, Any]:
    """One budget line as the import expects it; `months` fills realisasi_01 onwards."""
    row: dict[str, Any] = {
        "kode_opd": opd,
        "kode_sub_kegiatan": sub,
        "nama_sub_kegiatan": SUB_NAMES.get(sub, f"Sub kegiatan {sub}") if sub else "",
        "kode_rekening": account,
        "nama_rekening": ACCOUNT_NAMES.get(account, f"Rekening {account}"),
        "pagu": planned,
    }
    for column, amount in zip(MONTH_COLUMNS, months, strict=False):
        row[column] = amount
    row.update(extra)
    return row


def budget_csv(
    rows: Iterable[dict[str, Any]], header: Sequence[str] = HEADER, delimiter: str = ","
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode("utf-8")


def budget_xlsx(rows: Iterable[dict[str, Any]], header: Sequence[str] = HEADER) -> bytes:
    """The same lines as a workbook. Integer amounts become number cells, as Excel keeps them;
    text stays text (so a typo like "sepuluh juta" reaches the import as it would)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([None if row.get(column, "") == "" else row[column] for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def small_budget() -> list[dict[str, Any]]:
    """Two agencies, revenue, spending and financing, realisation January to March."""
    return [
        line("BAPENDA", "", "4.1.01.09.01", 1_000_000_000, [80_000_000, 90_000_000, 100_000_000]),
        line("DINKES", "", "4.1.02.01.01", 200_000_000, [15_000_000, 15_000_000, 20_000_000]),
        line("BAPENDA", "", "4.2.01.01.01", 3_000_000_000, [250_000_000, 250_000_000, 250_000_000]),
        line("DINKES", "1.02.01.2.02.0001", "5.1.01.01.01", 1_200_000_000, [100_000_000] * 3),
        line(
            "DINKES", "1.02.02.2.01.0001", "5.1.02.01.01", 300_000_000, [10_000_000, 0, 5_000_000]
        ),
        line("DINKES", "1.02.02.2.01.0001", "5.2.03.01.01", 900_000_000, [0, 0, 45_000_000]),
        line("DINKES", "1.02.02.2.02.0001", "5.1.02.02.01", 100_000_000, [5_000_000, 5_000_000]),
        line("PUPR", "1.03.01.2.02.0001", "5.1.01.01.01", 800_000_000, [66_000_000] * 3),
        line("PUPR", "1.03.03.2.01.0001", "5.2.04.02.01", 1_500_000_000, [0, 150_000_000, 0]),
        line("PUPR", "1.03.03.2.01.0001", "5.1.02.01.01", 100_000_000, [1_000_000, 2_000_000]),
        line("BAPENDA", "", "6.1.01.01.01", 400_000_000, [400_000_000]),
        line("BAPENDA", "", "6.2.02.01.01", 100_000_000),
    ]
