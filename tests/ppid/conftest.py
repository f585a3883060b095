# ruff: noqa: F811 - fixtures imported from the aspirations conftest are used by name
"""A small city for PPID tests: the PPID sits in Diskominfo (officer and head, the head being
the atasan PPID), another agency's officer, oversight roles, and verified citizens.

The city, user and login helpers come from the aspirations fixtures. Every time is explicit
(`at=`), so deadlines are exact whatever day the suite runs."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terang.core.models import Agency, User
from terang.ppid import services
from terang.ppid.documents import minimal_pdf
from terang.ppid.models import InformationRequest, PpidSettings
from tests.aspirations.conftest import (  # noqa: F401  (fixtures)
    admin_user,
    login_staff,
    make_user,
)

WIB = ZoneInfo("Asia/Jakarta")
NIK = "3171014101900001"
NAME = "Siti Rahmawati"


def wib(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An instant given in city time, stored as UTC like every timestamp."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB).astimezone(dt.UTC)


def end_of_day(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 23, 59, 59, tzinfo=WIB).astimezone(dt.UTC)


# Monday 2 February 2026, 09:00 WIB. Ten working days later is Wednesday 18 February: Monday
# 16 February is cuti bersama and Tuesday 17 February is Imlek.
T0 = wib(2026, 2, 2)


def request_form(**overrides: Any) -> services.RequestForm:
    values: dict[str, Any] = {
        "requester_name": NAME,
        "identity_number": NIK,
        "address": "Jl. Melati No. 1, Kelurahan Melati",
        "occupation": "Wiraswasta",
        "purpose": "Bahan kajian warga tentang perbaikan jalan",
        "information_requested": "Salinan kontrak pemeliharaan jalan Melati tahun 2025",
        "preferred_format": "softcopy",
        "delivery": "email",
        "email": "siti@contoh.id",
        "phone": "0812 3456 7890",
    }
    values.update(overrides)
    return services.RequestForm(**values)


def pdf_upload(lines: list[str], name: str = "dokumen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(lines), content_type="application/pdf")


@pytest.fixture
def kominfo(db) -> Agency:  # type: ignore[no-untyped-def]
    return Agency.objects.create(
        code="DISKOMINFO", name="Dinas Komunikasi dan Informatika", short_name="Diskominfo"
    )


@pytest.fixture
def policy(city, kominfo) -> PpidSettings:  # type: ignore[no-untyped-def]
    return PpidSettings.objects.create(pk=1, agency=kominfo)


@pytest.fixture
def ppid_officer(policy, kominfo) -> User:  # type: ignore[no-untyped-def]
    return make_user("ppid", "officer", kominfo)


@pytest.fixture
def ppid_head(policy, kominfo) -> User:  # type: ignore[no-untyped-def]
    return make_user("kepala_kominfo", "agency_head", kominfo)


@pytest.fixture
def other_officer(agency) -> User:  # type: ignore[no-untyped-def]
    return make_user("petugas_pupr", "officer", agency)


@pytest.fixture
def citizen(db) -> User:  # type: ignore[no-untyped-def]
    return make_user("warga", "citizen", contact_verified=True)


@pytest.fixture
def other_citizen(db) -> User:  # type: ignore[no-untyped-def]
    return make_user("tetangga", "citizen", contact_verified=True)


@pytest.fixture
def unverified_citizen(db) -> User:  # type: ignore[no-untyped-def]
    return make_user("belum", "citizen")


@pytest.fixture
def filed(citizen, ppid_officer) -> InformationRequest:  # type: ignore[no-untyped-def]
    """A request filed by the citizen at T0."""
    return services.submit_request(actor=citizen, form=request_form(), at=T0)
