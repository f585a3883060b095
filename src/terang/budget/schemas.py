"""Shapes of the /api/v1/budget endpoints. Amounts are whole rupiah; percentages are numbers
with two decimals (87.35 means 87.35 %), null when the base is 0. Query parameters carry the
same names as the explorer pages (`versi`, `opd`, `kode`, `dengan`), so a page's address and
its JSON twin differ only in the path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class VersionQuery(Schema):
    versi: int | None = Field(
        None,
        ge=1,
        description="Nomor versi dalam tahun itu; kosong untuk APBD-P terkini, "
        "atau APBD murni terkini bila belum ada APBD-P.",
    )


class BreakdownQuery(VersionQuery):
    opd: str | None = Field(None, max_length=30, description="Kode OPD.")
    kode: str | None = Field(
        None,
        max_length=24,
        description="Kode program, kegiatan atau sub kegiatan (belanja), atau kode akun sampai "
        "rincian objek (rekening). Baris yang dikembalikan adalah tingkat di bawahnya.",
    )


class CompareQuery(VersionQuery):
    dengan: int | None = Field(
        None,
        ge=2000,
        le=2999,
        description="Tahun pembanding; kosong untuk tahun terdekat sebelumnya yang memiliki APBD.",
    )


class FiguresOut(Schema):
    planned: int = Field(..., description="Pagu (rupiah).")
    realised: int = Field(..., description="Realisasi (rupiah).")
    absorption_percent: Decimal | None = Field(
        None,
        description="Serapan: realisasi / pagu x 100, dua desimal, dibulatkan setengah ke atas.",
    )


class VersionOut(Schema):
    year: int
    number: int
    kind: str = Field(..., description="murni atau perubahan (APBD-P).")
    is_current: bool = Field(..., description="Versi terkini untuk jenisnya.")
    imported_at: dt.datetime
    file_name: str
    file_sha256: str
    line_count: int
    realised_through: int = Field(..., description="Bulan terakhir yang berisi realisasi (0-12).")


class YearOut(Schema):
    year: int
    status: str = Field(..., description="open (berjalan) atau closed (ditutup).")
    version: VersionOut | None = Field(None, description="Versi bawaan yang ditampilkan.")
    versions: list[VersionOut]
    revenue: FiguresOut
    spending: FiguresOut


class MonthOut(Schema):
    month: int
    amount: int = Field(..., description="Realisasi di dalam bulan itu.")
    cumulative: int
    absorption_percent: Decimal | None = Field(None, description="Kumulatif / pagu x 100.")


class AccountRowOut(Schema):
    code: str
    name: str
    level: str = Field(..., description="akun atau kelompok.")
    figures: FiguresOut


class SummaryOut(Schema):
    year: int
    status: str
    version: VersionOut
    revenue: FiguresOut
    spending: FiguresOut
    surplus: FiguresOut = Field(..., description="Pendapatan dikurangi belanja (negatif: defisit).")
    financing_receipts: FiguresOut
    financing_payments: FiguresOut
    net_financing: FiguresOut
    silpa: FiguresOut = Field(..., description="Sisa lebih pembiayaan anggaran.")
    accounts: list[AccountRowOut] = Field(
        ..., description="Akun dan kelompok; akun 6 berisi pembiayaan netto."
    )
    revenue_months: list[MonthOut]
    spending_months: list[MonthOut]


class CrumbOut(Schema):
    label: str
    params: dict[str, str]


class BreakdownRowOut(Schema):
    key: str = Field(..., description="Kode, atau kode OPD pada tingkat OPD.")
    name: str
    figures: FiguresOut
    share_percent: Decimal | None = Field(None, description="Porsi pagu dalam pilihan ini.")
    months: list[int] = Field(..., description="Realisasi Januari sampai Desember.")
    params: dict[str, str] | None = Field(
        None, description="Parameter untuk turun satu tingkat; null pada tingkat terbawah."
    )


class BreakdownOut(Schema):
    year: int
    version: VersionOut
    view: str = Field(..., description="belanja atau rekening.")
    level: str = Field(..., description="Tingkat baris: opd, program, kegiatan, ..., rincian.")
    opd: str | None = None
    kode: str | None = None
    crumbs: list[CrumbOut]
    total: FiguresOut
    months: list[MonthOut]
    rows: list[BreakdownRowOut]


class ComparisonRowOut(Schema):
    key: str
    name: str
    level: str
    base: FiguresOut = Field(..., description="Tahun yang dilihat.")
    other: FiguresOut = Field(..., description="Tahun pembanding.")
    plan_change_percent: Decimal | None = None
    realised_change_percent: Decimal | None = None


class ComparisonOut(Schema):
    year: int
    version: VersionOut
    other_year: int
    other_version: VersionOut
    realised_through: int = Field(
        ..., description="Realisasi dibandingkan Januari sampai bulan ini (0: tidak dibandingkan)."
    )
    accounts: list[ComparisonRowOut]
    agencies: list[ComparisonRowOut]


class ImportOut(Schema):
    version: VersionOut
    superseded: int | None = Field(None, description="Nomor versi yang digantikan.")
    totals: dict[str, FiguresOut] = Field(..., description="Per akun (4, 5, 6).")


class YearStatusIn(Schema):
    status: str = Field(..., description="open atau closed.")
    reason: str = Field("", max_length=500)
