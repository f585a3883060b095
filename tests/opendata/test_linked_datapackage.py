"""Frictionless Data Packages (/data/<name>/datapackage.json and .zip): the archive and the
descriptor pass `frictionless validate`, a damaged copy does not, and tables are written from
the datastore in chunks."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from frictionless import system, validate

from terang.core.models import Agency
from terang.opendata.choices import DatasetState
from terang.opendata.interop import datapackage
from terang.opendata.models import Dataset, Resource
from tests.opendata.test_linked_dcat import (
    PDF_BYTES,
    add_link,
    add_pdf,
    add_table,
    build_catalog,
    make_dataset,
    make_licence,
)

SITE = "http://testserver"
EXPECTED_CSV = (
    "kecamatan,tahun,jumlah,rasio,tanggal,aktif\r\n"
    "Cipondoh,2023,12345,1.5,2023-12-31,true\r\n"
    '"Ciledug, Barat",2023,987,,2023-06-30,false\r\n'
    '"Pinang ""Raya""",2024,0,0.25,,\r\n'
)
FRICTIONLESS_CLI = Path(sys.executable).parent / "frictionless"


@pytest.fixture
def catalog(db) -> dict:
    return build_catalog()


def extract(client, name: str, target: Path) -> Path:
    response = client.get(f"/data/{name}/datapackage.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{name}.zip"'
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        archive.extractall(target)
    return target / "datapackage.json"


def errors(report) -> list[str]:
    return [error.type for task in report.tasks for error in task.errors] + [
        error.type for error in report.errors
    ]


def test_zip_validates_with_frictionless(client, catalog, tmp_path):
    descriptor_path = extract(client, "penduduk-2023", tmp_path)
    report = validate(str(descriptor_path))
    assert errors(report) == []
    assert report.valid is True
    assert [task.name for task in report.tasks] == ["penduduk-per-kecamatan", "laporan-tahunan"]
    assert (tmp_path / "data" / "penduduk-per-kecamatan.csv").read_bytes() == EXPECTED_CSV.encode()
    assert (tmp_path / "data" / "laporan-tahunan.pdf").read_bytes() == PDF_BYTES


def test_zip_validates_with_the_frictionless_command(client, catalog, tmp_path):
    descriptor_path = extract(client, "penduduk-2023", tmp_path)
    result = subprocess.run(  # noqa: S603  (our own venv's executable, fixed arguments)
        [str(FRICTIONLESS_CLI), "validate", str(descriptor_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout


def test_corrupted_table_fails_validation(client, catalog, tmp_path):
    descriptor_path = extract(client, "penduduk-2023", tmp_path)
    csv_path = tmp_path / "data" / "penduduk-per-kecamatan.csv"
    corrupted = csv_path.read_text().replace("12345", "12x45")
    csv_path.write_text(corrupted)
    descriptor = json.loads(descriptor_path.read_text())
    table = descriptor["resources"][0]
    table.update(
        bytes=len(corrupted.encode()),
        hash="sha256:" + hashlib.sha256(corrupted.encode()).hexdigest(),
    )
    descriptor_path.write_text(json.dumps(descriptor))
    report = validate(str(descriptor_path))
    assert report.valid is False
    assert errors(report) == ["type-error"]


def test_altered_file_fails_its_hash(client, catalog, tmp_path):
    descriptor_path = extract(client, "penduduk-2023", tmp_path)
    pdf_path = tmp_path / "data" / "laporan-tahunan.pdf"
    pdf_path.write_bytes(PDF_BYTES.replace(b"uji", b"UJI"))
    report = validate(str(descriptor_path))
    assert report.valid is False
    assert errors(report) == ["hash-count"]


def test_descriptor_metadata(client, catalog):
    response = client.get("/data/penduduk-2023/datapackage.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    descriptor = response.json()
    full = catalog["full"]
    assert {key: value for key, value in descriptor.items() if key != "resources"} == {
        "profile": "data-package",
        "id": f"{SITE}/dataset/{full.id}",
        "name": "penduduk-2023",
        "title": "Penduduk 2023",
        "description": "Jumlah penduduk per kecamatan.",
        "homepage": f"{SITE}/data/dataset/penduduk-2023/",
        "version": "2024-03-03T03:00:00Z",  # the dataset's last change (T0 + 2 days)
        "created": "2024-01-31T03:00:00Z",
        "licenses": [
            {
                "name": "cc-by-4.0",
                "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "keywords": ["kecamatan", "penduduk"],
        "contributors": [
            {"title": "Dinas Kesehatan", "role": "publisher"},
            {"title": "Seksi Data", "role": "maintainer", "email": "data@uji.go.id"},
        ],
        "sources": [{"title": "Disdukcapil"}],
    }


def test_descriptor_resources_point_to_this_site(client, catalog):
    descriptor = client.get("/data/penduduk-2023/datapackage.json").json()
    table, pdf = descriptor["resources"]
    csv_url = f"{SITE}/data/penduduk-2023/datapackage/{catalog['table'].id}.csv"
    assert table == {
        "name": "penduduk-per-kecamatan",
        "title": "Penduduk per kecamatan",
        "description": "Jumlah penduduk",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": "kecamatan", "type": "string"},
                {"name": "tahun", "type": "integer"},
                {"name": "jumlah", "type": "integer"},
                {"name": "rasio", "type": "number"},
                {"name": "tanggal", "type": "date"},
                {"name": "aktif", "type": "boolean"},
            ],
            "missingValues": ["", "-"],
        },
        "path": csv_url,
        "bytes": len(EXPECTED_CSV.encode()),
        "hash": "sha256:" + hashlib.sha256(EXPECTED_CSV.encode()).hexdigest(),
    }
    assert pdf == {
        "name": "laporan-tahunan",
        "title": "Laporan tahunan",
        "profile": "data-resource",
        "type": "file",
        "format": "pdf",
        "mediatype": "application/pdf",
        "path": f"{SITE}/data/dataset/penduduk-2023/sumber/{catalog['pdf'].id}/versi/1/laporan.pdf",
        "bytes": len(PDF_BYTES),
        "hash": "sha256:" + hashlib.sha256(PDF_BYTES).hexdigest(),
    }
    csv_response = client.get(csv_url.removeprefix(SITE))
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert b"".join(csv_response.streaming_content) == EXPECTED_CSV.encode()


def test_external_link_stays_a_remote_path(client, catalog):
    add_link(catalog["plain"], url="https://bps.go.id/tabel/1.csv")
    descriptor = client.get("/data/jalan-kota/datapackage.json").json()
    assert descriptor["resources"] == [
        {"name": "portal-bps", "title": "Portal BPS", "profile": "data-resource",
         "type": "file", "format": "html", "mediatype": "text/html",
         "path": "https://bps.go.id/tabel/1.csv"},
    ]  # fmt: skip


def test_dataset_without_data_has_no_package(client, catalog):
    """The spec wants at least one resource; the zip is not started either."""
    for suffix in ("json", "zip"):
        response = client.get(f"/data/jalan-kota/datapackage.{suffix}")
        assert response.status_code == 404
        assert response.content.decode() == "Dataset ini belum memiliki data untuk dipaketkan."


def test_only_tables_make_a_tabular_package_with_unique_names(client, catalog, tmp_path):
    add_table(catalog["plain"], name="Ruas jalan", position=0)
    add_table(catalog["plain"], name="Ruas Jalan!", position=1)
    descriptor_path = extract(client, "jalan-kota", tmp_path)
    descriptor = json.loads(descriptor_path.read_text())
    assert descriptor["profile"] == "tabular-data-package"
    assert "description" not in descriptor
    assert [r["name"] for r in descriptor["resources"]] == ["ruas-jalan", "ruas-jalan-2"]
    assert [r["path"] for r in descriptor["resources"]] == [
        "data/ruas-jalan.csv",
        "data/ruas-jalan-2.csv",
    ]
    assert validate(str(descriptor_path)).valid is True


@pytest.mark.parametrize(
    "url",
    [
        "/data/{name}/datapackage.json",
        "/data/{name}/datapackage.zip",
        "/data/{name}/datapackage/{table}.csv",
    ],
)
def test_unpublished_dataset_has_no_package(client, catalog, url):
    hidden = catalog["hidden"][0]
    table = add_table(hidden)
    assert client.get(url.format(name=hidden.name, table=table.id)).status_code == 404
    assert client.get(url.format(name="tidak-ada", table=table.id)).status_code == 404


def test_tables_not_yet_verified_are_left_out(client, catalog):
    unverified = add_table(catalog["full"], name="Tabel draf", position=3)
    Resource.objects.filter(pk=unverified.pk).update(published_at=None)
    descriptor = client.get("/data/penduduk-2023/datapackage.json").json()
    assert [r["name"] for r in descriptor["resources"]] == [
        "penduduk-per-kecamatan",
        "laporan-tahunan",
    ]
    url = f"/data/penduduk-2023/datapackage/{unverified.id}.csv"
    assert client.get(url).status_code == 404


def test_csv_route_serves_tables_only(client, catalog):
    url = f"/data/penduduk-2023/datapackage/{catalog['pdf'].id}.csv"
    assert client.get(url).status_code == 404


def test_table_is_written_in_chunks(catalog, monkeypatch):
    monkeypatch.setattr(datapackage, "ROWS_PER_CHUNK", 2)
    chunks = list(datapackage.datastore_csv_chunks(catalog["table"]))
    assert len(chunks) == 2
    assert b"".join(chunks) == EXPECTED_CSV.encode()


def test_descriptor_and_zip_cost_a_fixed_number_of_queries(
    client, catalog, django_assert_max_num_queries
):
    add_table(catalog["full"], name="Tabel kedua", position=5)
    # dataset + 4 prefetches + one per table's rows, then the usage count (up to 7 in tests).
    with django_assert_max_num_queries(14):
        assert client.get("/data/penduduk-2023/datapackage.json").status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get("/data/penduduk-2023/datapackage.zip")
        b"".join(response.streaming_content)


def test_table_digest_is_computed_once_per_table_state(client, catalog):
    def row_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/data/penduduk-2023/datapackage.json").status_code == 200
        return sum('FROM "opendata_datastorerow"' in q["sql"] for q in queries.captured_queries)

    assert row_reads() == 1
    assert row_reads() == 0
    Resource.objects.filter(pk=catalog["table"].pk).update(
        modified_at=catalog["table"].modified_at + timedelta(hours=1)
    )
    assert row_reads() == 1


def test_package_use_is_counted(client, catalog):
    client.get("/data/penduduk-2023/datapackage.json")
    b"".join(client.get("/data/penduduk-2023/datapackage.zip").streaming_content)
    b"".join(
        client.get(f"/data/penduduk-2023/datapackage/{catalog['table'].id}.csv").streaming_content
    )
    full = Dataset.objects.get(pk=catalog["full"].pk)
    assert (full.api_count, full.download_count) == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_descriptor_by_url_validates_against_a_running_site(live_server):
    """frictionless fetches the descriptor, its CSV and the PDF (through the catalog's download
    view) over HTTP from a running server."""
    agency = Agency.objects.create(code="BPS", name="Badan Statistik Daerah")
    dataset = make_dataset("penduduk-live", agency=agency, licence=make_licence(),
                           state=DatasetState.PUBLISHED)  # fmt: skip
    add_table(dataset)
    add_pdf(dataset)
    # A session closed at the end, so no keep-alive connection outlives the live server.
    with requests.Session() as session, system.use_context(http_session=session):
        report = validate(f"{live_server.url}/data/penduduk-live/datapackage.json")
    assert errors(report) == []
    assert report.valid is True
    assert [task.name for task in report.tasks] == ["penduduk-per-kecamatan", "laporan-tahunan"]
    assert report.tasks[0].stats["rows"] == 3
    assert report.tasks[1].stats["bytes"] == len(PDF_BYTES)
