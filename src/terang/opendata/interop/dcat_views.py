"""Thin adapters for the DCAT metadata: parse the query, call `dcat`, answer in the requested
serialisation. Everything here is public; unpublished datasets answer 404 as unknown ones do.
A dataset's RDF counts as an API call (the catalog pages and the CKAN API count the same way).
`open_endpoint` and `base_url` serve the Data Package endpoints too (`datapackage_views`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from terang.core.errors import DomainError, NotFound

from ..models import Dataset
from ..services import record_usage
from . import dcat

# Media types a client may ask for with Accept, and the document suffix that serves each.
NEGOTIATED = {
    "application/ld+json": "jsonld",
    "text/turtle": "ttl",
    "application/rdf+xml": "rdf",
    "text/n3": "n3",
}


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
        dcat.serialize_graph(graph, suffix), content_type=dcat.RDF_FORMATS[suffix].content_type
    )


@open_endpoint
def catalog(request: HttpRequest, suffix: str) -> HttpResponse:
    page = dcat.parse_page(request.GET.get("page"))
    since = request.GET.get("modified_since")
    result = dcat.catalog_graph(
        base_url=base_url(request),
        collection_url=base_url(request) + request.path,
        page=page,
        modified_since=dcat.parse_modified_since(since) if since else None,
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
        dataset = dcat.get_published_dataset(dataset_id=uuid.UUID(key))
    except ValueError:
        dataset = dcat.get_published_dataset(name=key)
    record_usage(dataset_id=dataset.pk, kind="api_calls")
    return _rdf_response(dcat.dataset_graph(base_url=base_url(request), dataset=dataset), suffix)


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
    return _see_dataset(request, dcat.get_published_dataset_by_id(dataset_id=dataset_id))


@open_endpoint
def distribution_redirect(
    request: HttpRequest, dataset_id: uuid.UUID, resource_id: uuid.UUID
) -> HttpResponse:
    """A distribution's URI: it is described inside its dataset's document."""
    dataset = dcat.get_published_dataset_by_id(dataset_id=dataset_id)
    if not dataset.resources.filter(id=resource_id, published_at__isnull=False).exists():
        raise NotFound()
    return _see_dataset(request, dataset)
