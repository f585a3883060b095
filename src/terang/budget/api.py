"""JSON API of the budget app, mounted under /api/v1/budget.

Public (anonymous) reads from the same selectors as the explorer pages, with the same query
parameters (`versi`, `opd`, `kode`, `dengan`). Staff writes (session with two-factor, CSRF):
importing a budget file and closing or reopening a year, through the same services as the
staff page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from terang.core.api_auth import require_staff, session_auth
from terang.core.errors import NotFound, ValidationFailed
from terang.core.schemas import errors

from . import selectors, services
from .figures import Figures, Monthly
from .models import BudgetVersion
from .schemas import (
    BreakdownOut,
    BreakdownQuery,
    CompareQuery,
    ComparisonOut,
    ImportOut,
    SummaryOut,
    VersionQuery,
    YearOut,
    YearStatusIn,
)

router = Router(tags=["budget"])


def figures_out(figures: Figures, *, absorption: bool = True) -> dict[str, Any]:
    """`absorption=False` for derived balances (surplus, net financing, SiLPA), whose ratio
    means nothing."""
    return {
        "planned": figures.planned,
        "realised": figures.realised,
        "absorption_percent": figures.absorption if absorption else None,
    }


def version_out(version: BudgetVersion) -> dict[str, Any]:
    return {
        "year": version.budget_year.year,
        "number": version.number,
        "kind": version.kind,
        "is_current": version.is_current,
        "imported_at": version.imported_at,
        "file_name": version.file_name,
        "file_sha256": version.file_sha256,
        "line_count": version.line_count,
        "realised_through": version.realised_through,
    }


def months_out(monthly: Monthly) -> list[dict[str, Any]]:
    return [
        {
            "month": point.month,
            "amount": point.amount,
            "cumulative": point.cumulative,
            "absorption_percent": point.absorption,
        }
        for point in monthly.points
    ]


def year_out(item: selectors.YearOverview) -> dict[str, Any]:
    return {
        "year": item.budget_year.year,
        "status": item.budget_year.status,
        "version": version_out(item.version) if item.version else None,
        "versions": [version_out(v) for v in item.versions],
        "revenue": figures_out(item.revenue),
        "spending": figures_out(item.spending),
    }


def _version(year: int, number: int | None) -> BudgetVersion:
    return selectors.resolve_version(selectors.get_budget_year(year), number)


@router.get(
    "/years",
    response={200: list[YearOut], **errors()},
    summary="Tahun anggaran",
    description="Setiap tahun APBD (terbaru dulu) dengan semua versinya, versi bawaan, dan pagu "
    "serta realisasi pendapatan dan belanja versi bawaan itu.",
)
def list_years(request: HttpRequest) -> list[dict[str, Any]]:
    return [year_out(item) for item in selectors.budget_years()]


@router.get(
    "/years/{year}",
    response={200: SummaryOut, **errors(404, 422)},
    summary="Ringkasan APBD satu tahun",
    description="Pendapatan, belanja, surplus/defisit, pembiayaan dan SiLPA; pagu, realisasi "
    "dan serapan per akun dan kelompok; realisasi bulanan pendapatan dan belanja.",
)
def summary(request: HttpRequest, year: int, query: Query[VersionQuery]) -> dict[str, Any]:
    version = _version(year, query.versi)
    found = selectors.year_summary(version)
    return {
        "year": year,
        "status": version.budget_year.status,
        "version": version_out(version),
        "revenue": figures_out(found.revenue),
        "spending": figures_out(found.spending),
        "surplus": figures_out(found.surplus, absorption=False),
        "financing_receipts": figures_out(found.financing_receipts),
        "financing_payments": figures_out(found.financing_payments),
        "net_financing": figures_out(found.net_financing, absorption=False),
        "silpa": figures_out(found.silpa, absorption=False),
        "accounts": [
            {
                "code": row.code,
                "name": row.name,
                "level": row.level,
                "figures": figures_out(row.figures, absorption=row.code != "6"),
            }
            for row in found.rows
        ],
        "revenue_months": months_out(found.revenue_monthly),
        "spending_months": months_out(found.spending_monthly),
    }


def breakdown_out(year: int, found: selectors.Breakdown) -> dict[str, Any]:
    return {
        "year": year,
        "version": version_out(found.version),
        "view": found.view,
        "level": found.level,
        "opd": found.agency.code if found.agency else None,
        "kode": found.code or None,
        "crumbs": [{"label": c.label, "params": c.params} for c in found.crumbs],
        "total": figures_out(found.total),
        "months": months_out(found.monthly),
        "rows": [
            {
                "key": row.key,
                "name": row.name,
                "figures": figures_out(row.figures),
                "share_percent": row.share,
                "months": list(row.monthly.amounts),
                "params": row.params,
            }
            for row in found.rows
        ],
    }


@router.get(
    "/years/{year}/spending",
    response={200: BreakdownOut, **errors(404, 422)},
    summary="Rincian belanja",
    description="Belanja dari total kota ke bawah: OPD, program satu OPD (`opd`), kegiatan "
    "satu program (`kode`), sub kegiatan satu kegiatan, dan rekening satu sub kegiatan. "
    "Jumlah baris selalu sama dengan `total`.",
)
def spending(request: HttpRequest, year: int, query: Query[BreakdownQuery]) -> dict[str, Any]:
    version = _version(year, query.versi)
    found = selectors.spending_breakdown(version, agency_code=query.opd, code=query.kode)
    return breakdown_out(year, found)


@router.get(
    "/years/{year}/accounts",
    response={200: BreakdownOut, **errors(404, 422)},
    summary="Rincian per rekening",
    description="Semua anggaran per rekening: akun (4 pendapatan, 5 belanja, 6 pembiayaan), "
    "kelompok, jenis, objek, rincian objek, dan OPD pemegang satu rincian objek; `opd` "
    "membatasi pada satu OPD.",
)
def accounts(request: HttpRequest, year: int, query: Query[BreakdownQuery]) -> dict[str, Any]:
    version = _version(year, query.versi)
    found = selectors.account_breakdown(version, code=query.kode, agency_code=query.opd)
    return breakdown_out(year, found)


@router.get(
    "/years/{year}/compare",
    response={200: ComparisonOut, **errors(404, 422)},
    summary="Perbandingan antartahun",
    description="Pagu dan realisasi per akun, kelompok dan OPD (belanja) dua tahun. Realisasi "
    "dibandingkan hanya untuk bulan yang dimiliki kedua tahun (`realised_through`).",
)
def compare(request: HttpRequest, year: int, query: Query[CompareQuery]) -> dict[str, Any]:
    version = _version(year, query.versi)
    other_year = query.dengan or selectors.comparison_year(year)
    if other_year is None:
        raise NotFound(_("Belum ada APBD tahun lain untuk dibandingkan."), details={"year": year})
    if other_year == year:
        raise ValidationFailed(details={"dengan": other_year})
    other = _version(other_year, None)
    found = selectors.compare_years(version, other)

    def row(item: selectors.ComparisonRow) -> dict[str, Any]:
        return {
            "key": item.key,
            "name": item.name,
            "level": item.level,
            "base": figures_out(item.base),
            "other": figures_out(item.other),
            "plan_change_percent": item.plan_change,
            "realised_change_percent": item.realised_change if found.through else None,
        }

    return {
        "year": year,
        "version": version_out(version),
        "other_year": other_year,
        "other_version": version_out(other),
        "realised_through": found.through,
        "accounts": [row(item) for item in found.accounts],
        "agencies": [row(item) for item in found.agencies],
    }


@router.post(
    "/imports",
    auth=session_auth,
    tags=["staff"],
    response={201: ImportOut, **errors(401, 403, 409, 413, 422)},
    summary="Impor APBD dari CSV atau XLSX",
    description="Berkas satu tahun (`year`) sebagai APBD murni atau perubahan (`kind`), semua "
    "atau tidak sama sekali; setiap impor menjadi versi baru. Bila ditolak, `details.errors` "
    "berisi setiap masalah dengan nomor baris (judul = baris 1) dan kolomnya. Hanya "
    "administrator dan OPD pengelola keuangan.",
)
def import_file(
    request: HttpRequest, file: File[UploadedFile], year: Form[int], kind: Form[str]
) -> Status:
    user = require_staff(request)
    result = services.import_budget(
        file=file, file_name=file.name or "", year=year, kind=kind, actor=user
    )
    body = {
        "version": version_out(result.version),
        "superseded": result.superseded.number if result.superseded else None,
        "totals": {
            akun: figures_out(Figures(item["planned"], item["realised"]))
            for akun, item in result.totals.items()
        },
    }
    return Status(201, body)


@router.post(
    "/years/{year}/status",
    auth=session_auth,
    tags=["staff"],
    response={200: YearOut, **errors(401, 403, 404, 409, 422)},
    summary="Tutup atau buka kembali tahun anggaran",
    description="Tahun yang ditutup menolak impor; alasan dicatat di jejak audit.",
)
def year_status(request: HttpRequest, year: int, payload: YearStatusIn) -> dict[str, Any]:
    user = require_staff(request)
    budget_year = services.set_budget_year_status(
        budget_year=selectors.get_budget_year(year),
        status=payload.status,
        reason=payload.reason,
        actor=user,
    )
    item = next(i for i in selectors.budget_years() if i.budget_year.pk == budget_year.pk)
    return year_out(item)
