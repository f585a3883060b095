"""Which version of a year a reader sees: the one asked for by number, else the default (the
current APBD-P when there is one, else the current APBD murni)."""

from __future__ import annotations

from django.utils.translation import gettext

from terang.core.errors import NotFound

from .choices import VersionKind
from .models import BudgetVersion, BudgetYear


def default_version(versions: list[BudgetVersion]) -> BudgetVersion | None:
    current = {v.kind: v for v in versions if v.is_current}
    return current.get(VersionKind.AMENDED) or current.get(VersionKind.ORIGINAL)


def get_budget_year(year: int) -> BudgetYear:
    budget_year = BudgetYear.objects.filter(year=year).first()
    if budget_year is None:
        raise NotFound(
            gettext("Belum ada APBD tahun %(year)s.") % {"year": year}, details={"year": year}
        )
    return budget_year


def resolve_version(budget_year: BudgetYear, number: int | None = None) -> BudgetVersion:
    """Version `number` of the year, or its default version; NotFound otherwise. The year's
    versions ride along as `version.siblings` for the version selector."""
    versions = list(
        budget_year.versions.select_related("budget_year", "imported_by").order_by("number")
    )
    if number is None:
        found = default_version(versions)
    else:
        found = next((v for v in versions if v.number == number), None)
    if found is None:
        raise NotFound(
            gettext("Versi APBD itu tidak ada untuk tahun %(year)s.") % {"year": budget_year.year},
            details={"year": budget_year.year, "version": number},
        )
    found.siblings = versions  # type: ignore[attr-defined]
    return found
