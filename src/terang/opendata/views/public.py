"""Public catalog pages under /data/ (no login, no JavaScript needed): search with facets,
a dataset's page, a resource's table preview (filter and sort through the query string) and
the downloads, which are counted."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET

from terang.core.errors import NotFound

from .. import selectors, services
from ..choices import DatasetState
from ..datastore import (
    CONTENT_TYPES,
    EXPORT_FORMATS,
    csv_chunks,
    iter_records,
    json_chunks,
    query_datastore,
    schema_fields,
    xlsx_file,
)
from ..errors import QueryInvalid
from ..models import Dataset, Resource
from ..reports import type_label

PER_PAGE = 20
FACET_LIMIT = 20
PREVIEW_SIZES = (25, 50, 100)
# Query-string names (Indonesian, as they show in the address bar) -> CKAN facet fields.
FACET_PARAMS = (
    ("organisasi", "organization", gettext_lazy("Produsen data")),
    ("grup", "groups", gettext_lazy("Kelompok topik")),
    ("tag", "tags", gettext_lazy("Tag")),
    ("format", "res_format", gettext_lazy("Format")),
    ("lisensi", "license_id", gettext_lazy("Lisensi")),
)
SORTS = (
    ("relevansi", "score desc, metadata_modified desc", gettext_lazy("Paling relevan")),
    ("terbaru", "metadata_modified desc", gettext_lazy("Terbaru diperbarui")),
    ("judul", "title_string asc", gettext_lazy("Judul (A-Z)")),
    ("populer", "views_total desc", gettext_lazy("Paling banyak dilihat")),
)


def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return render(request, "opendata/public/not_found.html", {"message": exc.message}, status=404)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("halaman", "1")), 10_000))
    except ValueError:
        return 1


def _url(params: list[tuple[str, str]]) -> str:
    return "?" + urlencode(params) if params else "?"


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    """Search the published datasets; facets are checkboxes (one form) and removable links."""
    q = request.GET.get("q", "").strip()[:200]
    filters = {
        key: [v for v in request.GET.getlist(param) if v][:10] for param, key, _l in FACET_PARAMS
    }
    filters = {key: values for key, values in filters.items() if values}
    sort_key = request.GET.get("urut") or ("relevansi" if q else "terbaru")
    sort = dict((key, value) for key, value, _l in SORTS).get(sort_key)
    if sort is None:
        sort_key, sort = "terbaru", "metadata_modified desc"
    page = _page_number(request)
    result = selectors.search_datasets(
        q=q,
        filters=filters,
        sort=sort,
        start=(page - 1) * PER_PAGE,
        rows=PER_PAGE,
        facet_fields=[key for _p, key, _l in FACET_PARAMS],
        facet_limit=FACET_LIMIT,
    )
    kept = [
        (key, value)
        for key, values in request.GET.lists()
        for value in values
        if key != "halaman" and value
    ]
    facets = []
    for param, key, label in FACET_PARAMS:
        chosen = set(filters.get(key, []))
        items = []
        for item in result.facets.get(key, []):
            selected = item.name in chosen
            if selected:
                toggled = [(k, v) for k, v in kept if not (k == param and v == item.name)]
            else:
                toggled = [*kept, (param, item.name)]
            items.append({"item": item, "selected": selected, "url": _url(toggled)})
        facets.append({"param": param, "label": label, "items": items})
    active = [
        {
            "label": f"{label}: {value}",
            "url": _url([(k, v) for k, v in kept if not (k == param and v == value)]),
        }
        for param, key, label in FACET_PARAMS
        for value in filters.get(key, [])
    ]
    pages = max(1, math.ceil(result.count / PER_PAGE))
    base = [(k, v) for k, v in kept]
    return render(
        request,
        "opendata/public/catalog.html",
        {
            "q": q,
            "result": result,
            "facets": facets,
            "active": active,
            "sorts": [(key, label) for key, _v, label in SORTS],
            "sort_key": sort_key,
            "page": page,
            "pages": pages,
            "previous_url": _url([*base, ("halaman", str(page - 1))]) if page > 1 else "",
            "next_url": _url([*base, ("halaman", str(page + 1))]) if page < pages else "",
            "hidden_filters": [(k, v) for k, v in kept if k not in ("q", "urut")],
        },
    )


def _counted(dataset: Dataset, kind: str) -> None:
    if dataset.state == DatasetState.PUBLISHED:
        services.record_usage(dataset_id=dataset.pk, kind=kind)


@require_GET
def dataset(request: HttpRequest, name: str) -> HttpResponse:
    try:
        found = selectors.get_dataset_for_viewer(request.user, name)
    except NotFound as exc:
        return _not_found(request, exc)
    _counted(found, "views")
    found.refresh_from_db(fields=["view_count", "download_count", "api_count"])
    resources = selectors.resources_for(request.user, found)
    rows = []
    for resource in resources:
        resource.dataset = found
        rows.append(
            {"resource": resource, "versions": selectors.versions_for(request.user, resource)}
        )
    return render(
        request,
        "opendata/public/dataset.html",
        {
            "dataset": found,
            "rows": rows,
            "usage": selectors.usage_summary(found),
            "is_preview": found.state != DatasetState.PUBLISHED,
        },
    )


def _preview_query(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    """The preview's query string as datastore parameters: `q`, `f<n>` (column n equals),
    `urut` (column number or _id) with `arah` (naik/turun), `halaman`, `per`."""
    columns = schema_fields(resource)
    filters: dict[str, Any] = {}
    values: dict[int, str] = {}
    for index, column in enumerate(columns):
        value = request.GET.get(f"f{index}", "").strip()[:200]
        if value:
            filters[column["name"]] = value
            values[index] = value
    sort = ""
    sort_index = request.GET.get("urut", "")
    descending = request.GET.get("arah") == "turun"
    if sort_index.isdigit() and int(sort_index) < len(columns):
        sort = f'"{columns[int(sort_index)]["name"]}" {"desc" if descending else "asc"}'
    try:
        size = int(request.GET.get("per", "25"))
    except ValueError:
        size = 25
    size = size if size in PREVIEW_SIZES else 25
    return {
        "filters": filters,
        "values": values,
        "q": request.GET.get("q", "").strip()[:200],
        "sort": sort,
        "sort_index": int(sort_index) if sort_index.isdigit() else None,
        "descending": descending,
        "size": size,
        "page": _page_number(request),
    }


def _resource(request: HttpRequest, name: str, resource_id: Any) -> tuple[Dataset, Resource]:
    found = selectors.get_dataset_for_viewer(request.user, name)
    return found, selectors.get_resource_for_viewer(request.user, found, resource_id)


@require_GET
def resource(request: HttpRequest, name: str, resource_id: Any) -> HttpResponse:
    try:
        found, chosen = _resource(request, name, resource_id)
    except NotFound as exc:
        return _not_found(request, exc)
    context: dict[str, Any] = {"dataset": found, "resource": chosen, "status": 200}
    context["versions"] = selectors.versions_for(request.user, chosen)
    if chosen.datastore_active:
        query = _preview_query(request, chosen)
        columns = schema_fields(chosen)
        try:
            result = query_datastore(
                chosen,
                filters=query["filters"],
                q=query["q"],
                sort=query["sort"] or None,
                limit=query["size"],
                offset=(query["page"] - 1) * query["size"],
            )
        except QueryInvalid as exc:
            result = None
            context["query_errors"] = [m for ms in exc.details.values() for m in ms]
            context["status"] = 422
        filter_params = [(f"f{i}", v) for i, v in query["values"].items()]
        if query["q"]:
            filter_params.insert(0, ("q", query["q"]))
        sort_params = []
        if query["sort_index"] is not None:
            sort_params = [
                ("urut", str(query["sort_index"])),
                ("arah", "turun" if query["descending"] else "naik"),
            ]
        kept = [*filter_params, *sort_params, ("per", str(query["size"]))]
        context.update(_preview_context(columns, query, result, filter_params, kept))
    return render(request, "opendata/public/resource.html", context, status=context["status"])


def _preview_context(
    columns: list[dict[str, Any]],
    query: dict[str, Any],
    result: Any,
    filter_params: list[tuple[str, str]],
    kept: list[tuple[str, str]],
) -> dict[str, Any]:
    headers = []
    for index, column in enumerate(columns):
        active = query["sort_index"] == index
        ascending_next = not (active and not query["descending"])
        params = [
            *filter_params,
            ("urut", str(index)),
            ("arah", "naik" if ascending_next else "turun"),
            ("per", str(query["size"])),
        ]
        headers.append(
            {
                "index": index,
                "column": column,
                "label": column.get("title") or column["name"],
                "type_label": type_label(column.get("type", "string")),
                "value": query["values"].get(index, ""),
                "sort_url": _url(params),
                "aria_sort": ("descending" if query["descending"] else "ascending")
                if active
                else "",
                "next_direction": pgettext("sort direction", "naik")
                if ascending_next
                else pgettext("sort direction", "turun"),
            }
        )
    names = [c["name"] for c in columns]
    rows = []
    total = 0
    if result is not None:
        total = result.total or 0
        rows = [{"id": r["_id"], "cells": [r.get(n) for n in names]} for r in result.records]
    pages = max(1, math.ceil(total / query["size"]))
    page = query["page"]
    base = [(k, v) for k, v in kept]
    return {
        "headers": headers,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "first_row": (page - 1) * query["size"] + 1 if rows else 0,
        "last_row": (page - 1) * query["size"] + len(rows),
        "previous_url": _url([*base, ("halaman", str(page - 1))]) if page > 1 else "",
        "next_url": _url([*base, ("halaman", str(page + 1))]) if page < pages else "",
        "query": query,
        "sizes": PREVIEW_SIZES,
        "filtered": bool(filter_params),
        "download_query": urlencode(
            [*filter_params, *[p for p in kept if p[0] in ("urut", "arah")]]
        ),
    }


@require_GET
def resource_data(request: HttpRequest, name: str, resource_id: Any, fmt: str) -> HttpResponseBase:
    """The resource's rows as CSV, JSON or XLSX, streamed; the preview's filters apply."""
    try:
        found, chosen = _resource(request, name, resource_id)
    except NotFound as exc:
        return _not_found(request, exc)
    if fmt not in EXPORT_FORMATS or not chosen.datastore_active:
        return _not_found(request, NotFound(_("Data tabel tidak tersedia dalam format ini.")))
    query = _preview_query(request, chosen)
    try:
        records = iter_records(
            chosen, filters=query["filters"], q=query["q"], sort=query["sort"] or None
        )
        first = next(records, None)
    except QueryInvalid as exc:
        message = "; ".join(m for ms in exc.details.values() for m in ms)
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")

    def all_records() -> Any:
        if first is not None:
            yield first
            yield from records

    _counted(found, "downloads")
    file_name = f"{found.name}-{chosen.pk}.{fmt}"
    columns = schema_fields(chosen)
    if fmt == "xlsx":
        return FileResponse(
            xlsx_file(columns, all_records(), sheet=found.name),
            as_attachment=True,
            filename=file_name,
            content_type=CONTENT_TYPES["xlsx"],
        )
    chunks = (
        csv_chunks([c["name"] for c in columns], all_records())
        if fmt == "csv"
        else json_chunks(all_records())
    )
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@require_GET
def version_file(
    request: HttpRequest, name: str, resource_id: Any, number: int, filename: str = ""
) -> HttpResponseBase:
    """One stored file version, as uploaded (old versions stay downloadable)."""
    try:
        found, chosen = _resource(request, name, resource_id)
        version = selectors.get_version_for_viewer(request.user, chosen, number)
    except NotFound as exc:
        return _not_found(request, exc)
    _counted(found, "downloads")
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name or f"{found.name}-v{number}",
        content_type=version.media_type or "application/octet-stream",
    )
