"""A budget year as one flat open-data table: one row per agency x sub kegiatan x account line,
with every code and name of both hierarchies, plan, realisation, serapan and the twelve months.

Its columns are a superset of the import format, so the published CSV can be imported again
as it is (the extra columns are ignored or cross-checked). `fields` is a Frictionless Table
Schema field list; `schema` adds the primary key and the missing-value marker.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from . import codes
from .choices import Level, Scheme, VersionKind
from .figures import percent
from .models import MONTH_FIELDS, MONTHS, BudgetCode, BudgetLine, BudgetVersion, BudgetYear
from .versions import default_version, get_budget_year, resolve_version

PROGRAM_PATTERN = {
    Level.URUSAN: r"[1-9]",
    Level.BIDANG: r"\d\.\d{2}",
    Level.PROGRAM: r"\d\.\d{2}\.\d{2}",
    Level.KEGIATAN: r"\d\.\d{2}\.\d{2}\.\d\.\d{2}",
    Level.SUB_KEGIATAN: r"\d\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}",
}
ACCOUNT_PATTERN = {
    Level.AKUN: r"[4-6]",
    Level.KELOMPOK: r"[4-6]\.\d",
    Level.JENIS: r"[4-6]\.\d\.\d{2}",
    Level.OBJEK: r"[4-6]\.\d\.\d{2}\.\d{2}",
    Level.RINCIAN: r"[4-6]\.\d\.\d{2}\.\d{2}\.\d{2}",
}
PROGRAM_COLUMNS = {
    Level.URUSAN: "urusan",
    Level.BIDANG: "bidang_urusan",
    Level.PROGRAM: "program",
    Level.KEGIATAN: "kegiatan",
    Level.SUB_KEGIATAN: "sub_kegiatan",
}
ACCOUNT_COLUMNS = {
    Level.AKUN: "akun",
    Level.KELOMPOK: "kelompok",
    Level.JENIS: "jenis",
    Level.OBJEK: "objek",
    Level.RINCIAN: "rekening",
}


def _field(name: str, kind: str, title: str, description: str, **constraints: Any) -> dict:
    found: dict[str, Any] = {"name": name, "type": kind, "title": title}
    if description:
        found["description"] = description
    if constraints:
        found["constraints"] = constraints
    return found


def table_fields() -> list[dict[str, Any]]:
    """The Frictionless Table Schema fields, in column order (titles in the active language)."""
    level_names = dict(Level.choices)
    fields = [
        _field("tahun", "integer", gettext("Tahun anggaran"), "", required=True),
        _field("versi", "integer", gettext("Nomor versi"), gettext("Nomor impor dalam tahun.")),
        _field(
            "jenis_versi",
            "string",
            gettext("Jenis APBD"),
            gettext("murni (APBD awal) atau perubahan (APBD-P)."),
            enum=list(VersionKind.values),
        ),
        _field("kode_opd", "string", gettext("Kode OPD"), "", required=True),
        _field("nama_opd", "string", gettext("Nama OPD"), ""),
    ]
    for level, column in PROGRAM_COLUMNS.items():
        fields.append(
            _field(
                f"kode_{column}",
                "string",
                gettext("Kode %(level)s") % {"level": level_names[level].lower()},
                gettext("Permendagri 90/2019; kosong untuk pendapatan dan pembiayaan."),
                pattern=PROGRAM_PATTERN[level],
            )
        )
        fields.append(
            _field(
                f"nama_{column}",
                "string",
                gettext("Nama %(level)s") % {"level": level_names[level].lower()},
                "",
            )
        )
    for level, column in ACCOUNT_COLUMNS.items():
        fields.append(
            _field(
                f"kode_{column}",
                "string",
                gettext("Kode %(level)s") % {"level": level_names[level].lower()},
                gettext("Kode rekening Permendagri 90/2019.") if level == Level.RINCIAN else "",
                required=True,
                pattern=ACCOUNT_PATTERN[level],
            )
        )
        fields.append(
            _field(
                f"nama_{column}",
                "string",
                gettext("Nama %(level)s") % {"level": level_names[level].lower()},
                "",
            )
        )
    fields += [
        _field("pagu", "integer", gettext("Pagu (rupiah)"), "", required=True, minimum=0),
        _field(
            "realisasi",
            "integer",
            gettext("Realisasi (rupiah)"),
            gettext("Jumlah realisasi bulanan."),
            required=True,
            minimum=0,
        ),
        _field(
            "serapan_persen",
            "number",
            gettext("Serapan (%)"),
            gettext("Realisasi dibagi pagu dikali 100, dua desimal; kosong bila pagu 0."),
        ),
    ]
    for month in MONTHS:
        fields.append(
            _field(
                f"realisasi_{month:02d}",
                "integer",
                gettext("Realisasi bulan %(month)s (rupiah)") % {"month": month},
                gettext("Realisasi di dalam bulan itu, bukan kumulatif."),
                minimum=0,
            )
        )
    return fields


@dataclass
class YearTable:
    year: int
    version: BudgetVersion
    fields: list[dict[str, Any]]
    rows: list[dict[str, Any]]

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def schema(self) -> dict[str, Any]:
        return {
            "fields": self.fields,
            "primaryKey": ["kode_opd", "kode_sub_kegiatan", "kode_rekening"],
            "missingValues": [""],
        }


def year_table(year: int, version: int | None = None) -> YearTable:
    """The flat rows of `year` (its default version, or version number `version`).
    Raises NotFound for an unknown year or version."""
    chosen = resolve_version(get_budget_year(year), version)
    names: dict[tuple[str, str], str] = {
        (scheme, code): name
        for scheme, code, name in BudgetCode.objects.filter(version=chosen).values_list(
            "scheme", "code", "name"
        )
    }

    def name(scheme: str, code: str) -> str:
        if not code:
            return ""
        return names.get((scheme, code)) or codes.REFERENCE_NAMES.get((scheme, code), "")

    rows = []
    lines = (
        BudgetLine.objects.filter(version=chosen).select_related("agency").order_by("source_line")
    )
    for line in lines.iterator(chunk_size=2000):
        row: dict[str, Any] = {
            "tahun": year,
            "versi": chosen.number,
            "jenis_versi": chosen.kind,
            "kode_opd": line.agency.code,
            "nama_opd": line.agency.name,
        }
        program: tuple[str, ...] = ("",) * 5
        if line.sub_kegiatan_code:
            path = codes.parse_program_code(line.sub_kegiatan_code)
            if not isinstance(path, str):
                program = path.prefixes()
        for (_level, column), code in zip(PROGRAM_COLUMNS.items(), program, strict=True):
            row[f"kode_{column}"] = code
            row[f"nama_{column}"] = name(Scheme.PROGRAM, code)
        account = (
            line.akun_code,
            line.kelompok_code,
            line.jenis_code,
            line.objek_code,
            line.account_code,
        )
        for (_level, column), code in zip(ACCOUNT_COLUMNS.items(), account, strict=True):
            row[f"kode_{column}"] = code
            row[f"nama_{column}"] = name(Scheme.ACCOUNT, code)
        row["pagu"] = line.planned
        row["realisasi"] = line.realised
        row["serapan_persen"] = percent(line.realised, line.planned)
        for month, field_name in zip(MONTHS, MONTH_FIELDS, strict=True):
            row[f"realisasi_{month:02d}"] = getattr(line, field_name)
        rows.append(row)
    return YearTable(year=year, version=chosen, fields=table_fields(), rows=rows)


def year_csv(year: int, version: int | None = None) -> bytes:
    """`year_table` as UTF-8 CSV: comma separated, plain integers, dot decimals, empty cells
    for missing values."""
    table = year_table(year, version)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.field_names)
    for row in table.rows:
        writer.writerow(["" if row[name] is None else row[name] for name in table.field_names])
    return buffer.getvalue().encode("utf-8")


def published_years() -> list[dict[str, Any]]:
    """One entry per year with a version, for the open-data catalog: the year, its default
    version's number, kind and import time (re-publish when these change) and its status."""
    found = []
    for budget_year in BudgetYear.objects.order_by("year").prefetch_related("versions"):
        version = default_version(list(budget_year.versions.all()))
        if version is None:
            continue
        found.append(
            {
                "year": budget_year.year,
                "status": budget_year.status,
                "version": version.number,
                "kind": version.kind,
                "imported_at": version.imported_at,
                "line_count": version.line_count,
                "file_sha256": version.file_sha256,
            }
        )
    return found
