"""Tabular files into the datastore (all or nothing, line-numbered reports), Table Schema
edits, and the query function shared by the preview, the downloads and datastore_search."""

from __future__ import annotations

import pytest

from terang.opendata import services
from terang.opendata.choices import DatasetState, VersionStatus
from terang.opendata.datastore import parse_table, query_datastore
from terang.opendata.errors import FileRefused, QueryInvalid, SchemaRefused
from terang.opendata.models import DatastoreRow, Resource
from terang.opendata.reports import report_lines

from .conftest import csv_upload, json_upload, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = "kelurahan,tahun,jumlah,luas_km2"


def bad_csv() -> str:
    """30 data rows; line 7 has text in an integer column, line 12 text in a number column."""
    lines = [HEADER] + [f"Kel{n:02d},2024,{1000 + n},{n * 0.5}" for n in range(2, 32)]
    lines[6] = "Kel07,2024,seribu,3.5"
    lines[11] = "Kel12,2024,1011,dua"
    return "\n".join(lines) + "\n"


def test_bad_csv_is_refused_with_both_lines_and_nothing_is_stored(catalog, producer, walidata):
    dataset = catalog.draft()
    resource = services.add_resource(
        actor=producer, dataset=dataset, name="Penduduk", upload=csv_upload(bad_csv())
    )

    version = resource.versions.get()
    assert version.status == VersionStatus.REFUSED
    assert [(e["line"], e["field"], e["value"], e["code"]) for e in version.report["errors"]] == [
        (7, "jumlah", "seribu", "type-error"),
        (12, "luas_km2", "dua", "type-error"),
    ]
    assert version.report["error_count"] == 2
    lines = report_lines(version.report)
    assert lines[0]["location"] == "baris 7"
    assert lines[0]["message"] == 'Nilai "seribu" di kolom jumlah bukan bilangan bulat.'
    resource.refresh_from_db()
    assert not resource.datastore_active
    assert DatastoreRow.objects.count() == 0
    with pytest.raises(Exception, match="sumber data"):
        services.submit_dataset(actor=producer, dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.DRAFT


def test_bad_upload_on_a_published_resource_keeps_the_public_rows(catalog, producer):
    _dataset, resource = catalog.published()
    version = services.upload_version(
        actor=producer, resource=resource, upload=csv_upload(bad_csv())
    )
    assert version.status == VersionStatus.REFUSED
    assert resource.versions.get(number=1).status == VersionStatus.CURRENT
    assert DatastoreRow.objects.filter(resource=resource).count() == 5


def test_api_style_refusal_leaves_no_trace(catalog, producer):
    dataset = catalog.draft()
    with pytest.raises(FileRefused) as raised:
        services.add_resource(
            actor=producer,
            dataset=dataset,
            name="x",
            upload=csv_upload(bad_csv()),
            keep_refused=False,
        )
    assert [e["line"] for e in raised.value.details["report"]["errors"]] == [7, 12]
    assert Resource.objects.count() == 0


def test_structural_errors_are_reported_by_line():
    text = "a,b\n1,2\n3,4,5\n6\n"
    parsed = parse_table(text.encode(), file_format="csv")
    assert not parsed.ok
    assert [(p.code, p.line) for p in parsed.problems] == [("extra-cell", 3), ("missing-cell", 4)]
    assert parsed.rows == []


def test_csv_with_semicolons_bom_and_decimal_commas():
    text = "\ufeffnama;nilai;tanggal\nA;1,5;2024-01-31\nB;2;2024-02-29\n\nC;1.234,5;-\n"
    parsed = parse_table(text.encode("utf-8"), file_format="csv")
    assert parsed.ok
    assert [f["type"] for f in parsed.schema["fields"]] == ["string", "number", "date"]
    assert parsed.rows == [
        {"nama": "A", "nilai": 1.5, "tanggal": "2024-01-31"},
        {"nama": "B", "nilai": 2.0, "tanggal": "2024-02-29"},
        {"nama": "C", "nilai": 1234.5},
    ]


def test_windows_1252_csv_is_read():
    parsed = parse_table("nama,nilai\nJosé,1\n".encode("cp1252"), file_format="csv")
    assert parsed.ok
    assert parsed.rows == [{"nama": "José", "nilai": 1}]


def test_xlsx_is_parsed_and_errors_name_sheet_and_row(catalog, producer):
    rows = [("puskesmas", "kunjungan")] + [(f"P{n}", n * 10) for n in range(1, 25)]
    dataset = catalog.draft()
    good = services.add_resource(
        actor=producer, dataset=dataset, name="Kunjungan", upload=xlsx_upload(rows)
    )
    good.refresh_from_db()
    assert good.datastore_active and good.row_count == 24
    assert good.format == "XLSX"
    assert [f["type"] for f in good.table_schema["fields"]] == ["string", "integer"]

    broken = list(rows)
    broken[5] = ("P5", "lima")
    parsed = parse_table(xlsx_upload(broken, sheet="Kunjungan").content, file_format="xlsx")
    assert [(p.line, p.field) for p in parsed.problems] == [(6, "kunjungan")]
    assert parsed.report()["errors"][0] == {
        "code": "type-error",
        "line": 6,
        "sheet": "Kunjungan",
        "field": "kunjungan",
        "value": "lima",
        "expected": "integer",
    }
    assert report_lines(parsed.report())[0]["location"] == "lembar Kunjungan, baris 6"


def test_json_array_is_parsed_and_errors_carry_the_index(catalog, producer):
    records = [{"sekolah": f"SD {n}", "siswa": 100 + n} for n in range(20)]
    dataset = catalog.draft()
    resource = services.add_resource(
        actor=producer, dataset=dataset, name="Sekolah", upload=json_upload(records)
    )
    resource.refresh_from_db()
    assert resource.row_count == 20
    assert query_datastore(resource, limit=1).records == [
        {"_id": 1, "sekolah": "SD 0", "siswa": 100}
    ]

    records[3]["siswa"] = "banyak"
    parsed = parse_table(json_upload(records).content, file_format="json")
    assert parsed.report()["errors"] == [
        {
            "code": "type-error",
            "index": 3,
            "field": "siswa",
            "value": "banyak",
            "expected": "integer",
        }
    ]
    assert report_lines(parsed.report())[0]["location"] == "indeks 3"


def test_json_must_be_an_array_of_objects():
    parsed = parse_table(b'{"a": 1}', file_format="json")
    assert [p.code for p in parsed.problems] == ["json-shape"]


def test_header_only_file_is_refused():
    parsed = parse_table(b"a,b\n", file_format="csv")
    assert [p.code for p in parsed.problems] == ["no-rows"]


def test_row_limit(settings):
    settings.OPENDATA_MAX_ROWS = 3
    parsed = parse_table(b"a\n1\n2\n3\n4\n5\n", file_format="csv")
    assert [(p.code, p.line) for p in parsed.problems] == [("too-many-rows", 5)]


def test_size_limit_refuses_before_reading(settings, catalog, producer):
    settings.OPENDATA_MAX_UPLOAD_BYTES = 10
    dataset = catalog.draft()
    from terang.opendata.errors import FileTooLarge

    with pytest.raises(FileTooLarge):
        services.add_resource(actor=producer, dataset=dataset, name="x", upload=csv_upload())
    assert Resource.objects.count() == 0


def test_non_tabular_file_is_stored_without_a_datastore(catalog, producer):
    from terang.opendata.services import Upload

    dataset = catalog.draft()
    resource = services.add_resource(
        actor=producer,
        dataset=dataset,
        name="Laporan",
        upload=Upload(name="laporan.pdf", content=b"%PDF-1.4 ..."),
    )
    resource.refresh_from_db()
    assert resource.format == "PDF"
    assert not resource.datastore_active
    assert resource.versions.get().status == VersionStatus.CURRENT


def test_new_version_keeps_an_edited_schema_when_the_header_matches(catalog, producer):
    dataset, resource = catalog.with_csv()
    fields = [dict(f) for f in resource.table_schema["fields"]]
    fields[0]["title"] = "Nama kelurahan"
    services.update_table_schema(actor=producer, resource=resource, fields=fields)
    services.upload_version(actor=producer, resource=resource, upload=csv_upload())
    resource.refresh_from_db()
    assert resource.table_schema["fields"][0]["title"] == "Nama kelurahan"


# Schema edits


def test_schema_title_and_description_change_without_touching_rows(catalog, producer):
    _dataset, resource = catalog.with_csv()
    ids = list(DatastoreRow.objects.values_list("pk", flat=True))
    fields = [dict(f) for f in resource.table_schema["fields"]]
    fields[3].update(title="Jumlah penduduk", description="Hasil registrasi akhir tahun")
    services.update_table_schema(actor=producer, resource=resource, fields=fields)
    resource.refresh_from_db()
    assert resource.table_schema["fields"][3] == {
        "name": "jumlah_penduduk",
        "type": "integer",
        "title": "Jumlah penduduk",
        "description": "Hasil registrasi akhir tahun",
    }
    assert list(DatastoreRow.objects.values_list("pk", flat=True)) == ids


def test_schema_type_change_reparses_the_rows(catalog, producer):
    _dataset, resource = catalog.with_csv()
    fields = [dict(f) for f in resource.table_schema["fields"]]
    fields[2]["type"] = "string"  # tahun as text
    services.update_table_schema(actor=producer, resource=resource, fields=fields)
    first = DatastoreRow.objects.filter(resource=resource).order_by("row_number").first()
    assert first.data["tahun"] == "2024"


def test_schema_type_change_the_data_does_not_fit_is_refused(catalog, producer):
    _dataset, resource = catalog.with_csv()
    before = dict(resource.table_schema)
    fields = [dict(f) for f in resource.table_schema["fields"]]
    fields[0]["type"] = "integer"  # kelurahan names are not integers
    with pytest.raises(SchemaRefused) as raised:
        services.update_table_schema(actor=producer, resource=resource, fields=fields)
    errors = raised.value.details["report"]["errors"]
    assert [(e["line"], e["field"], e["value"]) for e in errors][:2] == [
        (2, "kelurahan", "Melati"),
        (3, "kelurahan", "Mawar"),
    ]
    resource.refresh_from_db()
    assert resource.table_schema == before
    assert DatastoreRow.objects.filter(resource=resource).first().data["kelurahan"] == "Melati"


def test_schema_names_cannot_change(catalog, producer):
    _dataset, resource = catalog.with_csv()
    fields = [dict(f) for f in resource.table_schema["fields"]]
    fields[0]["name"] = "desa"
    from terang.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.update_table_schema(actor=producer, resource=resource, fields=fields)


def test_schema_date_format_edit(catalog, producer):
    text = "tanggal,kasus\n31/01/2024,5\n29/02/2024,7\n"
    dataset = catalog.draft()
    resource = services.add_resource(
        actor=producer, dataset=dataset, name="Kasus", upload=csv_upload(text, "kasus.csv")
    )
    resource.refresh_from_db()
    assert resource.table_schema["fields"][0]["type"] == "string"
    fields = [dict(f) for f in resource.table_schema["fields"]]
    fields[0].update(type="date", format="%d/%m/%Y")
    services.update_table_schema(actor=producer, resource=resource, fields=fields)
    result = query_datastore(resource, sort="tanggal desc")
    assert [r["tanggal"] for r in result.records] == ["2024-02-29", "2024-01-31"]


# Queries


@pytest.fixture
def table(catalog):
    rows = [
        ("Melati", "Utara", 2024, 12500, 1.25),
        ("Mawar", "Utara", 2024, 9800, 0.9),
        ("Anggrek", "Selatan", 2024, 15200, 2.5),
        ("Kenanga", "Selatan", 2024, 7400, 0.75),
        ("Dahlia", "Timur", 2024, 11000, 1.1),
        ("Teratai", "Timur", 2023, 100000, 10.0),
    ]
    text = "kelurahan,kecamatan,tahun,jumlah_penduduk,luas_km2\n" + "".join(
        ",".join(str(v) for v in row) + "\n" for row in rows
    )
    _dataset, resource = catalog.with_csv(text=text)
    return resource


def names(result):
    return [r["kelurahan"] for r in result.records]


def test_default_order_is_the_file_order_with_total(table):
    result = query_datastore(table)
    assert names(result) == ["Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Teratai"]
    assert [r["_id"] for r in result.records] == [1, 2, 3, 4, 5, 6]
    assert result.total == 6
    assert [f["id"] for f in result.fields] == [
        "_id",
        "kelurahan",
        "kecamatan",
        "tahun",
        "jumlah_penduduk",
        "luas_km2",
    ]
    assert [f["type"] for f in result.fields] == ["int", "text", "text", "int", "int", "numeric"]


def test_numbers_sort_as_numbers(table):
    assert names(query_datastore(table, sort="jumlah_penduduk desc")) == [
        "Teratai",
        "Anggrek",
        "Melati",
        "Dahlia",
        "Mawar",
        "Kenanga",
    ]
    assert names(query_datastore(table, sort="luas_km2 asc")) == [
        "Kenanga",
        "Mawar",
        "Dahlia",
        "Melati",
        "Anggrek",
        "Teratai",
    ]


def test_multi_key_sort(table):
    result = query_datastore(table, sort="kecamatan asc, jumlah_penduduk desc")
    assert names(result) == ["Anggrek", "Kenanga", "Teratai", "Dahlia", "Melati", "Mawar"]


def test_filters_cast_to_the_field_type(table):
    assert names(query_datastore(table, filters={"jumlah_penduduk": "9800"})) == ["Mawar"]
    assert names(query_datastore(table, filters={"jumlah_penduduk": 9800})) == ["Mawar"]
    assert names(query_datastore(table, filters={"luas_km2": "2.5"})) == ["Anggrek"]
    assert names(query_datastore(table, filters={"kecamatan": "Timur", "tahun": 2024})) == [
        "Dahlia"
    ]


def test_list_filter_is_in(table):
    result = query_datastore(table, filters={"kecamatan": ["Utara", "Timur"]}, sort="_id desc")
    assert names(result) == ["Teratai", "Dahlia", "Mawar", "Melati"]
    assert result.total == 4


def test_q_searches_text_fields(table):
    assert names(query_datastore(table, q="Anggrek")) == ["Anggrek"]
    assert names(query_datastore(table, q="Selatan")) == ["Anggrek", "Kenanga"]
    assert names(query_datastore(table, q={"kelurahan": "Ten"})) == []
    assert names(query_datastore(table, q={"kelurahan": "Kenanga"})) == ["Kenanga"]


def test_limit_offset_and_total(table):
    result = query_datastore(table, sort="jumlah_penduduk asc", limit=2, offset=2)
    assert names(result) == ["Dahlia", "Melati"]
    assert (result.total, result.limit, result.offset) == (6, 2, 2)
    empty = query_datastore(table, limit=0)
    assert empty.records == [] and empty.total == 6


def test_fields_select_columns(table):
    result = query_datastore(table, fields=["kelurahan", "tahun"], limit=1)
    assert result.records == [{"_id": 1, "kelurahan": "Melati", "tahun": 2024}]
    assert query_datastore(table, fields="tahun,kelurahan", limit=1).records == [
        {"_id": 1, "kelurahan": "Melati", "tahun": 2024}
    ]


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"filters": {"desa": "x"}}, "filters"),
        ({"filters": {"tahun": "dua ribu"}}, "filters"),
        ({"sort": "desa asc"}, "sort"),
        ({"fields": ["desa"]}, "fields"),
        ({"limit": 32001}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_queries_name_the_parameter(table, kwargs, key):
    with pytest.raises(QueryInvalid) as raised:
        query_datastore(table, **kwargs)
    assert list(raised.value.details) == [key]


def test_empty_cells_sort_last_going_up_and_first_going_down(catalog):
    _dataset, resource = catalog.with_csv(
        text="kelurahan,kecamatan,tahun,jumlah_penduduk,luas_km2\n"
        "A,X,2024,10,1\nB,X,2024,,2\nC,X,2024,5,3\n"
    )
    assert names(query_datastore(resource, sort="jumlah_penduduk")) == ["C", "A", "B"]
    assert names(query_datastore(resource, sort="jumlah_penduduk desc")) == ["B", "A", "C"]
    assert (
        query_datastore(resource, filters={"kelurahan": "B"}).records[0]["jumlah_penduduk"] is None
    )


def test_dotted_codes_stay_text():
    text = "kode,nama\n36.71.01.1001,A\n36.71.01.1002,B\n36.71.02.1001,C\n"
    parsed = parse_table(text.encode(), file_format="csv")
    assert [f["type"] for f in parsed.schema["fields"]] == ["string", "string"]
    assert parsed.rows[0] == {"kode": "36.71.01.1001", "nama": "A"}


def test_unfiltered_total_comes_from_the_stored_row_count(catalog):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _dataset, resource = catalog.with_csv()
    resource.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        result = query_datastore(resource, limit=1)
    assert (
        result.total == resource.row_count == DatastoreRow.objects.filter(resource=resource).count()
    )
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    filtered = query_datastore(resource, filters={"kecamatan": "Kecamatan Utara"}, limit=1)
    assert filtered.total == 2  # a filter still counts what it matches
