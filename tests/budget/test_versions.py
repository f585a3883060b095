"""Versions: re-imports add versions and never overwrite; APBD-P keeps the murni; who may
import; closing a year."""

from __future__ import annotations

import pytest

from terang.budget import selectors
from terang.budget.choices import VersionKind, YearStatus
from terang.budget.models import BudgetLine, BudgetSettings, BudgetVersion, BudgetYear
from terang.budget.services import (
    BudgetAlreadyAmended,
    BudgetDuplicateFile,
    BudgetOriginalMissing,
    BudgetYearClosed,
    BudgetYearInvalid,
    import_budget,
    set_budget_year_status,
)
from terang.core.errors import InvalidTransition, PermissionDenied
from terang.core.models import AuditEntry

from .conftest import NOW
from .helpers import budget_csv, small_budget

pytestmark = pytest.mark.django_db


def run(rows, actor, *, kind="murni", year=2026):
    return import_budget(
        file=budget_csv(rows), file_name=f"{kind}.csv", year=year, kind=kind, actor=actor, now=NOW
    )


def amended_rows():
    """The APBD-P: Dinkes' hospital cut, a drainage line raised, a new PUPR line."""
    rows = small_budget()
    rows[5]["pagu"] = 600_000_000
    rows[8]["pagu"] = 1_800_000_000
    rows.append(
        {
            **rows[9],
            "kode_rekening": "5.1.02.02.01",
            "nama_rekening": "Belanja Jasa Kantor",
            "pagu": 50_000_000,
        }
    )
    return rows


def lines(version):
    return list(
        BudgetLine.objects.filter(version=version)
        .order_by("source_line")
        .values_list("agency__code", "sub_kegiatan_code", "account_code", "planned", "realised")
    )


def test_apbd_p_keeps_the_original(imported, admin_user):
    before = lines(imported)

    result = run(amended_rows(), admin_user, kind="perubahan")

    original = BudgetVersion.objects.get(pk=imported.pk)
    assert lines(original) == before
    assert original.is_current is True  # still the current murni
    assert (result.version.number, result.version.kind) == (2, VersionKind.AMENDED)
    assert result.superseded is None
    year = selectors.get_budget_year(2026)
    assert selectors.resolve_version(year).pk == result.version.pk  # APBD-P shown by default
    assert selectors.year_summary(selectors.resolve_version(year, 1)).spending.planned == (
        4_900_000_000
    )
    # hospital -300 million, drainage +300 million, new services line +50 million
    assert selectors.year_summary(result.version).spending.planned == 4_950_000_000


def test_second_apbd_p_supersedes_only_the_first_apbd_p(imported, admin_user):
    first = run(amended_rows(), admin_user, kind="perubahan").version
    rows = amended_rows()
    rows[0]["realisasi_03"] = 120_000_000
    second = run(rows, admin_user, kind="perubahan")

    assert second.superseded.pk == first.pk
    current = dict(BudgetVersion.objects.values_list("number", "is_current").order_by("number"))
    assert current == {1: True, 2: False, 3: True}
    assert BudgetLine.objects.filter(version=first).count() == 13  # kept as history


def test_murni_reimport_supersedes_the_previous_murni(imported, admin_user):
    rows = small_budget()
    rows[0]["realisasi_03"] = 110_000_000

    result = run(rows, admin_user)

    assert result.superseded.pk == imported.pk
    assert result.version.number == 2
    assert BudgetVersion.objects.get(pk=imported.pk).is_current is False
    assert BudgetLine.objects.filter(version=imported).count() == 12
    assert selectors.resolve_version(selectors.get_budget_year(2026)).pk == result.version.pk


def test_apbd_p_needs_a_murni(agencies, admin_user):
    with pytest.raises(BudgetOriginalMissing):
        run(small_budget(), admin_user, kind="perubahan")

    assert (BudgetYear.objects.count(), BudgetVersion.objects.count()) == (0, 0)


def test_murni_cannot_come_after_an_apbd_p(imported, admin_user):
    run(amended_rows(), admin_user, kind="perubahan")
    rows = small_budget()
    rows[0]["realisasi_03"] = 1

    with pytest.raises(BudgetAlreadyAmended):
        run(rows, admin_user)

    assert BudgetVersion.objects.count() == 2


def test_the_same_file_twice_is_refused(imported, admin_user):
    with pytest.raises(BudgetDuplicateFile):
        run(small_budget(), admin_user)

    assert BudgetVersion.objects.count() == 1
    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize(("year", "kind"), [(1999, "murni"), (2028, "murni"), (2026, "apbd")])
def test_year_and_kind_are_checked(agencies, admin_user, year, kind):
    with pytest.raises(BudgetYearInvalid):
        run(small_budget(), admin_user, year=year, kind=kind)

    assert BudgetYear.objects.count() == 0


def test_next_years_plan_may_be_imported_without_realisation(agencies, admin_user):
    rows = [{**row, **{f"realisasi_{m:02d}": "" for m in range(1, 13)}} for row in small_budget()]

    version = run(rows, admin_user, year=2027).version

    assert (version.budget_year.year, version.realised_through) == (2027, 0)


def test_closed_year_refuses_imports_until_reopened(imported, admin_user):
    year = imported.budget_year
    set_budget_year_status(budget_year=year, status=YearStatus.CLOSED, actor=admin_user, now=NOW)
    rows = small_budget()
    rows[0]["realisasi_03"] = 1

    with pytest.raises(BudgetYearClosed):
        run(rows, admin_user)
    assert BudgetVersion.objects.count() == 1

    set_budget_year_status(
        budget_year=year, status=YearStatus.OPEN, actor=admin_user, reason="koreksi", now=NOW
    )
    assert run(rows, admin_user).version.number == 2
    actions = list(
        AuditEntry.objects.filter(chain=f"budget.budgetyear:{year.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "budget.version_imported",
        "budget.year_status_changed",
        "budget.year_status_changed",
        "budget.version_imported",
    ]


def test_setting_the_same_status_again_is_refused(imported, admin_user):
    with pytest.raises(InvalidTransition):
        set_budget_year_status(budget_year=imported.budget_year, status="open", actor=admin_user)

    assert AuditEntry.objects.count() == 1


@pytest.mark.parametrize("who", ["finance_officer", "finance_head", "admin_user"])
def test_admin_and_the_finance_agency_may_import(request, agencies, who):
    actor = request.getfixturevalue(who)

    assert run(small_budget(), actor).version.imported_by == actor


@pytest.mark.parametrize("who", ["other_officer", "operator", "inspector", "citizen"])
def test_others_may_not_import_or_close(request, imported, who):
    actor = request.getfixturevalue(who)
    rows = small_budget()
    rows[0]["realisasi_03"] = 1

    with pytest.raises(PermissionDenied):
        run(rows, actor)
    with pytest.raises(PermissionDenied):
        set_budget_year_status(budget_year=imported.budget_year, status="closed", actor=actor)

    assert BudgetVersion.objects.count() == 1
    assert BudgetYear.objects.get().status == YearStatus.OPEN
    assert AuditEntry.objects.count() == 1


def test_without_a_finance_agency_only_admins_import(imported, finance_officer):
    BudgetSettings.objects.filter(pk=1).update(import_agency=None)
    rows = small_budget()
    rows[0]["realisasi_03"] = 1

    with pytest.raises(PermissionDenied):
        run(rows, finance_officer)

    assert BudgetVersion.objects.count() == 1
