# ruff: noqa: F811 - fixtures imported from the aspirations conftest are used by name
"""A small city for 112 tests: one kelurahan, the fire brigade and health agencies with their
units, a police unit without an agency, and staff of every role involved.

The city, area and user helpers come from the aspirations fixtures."""

from __future__ import annotations

import datetime as dt

import pytest

from terang.core.models import Agency, User
from terang.emergencies import services
from terang.emergencies.choices import UnitKind
from terang.emergencies.models import Incident, ResponseUnit
from tests.aspirations.conftest import (  # noqa: F401  (fixtures)
    admin_user,
    login_staff,
    make_user,
)

T0 = dt.datetime(2026, 3, 15, 2, 0, tzinfo=dt.UTC)  # 09:00 in Jakarta
POINT = services.Location(latitude=-6.20, longitude=106.62, address="Jl. Melati No. 1")


def minutes(n: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


@pytest.fixture
def damkar(db) -> Agency:  # type: ignore[no-untyped-def]
    return Agency.objects.create(code="DAMKAR", name="Dinas Pemadam Kebakaran", short_name="Damkar")


@pytest.fixture
def dinkes(db) -> Agency:  # type: ignore[no-untyped-def]
    return Agency.objects.create(code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def fire_unit(damkar) -> ResponseUnit:  # type: ignore[no-untyped-def]
    return ResponseUnit.objects.create(
        code="DMK-01",
        name="Damkar Pos Pusat 1",
        kind=UnitKind.FIRE_BRIGADE,
        agency=damkar,
        base_name="Pos Pusat",
        base_latitude=-6.21,
        base_longitude=106.63,
    )


@pytest.fixture
def second_fire_unit(damkar) -> ResponseUnit:  # type: ignore[no-untyped-def]
    return ResponseUnit.objects.create(
        code="DMK-02",
        name="Damkar Pos Utara",
        kind=UnitKind.FIRE_BRIGADE,
        agency=damkar,
        base_name="Pos Utara",
        base_latitude=-6.16,
        base_longitude=106.61,
    )


@pytest.fixture
def ambulance(dinkes) -> ResponseUnit:  # type: ignore[no-untyped-def]
    return ResponseUnit.objects.create(
        code="AMB-01",
        name="Ambulans Puskesmas Melati",
        kind=UnitKind.AMBULANCE,
        agency=dinkes,
        base_latitude=-6.19,
        base_longitude=106.62,
    )


@pytest.fixture
def police_unit(db) -> ResponseUnit:  # type: ignore[no-untyped-def]
    return ResponseUnit.objects.create(
        code="POL-01", name="Patroli Polsek Kota", kind=UnitKind.POLICE
    )


@pytest.fixture
def fire_officer(damkar) -> User:  # type: ignore[no-untyped-def]
    return make_user("petugas_damkar", "officer", damkar)


@pytest.fixture
def health_officer(dinkes) -> User:  # type: ignore[no-untyped-def]
    return make_user("petugas_dinkes", "officer", dinkes)


@pytest.fixture
def fire_head(damkar) -> User:  # type: ignore[no-untyped-def]
    return make_user("kepala_damkar", "agency_head", damkar)


def receive(actor: User, *, at: dt.datetime = T0, incident_type: str = "fire", **extra) -> Incident:  # type: ignore[no-untyped-def]
    fields = {
        "description": "Rumah terbakar, asap tebal dari lantai dua.",
        "location": POINT,
        "caller_name": "Budi Santoso",
        "caller_phone": "0812-3456-7890",
        **extra,
    }
    return services.receive_call(actor=actor, incident_type=incident_type, now=at, **fields)


@pytest.fixture
def incident(operator, kelurahan) -> Incident:  # type: ignore[no-untyped-def]
    return receive(operator)
