"""Public APBD explorer (no login): the years, a year's totals, drill-downs by agency and
program or by account, and the year-on-year comparison. Every page has a CSV of exactly the
rows shown (plain integers in rupiah, dot decimals, UTF-8) and a JSON twin in the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from terang.core.errors import NotFound, ValidationFailed
from terang.core.exports import safe_csv_writer

from .. import selectors
from ..charts import bar_chart, monthly_chart
from ..choices import Level
from ..figures import Monthly
from ..forms import ExplorerForm
from ..models import MONTHS, BudgetVersion
from ..selectors import AGENCY, Breakdown

MONTH_COLUMNS = [f"realisasi_{month:02d}" for month in MONTHS]
View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """Domain errors become a readable page (404 or 422), never a stack trace."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, ValidationFailed) as exc:
            return render(
                request,
                "budget/public/not_found.html",
                {"message": exc.message, "status": exc.status},
                status=exc.status,
            )

    return require_GET(wrapper)


def csv_download(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, ValidationFailed) as exc:
            return HttpResponse(
                str(exc.message), status=exc.status, content_type="text/plain; charset=utf-8"
            )

    return require_GET(wrapper)


def _form(request: HttpRequest) -> ExplorerForm:
    form = ExplorerForm(request.GET)
    if not form.is_valid():
        raise ValidationFailed(
            _("Parameter tidak valid: %(fields)s.") % {"fields": ", ".join(form.errors)},
            details={"fields": form.errors.get_json_data()},
        )
    return form


def _params(form: ExplorerForm) -> dict[str, Any]:
    """The page's query parameters as given (cleaned), for its download links."""
    return {
        name: form.cleaned_data[name]
        for name in ("versi", "opd", "kode", "dengan")
        if form.cleaned_data.get(name)
    }


def _version(year: int, form: ExplorerForm) -> BudgetVersion:
    return selectors.resolve_version(selectors.get_budget_year(year), form.value("versi"))


def _context(version: BudgetVersion, form: ExplorerForm, **extra: Any) -> dict[str, Any]:
    chosen = form.value("versi")
    year = version.budget_year.year
    through = version.realised_through
    return {
        "budget_year": version.budget_year,
        "year": year,
        "version": version,
        "versions": version.siblings,  # type: ignore[attr-defined]
        "version_query": {"versi": chosen} if chosen else {},
        "through_date": dt.date(year, through, 1) if through else None,
        "form": form,
        **extra,
    }


def _downloads(
    page: str, year: int, params: dict[str, Any], api_path: str, dataset: bool = False
) -> dict[str, str]:
    """The CSV and JSON twins of a page, with the same query parameters."""
    query = "?" + urlencode(params) if params else ""
    found = {
        "csv_url": reverse(f"budget:{page}_csv", args=[year]) + query,
        "json_url": f"/api/v1/budget/years/{year}{api_path}{query}",
    }
    if dataset:
        versi = {"versi": params["versi"]} if params.get("versi") else {}
        found["dataset_url"] = reverse("budget:dataset_csv", args=[year]) + (
            "?" + urlencode(versi) if versi else ""
        )
    return found


def _month_rows(year: int, through: int, *series: Monthly) -> list[tuple[Any, ...]]:
    """(first day of the month, point of each series) for months 1..through."""
    points = [m.points for m in series]
    return [
        (dt.date(year, month, 1), *(p[month - 1] for p in points))
        for month in range(1, through + 1)
    ]


def _csv_response(file_name: str, header: list[str], rows: Iterable[list[Any]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    writer = safe_csv_writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return response


# --- years --------------------------------------------------------------------------------


@public_page
def years(request: HttpRequest) -> HttpResponse:
    return render(request, "budget/public/years.html", {"years": selectors.budget_years()})


@csv_download
def years_csv(request: HttpRequest) -> HttpResponse:
    header = [
        "tahun",
        "status",
        "versi",
        "jenis_versi",
        "diimpor_pada",
        "pendapatan_pagu",
        "pendapatan_realisasi",
        "pendapatan_serapan_persen",
        "belanja_pagu",
        "belanja_realisasi",
        "belanja_serapan_persen",
    ]
    rows = [
        [
            item.budget_year.year,
            item.budget_year.status,
            item.version.number if item.version else None,
            item.version.kind if item.version else None,
            item.version.imported_at.isoformat() if item.version else None,
            item.revenue.planned,
            item.revenue.realised,
            item.revenue.absorption,
            item.spending.planned,
            item.spending.realised,
            item.spending.absorption,
        ]
        for item in selectors.budget_years()
    ]
    return _csv_response("apbd-tahun.csv", header, rows)


# --- one year -----------------------------------------------------------------------------


@public_page
def year(request: HttpRequest, year: int) -> HttpResponse:
    form = _form(request)
    version = _version(year, form)
    summary = selectors.year_summary(version)
    chart = monthly_chart(
        year,
        [
            (_("Pendapatan"), "series-revenue", summary.revenue_monthly),
            (_("Belanja"), "series-spending", summary.spending_monthly),
        ],
        version.realised_through,
    )
    return render(
        request,
        "budget/public/year.html",
        _context(
            version,
            form,
            summary=summary,
            chart=chart,
            comparison_year=selectors.comparison_year(year),
            months=_month_rows(
                year,
                version.realised_through,
                summary.revenue_monthly,
                summary.spending_monthly,
            ),
            **_downloads("summary", year, _params(form), "", dataset=True),
        ),
    )


SUMMARY_HEADER = [
    "tahun",
    "versi",
    "jenis_versi",
    "tingkat",
    "kode",
    "nama",
    "pagu",
    "realisasi",
    "serapan_persen",
    *MONTH_COLUMNS,
]


@csv_download
def summary_csv(request: HttpRequest, year: int) -> HttpResponse:
    form = _form(request)
    version = _version(year, form)
    summary = selectors.year_summary(version)
    head = [year, version.number, version.kind]
    rows = [
        [
            *head,
            row.level,
            row.code,
            row.name,
            row.figures.planned,
            row.figures.realised,
            row.figures.absorption,
            *row.monthly.amounts,
        ]
        for row in summary.rows
    ]
    for level, name, figures in (
        ("surplus_defisit", _("Surplus/(defisit)"), summary.surplus),
        ("silpa", _("Sisa lebih pembiayaan anggaran (SiLPA)"), summary.silpa),
    ):
        rows.append([*head, level, "", name, figures.planned, figures.realised, None])
    return _csv_response(f"apbd-{year}-ringkasan.csv", SUMMARY_HEADER, rows)


@csv_download
def dataset_csv(request: HttpRequest, year: int) -> HttpResponse:
    """The whole year as one open-data table (selectors.year_csv)."""
    form = _form(request)
    response = HttpResponse(
        selectors.year_csv(year, form.value("versi")), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="apbd-{year}.csv"'
    return response


# --- drill-downs --------------------------------------------------------------------------


def _breakdown(request: HttpRequest, year: int, view: str) -> tuple[ExplorerForm, Breakdown]:
    form = _form(request)
    version = _version(year, form)
    if view == "belanja":
        found = selectors.spending_breakdown(
            version, agency_code=form.value("opd"), code=form.value("kode")
        )
    else:
        found = selectors.account_breakdown(
            version, code=form.value("kode"), agency_code=form.value("opd")
        )
    return form, found


def _render_breakdown(request: HttpRequest, year: int, view: str) -> HttpResponse:
    form, breakdown = _breakdown(request, year, view)
    labels = [(f"{row.key} {row.name}".strip(), row.figures) for row in breakdown.rows]
    if breakdown.level == AGENCY:
        labels = [(row.name, row.figures) for row in breakdown.rows]
    monthly = monthly_chart(
        year,
        [(_("Realisasi kumulatif"), "series-selection", breakdown.monthly)],
        breakdown.version.realised_through,
    )
    return render(
        request,
        "budget/public/breakdown.html",
        _context(
            breakdown.version,
            form,
            breakdown=breakdown,
            chart=bar_chart(labels),
            monthly_chart=monthly,
            months=_month_rows(year, breakdown.version.realised_through, breakdown.monthly),
            show_total=not (view == "rekening" and not breakdown.code),
            level_label=_level_label(breakdown.level),
            page_url_name="budget:spending" if view == "belanja" else "budget:accounts",
            **_downloads(
                "spending" if view == "belanja" else "accounts",
                year,
                _params(form),
                "/spending" if view == "belanja" else "/accounts",
            ),
        ),
    )


def _level_label(level: str) -> str:
    """The rows' level as it reads mid-sentence ("per kegiatan", "per OPD")."""
    if level == AGENCY:
        return _("OPD")
    return str(dict(Level.choices)[level]).lower()


BREAKDOWN_HEADER = [
    "tahun",
    "versi",
    "jenis_versi",
    "filter_opd",
    "filter_kode",
    "tingkat",
    "kode",
    "nama",
    "pagu",
    "realisasi",
    "serapan_persen",
    "porsi_pagu_persen",
    *MONTH_COLUMNS,
]


def _breakdown_csv(request: HttpRequest, year: int, view: str) -> HttpResponse:
    breakdown = _breakdown(request, year, view)[1]
    version = breakdown.version
    rows = [
        [
            year,
            version.number,
            version.kind,
            breakdown.agency.code if breakdown.agency else None,
            breakdown.code or None,
            breakdown.level,
            row.key,
            row.name,
            row.figures.planned,
            row.figures.realised,
            row.figures.absorption,
            row.share,
            *row.monthly.amounts,
        ]
        for row in breakdown.rows
    ]
    suffix = "-".join(
        filter(None, [breakdown.agency.code if breakdown.agency else "", breakdown.code])
    )
    name = f"apbd-{year}-{view}{'-' + suffix if suffix else ''}.csv"
    return _csv_response(name, BREAKDOWN_HEADER, rows)


@public_page
def spending(request: HttpRequest, year: int) -> HttpResponse:
    return _render_breakdown(request, year, "belanja")


@csv_download
def spending_csv(request: HttpRequest, year: int) -> HttpResponse:
    return _breakdown_csv(request, year, "belanja")


@public_page
def accounts(request: HttpRequest, year: int) -> HttpResponse:
    return _render_breakdown(request, year, "rekening")


@csv_download
def accounts_csv(request: HttpRequest, year: int) -> HttpResponse:
    return _breakdown_csv(request, year, "rekening")


# --- year on year -------------------------------------------------------------------------


def _comparison(request: HttpRequest, year: int) -> tuple[ExplorerForm, selectors.Comparison]:
    form = _form(request)
    version = _version(year, form)
    other_year = form.value("dengan") or selectors.comparison_year(year)
    if other_year is None:
        raise NotFound(_("Belum ada APBD tahun lain untuk dibandingkan."))
    if other_year == year:
        raise ValidationFailed(_("Pilih tahun lain untuk dibandingkan."))
    other = selectors.resolve_version(selectors.get_budget_year(other_year))
    return form, selectors.compare_years(version, other)


@public_page
def compare(request: HttpRequest, year: int) -> HttpResponse:
    form, comparison = _comparison(request, year)
    years = [item.budget_year.year for item in selectors.budget_years() if item.version]
    return render(
        request,
        "budget/public/compare.html",
        _context(
            comparison.base,
            form,
            comparison=comparison,
            other_year=comparison.other.budget_year.year,
            compare_through=dt.date(year, comparison.through or 1, 1),
            other_years=[y for y in years if y != year],
            **_downloads(
                "compare",
                year,
                {**_params(form), "dengan": comparison.other.budget_year.year},
                "/compare",
            ),
        ),
    )


COMPARE_HEADER = [
    "tahun",
    "versi",
    "tahun_pembanding",
    "versi_pembanding",
    "realisasi_sd_bulan",
    "tingkat",
    "kode",
    "nama",
    "pagu",
    "pagu_pembanding",
    "perubahan_pagu_persen",
    "realisasi",
    "realisasi_pembanding",
    "perubahan_realisasi_persen",
]


@csv_download
def compare_csv(request: HttpRequest, year: int) -> HttpResponse:
    comparison = _comparison(request, year)[1]
    base, other = comparison.base, comparison.other
    head = [year, base.number, other.budget_year.year, other.number, comparison.through]
    rows = [
        [
            *head,
            row.level,
            row.key,
            row.name,
            row.base.planned,
            row.other.planned,
            row.plan_change,
            row.base.realised if comparison.through else None,
            row.other.realised if comparison.through else None,
            row.realised_change if comparison.through else None,
        ]
        for row in [*comparison.accounts, *comparison.agencies]
    ]
    return _csv_response(f"apbd-{year}-banding-{other.budget_year.year}.csv", COMPARE_HEADER, rows)
