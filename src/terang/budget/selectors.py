"""Every public read of the budget: years, a year's totals, drill-downs by agency and program
or by account, and the year-on-year comparison. Pages, CSV downloads and the JSON API call
these same functions with the same parameters (`versi`, `opd`, `kode`, `dengan`).

The default version of a year is its current APBD-P when there is one, else its current APBD
murni. Budget data is public (UU 14/2008), so nothing here is scoped by user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from terang.core.errors import NotFound, ValidationFailed
from terang.core.models import Agency

from . import codes
from .choices import Level, Scheme
from .dataset import YearTable, published_years, year_csv, year_table
from .figures import Figures, Monthly, change_percent, percent
from .models import MONTH_FIELDS, BudgetCode, BudgetLine, BudgetVersion, BudgetYear
from .versions import default_version, get_budget_year, resolve_version

__all__ = [
    "Breakdown",
    "BreakdownRow",
    "Comparison",
    "ComparisonRow",
    "Crumb",
    "YearOverview",
    "YearSummary",
    "YearTable",
    "account_breakdown",
    "budget_years",
    "default_version",
    "compare_years",
    "comparison_year",
    "get_budget_year",
    "published_years",
    "recent_versions",
    "resolve_version",
    "spending_breakdown",
    "year_csv",
    "year_summary",
    "year_table",
    "years_for_staff",
]

AGENCY = "opd"  # the row level of agencies, beside the code levels of choices.Level


class BudgetCodeInvalid(ValidationFailed):
    code = "budget_code_invalid"
    default_message = _("Kode tidak valid untuk tampilan ini.")


def _sums(prefix: str = "") -> dict[str, Any]:
    """Sum() of the plan, the realisation and each month, for aggregate()/annotate()."""
    found: dict[str, Any] = {
        f"{prefix}planned": Sum("planned"),
        f"{prefix}realised": Sum("realised"),
    }
    for name in MONTH_FIELDS:
        found[f"{prefix}{name}"] = Sum(name)
    return found


def _figures(values: Mapping[str, Any]) -> Figures:
    return Figures(int(values.get("planned") or 0), int(values.get("realised") or 0))


def _monthly(values: Mapping[str, Any]) -> Monthly:
    return Monthly(
        int(values.get("planned") or 0),
        tuple(int(values.get(name) or 0) for name in MONTH_FIELDS),
    )


# --- years and versions -------------------------------------------------------------------


@dataclass
class YearOverview:
    budget_year: BudgetYear
    version: BudgetVersion | None
    versions: list[BudgetVersion]
    revenue: Figures = field(default_factory=Figures)
    spending: Figures = field(default_factory=Figures)


def budget_years() -> list[YearOverview]:
    """Every year, newest first, with its default version's revenue and spending."""
    years = list(BudgetYear.objects.order_by("-year"))
    versions: dict[int, list[BudgetVersion]] = {}
    for version in BudgetVersion.objects.select_related("budget_year").order_by("number"):
        versions.setdefault(version.budget_year_id, []).append(version)
    found = [
        YearOverview(y, default_version(versions.get(y.pk, [])), versions.get(y.pk, []))
        for y in years
    ]
    chosen = {item.version.pk: item for item in found if item.version is not None}
    rows = (
        BudgetLine.objects.filter(version_id__in=chosen, akun_code__in=["4", "5"])
        .values("version_id", "akun_code")
        .annotate(planned=Sum("planned"), realised=Sum("realised"))
        .order_by()
    )
    for row in rows:
        item = chosen[row["version_id"]]
        if row["akun_code"] == codes.REVENUE:
            item.revenue = _figures(row)
        else:
            item.spending = _figures(row)
    return found


# --- the year's totals --------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    code: str
    name: str
    level: str
    figures: Figures
    monthly: Monthly


@dataclass
class YearSummary:
    """The APBD structure: revenue minus spending is the surplus (or deficit); financing
    receipts minus payments is net financing; together they leave the SiLPA (sisa lebih
    pembiayaan anggaran, the year's unspent balance)."""

    version: BudgetVersion
    rows: list[AccountRow]
    revenue: Figures
    spending: Figures
    financing_receipts: Figures
    financing_payments: Figures
    revenue_monthly: Monthly
    spending_monthly: Monthly

    @property
    def surplus(self) -> Figures:
        return self.revenue - self.spending

    @property
    def net_financing(self) -> Figures:
        return self.financing_receipts - self.financing_payments

    @property
    def silpa(self) -> Figures:
        return self.surplus + self.net_financing


def _names(version: BudgetVersion, scheme: str, wanted: set[str]) -> dict[str, str]:
    if not wanted:
        return {}
    return dict(
        BudgetCode.objects.filter(version=version, scheme=scheme, code__in=wanted).values_list(
            "code", "name"
        )
    )


def year_summary(version: BudgetVersion) -> YearSummary:
    """Totals per akun and kelompok (two queries: the sums and their names)."""
    groups = {
        row["kelompok_code"]: row
        for row in BudgetLine.objects.filter(version=version)
        .values("kelompok_code")
        .annotate(**_sums())
        .order_by()
    }
    classes: dict[str, Monthly] = {}
    class_figures: dict[str, Figures] = {}
    for code, row in groups.items():
        classes[code[0]] = classes.get(code[0], Monthly(0)) + _monthly(row)
        class_figures[code[0]] = class_figures.get(code[0], Figures()) + _figures(row)
    names = _names(version, Scheme.ACCOUNT, set(groups) | set(classes))
    rows: list[AccountRow] = []
    for akun in sorted(classes):
        if akun == codes.FINANCING:
            # receipts and payments net out; their plain sum means nothing
            receipts = _monthly(groups.get(codes.FINANCING_RECEIPTS, {}))
            payments = _monthly(groups.get(codes.FINANCING_PAYMENTS, {}))
            net = Monthly(
                receipts.planned - payments.planned,
                tuple(a - b for a, b in zip(receipts.amounts, payments.amounts, strict=True)),
            )
            figures = Figures(net.planned, sum(net.amounts))
            rows.append(AccountRow(akun, gettext("Pembiayaan netto"), Level.AKUN, figures, net))
        else:
            name = names.get(akun, "")
            rows.append(AccountRow(akun, name, Level.AKUN, class_figures[akun], classes[akun]))
        for code in sorted(c for c in groups if c[0] == akun):
            rows.append(
                AccountRow(
                    code,
                    names.get(code, ""),
                    Level.KELOMPOK,
                    _figures(groups[code]),
                    _monthly(groups[code]),
                )
            )

    def of(code: str) -> Figures:
        return _figures(groups[code]) if code in groups else Figures()

    return YearSummary(
        version=version,
        rows=rows,
        revenue=class_figures.get(codes.REVENUE, Figures()),
        spending=class_figures.get(codes.SPENDING, Figures()),
        financing_receipts=of(codes.FINANCING_RECEIPTS),
        financing_payments=of(codes.FINANCING_PAYMENTS),
        revenue_monthly=classes.get(codes.REVENUE, Monthly(0)),
        spending_monthly=classes.get(codes.SPENDING, Monthly(0)),
    )


# --- drill-downs --------------------------------------------------------------------------


@dataclass(frozen=True)
class Crumb:
    label: str
    params: dict[str, str]


@dataclass(frozen=True)
class BreakdownRow:
    key: str  # a code, or an agency code on agency rows
    name: str
    figures: Figures
    monthly: Monthly
    share: Decimal | None  # of the selection's plan
    params: dict[str, str] | None  # the drill-down below this row; None at the bottom


@dataclass
class Breakdown:
    """One level of a drill-down: the selection (agency and/or code), its total and monthly
    realisation, and one row per child. The rows always add up to the total."""

    view: str  # "belanja" (agency -> program -> kegiatan -> sub kegiatan -> account) or
    # "rekening" (akun -> kelompok -> jenis -> objek -> rincian -> agency)
    version: BudgetVersion
    level: str  # what the rows are: AGENCY or a choices.Level
    agency: Agency | None
    code: str
    code_level: str
    title: str
    crumbs: list[Crumb]
    rows: list[BreakdownRow]
    total: Figures
    monthly: Monthly

    @property
    def params(self) -> dict[str, str]:
        found = {}
        if self.agency is not None:
            found["opd"] = self.agency.code
        if self.code:
            found["kode"] = self.code
        return found


def _agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code__iexact=code.strip()).first()
    if agency is None:
        raise NotFound(gettext("OPD tidak dikenal."), details={"opd": code})
    return agency


def _rows(
    lines: QuerySet[BudgetLine], group: str, names: Any, params: Any, order_by_plan: bool
) -> tuple[list[BreakdownRow], Figures, Monthly]:
    grouped = list(lines.values(group).annotate(**_sums()).order_by(group))
    total_monthly = Monthly(0)
    for row in grouped:
        total_monthly = total_monthly + _monthly(row)
    total = Figures(total_monthly.planned, sum(total_monthly.amounts))
    keys = [row[group] for row in grouped]
    labels = names(keys)
    rows = [
        BreakdownRow(
            key=labels[row[group]][0],
            name=labels[row[group]][1],
            figures=_figures(row),
            monthly=_monthly(row),
            share=percent(int(row["planned"] or 0), total.planned),
            params=params(labels[row[group]][0]),
        )
        for row in grouped
    ]
    if order_by_plan:
        rows.sort(key=lambda r: (-r.figures.planned, r.key))
    return rows, total, total_monthly


def spending_breakdown(
    version: BudgetVersion, *, agency_code: str | None = None, code: str | None = None
) -> Breakdown:
    """Spending (akun 5) from the city total down: agencies, an agency's programs, a
    program's kegiatan, a kegiatan's sub kegiatan, and a sub kegiatan's account lines.
    `code` is a program, kegiatan or sub kegiatan code; without `agency_code` it is city-wide."""
    agency = _agency(agency_code)
    code = (code or "").strip()
    code_level = codes.level_of(code, Scheme.PROGRAM) if code else ""
    if code and code_level not in (Level.PROGRAM, Level.KEGIATAN, Level.SUB_KEGIATAN):
        raise BudgetCodeInvalid(
            gettext("Kode harus kode program, kegiatan atau sub kegiatan, mis. 1.02.02."),
            details={"kode": code},
        )
    lines = BudgetLine.objects.filter(version=version, akun_code=codes.SPENDING)
    if agency is not None:
        lines = lines.filter(agency=agency)
    if code:
        lines = lines.filter(**{f"{code_level}_code": code})
    child = {
        "": Level.PROGRAM if agency else AGENCY,
        Level.PROGRAM: Level.KEGIATAN,
        Level.KEGIATAN: Level.SUB_KEGIATAN,
        Level.SUB_KEGIATAN: Level.RINCIAN,
    }[code_level or ""]
    base = {"opd": agency.code} if agency else {}

    if child == AGENCY:
        agencies: dict[int, Agency] = {}

        def agency_names(keys: list[int]) -> dict[int, tuple[str, str]]:
            agencies.update(Agency.objects.in_bulk(keys))
            return {pk: (agencies[pk].code, agencies[pk].name) for pk in keys}

        rows, total, monthly = _rows(
            lines, "agency_id", agency_names, lambda key: {"opd": key}, order_by_plan=True
        )
    else:
        group = "account_code" if child == Level.RINCIAN else f"{child}_code"
        scheme = Scheme.ACCOUNT if child == Level.RINCIAN else Scheme.PROGRAM

        def code_names(keys: list[str]) -> dict[str, tuple[str, str]]:
            found = _names(version, scheme, set(keys))
            return {key: (key, found.get(key, "")) for key in keys}

        def link(key: str) -> dict[str, str] | None:
            return None if child == Level.RINCIAN else {**base, "kode": key}

        rows, total, monthly = _rows(lines, group, code_names, link, order_by_plan=False)
    if not rows and (agency is not None or code):
        raise NotFound(
            gettext("Tidak ada belanja untuk pilihan ini pada versi APBD ini."),
            details={"opd": agency_code, "kode": code},
        )
    crumbs = [Crumb(gettext("Belanja daerah"), {})]
    if agency is not None:
        crumbs.append(Crumb(agency.name, dict(base)))
    if code:
        path = codes.parse_program_code(code, level=code_level or "")
        assert not isinstance(path, str)  # noqa: S101 - level_of matched
        wanted = [path.program, path.kegiatan, path.sub_kegiatan]
        chain = list(dict.fromkeys(wanted[: wanted.index(code) + 1]))
        names = _names(version, Scheme.PROGRAM, set(chain))
        for item in chain:
            label = f"{item} {names.get(item, '')}".strip()
            crumbs.append(Crumb(label, {**base, "kode": item}))
    return Breakdown(
        view="belanja",
        version=version,
        level=child,
        agency=agency,
        code=code,
        code_level=code_level or "",
        title=crumbs[-1].label,
        crumbs=crumbs,
        rows=rows,
        total=total,
        monthly=monthly,
    )


def account_breakdown(
    version: BudgetVersion, *, code: str | None = None, agency_code: str | None = None
) -> Breakdown:
    """Everything by account (rekening), from akun (4 revenue, 5 spending, 6 financing) down
    to rincian objek, and at the bottom the agencies holding that rincian; optionally for one
    agency."""
    agency = _agency(agency_code)
    code = (code or "").strip()
    code_level = codes.level_of(code, Scheme.ACCOUNT) if code else ""
    if code:
        problem = codes.parse_account_code(code, level=code_level) if code_level else None
        if code_level is None or isinstance(problem, str):
            raise BudgetCodeInvalid(
                problem if isinstance(problem, str) else None, details={"kode": code}
            )
    lines = BudgetLine.objects.filter(version=version)
    if agency is not None:
        lines = lines.filter(agency=agency)
    if code:
        field_name = "account_code" if code_level == Level.RINCIAN else f"{code_level}_code"
        lines = lines.filter(**{field_name: code})
    child = {
        "": Level.AKUN,
        Level.AKUN: Level.KELOMPOK,
        Level.KELOMPOK: Level.JENIS,
        Level.JENIS: Level.OBJEK,
        Level.OBJEK: Level.RINCIAN,
        Level.RINCIAN: AGENCY,
    }[code_level or ""]
    base = {"opd": agency.code} if agency else {}
    if child == AGENCY:
        agencies: dict[int, Agency] = {}

        def agency_names(keys: list[int]) -> dict[int, tuple[str, str]]:
            agencies.update(Agency.objects.in_bulk(keys))
            return {pk: (agencies[pk].code, agencies[pk].name) for pk in keys}

        rows, total, monthly = _rows(
            lines, "agency_id", agency_names, lambda key: None, order_by_plan=True
        )
    else:
        group = "account_code" if child == Level.RINCIAN else f"{child}_code"

        def code_names(keys: list[str]) -> dict[str, tuple[str, str]]:
            found = _names(version, Scheme.ACCOUNT, set(keys))
            if child in (Level.AKUN, Level.KELOMPOK):
                found = {
                    key: found.get(key) or codes.REFERENCE_NAMES.get((Scheme.ACCOUNT, key), "")
                    for key in keys
                }
            return {key: (key, found.get(key, "")) for key in keys}

        rows, total, monthly = _rows(
            lines,
            group,
            code_names,
            lambda key: {**base, "kode": key},
            order_by_plan=False,
        )
    if not rows and (agency is not None or code):
        raise NotFound(
            gettext("Tidak ada anggaran untuk pilihan ini pada versi APBD ini."),
            details={"opd": agency_code, "kode": code},
        )
    crumbs = [Crumb(gettext("Semua akun"), dict(base))]
    if code:
        parts = code.split(".")
        chain = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
        names = _names(version, Scheme.ACCOUNT, set(chain))
        for item in chain:
            name = names.get(item) or codes.REFERENCE_NAMES.get((Scheme.ACCOUNT, item), "")
            crumbs.append(Crumb(f"{item} {name}".strip(), {**base, "kode": item}))
    title = crumbs[-1].label
    if agency is not None:
        title = f"{title} · {agency.name}"
    return Breakdown(
        view="rekening",
        version=version,
        level=child,
        agency=agency,
        code=code,
        code_level=code_level or "",
        title=title,
        crumbs=crumbs,
        rows=rows,
        total=total,
        monthly=monthly,
    )


# --- year on year -------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    name: str
    level: str
    base: Figures  # the year being viewed
    other: Figures  # the year compared with

    @property
    def plan_change(self) -> Decimal | None:
        return change_percent(self.base.planned, self.other.planned)

    @property
    def realised_change(self) -> Decimal | None:
        return change_percent(self.base.realised, self.other.realised)


@dataclass
class Comparison:
    """Two years side by side. Plans are compared whole; realisation only over the months
    both years have (January to `through`), so a running year is not set against a closed
    one's twelve months."""

    base: BudgetVersion
    other: BudgetVersion
    through: int
    accounts: list[ComparisonRow]
    agencies: list[ComparisonRow]


def _realised_through(month: int) -> Any:
    expression: Any = None
    for name in MONTH_FIELDS[:month]:
        expression = Sum(name) if expression is None else expression + Sum(name)
    return expression


def _compare_groups(
    base: BudgetVersion, other: BudgetVersion, group: str, through: int, **filters: Any
) -> dict[Any, tuple[Figures, Figures]]:
    found: dict[Any, list[Figures]] = {}
    for position, version in enumerate((base, other)):
        annotations: dict[str, Any] = {"planned": Sum("planned")}
        if through:
            annotations["realised"] = _realised_through(through)
        rows = (
            BudgetLine.objects.filter(version=version, **filters)
            .values(group)
            .annotate(**annotations)
            .order_by()
        )
        for row in rows:
            pair = found.setdefault(row[group], [Figures(), Figures()])
            pair[position] = _figures(row)
    return {key: (pair[0], pair[1]) for key, pair in found.items()}


def comparison_year(year: int) -> int | None:
    """The year to compare `year` with by default: the latest earlier year with a budget,
    else the earliest later one; None when `year` is the only one."""
    others = sorted(
        y
        for y in BudgetYear.objects.filter(versions__isnull=False)
        .values_list("year", flat=True)
        .distinct()
        if y != year
    )
    earlier = [y for y in others if y < year]
    if earlier:
        return earlier[-1]
    return others[0] if others else None


def compare_years(base: BudgetVersion, other: BudgetVersion) -> Comparison:
    """Akun and kelompok of both years, and spending per agency."""
    through = min(base.realised_through, other.realised_through)
    groups = _compare_groups(base, other, "kelompok_code", through)
    names = {
        **_names(other, Scheme.ACCOUNT, set(groups) | {c[0] for c in groups}),
        **_names(base, Scheme.ACCOUNT, set(groups) | {c[0] for c in groups}),
    }
    accounts: list[ComparisonRow] = []
    for akun in sorted({code[0] for code in groups}):
        members = sorted(code for code in groups if code[0] == akun)
        if akun == codes.FINANCING:
            empty = (Figures(), Figures())
            receipts = groups.get(codes.FINANCING_RECEIPTS, empty)
            payments = groups.get(codes.FINANCING_PAYMENTS, empty)
            name = gettext("Pembiayaan netto")
            base_total, other_total = receipts[0] - payments[0], receipts[1] - payments[1]
        else:
            name = names.get(akun) or codes.REFERENCE_NAMES.get((Scheme.ACCOUNT, akun), "")
            base_total = sum((groups[c][0] for c in members), Figures())
            other_total = sum((groups[c][1] for c in members), Figures())
        accounts.append(ComparisonRow(akun, name, Level.AKUN, base_total, other_total))
        accounts += [
            ComparisonRow(
                code,
                names.get(code) or codes.REFERENCE_NAMES.get((Scheme.ACCOUNT, code), ""),
                Level.KELOMPOK,
                *groups[code],
            )
            for code in members
        ]
    by_agency = _compare_groups(base, other, "agency_id", through, akun_code=codes.SPENDING)
    agencies = Agency.objects.in_bulk(list(by_agency))
    agency_rows = sorted(
        (
            ComparisonRow(agencies[pk].code, agencies[pk].name, AGENCY, *pair)
            for pk, pair in by_agency.items()
        ),
        key=lambda row: (-row.base.planned, row.key),
    )
    return Comparison(base, other, through, accounts, agency_rows)


def recent_versions(limit: int = 50) -> list[BudgetVersion]:
    """The latest imports, newest first, for the staff import page."""
    return list(
        BudgetVersion.objects.select_related("budget_year", "imported_by").order_by(
            "-imported_at", "-pk"
        )[:limit]
    )


def years_for_staff() -> list[BudgetYear]:
    return list(BudgetYear.objects.order_by("-year"))
