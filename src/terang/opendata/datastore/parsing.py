"""Tabular files (CSV, XLSX, a JSON array of objects) into typed rows, with Frictionless.

All or nothing: the Table Schema is inferred from a sample (or the resource's stored, possibly
edited, schema is used when the header matches it), then EVERY row is validated. One problem
anywhere and no row is returned; the report lists each problem with where it is:

* CSV: the line in the file, the header being line 1;
* XLSX: the sheet and its row number, the header row being row 1;
* JSON: the index of the object in the array (0-based).

Values are stored as JSON: integers and years as numbers, numbers as floats, dates and times as
ISO 8601 strings (so they sort correctly as text), booleans as booleans.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from frictionless import Detector, FrictionlessException, Resource, Schema

from terang.core.imports import read_upload

TABULAR_FORMATS = ("csv", "xlsx", "json")
# Types a Table Schema field may have here (what the editor offers and what is stored).
FIELD_TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "time", "year")
JSON_ONLY_TYPES = ("object", "array", "any")
MISSING_VALUES = ["", "-", "NA", "N/A", "n/a"]
# Inferred types outside FIELD_TYPES become one of them.
TYPE_FALLBACK = {
    "yearmonth": "string",
    "geopoint": "string",
    "duration": "string",
    "geojson": "string",
    "any": "string",
    "object": "string",
    "array": "string",
}
MAJORITY = 0.9
MAJORITY_CANDIDATES = (
    {"type": "integer"},
    {"type": "number"},
    {"type": "number", "decimalChar": ",", "groupChar": "."},  # Indonesian: 1.234,5
    {"type": "date"},
    {"type": "datetime"},
    {"type": "boolean"},
)
INDONESIAN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
MAX_REPORTED_PROBLEMS = 200
MAX_FIELDS = 200
SAMPLE_ROWS = 500


def max_rows() -> int:
    return int(settings.OPENDATA_MAX_ROWS)


def max_upload_bytes() -> int:
    return int(settings.OPENDATA_MAX_UPLOAD_BYTES)


@dataclass
class Problem:
    """One thing wrong with a file. `line` is the physical line (CSV) or row (XLSX); for JSON
    the report shows `line - 2` as the array index. None: the whole file."""

    code: str
    line: int | None = None
    field: str = ""
    value: str = ""
    expected: str = ""  # the field type (type errors) or the limit (size, rows)
    note: str = ""

    def as_dict(self, *, file_format: str, sheet: str = "") -> dict[str, Any]:
        found: dict[str, Any] = {"code": self.code}
        if self.line is not None:
            if file_format == "json":
                found["index"] = self.line - 2
            else:
                found["line"] = self.line
                if sheet:
                    found["sheet"] = sheet
        for key in ("field", "value", "expected", "note"):
            if getattr(self, key):
                found[key] = getattr(self, key)
        return found


@dataclass
class ParsedTable:
    """The outcome of parsing one file: rows only when there is no problem at all."""

    file_format: str
    schema: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    row_count: int = 0
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(problem)

    def report(self) -> dict[str, Any]:
        """The JSON report kept on the version (no rows)."""
        return {
            "valid": self.ok,
            "format": self.file_format,
            "sheet": self.sheet,
            "row_count": self.row_count,
            "field_count": len(self.schema.get("fields", [])),
            "error_count": self.problem_count,
            "errors": [
                p.as_dict(file_format=self.file_format, sheet=self.sheet) for p in self.problems
            ],
            "truncated": self.problem_count > len(self.problems),
            "schema": self.schema,
        }


def detect_format(file_name: str, declared: str = "") -> str:
    """The lower-case format from the declared one (CKAN's `format`) or the file's extension."""
    declared = (declared or "").strip().lower().lstrip(".")
    if declared:
        return declared
    _stem, dot, extension = (file_name or "").rpartition(".")
    return extension.lower() if dot else ""


def is_tabular(file_format: str) -> bool:
    return file_format in TABULAR_FORMATS


def parse_table(
    content: bytes, *, file_format: str, schema: dict[str, Any] | None = None
) -> ParsedTable:
    """Parse and validate the whole file. `schema` (the resource's stored Table Schema) is used
    when its field names equal the file's header; otherwise a schema is inferred."""
    file_format = file_format.lower()
    result = ParsedTable(file_format=file_format, schema={})
    limit = max_upload_bytes()
    try:
        read_upload(content, max_bytes=limit, too_large=lambda: _Unreadable("file-too-large"))
    except _Unreadable as exc:
        result.add(Problem(exc.code, expected=str(limit)))
        return result
    try:
        source, options = _source(content, file_format, result)
    except _Unreadable as exc:
        result.add(Problem(exc.code, note=exc.note))
        return result
    try:
        inferred = _infer(source, options, file_format)
        labels = [f["name"] for f in inferred.get("fields", [])]
        if schema and [f.get("name") for f in schema.get("fields", [])] == labels:
            inferred = normalise_schema(schema, file_format=file_format)
        result.schema = inferred
        _read_rows(source, options, result)
    except FrictionlessException as exc:
        result.rows = []
        result.add(Problem(exc.error.type or "source-error", note=exc.error.note or ""))
    if result.ok and result.row_count == 0:
        result.add(Problem("no-rows"))
    if not result.ok:
        result.rows = []
    return result


class _Unreadable(Exception):
    def __init__(self, code: str, note: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.note = note


def _source(content: bytes, file_format: str, result: ParsedTable) -> tuple[Any, dict[str, Any]]:
    if file_format == "csv":
        return content, {"format": "csv", "encoding": _encoding(content)}
    if file_format == "xlsx":
        result.sheet = _first_sheet(content)
        return content, {"format": "xlsx"}
    if file_format == "json":
        return _json_rows(content), {}
    raise _Unreadable("format-error", note=file_format)


def _encoding(content: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes, UTF-16 with its BOM, else Windows-1252 (the
    usual encoding of a CSV saved by Excel on an Indonesian Windows)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8-sig"


def _first_sheet(content: bytes) -> str:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise _Unreadable("format-error", note=str(exc)[:200]) from exc
    try:
        return str(workbook.sheetnames[0]) if workbook.sheetnames else ""
    finally:
        workbook.close()


def _json_rows(content: bytes) -> list[list[Any]]:
    """A JSON array of objects as inline rows: the header is every key in first-seen order."""
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Unreadable("json-error", note=str(exc)[:200]) from exc
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise _Unreadable("json-shape")
    header: dict[str, None] = {}
    for item in data:
        for key in item:
            header.setdefault(str(key), None)
    names = list(header)
    return [names, *([item.get(name) for name in names] for item in data)]


def _detector() -> Detector:
    return Detector(sample_size=SAMPLE_ROWS, field_missing_values=list(MISSING_VALUES))


def _infer(source: Any, options: dict[str, Any], file_format: str) -> dict[str, Any]:
    resource: Any = Resource(source, detector=_detector(), **options)
    resource.infer()
    descriptor = resource.schema.to_descriptor()
    fragment = resource.fragment or []
    for index, item in enumerate(descriptor.get("fields", [])):
        if item.get("type") in ("string", "any"):
            cells = [
                row[index]
                for row in fragment
                if index < len(row) and row[index] is not None and row[index] not in MISSING_VALUES
            ]
            item.update(_majority_type(cells))
    return normalise_schema(descriptor, file_format=file_format)


def _majority_type(cells: list[Any]) -> dict[str, Any]:
    """Frictionless settles a column as text as soon as enough cells fit text, so one typo
    early in a column of numbers makes it all text and the typo goes unreported. Here a
    column where at least MAJORITY of the sampled cells fit a stricter type gets that type,
    and the rest are reported as errors when the rows are read."""
    if not cells or all(isinstance(cell, str) and not cell.strip() for cell in cells):
        return {}
    for candidate in MAJORITY_CANDIDATES:
        reader = Schema.from_descriptor({"fields": [{**candidate, "name": "value"}]}).fields[0]
        if candidate.get("decimalChar") == ",":
            texts = [str(cell).strip() for cell in cells]
            # Only a column that really writes decimal commas, with thousands grouped by three
            # (so codes such as 36.71.01.1001 stay text).
            if not any("," in text for text in texts):
                continue
            fitting = sum(1 for text in texts if INDONESIAN_NUMBER.fullmatch(text))
        else:
            fitting = sum(1 for cell in cells if not reader.read_cell(cell)[1])
        if fitting == len(cells) or fitting >= MAJORITY * len(cells):
            return dict(candidate)
    return {}


def normalise_schema(schema: dict[str, Any], *, file_format: str = "csv") -> dict[str, Any]:
    """Keep a Table Schema to what this catalog supports: known types (others mapped), the
    missing values used here, and only the keys the editor can change."""
    allowed = FIELD_TYPES + (JSON_ONLY_TYPES if file_format == "json" else ())
    fields = []
    for item in schema.get("fields", []):
        kind = item.get("type", "string")
        if kind not in allowed:
            kind = "integer" if kind == "year" else TYPE_FALLBACK.get(kind, "string")
        kept: dict[str, Any] = {"name": str(item.get("name", "")), "type": kind}
        for key in ("title", "description"):
            if item.get(key):
                kept[key] = str(item[key])
        if (
            item.get("format")
            and item["format"] != "default"
            and kind in ("date", "datetime", "time")
        ):
            kept["format"] = str(item["format"])
        if kind == "number":
            for key in ("decimalChar", "groupChar"):
                if item.get(key):
                    kept[key] = str(item[key])
        fields.append(kept)
    return {"fields": fields, "missingValues": list(MISSING_VALUES)}


def _read_rows(source: Any, options: dict[str, Any], result: ParsedTable) -> None:
    fields = result.schema["fields"]
    if len(fields) > MAX_FIELDS:
        result.add(Problem("too-many-fields", expected=str(MAX_FIELDS)))
        return
    limit = max_rows()
    resource: Any = Resource(source, schema=Schema.from_descriptor(result.schema), **options)
    names = [f["name"] for f in fields]
    with resource:
        for error in resource.header.errors:
            result.add(
                Problem(
                    error.type,
                    line=(resource.header.row_numbers or [1])[0],
                    field=getattr(error, "label", "") or "",
                    note=str(getattr(error, "field_number", "") or ""),
                )
            )
        for row in resource.row_stream:
            errors = [e for e in row.errors if e.type != "blank-row"]
            if row.errors and not errors:
                continue  # blank rows are skipped, not stored
            result.row_count += 1
            if result.row_count > limit:
                result.add(Problem("too-many-rows", line=row.row_number, expected=str(limit)))
                break
            if errors:
                for error in errors:
                    result.add(_row_problem(error, row.row_number, fields))
                continue
            if not result.ok:
                continue  # keep validating, but stop collecting rows
            record, problem = _record(row, names, row.row_number)
            if problem is not None:
                result.add(problem)
                continue
            result.rows.append(record)


def _row_problem(error: Any, line: int, fields: list[dict[str, Any]]) -> Problem:
    name = getattr(error, "field_name", "") or ""
    expected = next((f["type"] for f in fields if f["name"] == name), "")
    cell = getattr(error, "cell", "")
    return Problem(
        error.type,
        line=line,
        field=name,
        value="" if cell is None else str(cell)[:200],
        expected=expected if error.type == "type-error" else "",
        note=(getattr(error, "note", "") or "")[:300] if error.type != "type-error" else "",
    )


def _record(row: Any, names: list[str], line: int) -> tuple[dict[str, Any], Problem | None]:
    """The stored row: empty cells are left out, so they are SQL NULL when sorting."""
    record = {}
    for name in names:
        try:
            value = json_value(row[name])
        except ValueError:
            return {}, Problem(
                "type-error", line=line, field=name, value=str(row[name]), expected="number"
            )
        if value is not None:
            record[name] = value
    return record, None


def json_value(value: Any) -> Any:
    """A value read by Frictionless as it is stored (and compared) in the datastore."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | float):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("not a finite number")
        return number
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, default=str))
    return str(value)


def cast_value(field: dict[str, Any], raw: Any) -> Any:
    """A filter value (from a query string or JSON) in the stored form of `field`'s type, so
    "1200" finds the integer 1200. Raises ValueError when it is not a value of that type."""
    kind = field.get("type", "string")
    if raw is None:
        raise ValueError("null")
    if kind in JSON_ONLY_TYPES:
        return raw
    if kind == "string":
        return raw if isinstance(raw, str) else json.dumps(raw)
    if isinstance(raw, dict | list):
        raise ValueError("not a scalar")
    if isinstance(raw, bool):
        raw = "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer() and kind in ("integer", "year"):
        raw = int(raw)
    if not isinstance(raw, int | float):
        raw = str(raw).strip()
    descriptor = {key: value for key, value in field.items() if key not in ("title", "description")}
    reader = Schema.from_descriptor({"fields": [{**descriptor, "name": "value"}]}).fields[0]
    value, notes = reader.read_cell(raw)
    if notes or value is None:
        raise ValueError(str(raw))
    return json_value(value)
