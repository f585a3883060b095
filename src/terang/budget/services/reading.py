"""Read a budget file (CSV or XLSX) into a header and numbered rows of text cells.

Line numbers are what the user sees in their editor: for CSV the physical line where the row
starts (a quoted cell may span lines), for XLSX the worksheet row number. The header is line 1.
XLSX: the first worksheet only, header in row 1; numbers arrive as numbers and are written back
as plain digits (1234567.0 -> "1234567") so the amount rules are the same for both formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.errors import ValidationFailed
from terang.core.imports import (
    ImportProblem,
    ImportRejected,
    NotUtf8Text,
    decode_text,
    read_upload,
    sniff_delimiter,
)

#: What an XLSX may expand to; a larger total is refused before parsing (zip bomb guard).
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COLUMNS = 100
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


class BudgetImportRejected(ImportRejected):
    code = "budget_import_invalid"


class BudgetImportTooLarge(ValidationFailed):
    code = "budget_import_too_large"
    status = 413
    default_message = _("Berkas terlalu besar.")


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]


@dataclass
class Table:
    header: list[str]
    rows: Iterator[Row]


def read_bytes(file: IO[bytes] | bytes) -> bytes:
    return read_upload(file, max_bytes=settings.BUDGET_MAX_IMPORT_BYTES, too_large=_too_large)


def _too_large() -> BudgetImportTooLarge:
    limit = settings.BUDGET_MAX_IMPORT_BYTES
    return BudgetImportTooLarge(
        gettext("Berkas lebih dari %(mb)s MB; bagi menjadi beberapa berkas.")
        % {"mb": limit // (1024 * 1024)},
        details={"max_bytes": limit},
    )


def _reject(message: str, line: int = 1) -> BudgetImportRejected:
    return BudgetImportRejected([ImportProblem(line, "", message)])


def read_table(data: bytes) -> Table:
    """CSV or XLSX by content (not by the file name, which users get wrong)."""
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    if data.startswith(XLS_MAGIC):
        raise _reject(gettext("Format .xls lama tidak didukung; simpan sebagai .xlsx atau .csv."))
    return _read_csv(data)


def _decode(data: bytes) -> str:
    try:
        return decode_text(data)
    except NotUtf8Text as exc:
        raise _reject(gettext("Berkas harus berformat teks UTF-8 atau XLSX."), exc.line) from None


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _reject(str(exc)) from None
    if header is None:
        raise _reject(gettext("Berkas kosong."))

    def rows() -> Iterator[Row]:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _reject(str(exc), reader.line_num) from None
            yield Row(start, [cell.strip() for cell in cells])

    return Table(header=[cell.strip() for cell in header], rows=rows())


def cell_text(value: Any) -> str:
    """An XLSX cell as the text a CSV would have held."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if abs(value - round(value)) < 1e-6:
            return str(int(round(value)))
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _reject(gettext("Berkas XLSX rusak atau bukan XLSX.")) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise BudgetImportTooLarge(
            gettext("Isi berkas XLSX terlalu besar; simpan sebagai CSV atau bagi berkasnya."),
            details={"max_unpacked_bytes": MAX_XLSX_UNPACKED_BYTES},
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for damaged files
        raise _reject(gettext("Berkas XLSX rusak atau bukan XLSX.")) from None
    if not workbook.worksheets:
        raise _reject(gettext("Berkas kosong."))
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    first = next(values, None)
    if first is None:
        workbook.close()
        raise _reject(gettext("Berkas kosong."))
    header = [cell_text(cell) for cell in first]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[Row]:
        try:
            for number, cells in enumerate(values, start=2):
                texts = [cell_text(cell) for cell in cells]
                while len(texts) > len(header) and not texts[-1]:
                    texts.pop()
                texts += [""] * (len(header) - len(texts))
                yield Row(number, texts)
        finally:
            workbook.close()

    return Table(header=header, rows=rows())
