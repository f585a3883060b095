"""A small Satu Data setup: a walidata agency (Diskominfo), two producing agencies, their
staff, licences and topic groups, and helpers that build datasets through the services."""

from __future__ import annotations

import io
import json

import pytest

from terang.core.models import Agency
from terang.opendata import services
from terang.opendata.models import DataGroup, DataSettings, Licence
from terang.opendata.services import Upload
from tests.aspirations.conftest import login_staff, make_user

__all__ = ["csv_upload", "json_upload", "login_staff", "make_user", "xlsx_upload"]

POPULATION_ROWS = [
    ("Melati", "Kecamatan Utara", 2024, 12500, 1.25),
    ("Mawar", "Kecamatan Utara", 2024, 9800, 0.9),
    ("Anggrek", "Kecamatan Selatan", 2024, 15200, 2.5),
    ("Kenanga", "Kecamatan Selatan", 2024, 7400, 0.75),
    ("Dahlia", "Kecamatan Timur", 2024, 11000, 1.1),
]


def csv_text(rows=POPULATION_ROWS) -> str:
    lines = ["kelurahan,kecamatan,tahun,jumlah_penduduk,luas_km2"]
    lines += [",".join(str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def csv_upload(text: str | None = None, name: str = "penduduk.csv") -> Upload:
    return Upload(
        name=name,
        content=(text if text is not None else csv_text()).encode(),
        media_type="text/csv",
    )


def json_upload(records, name: str = "data.json") -> Upload:
    return Upload(name=name, content=json.dumps(records).encode(), media_type="application/json")


def xlsx_upload(rows, name: str = "data.xlsx", sheet: str = "Data") -> Upload:
    import openpyxl

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Upload(name=name, content=buffer.getvalue())


@pytest.fixture
def walidata_agency(db) -> Agency:
    return Agency.objects.create(
        code="DISKOMINFO", name="Dinas Komunikasi dan Informatika", short_name="Diskominfo"
    )


@pytest.fixture
def producer_agency(db) -> Agency:
    return Agency.objects.create(code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def other_agency(db) -> Agency:
    return Agency.objects.create(code="DISHUB", name="Dinas Perhubungan", short_name="Dishub")


@pytest.fixture
def settings_row(walidata_agency) -> DataSettings:
    return DataSettings.objects.create(walidata_agency=walidata_agency)


@pytest.fixture
def licence(db) -> Licence:
    # Migration 0004 creates the standard licences; the tests pin their titles.
    Licence.objects.update_or_create(
        id="odbl-1.0",
        defaults={
            "title": "Open Data Commons ODbL 1.0",
            "url": "https://opendatacommons.org/licenses/odbl/1-0/",
        },
    )
    return Licence.objects.update_or_create(
        id="cc-by-4.0",
        defaults={
            "title": "Creative Commons Attribution 4.0",
            "url": "https://creativecommons.org/licenses/by/4.0/",
        },
    )[0]


@pytest.fixture
def groups(db) -> dict[str, DataGroup]:
    return {
        name: DataGroup.objects.create(name=name, title=title)
        for name, title in (
            ("kesehatan", "Kesehatan"),
            ("kependudukan", "Kependudukan"),
            ("transportasi", "Transportasi"),
        )
    }


@pytest.fixture
def producer(producer_agency):
    return make_user("produsen", "officer", producer_agency)


@pytest.fixture
def producer_head(producer_agency):
    return make_user("kepala_dinkes", "agency_head", producer_agency)


@pytest.fixture
def other_producer(other_agency):
    return make_user("produsen_lain", "officer", other_agency)


@pytest.fixture
def walidata(walidata_agency, settings_row):
    return make_user("walidata", "officer", walidata_agency)


@pytest.fixture
def admin(db):
    return make_user("admin_data", "admin", is_staff=True, is_superuser=True)


@pytest.fixture
def citizen(db):
    return make_user("warga_data", "citizen")


@pytest.fixture
def catalog(settings_row, licence, groups, producer, walidata):
    """Helpers that build datasets through the services (real audit trail)."""

    class Catalog:
        def draft(self, title="Jumlah Penduduk per Kelurahan", *, actor=None, **extra):
            extra.setdefault("groups", ["kependudukan"])
            extra.setdefault("tags", ["penduduk"])
            return services.create_dataset(
                actor=actor or producer, title=title, licence="cc-by-4.0", **extra
            )

        def with_csv(self, title="Jumlah Penduduk per Kelurahan", text=None, **extra):
            dataset = self.draft(title, **extra)
            resource = services.add_resource(
                actor=extra.get("actor") or producer,
                dataset=dataset,
                name="Data penduduk",
                upload=csv_upload(text),
            )
            return dataset, resource

        def published(self, title="Jumlah Penduduk per Kelurahan", text=None, **extra):
            dataset, resource = self.with_csv(title, text, **extra)
            services.submit_dataset(actor=extra.get("actor") or producer, dataset=dataset)
            services.verify_dataset(actor=walidata, dataset=dataset)
            dataset.refresh_from_db()
            resource.refresh_from_db()
            return dataset, resource

    return Catalog()
