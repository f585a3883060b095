"""The CKAN Action API v3 actions Terang serves (ckan/logic/action/get.py and create.py,
ckanext/datastore/logic/action.py). Each parses CKAN's parameters, calls one selector or
service and returns CKAN's result shape; `views.action` wraps it in the envelope.

Callers without a token see published datasets only. A token acts as its user: producers may
create datasets and resources for their own agency and read their own drafts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from terang.core.errors import NotFound, PermissionDenied, ValidationFailed
from terang.core.models import Agency, User
from terang.core.selectors import get_city

from ... import selectors, services
from ...choices import DatasetState, UpdateFrequency
from ...datastore import MAX_LIMIT, query_datastore
from ...models import Dataset, Licence, Resource, Tag
from ...permissions import can_edit, can_view_staff
from . import params
from .serializers import (
    group_dict,
    licence_dict,
    organization_dict,
    package_dict,
    package_dicts,
    resource_dict,
    tag_dict,
)

ROWS_MAX = 1000  # ckan.search.rows_max
LIST_MAX = 1000  # ckan.group_and_organization_list_max
LIST_ALL_FIELDS_MAX = 25  # ckan.group_and_organization_list_all_fields_max
API_VERSION = "2.10.4"  # the CKAN release whose Action API this emulates


@dataclass
class Context:
    request: HttpRequest
    user: User | None
    base_url: str
    files: dict[str, Any] = field(default_factory=dict)


Handler = Callable[[Context, dict[str, Any]], Any]


@dataclass(frozen=True)
class Action:
    handler: Handler
    side_effect_free: bool


ACTIONS: dict[str, Action] = {}


def action(*, side_effect_free: bool = True) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ACTIONS[handler.__name__] = Action(handler, side_effect_free)
        return handler

    return register


def _require(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value in (None, ""):
        raise ValidationFailed(_("Nilai wajib diisi."), details={key: ["Missing value"]})
    return str(value).strip()


# Site


@action()
def site_read(ctx: Context, data: dict[str, Any]) -> bool:
    """Whether the site can be read: always true (removed in CKAN 2.11, kept for old clients)."""
    return True


@action()
def status_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """The site's title, address, default language and the CKAN API level it serves."""
    city = get_city()
    return {
        "site_title": f"Satu Data {city.name}" if city else "Satu Data",
        "site_description": _("Katalog data terbuka pemerintah daerah (Satu Data Indonesia)."),
        "site_url": ctx.base_url,
        "ckan_version": API_VERSION,
        "error_emails_to": None,
        "locale_default": "id",
        "extensions": ["datastore", "satudata"],
    }


@action()
def help_show(ctx: Context, data: dict[str, Any]) -> str:
    """The documentation of an action (`name`)."""
    name = _require(data, "name")
    found = ACTIONS.get(name)
    if found is None:
        raise NotFound(_("Aksi tidak ditemukan."))
    return (found.handler.__doc__ or "").strip()


@action()
def license_list(ctx: Context, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The licences datasets may carry."""
    return [licence_dict(licence) for licence in selectors.licences()]


# Datasets


@action()
def package_list(ctx: Context, data: dict[str, Any]) -> list[str]:
    """Names of the published datasets, by name (`limit`, `offset`)."""
    limit = params.to_int(data, "limit", ROWS_MAX * 1000, minimum=0)
    offset = params.to_int(data, "offset", 0)
    names = selectors.published_datasets().order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit])


@action()
def package_search(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Search published datasets: `q` (text; `field:value` terms filter), `fq` (filters:
    organization, groups, tags, res_format, license_id, name, id; ANDed), `sort` (score,
    metadata_modified, metadata_created, title_string, name, views_total; asc/desc),
    `rows` (default 10, at most 1000), `start`, `facet`, `facet.field` (a JSON list),
    `facet.limit` (default 50, -1 for all)."""
    text, filters = params.split_q(data.get("q"))
    for key, values in params.parse_fq(data.get("fq")).items():
        filters.setdefault(key, []).extend(values)
    for fq in params.to_list("fq_list", data.get("fq_list")):
        for key, values in params.parse_fq(str(fq)).items():
            filters.setdefault(key, []).extend(values)
    rows = params.to_int(data, "rows", 10, maximum=ROWS_MAX, clamp=True)
    start = params.to_int(data, "start", 0)
    sort = str(data.get("sort") or selectors.DEFAULT_SORT)
    facet_fields: list[str] = []
    if params.to_bool(data.get("facet"), True):
        raw = data.get("facet.field", data.get("facet_field"))
        facet_fields = [str(name) for name in params.to_list("facet.field", raw)]
    facet_limit = int(params.to_int(data, "facet.limit", 50, minimum=-1))
    result = selectors.search_datasets(
        q=text,
        filters=filters,
        sort=sort,
        start=start,
        rows=rows,
        facet_fields=facet_fields,
        facet_limit=facet_limit,
    )
    return {
        "count": result.count,
        "sort": sort,
        "results": package_dicts(result.datasets, base_url=ctx.base_url),
        "facets": {
            name: {item.name: item.count for item in items} for name, items in result.facets.items()
        },
        "search_facets": {
            name: {
                "title": name,
                "items": [
                    {"name": item.name, "display_name": item.display_name, "count": item.count}
                    for item in items
                ],
            }
            for name, items in result.facets.items()
        },
    }


def _dataset_for(ctx: Context, name_or_id: str, *, for_edit: bool = False) -> Dataset:
    """A published dataset, or one the token's user may see (or edit)."""
    if not for_edit:
        try:
            return selectors.get_public_dataset(name_or_id)
        except NotFound:
            if ctx.user is None:
                raise
    condition = Q(name=name_or_id)
    if (pk := selectors.as_uuid(name_or_id)) is not None:
        condition |= Q(pk=pk)
    dataset = Dataset.objects.select_related("organization", "licence").filter(condition).first()
    if dataset is None or ctx.user is None or not can_view_staff(ctx.user, dataset):
        raise NotFound(_("Dataset tidak ditemukan."))
    if for_edit and not can_edit(ctx.user, dataset):
        raise PermissionDenied(_("Anda tidak berwenang mengubah dataset ini."))
    return dataset


def _full_package(ctx: Context, dataset: Dataset) -> dict[str, Any]:
    if dataset.state == DatasetState.PUBLISHED and not (
        ctx.user is not None and can_view_staff(ctx.user, dataset)
    ):
        return package_dict(dataset, base_url=ctx.base_url)
    resources = list(dataset.resources.order_by("position", "created_at"))
    return package_dict(
        dataset,
        base_url=ctx.base_url,
        resources=resources,
        versions=selectors.current_versions(resources),
    )


@action()
def package_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """One dataset by `id` or name, with its resources. Counts as an API use."""
    dataset = _dataset_for(ctx, _require(data, "id"))
    if dataset.state == DatasetState.PUBLISHED:
        services.record_usage(dataset_id=dataset.pk, kind="api_calls")
    return _full_package(ctx, dataset)


@action()
def resource_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """One resource by `id`."""
    resource = _resource_for(ctx, _require(data, "id"))
    current = selectors.current_versions([resource]).get(resource.pk)
    return resource_dict(resource, dataset=resource.dataset, base_url=ctx.base_url, current=current)


def _resource_for(ctx: Context, resource_id: str) -> Resource:
    try:
        return selectors.get_public_resource(resource_id)
    except NotFound:
        if ctx.user is None:
            raise
    pk = selectors.as_uuid(resource_id)
    resource = (
        Resource.objects.select_related("dataset", "dataset__organization").filter(pk=pk).first()
        if pk
        else None
    )
    if resource is None or not can_view_staff(ctx.user, resource.dataset):
        raise NotFound(_("Sumber data tidak ditemukan."))
    return resource


# Organizations, groups, tags


def _list_options(data: dict[str, Any]) -> tuple[bool, int, int, str]:
    all_fields = params.to_bool(data.get("all_fields"), False)
    cap = LIST_ALL_FIELDS_MAX if all_fields else LIST_MAX
    limit = params.to_int(data, "limit", cap, maximum=cap, clamp=True)
    offset = params.to_int(data, "offset", 0)
    sort = str(data.get("sort") or "name asc").strip().lower()
    return all_fields, limit, offset, sort


def _sorted(queryset: Any, sort: str, title_field: str) -> Any:
    key, _sep, direction = sort.partition(" ")
    column = {"name": "name_key", "title": title_field, "package_count": "package_count"}.get(key)
    if column is None:
        raise params.invalid("sort", _("Urutan tidak dikenal."))
    return queryset.order_by(f"-{column}" if direction.strip() == "desc" else column)


@action()
def organization_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """The agencies (CKAN organizations): names, or dicts with `all_fields` (at most 25 per
    call then, as CKAN). `sort`: name, title or package_count, asc/desc."""
    from django.db.models.functions import Lower

    all_fields, limit, offset, sort = _list_options(data)
    queryset = selectors.organizations_with_counts().annotate(name_key=Lower("code"))
    wanted = params.to_list("organizations", data.get("organizations"))
    if wanted:
        queryset = queryset.filter(code__in=[str(w).upper() for w in wanted])
    agencies = list(_sorted(queryset, sort, "name")[offset : offset + limit])
    if not all_fields:
        return [selectors.organization_name(a) for a in agencies]
    counts = params.to_bool(data.get("include_dataset_count"), True)
    return [
        organization_dict(a, package_count=a.package_count if counts else None) for a in agencies
    ]


def _agency(identifier: str) -> Agency:
    condition = Q(code__iexact=identifier)
    if identifier.isdigit():
        condition |= Q(pk=int(identifier))
    agency = selectors.organizations_with_counts().filter(condition).first()
    if agency is None:
        raise NotFound(_("Organisasi tidak ditemukan."))
    return agency


@action()
def organization_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """One agency by `id` or name; `include_datasets` adds up to 1000 of its published
    datasets."""
    agency = _agency(_require(data, "id"))
    found = organization_dict(agency, package_count=getattr(agency, "package_count", 0))
    if params.to_bool(data.get("include_datasets"), False):
        result = selectors.search_datasets(
            filters={"organization": [agency.code]}, sort="name asc", rows=ROWS_MAX
        )
        found["packages"] = package_dicts(result.datasets, base_url=ctx.base_url)
    return found


@action()
def group_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """The topic groups: names, or dicts with `all_fields`."""
    from django.db.models.functions import Lower

    all_fields, limit, offset, sort = _list_options(data)
    queryset = selectors.groups_with_counts().annotate(name_key=Lower("name"))
    wanted = params.to_list("groups", data.get("groups"))
    if wanted:
        queryset = queryset.filter(name__in=[str(w) for w in wanted])
    groups = list(_sorted(queryset, sort, "title")[offset : offset + limit])
    if not all_fields:
        return [g.name for g in groups]
    return [group_dict(g, package_count=g.package_count) for g in groups]


@action()
def group_show(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """One topic group by `id` or name; `include_datasets` adds its published datasets."""
    identifier = _require(data, "id")
    condition = Q(name=identifier)
    if (pk := selectors.as_uuid(identifier)) is not None:
        condition |= Q(pk=pk)
    group = selectors.groups_with_counts().filter(condition).first()
    if group is None:
        raise NotFound(_("Kelompok tidak ditemukan."))
    found = group_dict(group, package_count=getattr(group, "package_count", 0))
    if params.to_bool(data.get("include_datasets"), False):
        result = selectors.search_datasets(
            filters={"groups": [group.name]}, sort="name asc", rows=ROWS_MAX
        )
        found["packages"] = package_dicts(result.datasets, base_url=ctx.base_url)
    return found


@action()
def tag_list(ctx: Context, data: dict[str, Any]) -> list[Any]:
    """Tags of published datasets (`query` narrows by substring; `all_fields` for dicts)."""
    tags = Tag.objects.filter(datasets__state=DatasetState.PUBLISHED).distinct().order_by("name")
    query = str(data.get("query") or data.get("q") or "").strip()
    if query:
        tags = tags.filter(name__icontains=query)
    if params.to_bool(data.get("all_fields"), False):
        return [tag_dict(tag) for tag in tags]
    return [tag.name for tag in tags]


# Datastore


@action()
def datastore_search(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Rows of a resource's table: `resource_id`, `filters` ({field: value or [values]}),
    `q` (text, or {field: text}), `fields`, `sort` ("f1 asc, f2 desc"), `limit` (default 100,
    at most 32000), `offset`, `include_total`, `records_format` (objects, lists, csv).
    Counts as an API use."""
    resource = _resource_for(ctx, _require(data, "resource_id"))
    if not resource.datastore_active:
        raise NotFound(_("Sumber data ini tidak memiliki tabel di datastore."))
    filters = params.to_dict("filters", data.get("filters"))
    q = data.get("q")
    fields_param = data.get("fields")
    fields = params.to_list("fields", fields_param) if fields_param not in (None, "") else None
    limit = params.to_int(data, "limit", 100, maximum=MAX_LIMIT)
    offset = params.to_int(data, "offset", 0)
    records_format = str(data.get("records_format") or "objects")
    if records_format not in ("objects", "lists", "csv", "tsv"):
        raise params.invalid("records_format", _("Format rekaman tidak dikenal."))
    result = query_datastore(
        resource,
        filters=filters,
        q=q,
        fields=fields,
        sort=data.get("sort"),
        limit=limit,
        offset=offset,
        include_total=params.to_bool(data.get("include_total"), True),
    )
    if resource.dataset.state == DatasetState.PUBLISHED:
        services.record_usage(dataset_id=resource.dataset_id, kind="api_calls")
    result_fields, records = result.fields, result.records
    if fields is not None and "_id" not in fields:
        result_fields = result_fields[1:]
        records = [{k: v for k, v in r.items() if k != "_id"} for r in records]
    found: dict[str, Any] = {
        "resource_id": str(resource.pk),
        "fields": result_fields,
        "records_format": records_format,
        "records": _format_records(records, result_fields, records_format),
        "limit": limit,
        "offset": offset,
        "include_total": result.total is not None,
        "_links": _links(ctx, data, limit, offset),
    }
    if result.total is not None:
        found["total"] = result.total
        found["total_was_estimated"] = False
    for key in ("filters", "q", "sort"):
        if data.get(key) not in (None, "", {}):
            found[key] = filters if key == "filters" else data[key]
    return found


def _format_records(
    records: list[dict[str, Any]], fields: list[dict[str, Any]], records_format: str
) -> Any:
    names = [f["id"] for f in fields]
    if records_format == "objects":
        return records
    rows = [[record.get(name) for name in names] for record in records]
    if records_format == "lists":
        return rows
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if records_format == "tsv" else ",")
    for row in rows:
        writer.writerow(
            ["" if v is None else json.dumps(v) if isinstance(v, dict | list) else v for v in row]
        )
    return buffer.getvalue()


def _links(ctx: Context, data: dict[str, Any], limit: int, offset: int) -> dict[str, str]:
    path = ctx.request.path
    kept = {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in data.items()
        if key not in ("offset",) and value not in (None, "") and not hasattr(value, "read")
    }
    start = f"{path}?{urlencode(kept)}"
    following = f"{path}?{urlencode({'offset': offset + limit, **kept})}"
    return {"start": start, "next": following}


# Writes (an API token is required)


def _actor(ctx: Context) -> User:
    if ctx.user is None:
        raise PermissionDenied(_("Diperlukan token API."))
    return ctx.user


def _date(data: dict[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise params.invalid(key, _("Tanggal harus YYYY-MM-DD.")) from None


def _names(values: Any, key: str) -> list[str]:
    names = []
    for item in params.to_list(key, values):
        if isinstance(item, dict):
            item = item.get("name") or item.get("id") or ""
        if str(item).strip():
            names.append(str(item).strip())
    return names


@action(side_effect_free=False)
def package_create(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Create a draft dataset (`name`, `title`, `notes`, `owner_org`, `license_id`, `tags`,
    `groups`, `maintainer`, `maintainer_email`, `url` as the source, extras `frequency`,
    `temporal_start`, `temporal_end`, `spatial_coverage`, `source`; `resources` with a `url`).
    It stays a draft until its agency submits it and the walidata publishes it."""
    actor = _actor(ctx)
    name = _require(data, "name")
    extras = {
        str(item.get("key")): item.get("value")
        for item in params.to_list("extras", data.get("extras"))
        if isinstance(item, dict)
    }
    merged = {**extras, **data}
    organization = None
    if merged.get("owner_org"):
        organization = _agency(str(merged["owner_org"]))
    frequency = str(merged.get("frequency") or merged.get("update_frequency") or "annual")
    if frequency not in UpdateFrequency.values:
        raise params.invalid("frequency", _("Frekuensi tidak dikenal."))
    licence_id = str(merged.get("license_id") or "")
    if not licence_id:
        first = Licence.objects.order_by("pk").first()
        licence_id = first.pk if first else ""
    source = str(merged.get("source") or merged.get("url") or "")
    with transaction.atomic():
        dataset = services.create_dataset(
            actor=actor,
            organization=organization,
            name=name,
            title=str(merged.get("title") or name),
            notes=str(merged.get("notes") or ""),
            licence=licence_id,
            groups=_names(merged.get("groups"), "groups"),
            tags=_names(merged.get("tags"), "tags"),
            update_frequency=frequency,
            temporal_start=_date(merged, "temporal_start"),
            temporal_end=_date(merged, "temporal_end"),
            spatial_coverage=str(merged.get("spatial_coverage") or ""),
            contact_name=str(merged.get("maintainer") or ""),
            contact_email=str(merged.get("maintainer_email") or ""),
            source=source,
        )
        for item in params.to_list("resources", data.get("resources")):
            if not isinstance(item, dict):
                raise params.invalid("resources", _("Setiap sumber data harus berupa objek."))
            services.add_resource(
                actor=actor,
                dataset=dataset,
                name=str(item.get("name") or item.get("url") or ""),
                description=str(item.get("description") or ""),
                url=str(item.get("url") or ""),
                file_format=str(item.get("format") or ""),
            )
    return _full_package(ctx, _dataset_for(ctx, dataset.name))


@action(side_effect_free=False)
def resource_create(ctx: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Add a resource to a dataset of the token's agency (`package_id`, `name`, `description`,
    `format`, and either `url` or a multipart `upload`). A tabular upload (CSV, XLSX, JSON) is
    validated whole: any error refuses it (409, with the line-numbered report) and nothing is
    stored. On a published dataset the new resource waits for the walidata."""
    actor = _actor(ctx)
    dataset = _dataset_for(ctx, _require(data, "package_id"), for_edit=True)
    upload_file = ctx.files.get("upload")
    upload = services.upload_from_file(upload_file) if upload_file is not None else None
    url = "" if upload is not None else str(data.get("url") or "")
    name = str(data.get("name") or (upload.name if upload else url) or "")
    with transaction.atomic():
        resource = services.add_resource(
            actor=actor,
            dataset=dataset,
            name=name,
            description=str(data.get("description") or ""),
            upload=upload,
            url=url,
            file_format=str(data.get("format") or ""),
            keep_refused=False,
        )
    resource.refresh_from_db()
    current = selectors.current_versions([resource]).get(resource.pk)
    return resource_dict(resource, dataset=dataset, base_url=ctx.base_url, current=current)
