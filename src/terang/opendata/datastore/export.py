"""A resource's rows as CSV, JSON or XLSX, written as they are read so a large table never sits
in memory whole (XLSX goes through a spooled temporary file: the format needs a zip at the end)."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from terang.core.exports import neutralise_formula, safe_csv_writer

EXPORT_FORMATS = ("csv", "json", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def csv_chunks(
    names: list[str], records: Iterable[dict[str, Any]], batch: int = 500
) -> Iterator[str]:
    """UTF-8 CSV, header first, in chunks of `batch` lines; text cells that would start a
    spreadsheet formula are neutralised (`core.exports`)."""
    buffer = io.StringIO()
    writer = safe_csv_writer(buffer)
    writer.writerow(names)
    for count, record in enumerate(records, start=1):
        writer.writerow([_cell(record.get(name)) for name in names])
        if count % batch == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(records: Iterable[dict[str, Any]], batch: int = 500) -> Iterator[str]:
    """A JSON array of objects (the same shape the upload accepts)."""
    parts = ["["]
    for count, record in enumerate(records):
        parts.append(("," if count else "") + "\n" + json.dumps(record, ensure_ascii=False))
        if len(parts) >= batch:
            yield "".join(parts)
            parts = []
    parts.append("\n]\n")
    yield "".join(parts)


def xlsx_file(
    fields: list[dict[str, Any]], records: Iterable[dict[str, Any]], *, sheet: str = "data"
) -> IO[bytes]:
    """An XLSX workbook (write-only, so memory stays flat) in a temporary file, rewound. Dates
    and times become real spreadsheet dates."""
    import openpyxl

    names = [f["name"] for f in fields]
    kinds = {f["name"]: f.get("type", "string") for f in fields}
    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31] or "data")
    worksheet.append(names)
    for record in records:
        worksheet.append([_xlsx_value(kinds[name], record.get(name)) for name in names])
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return spool


def _xlsx_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    try:
        if kind == "date":
            return dt.date.fromisoformat(value)
        if kind == "datetime":
            moment = dt.datetime.fromisoformat(value)
            return moment.replace(tzinfo=None) if moment.tzinfo else moment
        if kind == "time":
            return dt.time.fromisoformat(value).replace(tzinfo=None)
    except (TypeError, ValueError):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    # openpyxl stores any text starting with "=" as a formula.
    return neutralise_formula(value)
