"""Thin adapters for Frictionless Data Packages: a published dataset's descriptor, its zip and
the CSV a table resource points to. Public like the DCAT endpoints (`dcat_views.open_endpoint`);
the descriptor counts as an API call, the zip and table CSV as downloads."""

from __future__ import annotations

import tempfile
import uuid

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)

from terang.core.errors import NotFound

from ..services import record_usage
from . import dcat
from .datapackage import (
    datapackage_descriptor,
    datastore_csv_chunks,
    is_datastore_table,
    package_name,
    write_datapackage_zip,
)
from .dcat_views import base_url, open_endpoint

ZIP_SPOOL_BYTES = 8 * 1024 * 1024


@open_endpoint
def datapackage_json(request: HttpRequest, name: str) -> HttpResponse:
    dataset = dcat.get_published_dataset(name=name)
    descriptor = datapackage_descriptor(dataset=dataset, base_url=base_url(request))
    record_usage(dataset_id=dataset.pk, kind="api_calls")
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})


@open_endpoint
def datapackage_zip(request: HttpRequest, name: str) -> HttpResponseBase:
    dataset = dcat.get_published_dataset(name=name)
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
    dataset = dcat.get_published_dataset(name=name)
    resource = next((r for r in dataset.resources.all() if r.id == resource_id), None)
    if resource is None or not is_datastore_table(resource):
        raise NotFound()
    record_usage(dataset_id=dataset.pk, kind="downloads")
    response = StreamingHttpResponse(
        datastore_csv_chunks(resource), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{resource_id}.csv"'
    return response
