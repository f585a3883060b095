"""The catalog as linked data: DCAT v2 shaped by DCAT-AP, as ckanext-dcat serves it, so that
harvesters (data.go.id, the EU data portal, any ckanext-dcat harvester) read Terang as they read
CKAN. Only published datasets appear. URIs are absolute and stable: a dataset is
`<site>/dataset/<uuid>` (its name may change, its id never does), a distribution is
`<site>/dataset/<uuid>/resource/<uuid>`; both redirect to a representation when followed.

The catalog is paged like ckanext-dcat (100 datasets a page, `?page=`, Hydra paging triples
when there is more than one page); a city publishes hundreds or a few thousand datasets, so
offset paging stays cheap here."""

from __future__ import annotations

import mimetypes
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urlencode

from django.db.models import Count, Max, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from terang.core.errors import NotFound, ValidationFailed
from terang.core.selectors import get_city

from ..choices import DatasetState, UpdateFrequency, VersionStatus
from ..models import Dataset, Resource, ResourceVersion
from .ckan.serializers import version_path

DATASETS_PER_PAGE = 100
PAGE_NUMBER = re.compile(r"^[1-9][0-9]{0,8}$")
OFFSET_WITHOUT_PLUS = re.compile(r"(?<=\d) (\d{2}:?\d{2})$")

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "skos": SKOS,
    "hydra": HYDRA,
    "spdx": SPDX,
    "rdfs": RDFS,
    "xsd": XSD,
}

# Our update frequencies on the EU frequency vocabulary that DCAT-AP requires.
FREQUENCIES: dict[str, URIRef] = {
    UpdateFrequency.DAILY: EU_FREQUENCY.DAILY,
    UpdateFrequency.WEEKLY: EU_FREQUENCY.WEEKLY,
    UpdateFrequency.MONTHLY: EU_FREQUENCY.MONTHLY,
    UpdateFrequency.QUARTERLY: EU_FREQUENCY.QUARTERLY,
    UpdateFrequency.SEMIANNUAL: EU_FREQUENCY.BIANNUAL,  # EU "BIANNUAL" is twice a year
    UpdateFrequency.ANNUAL: EU_FREQUENCY.ANNUAL,
    UpdateFrequency.IRREGULAR: EU_FREQUENCY.IRREG,
}

# Formats named in the EU file-type vocabulary; anything else stays a plain literal.
EU_FILE_TYPES = {
    "CSV", "TSV", "XLSX", "XLS", "ODS", "JSON", "GEOJSON", "XML", "PDF", "ZIP", "TXT", "HTML",
    "DOC", "DOCX", "ODT", "KML", "KMZ", "SHP", "GPKG", "PNG", "JPEG", "TIFF", "RDF_XML",
}  # fmt: skip
FORMAT_ALIASES = {"JPG": "JPEG", "TIF": "TIFF", "RDF": "RDF_XML", "HTM": "HTML"}


@dataclass(frozen=True)
class RdfFormat:
    rdflib_name: str
    content_type: str


# URL suffix -> serialisation; the same suffixes as ckanext-dcat.
RDF_FORMATS = {
    "jsonld": RdfFormat("json-ld", "application/ld+json"),
    "ttl": RdfFormat("turtle", "text/turtle; charset=utf-8"),
    # Plain RDF/XML: rdflib's "pretty-xml" drops the description of a blank node that several
    # datasets share (an agency publishing more than one dataset).
    "rdf": RdfFormat("xml", "application/rdf+xml"),
    "xml": RdfFormat("xml", "application/rdf+xml"),
    "n3": RdfFormat("n3", "text/n3; charset=utf-8"),
}


class InvalidCatalogQuery(ValidationFailed):
    code = "catalog_invalid_query"
    status = 400


def published_datasets() -> QuerySet[Dataset]:
    """Datasets the public may see, with everything the DCAT and Data Package writers read
    fetched in a fixed number of queries whatever the page size."""
    current_versions = Prefetch(
        "versions",
        queryset=ResourceVersion.objects.filter(status=VersionStatus.CURRENT),
        to_attr="current_versions",
    )
    # The public sees only the resources the walidata verified (Resource.published_at).
    resources = Prefetch(
        "resources",
        queryset=Resource.objects.filter(published_at__isnull=False)
        .order_by("position", "created_at", "id")
        .prefetch_related(current_versions),
    )
    return (
        Dataset.objects.filter(state=DatasetState.PUBLISHED)
        .select_related("organization", "licence")
        .prefetch_related("groups", "tags", resources)
    )


def get_published_dataset(*, name: str = "", dataset_id: uuid.UUID | None = None) -> Dataset:
    """By name (our /data/<name> URLs) or by id (ckanext-dcat's /dataset/<id> URLs)."""
    lookup = {"id": dataset_id} if dataset_id is not None else {"name": name}
    try:
        return published_datasets().get(**lookup)
    except Dataset.DoesNotExist:
        raise NotFound() from None


def get_published_dataset_by_id(*, dataset_id: uuid.UUID) -> Dataset:
    try:
        return Dataset.objects.only("id", "name").get(id=dataset_id, state=DatasetState.PUBLISHED)
    except Dataset.DoesNotExist:
        raise NotFound() from None


def current_version(resource: Resource) -> ResourceVersion | None:
    """The resource's current file, from the prefetch of published_datasets when present."""
    versions = getattr(resource, "current_versions", None)
    if versions is None:
        versions = list(resource.versions.filter(status=VersionStatus.CURRENT))
    return versions[0] if versions else None


def parse_modified_since(value: str) -> datetime:
    """`?modified_since=` as ckanext-dcat takes it: an ISO date or date-time; a value without
    an offset is read in the site's time zone."""
    parsed: datetime | None
    # An unescaped "+07:00" in a query string arrives as " 07:00".
    value = OFFSET_WITHOUT_PLUS.sub(r"+\1", value.strip())
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.combine(day, time.min) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidCatalogQuery(
            _("modified_since harus berupa tanggal ISO 8601, misalnya 2024-01-31."),
            details={"modified_since": value},
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def parse_page(value: str | None) -> int:
    if value in (None, ""):
        return 1
    if not PAGE_NUMBER.match(value):
        raise InvalidCatalogQuery(
            _("page harus berupa bilangan bulat positif."), details={"page": value}
        )
    return int(value)


# --- URIs -----------------------------------------------------------------------------------


def catalog_uri(base_url: str) -> URIRef:
    return URIRef(base_url + reverse("opendata:dcat_catalog"))


def dataset_uri(base_url: str, dataset: Dataset) -> URIRef:
    return URIRef(base_url + reverse("opendata:dcat_dataset", args=[dataset.id]))


def distribution_uri(base_url: str, resource: Resource) -> URIRef:
    return URIRef(
        base_url + reverse("opendata:dcat_distribution", args=[resource.dataset_id, resource.id])
    )


def landing_page_url(base_url: str, dataset: Dataset) -> str:
    """The dataset's HTML page in the catalog pages."""
    return base_url + reverse("opendata:dataset", args=[dataset.name])


def catalog_page_url(base_url: str) -> str:
    return base_url + reverse("opendata:catalog")


def theme_scheme_uri(base_url: str) -> URIRef:
    return URIRef(f"{base_url}/catalog/themes")


def theme_uri(base_url: str, group_name: str) -> URIRef:
    return URIRef(f"{base_url}/catalog/themes/{group_name}")


def file_download_url(
    base_url: str, dataset: Dataset, resource: Resource, version: ResourceVersion
) -> str:
    """The catalog's download of a stored file (the same URL the CKAN API gives, counted as a
    download)."""
    return base_url + version_path(dataset, resource, version)


def resource_media_type(resource: Resource, version: ResourceVersion | None) -> str:
    if version is not None and version.media_type:
        return version.media_type
    if resource.format:
        guessed, _encoding = mimetypes.guess_type(f"x.{resource.format.lower()}")
        return guessed or ""
    return ""


# --- graphs ---------------------------------------------------------------------------------


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


@dataclass(frozen=True)
class CatalogPage:
    graph: Graph
    page: int
    last_page: int
    total: int


def catalog_graph(
    *,
    base_url: str,
    collection_url: str,
    page: int = 1,
    modified_since: datetime | None = None,
) -> CatalogPage:
    """One page of the catalog: the dcat:Catalog, its datasets and their distributions.
    `collection_url` is the URL of this serialisation (e.g. <site>/catalog.ttl); the Hydra
    paging links are built on it."""
    datasets = published_datasets()
    if modified_since is not None:
        datasets = datasets.filter(modified_at__gte=modified_since)
    totals = datasets.aggregate(total=Count("id"), modified=Max("modified_at"))
    total: int = totals["total"]
    last_page = max(1, -(-total // DATASETS_PER_PAGE))
    if page > last_page:
        raise NotFound(_("Halaman katalog ini tidak ada."), details={"page": page})
    start = (page - 1) * DATASETS_PER_PAGE
    rows = list(datasets.order_by("-modified_at", "id")[start : start + DATASETS_PER_PAGE])

    graph = new_graph()
    catalog = catalog_uri(base_url)
    _add_catalog(graph, catalog, base_url, modified=totals["modified"])
    publishers: dict[int, BNode] = {}
    for dataset in rows:
        node = _add_dataset(graph, base_url, dataset, publishers)
        graph.add((catalog, DCAT.dataset, node))
    if last_page > 1:
        _add_paging(graph, collection_url, modified_since, page, last_page, total)
    return CatalogPage(graph=graph, page=page, last_page=last_page, total=total)


def dataset_graph(*, base_url: str, dataset: Dataset) -> Graph:
    """One dataset with its distributions (the document at /data/<name>.<format>). Pass a
    dataset from published_datasets() so its relations are already fetched."""
    graph = new_graph()
    _add_dataset(graph, base_url, dataset, {})
    return graph


def serialize_graph(graph: Graph, suffix: str) -> bytes:
    rdf_format = RDF_FORMATS[suffix]
    if rdf_format.rdflib_name == "json-ld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        data = graph.serialize(format="json-ld", context=context, auto_compact=True)
        return data.encode("utf-8")
    return graph.serialize(format=rdf_format.rdflib_name, encoding="utf-8")


def _add_catalog(graph: Graph, catalog: URIRef, base_url: str, *, modified: datetime | None):
    city = get_city()
    city_name = city.name if city else _("Pemerintah daerah")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    title = _("Katalog Satu Data %(city)s") % {"city": city_name}
    graph.add((catalog, DCTERMS.title, Literal(title)))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                _("Data terbuka yang diterbitkan oleh %(city)s melalui portal Satu Data.")
                % {"city": city_name}
            ),
        )
    )
    publisher = BNode()
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(city_name)))
    graph.add((catalog, FOAF.homepage, URIRef(catalog_page_url(base_url))))
    for language in (EU_LANGUAGE.IND, EU_LANGUAGE.ENG):
        graph.add((catalog, DCTERMS.language, language))
    if modified is not None:
        graph.add((catalog, DCTERMS.modified, _datetime(modified)))
    scheme = theme_scheme_uri(base_url)
    graph.add((catalog, DCAT.themeTaxonomy, scheme))
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(_("Topik Satu Data"))))


def _add_paging(
    graph: Graph,
    collection_url: str,
    modified_since: datetime | None,
    page: int,
    last_page: int,
    total: int,
) -> None:
    """Hydra paging as ckanext-dcat writes it: both the current terms (first, next, ...) and
    the older *Page ones its harvester still reads, as literal URLs."""

    def page_url(number: int) -> Literal:
        query: dict[str, str | int] = {"page": number}
        if modified_since is not None:
            query = {"modified_since": modified_since.isoformat(), "page": number}
        return Literal(f"{collection_url}?{urlencode(query)}")

    paging = URIRef(str(page_url(page)))
    graph.add((paging, RDF.type, HYDRA.PagedCollection))
    graph.add((paging, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((paging, HYDRA.itemsPerPage, Literal(DATASETS_PER_PAGE, datatype=XSD.integer)))
    links = {"first": 1, "last": last_page}
    if page < last_page:
        links["next"] = page + 1
    if page > 1:
        links["previous"] = page - 1
    for name, number in links.items():
        graph.add((paging, HYDRA[name], page_url(number)))
        graph.add((paging, HYDRA[f"{name}Page"], page_url(number)))


def _add_dataset(
    graph: Graph, base_url: str, dataset: Dataset, publishers: dict[int, BNode]
) -> URIRef:
    node = dataset_uri(base_url, dataset)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(str(dataset.id))))
    graph.add((node, DCTERMS.title, Literal(dataset.title)))
    if dataset.notes:
        graph.add((node, DCTERMS.description, Literal(dataset.notes)))
    graph.add((node, DCTERMS.publisher, _publisher(graph, dataset, publishers)))
    for tag in dataset.tags.all():
        graph.add((node, DCAT.keyword, Literal(tag.name)))
    for group in dataset.groups.all():
        theme = theme_uri(base_url, group.name)
        graph.add((node, DCAT.theme, theme))
        graph.add((theme, RDF.type, SKOS.Concept))
        graph.add((theme, SKOS.prefLabel, Literal(group.title)))
        graph.add((theme, SKOS.inScheme, theme_scheme_uri(base_url)))
    licence = _licence(graph, dataset)
    graph.add((node, DCTERMS.license, licence))
    frequency = FREQUENCIES.get(dataset.update_frequency)
    if frequency is not None:
        graph.add((node, DCTERMS.accrualPeriodicity, frequency))
        graph.add((frequency, RDF.type, DCTERMS.Frequency))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, _date(dataset.temporal_start)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, _date(dataset.temporal_end)))
    if dataset.spatial_coverage:
        location = BNode()
        graph.add((node, DCTERMS.spatial, location))
        graph.add((location, RDF.type, DCTERMS.Location))
        graph.add((location, SKOS.prefLabel, Literal(dataset.spatial_coverage)))
    if dataset.contact_name or dataset.contact_email:
        contact = BNode()
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.organization.name)))
        if dataset.contact_email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    if dataset.source:
        provenance = BNode()
        graph.add((node, DCTERMS.provenance, provenance))
        graph.add((provenance, RDF.type, DCTERMS.ProvenanceStatement))
        graph.add((provenance, RDFS.label, Literal(dataset.source)))
    graph.add((node, DCTERMS.issued, _datetime(dataset.published_at or dataset.created_at)))
    graph.add((node, DCTERMS.modified, _datetime(dataset.modified_at)))
    landing = URIRef(landing_page_url(base_url, dataset))
    graph.add((node, DCAT.landingPage, landing))
    graph.add((landing, RDF.type, FOAF.Document))
    for resource in dataset.resources.all():
        distribution = _add_distribution(graph, base_url, dataset, resource, licence)
        graph.add((node, DCAT.distribution, distribution))
    return node


def _publisher(graph: Graph, dataset: Dataset, publishers: dict[int, BNode]) -> BNode:
    """The producing agency (produsen data), one node per agency in a graph."""
    agency = dataset.organization
    if agency.pk not in publishers:
        publisher = BNode()
        graph.add((publisher, RDF.type, FOAF.Organization))
        graph.add((publisher, FOAF.name, Literal(agency.name)))
        publishers[agency.pk] = publisher
    return publishers[agency.pk]


def _licence(graph: Graph, dataset: Dataset) -> URIRef | BNode:
    licence = dataset.licence
    node: URIRef | BNode = URIRef(licence.url) if licence.url else BNode()
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    graph.add((node, RDFS.label, Literal(licence.title)))
    graph.add((node, DCTERMS.identifier, Literal(licence.id)))
    return node


def _add_distribution(
    graph: Graph, base_url: str, dataset: Dataset, resource: Resource, licence: URIRef | BNode
) -> URIRef:
    node = distribution_uri(base_url, resource)
    version = current_version(resource)
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.identifier, Literal(str(resource.id))))
    graph.add((node, DCTERMS.title, Literal(resource.name)))
    if resource.description:
        graph.add((node, DCTERMS.description, Literal(resource.description)))
    graph.add((node, DCTERMS.license, licence))
    graph.add((node, DCTERMS.issued, _datetime(resource.created_at)))
    graph.add((node, DCTERMS.modified, _datetime(resource.modified_at)))
    if version is not None:
        download = URIRef(file_download_url(base_url, dataset, resource, version))
        graph.add((node, DCAT.accessURL, download))
        graph.add((node, DCAT.downloadURL, download))
        graph.add((node, DCAT.byteSize, Literal(version.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(version.sha256, datatype=XSD.hexBinary)))
    elif resource.url:
        graph.add((node, DCAT.accessURL, URIRef(resource.url)))
    file_format = _format(resource, version)
    if file_format is not None:
        graph.add((node, DCTERMS.format, file_format))
    media_type = resource_media_type(resource, version)
    if media_type:
        graph.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + media_type)))
    return node


def _format(resource: Resource, version: ResourceVersion | None) -> URIRef | Literal | None:
    name = resource.format.strip().upper()
    if not name and version is not None and "." in version.original_name:
        name = version.original_name.rsplit(".", 1)[1].upper()
    if not name:
        return None
    name = FORMAT_ALIASES.get(name, name)
    return EU_FILE_TYPE[name] if name in EU_FILE_TYPES else Literal(name)


def _datetime(value: datetime) -> Literal:
    return Literal(value.astimezone(UTC).isoformat(), datatype=XSD.dateTime)


def _date(value: date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)
