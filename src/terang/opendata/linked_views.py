"""Thin adapters for the linked metadata: parse the query, call linked.py or datapackage.py,
answer in the requested serialisation. Everything here is public; unpublished datasets answer
404 as unknown ones do. A dataset's RDF and descriptor count as API calls, its zip and table
CSV as downloads (the catalog pages and the CKAN API count the same way)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from terang.core.errors import DomainError, NotFound

from . import linked
from .datapackage import (
    datapackage_descriptor,
    datastore_csv_chunks,
    is_datastore_table,
    package_name,
    write_datapackage_zip,
)
from .models import Dataset
from .services import record_usage

# Media types a client may ask for with Accept, and the document suffix that serves each.
NEGOTIATED = {
    "application/ld+json": "jsonld",
    "text/turtle": "ttl",
    "application/rdf+xml": "rdf",
    "text/n3": "n3",
}
ZIP_SPOOL_BYTES = 8 * 1024 * 1024


class SeeOther(HttpResponseRedirect):
    """303: the URI names a thing (a dataset), the redirect gives a document about it, chosen
    by the Accept header."""

    status_code = 303

    def __init__(self, redirect_to: str) -> None:
        super().__init__(redirect_to)
        patch_vary_headers(self, ["Accept"])


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def open_endpoint(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """GET only; a domain error becomes a short plain-text answer with its status; any site may
    read the answer from a browser (open data, as the CKAN API and Open311 allow)."""

    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except DomainError as exc:
            response = HttpResponse(
                str(exc.message), status=exc.status, content_type="text/plain; charset=utf-8"
            )
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _negotiated_suffix(request: HttpRequest) -> str | None:
    preferred = request.get_preferred_type(["text/html", *NEGOTIATED])
    return NEGOTIATED.get(preferred or "")


def _rdf_response(graph: Any, suffix: str) -> HttpResponse:
    return HttpResponse(
        linked.serialize_graph(graph, suffix), content_type=linked.RDF_FORMATS[suffix].content_type
    )


@open_endpoint
def catalog(request: HttpRequest, suffix: str) -> HttpResponse:
    page = linked.parse_page(request.GET.get("page"))
    since = request.GET.get("modified_since")
    result = linked.catalog_graph(
        base_url=base_url(request),
        collection_url=base_url(request) + request.path,
        page=page,
        modified_since=linked.parse_modified_since(since) if since else None,
    )
    return _rdf_response(result.graph, suffix)


@open_endpoint
def catalog_redirect(request: HttpRequest) -> HttpResponse:
    suffix = _negotiated_suffix(request)
    if suffix is None:
        return SeeOther(reverse("opendata:catalog"))
    return SeeOther(reverse("opendata:dcat_catalog_document", kwargs={"suffix": suffix}))


@open_endpoint
def dataset_document(
    request: HttpRequest, suffix: str, name: str = "", dataset_id: str = ""
) -> HttpResponse:
    """/data/<name>.<suffix>, and ckanext-dcat's /dataset/<id or name>.<suffix>."""
    key = name or dataset_id
    try:
        dataset = linked.get_published_dataset(dataset_id=uuid.UUID(key))
    except ValueError:
        dataset = linked.get_published_dataset(name=key)
    record_usage(dataset_id=dataset.pk, kind="api_calls")
    return _rdf_response(linked.dataset_graph(base_url=base_url(request), dataset=dataset), suffix)


def _see_dataset(request: HttpRequest, dataset: Dataset) -> HttpResponse:
    suffix = _negotiated_suffix(request)
    if suffix is None:
        return SeeOther(reverse("opendata:dataset", args=[dataset.name]))
    return SeeOther(
        reverse("opendata:dcat_dataset_document", kwargs={"name": dataset.name, "suffix": suffix})
    )


@open_endpoint
def dataset_redirect(request: HttpRequest, dataset_id: uuid.UUID) -> HttpResponse:
    """A dataset's URI: its RDF when asked for by Accept, otherwise its page."""
    return _see_dataset(request, linked.get_published_dataset_by_id(dataset_id=dataset_id))


@open_endpoint
def distribution_redirect(
    request: HttpRequest, dataset_id: uuid.UUID, resource_id: uuid.UUID
) -> HttpResponse:
    """A distribution's URI: it is described inside its dataset's document."""
    dataset = linked.get_published_dataset_by_id(dataset_id=dataset_id)
    if not dataset.resources.filter(id=resource_id, published_at__isnull=False).exists():
        raise NotFound()
    return _see_dataset(request, dataset)


@open_endpoint
def datapackage_json(request: HttpRequest, name: str) -> HttpResponse:
    dataset = linked.get_published_dataset(name=name)
    descriptor = datapackage_descriptor(dataset=dataset, base_url=base_url(request))
    record_usage(dataset_id=dataset.pk, kind="api_calls")
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})


@open_endpoint
def datapackage_zip(request: HttpRequest, name: str) -> HttpResponseBase:
    dataset = linked.get_published_dataset(name=name)
    spool = tempfile.SpooledTemporaryFile(max_size=ZIP_SPOOL_BYTES)  # noqa: SIM115
    write_datapackage_zip(dataset=dataset, base_url=base_url(request), target=spool)
    spool.seek(0)
    record_usage(dataset_id=dataset.pk, kind="downloads")
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{package_name(dataset)}.zip",
        content_type="application/zip",
    )


@open_endpoint
def datapackage_table_csv(
    request: HttpRequest, name: str, resource_id: uuid.UUID
) -> HttpResponseBase:
    """The CSV a descriptor's table resource points to: the same bytes as in the zip."""
    dataset = linked.get_published_dataset(name=name)
    resource = next((r for r in dataset.resources.all() if r.id == resource_id), None)
    if resource is None or not is_datastore_table(resource):
        raise NotFound()
    record_usage(dataset_id=dataset.pk, kind="downloads")
    response = StreamingHttpResponse(
        datastore_csv_chunks(resource), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{resource_id}.csv"'
    return response
