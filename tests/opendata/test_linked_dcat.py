"""DCAT catalog and per-dataset RDF (/catalog.<format>, /data/<name>.<format>): the three
serialisations parse with rdflib into the same graph, only published datasets appear, paging
follows ckanext-dcat, and the cost in queries does not grow with the page.

The builders below are also used by test_linked_datapackage.py."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
import rdflib.namespace as rns
from django.core.files.base import ContentFile
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from terang.core.models import Agency, CityProfile
from terang.opendata.choices import DatasetState, UpdateFrequency, VersionStatus
from terang.opendata.interop.dcat import HYDRA, VCARD, dataset_graph, get_published_dataset
from terang.opendata.models import (
    DataGroup,
    Dataset,
    DatastoreRow,
    Licence,
    Resource,
    ResourceVersion,
    Tag,
)

SITE = "http://testserver"
T0 = datetime(2024, 3, 1, 3, 0, tzinfo=UTC)
EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"
TABLE_SCHEMA = {
    "fields": [
        {"name": "kecamatan", "type": "string"},
        {"name": "tahun", "type": "integer"},
        {"name": "jumlah", "type": "integer"},
        {"name": "rasio", "type": "number", "decimalChar": ","},
        {"name": "tanggal", "type": "date", "format": "%d/%m/%Y"},
        {"name": "aktif", "type": "boolean", "trueValues": ["ya"], "falseValues": ["tidak"]},
    ],
    "missingValues": ["", "-"],
}
TABLE_ROWS = [
    {"kecamatan": "Cipondoh", "tahun": 2023, "jumlah": 12345, "rasio": 1.5,
     "tanggal": "2023-12-31", "aktif": True},
    {"kecamatan": "Ciledug, Barat", "tahun": 2023, "jumlah": 987.0, "rasio": None,
     "tanggal": "2023-06-30", "aktif": False},
    {"kecamatan": "Pinang \"Raya\"", "tahun": 2024, "jumlah": 0, "rasio": 0.25,
     "tanggal": None, "aktif": None},
]  # fmt: skip
PDF_BYTES = b"%PDF-1.4\n% laporan uji\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


# --- builders -------------------------------------------------------------------------------


def make_licence() -> Licence:
    return Licence.objects.update_or_create(  # migration 0004 made it; pin the title
        id="cc-by-4.0", defaults={"title": "Creative Commons Attribution 4.0",
                                  "url": "https://creativecommons.org/licenses/by/4.0/"},
    )[0]  # fmt: skip


def make_dataset(
    name: str, *, agency: Agency, licence: Licence, state: str = DatasetState.PUBLISHED,
    modified_at: datetime = T0, **fields: object,
) -> Dataset:  # fmt: skip
    return Dataset.objects.create(
        name=name, title=fields.pop("title", f"Judul {name}"), organization=agency,
        licence=licence, state=state, created_at=T0 - timedelta(days=30),
        modified_at=modified_at,
        published_at=T0 - timedelta(days=10) if state == DatasetState.PUBLISHED else None,
        **fields,
    )  # fmt: skip


def add_version(
    resource: Resource, content: bytes, filename: str, media_type: str
) -> ResourceVersion:
    return ResourceVersion.objects.create(
        resource=resource, number=1, file=ContentFile(content, name=filename),
        original_name=filename, media_type=media_type, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), status=VersionStatus.CURRENT, created_at=T0,
    )  # fmt: skip


def add_table(dataset: Dataset, *, name: str = "Penduduk per kecamatan", position: int = 0,
              rows: list[dict] | None = None) -> Resource:  # fmt: skip
    """A tabular resource as the datastore holds it: an uploaded file, a Table Schema, rows."""
    rows = TABLE_ROWS if rows is None else rows
    resource = Resource.objects.create(
        dataset=dataset, name=name, description="Jumlah penduduk", format="CSV",
        position=position, table_schema=TABLE_SCHEMA, datastore_active=True,
        row_count=len(rows), created_at=T0, modified_at=T0, published_at=T0,
    )  # fmt: skip
    add_version(resource, b"kecamatan;tahun\nCipondoh;2023\n", "penduduk.csv", "text/csv")
    DatastoreRow.objects.bulk_create(
        DatastoreRow(resource=resource, row_number=number, data=data)
        for number, data in enumerate(rows, start=1)
    )
    return resource


def add_pdf(dataset: Dataset, *, name: str = "Laporan tahunan", position: int = 1) -> Resource:
    resource = Resource.objects.create(
        dataset=dataset, name=name, format="PDF", position=position, created_at=T0,
        modified_at=T0 + timedelta(days=1), published_at=T0,
    )  # fmt: skip
    add_version(resource, PDF_BYTES, "laporan.pdf", "application/pdf")
    return resource


def add_link(dataset: Dataset, *, url: str, position: int = 2) -> Resource:
    return Resource.objects.create(
        dataset=dataset, name="Portal BPS", format="HTML", url=url, position=position,
        created_at=T0, modified_at=T0, published_at=T0,
    )  # fmt: skip


def build_catalog() -> dict:
    """A city, two agencies, one full published dataset, one plain published dataset and
    three that must never appear (draft, submitted, withdrawn)."""
    CityProfile.objects.create(name="Kota Uji", slug="kota-uji")
    health = Agency.objects.create(code="DINKES", name="Dinas Kesehatan")
    works = Agency.objects.create(code="PUPR", name="Dinas Pekerjaan Umum")
    licence = make_licence()
    group = DataGroup.objects.create(name="kesehatan", title="Kesehatan")
    full = make_dataset(
        "penduduk-2023", agency=health, licence=licence, title="Penduduk 2023",
        notes="Jumlah penduduk per kecamatan.", update_frequency=UpdateFrequency.MONTHLY,
        temporal_start=date(2023, 1, 1), temporal_end=date(2023, 12, 31),
        spatial_coverage="Kota Uji", contact_name="Seksi Data", contact_email="data@uji.go.id",
        source="Disdukcapil", modified_at=T0 + timedelta(days=2),
    )  # fmt: skip
    full.groups.add(group)
    full.tags.add(Tag.objects.create(name="penduduk"), Tag.objects.create(name="kecamatan"))
    table = add_table(full)
    pdf = add_pdf(full)
    plain = make_dataset("jalan-kota", agency=works, licence=licence)
    hidden = [
        make_dataset(f"tersembunyi-{state}", agency=works, licence=licence, state=state)
        for state in (DatasetState.DRAFT, DatasetState.SUBMITTED, DatasetState.WITHDRAWN)
    ]
    return {"full": full, "plain": plain, "hidden": hidden, "table": table, "pdf": pdf,
            "licence": licence}  # fmt: skip


@pytest.fixture
def catalog(db) -> dict:
    return build_catalog()


def dataset_ref(dataset: Dataset) -> URIRef:
    return URIRef(f"{SITE}/dataset/{dataset.id}")


def fetch_graph(client, url: str, rdf_format: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return Graph().parse(data=response.content, format=rdf_format)


# --- the catalog ----------------------------------------------------------------------------


def test_catalog_in_three_formats_parses_into_one_graph(client, catalog):
    responses = {suffix: client.get(f"/catalog.{suffix}") for suffix in ("jsonld", "ttl", "rdf")}
    assert {s: r["Content-Type"] for s, r in responses.items()} == {
        "jsonld": "application/ld+json",
        "ttl": "text/turtle; charset=utf-8",
        "rdf": "application/rdf+xml",
    }
    assert {r["Access-Control-Allow-Origin"] for r in responses.values()} == {"*"}
    graphs = [
        Graph().parse(data=responses["jsonld"].content, format="json-ld"),
        Graph().parse(data=responses["ttl"].content, format="turtle"),
        Graph().parse(data=responses["rdf"].content, format="xml"),
    ]
    assert len(graphs[0]) > 50
    assert isomorphic(graphs[0], graphs[1])
    assert isomorphic(graphs[1], graphs[2])


def test_formats_agree_when_an_agency_publishes_several_datasets(client, catalog):
    for number in range(3):
        make_dataset(f"jalan-{number}", agency=catalog["plain"].organization,
                     licence=catalog["licence"])  # fmt: skip
    turtle = fetch_graph(client, "/catalog.ttl", "turtle")
    assert isomorphic(turtle, fetch_graph(client, "/catalog.rdf", "xml"))
    assert isomorphic(turtle, fetch_graph(client, "/catalog.jsonld", "json-ld"))
    publishers = {turtle.value(s, rns.DCTERMS.publisher) for s in turtle.subjects(
        rns.RDF.type, rns.DCAT.Dataset)}  # fmt: skip
    names = {str(turtle.value(p, rns.FOAF.name)) for p in publishers}
    assert names == {"Dinas Kesehatan", "Dinas Pekerjaan Umum"}


def test_catalog_lists_published_datasets_only(client, catalog):
    graph = fetch_graph(client, "/catalog.ttl", "turtle")
    catalog_ref = URIRef(f"{SITE}/catalog")
    expected = {dataset_ref(catalog["full"]), dataset_ref(catalog["plain"])}
    assert set(graph.subjects(rns.RDF.type, rns.DCAT.Dataset)) == expected
    assert set(graph.objects(catalog_ref, rns.DCAT.dataset)) == expected
    for hidden in catalog["hidden"]:
        assert hidden.name.encode() not in client.get("/catalog.ttl").content


def test_catalog_describes_the_city(client, catalog):
    graph = fetch_graph(client, "/catalog.ttl", "turtle")
    ref = URIRef(f"{SITE}/catalog")
    assert (ref, rns.RDF.type, rns.DCAT.Catalog) in graph
    assert graph.value(ref, rns.DCTERMS.title) == Literal("Katalog Satu Data Kota Uji")
    assert graph.value(graph.value(ref, rns.DCTERMS.publisher), rns.FOAF.name) == Literal(
        "Kota Uji"
    )
    assert graph.value(ref, rns.FOAF.homepage) == URIRef(f"{SITE}/data/")
    assert set(graph.objects(ref, rns.DCTERMS.language)) == {
        URIRef("http://publications.europa.eu/resource/authority/language/IND"),
        URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
    }
    # Latest modification among published datasets (a withdrawn one is newer but hidden).
    assert graph.value(ref, rns.DCTERMS.modified).toPython() == T0 + timedelta(days=2)
    assert list(graph.subjects(rns.RDF.type, HYDRA.PagedCollection)) == []


def test_dataset_carries_dcat_ap_properties(client, catalog):
    graph = fetch_graph(client, "/catalog.jsonld", "json-ld")
    full = catalog["full"]
    ref = dataset_ref(full)
    assert graph.value(ref, rns.DCTERMS.identifier) == Literal(str(full.id))
    assert graph.value(ref, rns.DCTERMS.title) == Literal("Penduduk 2023")
    assert graph.value(ref, rns.DCTERMS.description) == Literal("Jumlah penduduk per kecamatan.")
    publisher = graph.value(ref, rns.DCTERMS.publisher)
    assert (publisher, rns.RDF.type, rns.FOAF.Organization) in graph
    assert graph.value(publisher, rns.FOAF.name) == Literal("Dinas Kesehatan")
    assert set(graph.objects(ref, rns.DCAT.keyword)) == {Literal("penduduk"), Literal("kecamatan")}
    theme = URIRef(f"{SITE}/catalog/themes/kesehatan")
    assert list(graph.objects(ref, rns.DCAT.theme)) == [theme]
    assert (theme, rns.RDF.type, rns.SKOS.Concept) in graph
    assert graph.value(theme, rns.SKOS.prefLabel) == Literal("Kesehatan")
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(ref, rns.DCTERMS.license) == licence
    assert graph.value(ref, rns.DCTERMS.accrualPeriodicity) == URIRef(EU_FREQ + "MONTHLY")
    period = graph.value(ref, rns.DCTERMS.temporal)
    assert (period, rns.RDF.type, rns.DCTERMS.PeriodOfTime) in graph
    assert graph.value(period, rns.DCAT.startDate) == Literal("2023-01-01", datatype=rns.XSD.date)
    assert graph.value(period, rns.DCAT.endDate) == Literal("2023-12-31", datatype=rns.XSD.date)
    location = graph.value(ref, rns.DCTERMS.spatial)
    assert (location, rns.RDF.type, rns.DCTERMS.Location) in graph
    assert graph.value(location, rns.SKOS.prefLabel) == Literal("Kota Uji")
    contact = graph.value(ref, rns.DCAT.contactPoint)
    assert (contact, rns.RDF.type, VCARD.Kind) in graph
    assert graph.value(contact, VCARD.fn) == Literal("Seksi Data")
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:data@uji.go.id")
    assert graph.value(ref, rns.DCTERMS.issued).toPython() == T0 - timedelta(days=10)
    assert graph.value(ref, rns.DCTERMS.modified).toPython() == T0 + timedelta(days=2)
    assert graph.value(ref, rns.DCAT.landingPage) == URIRef(f"{SITE}/data/dataset/penduduk-2023/")
    assert len(list(graph.objects(ref, rns.DCAT.distribution))) == 2


def test_distributions_carry_download_url_format_and_size(client, catalog):
    graph = fetch_graph(client, "/catalog.rdf", "xml")
    table, pdf = catalog["table"], catalog["pdf"]
    table_ref = URIRef(f"{SITE}/dataset/{catalog['full'].id}/resource/{table.id}")
    pdf_ref = URIRef(f"{SITE}/dataset/{catalog['full'].id}/resource/{pdf.id}")
    assert set(graph.objects(dataset_ref(catalog["full"]), rns.DCAT.distribution)) == {
        table_ref,
        pdf_ref,
    }
    pdf_version = pdf.versions.get()
    # The catalog's download view (counted), as the CKAN API gives it.
    pdf_url = URIRef(f"{SITE}/data/dataset/penduduk-2023/sumber/{pdf.id}/versi/1/laporan.pdf")
    assert pdf_version.number == 1
    assert graph.value(pdf_ref, rns.DCAT.downloadURL) == pdf_url
    assert graph.value(pdf_ref, rns.DCAT.accessURL) == pdf_url
    assert graph.value(pdf_ref, rns.DCTERMS.title) == Literal("Laporan tahunan")
    assert graph.value(pdf_ref, rns.DCAT.byteSize).toPython() == len(PDF_BYTES)
    assert graph.value(pdf_ref, rns.DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/PDF"
    )
    assert graph.value(pdf_ref, rns.DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/application/pdf"
    )
    assert graph.value(pdf_ref, rns.DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(table_ref, rns.DCAT.downloadURL) == URIRef(
        f"{SITE}/data/dataset/penduduk-2023/sumber/{table.id}/versi/1/penduduk.csv"
    )
    downloaded = client.get(str(pdf_url).removeprefix(SITE))
    assert b"".join(downloaded.streaming_content) == PDF_BYTES


def test_external_link_is_an_access_url_without_download(client, catalog):
    link = add_link(catalog["plain"], url="https://bps.go.id/tabel/1")
    graph = fetch_graph(client, "/catalog.ttl", "turtle")
    ref = URIRef(f"{SITE}/dataset/{catalog['plain'].id}/resource/{link.id}")
    assert graph.value(ref, rns.DCAT.accessURL) == URIRef("https://bps.go.id/tabel/1")
    assert graph.value(ref, rns.DCAT.downloadURL) is None


def test_resources_not_yet_verified_are_not_distributed(client, catalog):
    unverified = add_pdf(catalog["full"], name="Draf laporan", position=3)
    Resource.objects.filter(pk=unverified.pk).update(published_at=None)
    graph = fetch_graph(client, "/data/penduduk-2023.ttl", "turtle")
    titles = {str(graph.value(d, rns.DCTERMS.title)) for d in graph.subjects(
        rns.RDF.type, rns.DCAT.Distribution)}  # fmt: skip
    assert titles == {"Penduduk per kecamatan", "Laporan tahunan"}
    response = client.get(f"/dataset/{catalog['full'].id}/resource/{unverified.id}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("frequency", "eu_code"),
    [
        (UpdateFrequency.DAILY, "DAILY"),
        (UpdateFrequency.WEEKLY, "WEEKLY"),
        (UpdateFrequency.MONTHLY, "MONTHLY"),
        (UpdateFrequency.QUARTERLY, "QUARTERLY"),
        (UpdateFrequency.SEMIANNUAL, "BIANNUAL"),
        (UpdateFrequency.ANNUAL, "ANNUAL"),
        (UpdateFrequency.IRREGULAR, "IRREG"),
    ],
)
def test_update_frequency_maps_to_eu_vocabulary(catalog, frequency, eu_code):
    Dataset.objects.filter(pk=catalog["plain"].pk).update(update_frequency=frequency)
    dataset = get_published_dataset(name="jalan-kota")
    graph = dataset_graph(base_url=SITE, dataset=dataset)
    assert graph.value(dataset_ref(dataset), rns.DCTERMS.accrualPeriodicity) == URIRef(
        EU_FREQ + eu_code
    )


# --- paging and filters ---------------------------------------------------------------------


@pytest.fixture
def big_catalog(catalog) -> None:
    """203 more published datasets (205 in all), each with a tag, a group and a resource, so
    an N+1 query would show."""
    agency = Agency.objects.get(code="PUPR")
    group = DataGroup.objects.get(name="kesehatan")
    tag = Tag.objects.create(name="jalan")
    datasets = Dataset.objects.bulk_create(
        Dataset(
            name=f"data-{i:03d}", title=f"Data {i}", organization=agency,
            licence=catalog["licence"], state=DatasetState.PUBLISHED,
            created_at=T0 - timedelta(days=400), modified_at=T0 - timedelta(days=i + 1),
        )
        for i in range(203)
    )  # fmt: skip
    Dataset.tags.through.objects.bulk_create(
        Dataset.tags.through(dataset=d, tag=tag) for d in datasets
    )
    Dataset.groups.through.objects.bulk_create(
        Dataset.groups.through(dataset=d, datagroup=group) for d in datasets
    )
    Resource.objects.bulk_create(
        Resource(dataset=d, name="Tabel", format="CSV", url="https://contoh.go.id/t.csv",
                 created_at=T0, modified_at=T0, published_at=T0)
        for d in datasets
    )  # fmt: skip


def test_catalog_pages_by_100_with_hydra_links(client, big_catalog):
    first = fetch_graph(client, "/catalog.ttl", "turtle")
    assert len(set(first.subjects(rns.RDF.type, rns.DCAT.Dataset))) == 100
    paging = URIRef(f"{SITE}/catalog.ttl?page=1")
    assert (paging, rns.RDF.type, HYDRA.PagedCollection) in first
    assert first.value(paging, HYDRA.totalItems).toPython() == 205
    assert first.value(paging, HYDRA.itemsPerPage).toPython() == 100
    assert str(first.value(paging, HYDRA.first)) == f"{SITE}/catalog.ttl?page=1"
    assert str(first.value(paging, HYDRA.next)) == f"{SITE}/catalog.ttl?page=2"
    assert str(first.value(paging, HYDRA.nextPage)) == f"{SITE}/catalog.ttl?page=2"
    assert str(first.value(paging, HYDRA.last)) == f"{SITE}/catalog.ttl?page=3"
    assert first.value(paging, HYDRA.previous) is None

    last = fetch_graph(client, "/catalog.ttl?page=3", "turtle")
    last_paging = URIRef(f"{SITE}/catalog.ttl?page=3")
    assert len(set(last.subjects(rns.RDF.type, rns.DCAT.Dataset))) == 5
    assert str(last.value(last_paging, HYDRA.previous)) == f"{SITE}/catalog.ttl?page=2"
    assert last.value(last_paging, HYDRA.next) is None

    pages = [first, fetch_graph(client, "/catalog.ttl?page=2", "turtle"), last]
    seen = [set(g.subjects(rns.RDF.type, rns.DCAT.Dataset)) for g in pages]
    assert len(set().union(*seen)) == 205
    assert sum(len(s) for s in seen) == 205


def test_catalog_page_costs_a_fixed_number_of_queries(
    client, big_catalog, django_assert_max_num_queries
):
    client.get("/catalog.jsonld")  # warms the cached city profile
    with django_assert_max_num_queries(7):
        response = client.get("/catalog.jsonld?page=2")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=4", 404),
        ("page=0", 400),
        ("page=abc", 400),
        ("page=%C2%B2", 400),
        ("modified_since=kemarin", 400),
        ("modified_since=2024-13-45", 400),
    ],
)
def test_catalog_rejects_bad_paging(client, big_catalog, query, status):
    response = client.get(f"/catalog.ttl?{query}")
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_modified_since_keeps_recent_datasets(client, big_catalog):
    since = (T0 - timedelta(days=3)).isoformat()
    graph = fetch_graph(client, f"/catalog.ttl?modified_since={since.replace('+', '%2B')}",
                        "turtle")  # fmt: skip
    names = {
        str(graph.value(s, rns.DCTERMS.title))
        for s in graph.subjects(rns.RDF.type, rns.DCAT.Dataset)
    }
    # data-000 (T0-1d), data-001 (T0-2d), data-002 (T0-3d), and the two at T0 or later.
    assert names == {"Data 0", "Data 1", "Data 2", "Penduduk 2023", "Judul jalan-kota"}
    assert list(graph.subjects(rns.RDF.type, HYDRA.PagedCollection)) == []


def test_modified_since_reads_an_unescaped_plus_as_the_offset(client, big_catalog):
    graph = fetch_graph(client, "/catalog.ttl?modified_since=2024-02-27T04:00:00+00:00", "turtle")
    # One hour after data-002 (T0-3d): data-000, data-001 and the two at T0 or later.
    assert len(set(graph.subjects(rns.RDF.type, rns.DCAT.Dataset))) == 4


def test_modified_since_accepts_a_date_and_keeps_it_in_paging_links(client, big_catalog):
    graph = fetch_graph(client, "/catalog.ttl?modified_since=2023-01-01", "turtle")
    paging = next(graph.subjects(rns.RDF.type, HYDRA.PagedCollection))
    assert graph.value(paging, HYDRA.totalItems).toPython() == 205
    assert str(graph.value(paging, HYDRA.next)) == (
        f"{SITE}/catalog.ttl?modified_since=2023-01-01T00%3A00%3A00%2B07%3A00&page=2"
    )


# --- one dataset ----------------------------------------------------------------------------


def test_dataset_documents_agree_and_hold_one_dataset(client, catalog):
    graphs = [
        fetch_graph(client, "/data/penduduk-2023.jsonld", "json-ld"),
        fetch_graph(client, "/data/penduduk-2023.ttl", "turtle"),
        fetch_graph(client, "/data/penduduk-2023.rdf", "xml"),
    ]
    assert isomorphic(graphs[0], graphs[1])
    assert isomorphic(graphs[1], graphs[2])
    assert list(graphs[0].subjects(rns.RDF.type, rns.DCAT.Dataset)) == [
        dataset_ref(catalog["full"])
    ]
    assert len(list(graphs[0].subjects(rns.RDF.type, rns.DCAT.Distribution))) == 2
    assert list(graphs[0].subjects(rns.RDF.type, rns.DCAT.Catalog)) == []


def test_ckanext_dcat_dataset_paths_serve_the_same_document(client, catalog):
    full = catalog["full"]
    ours = fetch_graph(client, "/data/penduduk-2023.ttl", "turtle")
    assert isomorphic(ours, fetch_graph(client, f"/dataset/{full.id}.ttl", "turtle"))
    assert isomorphic(ours, fetch_graph(client, "/dataset/penduduk-2023.rdf", "xml"))
    hidden = catalog["hidden"][0]
    assert client.get(f"/dataset/{hidden.id}.ttl").status_code == 404
    assert client.get(f"/dataset/{hidden.name}.ttl").status_code == 404


@pytest.mark.parametrize("name", ["tersembunyi-draft", "tersembunyi-withdrawn", "tidak-ada"])
def test_dataset_document_is_404_unless_published(client, catalog, name):
    for suffix in ("jsonld", "ttl", "rdf"):
        assert client.get(f"/data/{name}.{suffix}").status_code == 404


def test_dataset_document_costs_a_fixed_number_of_queries(
    client, catalog, django_assert_max_num_queries
):
    # 5 reads, then the usage count (its first of the day inserts a row; savepoints in tests).
    with django_assert_max_num_queries(12):
        response = client.get("/data/penduduk-2023.ttl")
    assert response.status_code == 200


def test_dataset_document_counts_an_api_call(client, catalog):
    client.get("/data/penduduk-2023.jsonld")
    client.get(f"/dataset/{catalog['full'].id}.ttl")
    client.get("/catalog.ttl")  # the catalog is not one dataset's use
    full = Dataset.objects.get(pk=catalog["full"].pk)
    assert (full.api_count, full.download_count, full.view_count) == (2, 0, 0)
    assert list(full.usage.values_list("api_calls", "downloads")) == [(2, 0)]


# --- dereferenceable URIs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        ("text/turtle", "/data/penduduk-2023.ttl"),
        ("application/ld+json", "/data/penduduk-2023.jsonld"),
        ("application/rdf+xml", "/data/penduduk-2023.rdf"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "/data/dataset/penduduk-2023/"),
    ],
)
def test_dataset_uri_redirects_by_accept(client, catalog, accept, target):
    response = client.get(f"/dataset/{catalog['full'].id}", headers={"accept": accept})
    assert response.status_code == 303
    assert response["Location"] == target
    assert "Accept" in [v.strip() for v in response["Vary"].split(",")]


def test_distribution_uri_redirects_to_its_dataset(client, catalog):
    full = catalog["full"]
    response = client.get(
        f"/dataset/{full.id}/resource/{catalog['pdf'].id}", headers={"accept": "text/turtle"}
    )
    assert response.status_code == 303
    assert response["Location"] == "/data/penduduk-2023.ttl"
    other = client.get(f"/dataset/{catalog['plain'].id}/resource/{catalog['pdf'].id}")
    assert other.status_code == 404


def test_linked_metadata_is_read_only(client, catalog):
    for url in ("/catalog.ttl", "/data/penduduk-2023.ttl", "/data/penduduk-2023/datapackage.zip"):
        assert client.post(url).status_code == 405


def test_uris_of_unpublished_datasets_are_404(client, catalog):
    assert client.get(f"/dataset/{catalog['hidden'][0].id}").status_code == 404


def test_catalog_uri_redirects_by_accept(client, catalog):
    response = client.get("/catalog", headers={"accept": "application/ld+json"})
    assert (response.status_code, response["Location"]) == (303, "/catalog.jsonld")
    response = client.get("/catalog", headers={"accept": "text/html"})
    assert (response.status_code, response["Location"]) == (303, "/data/")
