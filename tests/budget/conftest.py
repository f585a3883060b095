"""Agencies and staff for the budget tests. The finance agency (BAPENDA here, standing in for
a BPKAD) may import; DINKES and PUPR own spending; the clock is pinned by passing `now`."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from terang.budget.models import BudgetSettings
from terang.budget.services import import_budget
from terang.core.choices import Role
from terang.core.models import Agency, User
from tests.factories import make_staff
from tests.fixtures.staff import (  # noqa: F401 - fixtures, used by name
    admin_user,
    citizen,
    inspector,
    operator,
    staff_client,
)

from .helpers import budget_csv, small_budget

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=JAKARTA).astimezone(dt.UTC)


@pytest.fixture
def finance(db) -> Agency:
    return Agency.objects.create(
        code="BAPENDA", name="Badan Pengelolaan Keuangan dan Pendapatan Daerah", short_name="BPKPD"
    )


@pytest.fixture
def dinkes(db) -> Agency:
    return Agency.objects.create(code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def pupr(db) -> Agency:
    return Agency.objects.create(
        code="PUPR", name="Dinas Pekerjaan Umum dan Penataan Ruang", short_name="Dinas PUPR"
    )


@pytest.fixture
def agencies(finance, dinkes, pupr) -> dict[str, Agency]:
    BudgetSettings.objects.create(pk=1, import_agency=finance)
    return {"BAPENDA": finance, "DINKES": dinkes, "PUPR": pupr}


@pytest.fixture
def finance_officer(agencies) -> User:
    return make_staff(Role.OFFICER, agency=agencies["BAPENDA"], username="petugas.keuangan")


@pytest.fixture
def finance_head(agencies) -> User:
    return make_staff(Role.AGENCY_HEAD, agency=agencies["BAPENDA"], username="kepala.keuangan")


@pytest.fixture
def other_officer(agencies) -> User:
    return make_staff(Role.OFFICER, agency=agencies["DINKES"], username="petugas.dinkes")


@pytest.fixture
def imported(agencies, admin_user):  # noqa: F811 - the fixture imported above
    """The small budget of 2026 as APBD murni, imported on 20 March 2026."""
    return import_budget(
        file=budget_csv(small_budget()),
        file_name="apbd-2026.csv",
        year=2026,
        kind="murni",
        actor=admin_user,
        now=NOW,
    ).version
