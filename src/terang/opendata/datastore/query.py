"""Queries over a resource's stored rows, shared by the HTML preview, the downloads and the CKAN
`datastore_search` action, so they all filter, search and sort the same way.

* filters: field -> value (a list means any of them); values are cast to the field's type
  first, so "1200" finds the integer 1200. PostgreSQL answers with JSON containment
  (`data @> {...}`, GIN `jsonb_path_ops` index); SQLite compares the extracted value.
* q: words that must all appear in the text fields. PostgreSQL: full-text search over the row's
  string values ('simple' configuration, GIN index); SQLite: a case-insensitive substring per
  word. A dict {field: text} searches single fields (substring on both databases).
* sort: "f1 asc, f2 desc" (CKAN's syntax; `nulls first|last` accepted). Numbers sort as numbers,
  dates as ISO strings. Empty cells are not stored, so they sort last going up, first going down
  (PostgreSQL's default, kept on SQLite too). `_id` (the row's position in the file) breaks ties.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, JSONField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.lookups import IContains
from django.utils.translation import gettext as _

from ..errors import QueryInvalid
from ..models import DatastoreRow, Resource
from .parsing import cast_value

DEFAULT_LIMIT = 100
MAX_LIMIT = 32000
ROW_ID = "_id"
MAX_FILTER_VALUES = 100
MAX_Q_WORDS = 10
# Frictionless types as CKAN datastore types (what `datastore_search` reports in `fields`).
CKAN_TYPES = {
    "string": "text",
    "integer": "int",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "year": "int",
    "object": "json",
    "array": "json",
    "any": "text",
}
SORT_ITEM = re.compile(
    r"^(?P<name>.+?)(?:\s+(?P<direction>asc|desc))?(?:\s+nulls\s+(?P<nulls>first|last))?$",
    re.IGNORECASE,
)


@dataclass
class DatastoreResult:
    """One page of rows. `records` are dicts: `_id` then the chosen fields in schema order."""

    fields: list[dict[str, Any]]
    records: list[dict[str, Any]]
    total: int | None
    limit: int
    offset: int

    @property
    def columns(self) -> list[str]:
        return [f["id"] for f in self.fields]


def schema_fields(resource: Resource) -> list[dict[str, Any]]:
    return list((resource.table_schema or {}).get("fields", []))


def datastore_fields(resource: Resource, names: list[str] | None = None) -> list[dict[str, Any]]:
    """CKAN's `fields`: `_id` first, then each field with its CKAN type and, when set, its title
    and description as `info.label` / `info.notes` (as CKAN's data dictionary does)."""
    found = [{"id": ROW_ID, "type": "int"}]
    for item in schema_fields(resource):
        if names is not None and item["name"] not in names:
            continue
        entry: dict[str, Any] = {"id": item["name"], "type": CKAN_TYPES.get(item["type"], "text")}
        info = {
            k: item[s] for k, s in (("label", "title"), ("notes", "description")) if item.get(s)
        }
        if info:
            entry["info"] = info
        found.append(entry)
    return found


def query_datastore(
    resource: Resource,
    *,
    filters: dict[str, Any] | None = None,
    q: str | dict[str, Any] | None = None,
    fields: list[str] | str | None = None,
    sort: str | list[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    include_total: bool = True,
) -> DatastoreResult:
    """Rows of `resource` matching `filters` and `q`, sorted, one page of at most `limit`
    (0 for only the fields and the total). Raises QueryInvalid naming the bad parameter."""
    if not 0 <= limit <= MAX_LIMIT:
        raise QueryInvalid(
            details={"limit": [_("Harus antara 0 dan %(max)s.") % {"max": MAX_LIMIT}]}
        )
    if offset < 0:
        raise QueryInvalid(details={"offset": [_("Tidak boleh negatif.")]})
    chosen = _chosen_fields(resource, fields)
    queryset = filtered_rows(resource, filters=filters, q=q, sort=sort)
    if not include_total:
        total = None
    elif not filters and q in (None, "", {}) and resource.row_count is not None:
        # Every write of rows sets row_count; counting 1M rows cost ~90 ms a call (bench).
        total = resource.row_count
    else:
        total = queryset.count()
    rows = queryset[offset : offset + limit].values_list("row_number", "data") if limit else []
    records = [_record(number, data, chosen) for number, data in rows]
    return DatastoreResult(
        fields=datastore_fields(resource, chosen),
        records=records,
        total=total,
        limit=limit,
        offset=offset,
    )


def iter_records(
    resource: Resource,
    *,
    filters: dict[str, Any] | None = None,
    q: str | dict[str, Any] | None = None,
    sort: str | list[str] | None = None,
    chunk_size: int = 2000,
) -> Iterator[dict[str, Any]]:
    """Every matching row (for downloads), streamed from the database in chunks; no `_id`."""
    names = [f["name"] for f in schema_fields(resource)]
    queryset = filtered_rows(resource, filters=filters, q=q, sort=sort)
    for data in queryset.values_list("data", flat=True).iterator(chunk_size=chunk_size):
        yield {name: data.get(name) for name in names}


def filtered_rows(
    resource: Resource,
    *,
    filters: dict[str, Any] | None = None,
    q: str | dict[str, Any] | None = None,
    sort: str | list[str] | None = None,
) -> QuerySet[DatastoreRow]:
    by_name = {f["name"]: f for f in schema_fields(resource)}
    queryset = DatastoreRow.objects.filter(resource=resource)
    for condition in _filter_conditions(by_name, filters or {}):
        queryset = queryset.filter(condition)
    queryset = _search(queryset, by_name, q)
    return queryset.order_by(*_ordering(by_name, sort))


def _chosen_fields(resource: Resource, fields: list[str] | str | None) -> list[str]:
    names = [f["name"] for f in schema_fields(resource)]
    if fields in (None, "", []):
        return names
    wanted = [s.strip() for s in fields.split(",")] if isinstance(fields, str) else list(fields)
    unknown = [str(name) for name in wanted if name not in names and name != ROW_ID]
    if unknown:
        raise QueryInvalid(details={"fields": [_unknown_field(name) for name in unknown]})
    return [name for name in names if name in wanted]


def _record(number: int, data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {ROW_ID: number}
    for name in names:
        record[name] = data.get(name)
    return record


def _unknown_field(name: str) -> str:
    return _('Kolom "%(name)s" tidak ada pada sumber data ini.') % {"name": name}


def _filter_conditions(by_name: dict[str, dict[str, Any]], filters: dict[str, Any]) -> list[Q]:
    if not isinstance(filters, dict):
        raise QueryInvalid(details={"filters": [_("Harus berupa objek {kolom: nilai}.")]})
    conditions = []
    for name, raw in filters.items():
        values = raw if isinstance(raw, list) else [raw]
        if not values or len(values) > MAX_FILTER_VALUES:
            raise QueryInvalid(
                details={
                    "filters": [
                        _("Kolom %(name)s: 1 sampai %(max)s nilai.")
                        % {"name": name, "max": MAX_FILTER_VALUES}
                    ]
                }
            )
        if name == ROW_ID:
            try:
                numbers = [int(value) for value in values]
            except (TypeError, ValueError):
                raise QueryInvalid(details={"filters": [_("_id harus bilangan bulat.")]}) from None
            conditions.append(Q(row_number__in=numbers))
            continue
        field = by_name.get(name)
        if field is None:
            raise QueryInvalid(details={"filters": [_unknown_field(name)]})
        condition = Q(pk__in=[])
        for value in values:
            try:
                typed = cast_value(field, value)
            except ValueError:
                message = _('Nilai "%(value)s" tidak cocok dengan tipe kolom %(name)s (%(type)s).')
                raise QueryInvalid(
                    details={
                        "filters": [message % {"value": value, "name": name, "type": field["type"]}]
                    }
                ) from None
            condition |= _equals(name, typed)
        conditions.append(condition)
    return conditions


def _equals(name: str, value: Any) -> Q:
    if connection.vendor == "postgresql":
        return Q(data__contains={name: value})  # uses the GIN jsonb_path_ops index
    transform = KeyTransform(name, "data")
    exact = transform.get_lookup("exact")
    assert exact is not None  # noqa: S101 - JSON key transforms always have it
    return Q(exact(transform, Value(value, output_field=JSONField())))


def _search(
    queryset: QuerySet[DatastoreRow], by_name: dict[str, dict[str, Any]], q: Any
) -> QuerySet[DatastoreRow]:
    if q in (None, "", {}):
        return queryset
    if isinstance(q, str) and q.strip().startswith("{"):
        try:
            q = json.loads(q)
        except ValueError:
            pass
    if isinstance(q, dict):
        for name, text in q.items():
            if name not in by_name:
                raise QueryInvalid(details={"q": [_unknown_field(name)]})
            for word in str(text).split()[:MAX_Q_WORDS]:
                queryset = queryset.filter(IContains(KeyTextTransform(name, "data"), word))
        return queryset
    text = str(q).strip()[:300]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(DatastoreRow._meta.db_table)
        # Matches the expression of the od_row_fulltext GIN index (migration 0003). Only the
        # model's own table name is interpolated; the text is a parameter.
        sql = (
            f"to_tsvector('simple'::regconfig, {table}.\"data\") @@ "  # noqa: S608
            "websearch_to_tsquery('simple'::regconfig, %s)"
        )
        return queryset.filter(
            RawSQL(  # noqa: S611
                sql,
                [text],
                output_field=BooleanField(),
            )
        )
    text_fields = [name for name, f in by_name.items() if f.get("type") in ("string", "any")]
    if not text_fields:
        return queryset.none()
    for word in text.split()[:MAX_Q_WORDS]:
        any_field = Q(pk__in=[])
        for name in text_fields:
            any_field |= Q(IContains(KeyTextTransform(name, "data"), word))
        queryset = queryset.filter(any_field)
    return queryset


def parse_sort(sort: str | list[str] | None) -> list[tuple[str, bool, bool | None]]:
    """CKAN's sort string as (field, descending, nulls_first or None for the default)."""
    if not sort:
        return []
    items = sort if isinstance(sort, list) else str(sort).split(",")
    parsed = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        match = SORT_ITEM.match(item)
        if match is None:  # pragma: no cover - the pattern matches any non-empty text
            raise QueryInvalid(details={"sort": [item]})
        name = match["name"].strip()
        if len(name) >= 2 and name[0] == name[-1] == '"':
            name = name[1:-1]
        descending = (match["direction"] or "asc").lower() == "desc"
        nulls = match["nulls"].lower() == "first" if match["nulls"] else None
        parsed.append((name, descending, nulls))
    return parsed


def _ordering(by_name: dict[str, dict[str, Any]], sort: str | list[str] | None) -> list[Any]:
    ordering: list[Any] = []
    for name, descending, nulls_first in parse_sort(sort):
        if name == ROW_ID:
            ordering.append(F("row_number").desc() if descending else F("row_number").asc())
            continue
        if name not in by_name:
            raise QueryInvalid(details={"sort": [_unknown_field(name)]})
        first = descending if nulls_first is None else nulls_first
        expression = KeyTransform(name, "data")
        nulls = {"nulls_first": True} if first else {"nulls_last": True}
        ordering.append(expression.desc(**nulls) if descending else expression.asc(**nulls))
    ordering.append("row_number")
    return ordering
