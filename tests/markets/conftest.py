"""A small price panel: two markets of the trade agency (Disdag), one of another agency (Dinas
Lingkungan Hidup: `other_agency` of tests/fixtures/city.py), three commodities, and staff of
every role (the city-wide accounts from tests/fixtures/staff.py). Dates count back from the
real city today, so the public pages (which read "today" from the clock) see the prices as
recent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from terang.core.choices import Role
from terang.core.models import Agency, User
from terang.markets.models import Commodity, Market, MarketSettings
from tests.factories import make_staff
from tests.fixtures.staff import (  # noqa: F401 - fixtures, used by name
    admin_user,
    citizen,
    inspector,
    operator,
    staff_client,
)


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def disdag(db) -> Agency:
    return Agency.objects.create(code="DISDAG", name="Dinas Perdagangan", short_name="Disdag")


@pytest.fixture
def policy(disdag) -> MarketSettings:
    return MarketSettings.objects.create(
        pk=1, agency=disdag, alert_rise_share=Decimal("0.10"), alert_min_days=3
    )


@pytest.fixture
def pasar_baru(disdag) -> Market:
    return Market.objects.create(
        code="pasar-baru", name="Pasar Baru", agency=disdag, latitude=-6.2, longitude=106.62
    )


@pytest.fixture
def pasar_lama(disdag) -> Market:
    return Market.objects.create(
        code="pasar-lama", name="Pasar Lama", agency=disdag, latitude=-6.21, longitude=106.64
    )


@pytest.fixture
def pasar_lain(other_agency) -> Market:
    """A market surveyed by another agency (some cities leave one to a market company)."""
    return Market.objects.create(code="pasar-lain", name="Pasar Lain", agency=other_agency)


@pytest.fixture
def beras(db) -> Commodity:
    return Commodity.objects.create(
        code="beras-medium", name="Beras medium", unit="kg", display_order=1
    )


@pytest.fixture
def cabai(db) -> Commodity:
    return Commodity.objects.create(
        code="cabai-merah-keriting", name="Cabai merah keriting", unit="kg", display_order=2
    )


@pytest.fixture
def minyak(db) -> Commodity:
    return Commodity.objects.create(
        code="minyak-goreng-curah", name="Minyak goreng curah", unit="liter", display_order=3
    )


@pytest.fixture
def panel(policy, pasar_baru, pasar_lama, beras, cabai, minyak) -> None:
    """Everything above at once."""


@pytest.fixture
def officer(disdag) -> User:
    return make_staff(Role.OFFICER, agency=disdag, username="petugas.disdag")


@pytest.fixture
def head(disdag) -> User:
    return make_staff(Role.AGENCY_HEAD, agency=disdag, username="kepala.disdag")


@pytest.fixture
def other_officer(other_agency) -> User:
    return make_staff(Role.OFFICER, agency=other_agency, username="petugas.dlh")
