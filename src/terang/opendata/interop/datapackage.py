"""A dataset as a Frictionless Data Package (https://specs.frictionlessdata.io/data-package/):
the descriptor alone (`datapackage.json`, data by absolute URL) or a zip of the descriptor and
its data, which `frictionless validate` accepts.

A tabular resource whose rows are in the datastore is written as CSV from those rows, with the
resource's Table Schema, so the package carries the cleaned table rather than the uploaded
spreadsheet; other files go in as they are; external links stay remote paths. Rows are read in
chunks and files copied in blocks, so a large table never sits whole in memory."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from django.core.cache import cache
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from terang.core.errors import NotFound

from ..models import Dataset, Resource, ResourceVersion
from .dcat import (
    current_version,
    dataset_uri,
    file_download_url,
    landing_page_url,
    resource_media_type,
)

ROWS_PER_CHUNK = 2000
FILE_BLOCK = 1024 * 1024
DIGEST_CACHE_SECONDS = 24 * 60 * 60
DESCRIPTOR_NAME = "datapackage.json"
# Table Schema keys kept in the package; foreign keys name resources of the source system.
SCHEMA_KEYS = ("fields", "missingValues", "primaryKey")
# Field keys that describe how the uploaded file spelled its values, by field type. The CSV
# written here uses the canonical spelling of each type, so these are dropped.
SOURCE_SPELLING_KEYS = {
    "date": ("format",),
    "time": ("format",),
    "datetime": ("format",),
    "number": ("decimalChar", "groupChar", "bareNumber"),
    "integer": ("bareNumber", "groupChar"),
    "boolean": ("trueValues", "falseValues"),
}
NAME_PATTERN = re.compile(r"[^-a-z0-9._]+")
EXTENSION_PATTERN = re.compile(r"^[a-z0-9]{1,10}$")


@dataclass(frozen=True)
class PackageItem:
    """One resource of the package and how its data is carried."""

    resource: Resource
    name: str
    kind: str  # "table" (CSV from the datastore), "file" (the current version), "remote"
    version: ResourceVersion | None
    filename: str  # path inside the zip; empty for remote resources


def package_name(dataset: Dataset) -> str:
    """The spec wants lower-case letters, digits, '-', '_', '.'."""
    return NAME_PATTERN.sub("-", dataset.name.lower()).strip("-") or str(dataset.id)


def is_datastore_table(resource: Resource) -> bool:
    schema = resource.table_schema
    return bool(resource.datastore_active and isinstance(schema, dict) and schema.get("fields"))


def package_items(dataset: Dataset) -> list[PackageItem]:
    """The resources that carry data, named uniquely as the spec requires. A package needs at
    least one resource, so a dataset without data has no package."""
    items: list[PackageItem] = []
    used: set[str] = set()
    for index, resource in enumerate(dataset.resources.all(), start=1):
        name = NAME_PATTERN.sub("-", slugify(resource.name)).strip("-") or f"resource-{index}"
        unique, counter = name, 1
        while unique in used:
            counter += 1
            unique = f"{name}-{counter}"
        used.add(unique)
        version = current_version(resource)
        if is_datastore_table(resource):
            items.append(PackageItem(resource, unique, "table", version, f"data/{unique}.csv"))
        elif version is not None:
            extension = _extension(resource, version)
            filename = f"data/{unique}.{extension}" if extension else f"data/{unique}"
            items.append(PackageItem(resource, unique, "file", version, filename))
        elif resource.url:
            items.append(PackageItem(resource, unique, "remote", None, ""))
    if not items:
        raise NotFound(_("Dataset ini belum memiliki data untuk dipaketkan."))
    return items


def datapackage_descriptor(*, dataset: Dataset, base_url: str) -> dict[str, Any]:
    """The descriptor on its own, every data path an absolute URL on this site (or the
    external URL). Hash and size of a datastore CSV are computed once per table state."""
    resources = []
    for item in package_items(dataset):
        entry = _resource_entry(item)
        if item.kind == "table":
            entry["path"] = base_url + reverse(
                "opendata:datapackage_table_csv", args=[dataset.name, item.resource.id]
            )
            size, digest = datastore_csv_digest(item.resource)
            entry.update(bytes=size, hash=f"sha256:{digest}")
        elif item.kind == "file" and item.version is not None:
            entry["path"] = file_download_url(base_url, dataset, item.resource, item.version)
            entry.update(bytes=item.version.size, hash=f"sha256:{item.version.sha256}")
        else:
            entry["path"] = item.resource.url
        resources.append(entry)
    return _package(dataset, base_url, resources)


def write_datapackage_zip(*, dataset: Dataset, base_url: str, target: IO[bytes]) -> None:
    """Write the zip (datapackage.json at its root, data under data/) to `target`. Each data
    file is hashed while it is written, so the descriptor describes exactly the bytes in the
    archive."""
    resources = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in package_items(dataset):
            entry = _resource_entry(item)
            chunks: Iterable[bytes] | None = None
            if item.kind == "table":
                chunks = datastore_csv_chunks(item.resource)
            elif item.kind == "file" and item.version is not None:
                chunks = _file_blocks(item.version)
            if chunks is None:
                entry["path"] = item.resource.url
            else:
                size, digest = _write_member(archive, item.filename, chunks)
                entry.update(path=item.filename, bytes=size, hash=f"sha256:{digest}")
            resources.append(entry)
        descriptor = _package(dataset, base_url, resources)
        archive.writestr(DESCRIPTOR_NAME, json.dumps(descriptor, ensure_ascii=False, indent=2))


def datastore_csv_chunks(resource: Resource) -> Iterator[bytes]:
    """The resource's datastore rows as UTF-8 CSV (header first), in file order."""
    fields = resource.table_schema["fields"]
    names = [field["name"] for field in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    rows = (
        resource.rows.order_by("row_number")
        .values_list("data", flat=True)
        .iterator(chunk_size=ROWS_PER_CHUNK)
    )
    for count, data in enumerate(rows, start=1):
        values = data if isinstance(data, dict) else {}
        writer.writerow([_cell(values.get(field["name"]), field) for field in fields])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def datastore_csv_digest(resource: Resource) -> tuple[int, str]:
    """(size in bytes, sha256 hex) of datastore_csv_chunks, cached per table state: the key
    changes whenever the rows are reloaded (modified_at, row count) or the fields change."""
    fields = json.dumps(resource.table_schema.get("fields"), sort_keys=True)
    state = f"{resource.modified_at.isoformat()}|{resource.row_count}|{fields}"
    key = f"opendata:datapackage-csv:{resource.id}:" + hashlib.sha256(state.encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return int(cached[0]), str(cached[1])
    digest = hashlib.sha256()
    size = 0
    for chunk in datastore_csv_chunks(resource):
        digest.update(chunk)
        size += len(chunk)
    result = (size, digest.hexdigest())
    cache.set(key, result, DIGEST_CACHE_SECONDS)
    return result


def package_schema(table_schema: dict[str, Any]) -> dict[str, Any]:
    """The stored Table Schema, told in the canonical spelling the CSV uses."""
    schema = {key: table_schema[key] for key in SCHEMA_KEYS if key in table_schema}
    fields = []
    for field in table_schema["fields"]:
        dropped = SOURCE_SPELLING_KEYS.get(field.get("type", ""), ())
        cleaned = {key: value for key, value in field.items() if key not in dropped}
        fields.append(cleaned)
    schema["fields"] = fields
    missing = list(schema.get("missingValues", [""]))
    if "" not in missing:
        missing.insert(0, "")
    schema["missingValues"] = missing
    return schema


def _package(dataset: Dataset, base_url: str, resources: list[dict[str, Any]]) -> dict[str, Any]:
    licence = dataset.licence
    licence_entry = {"name": licence.id, "title": licence.title}
    if licence.url:
        licence_entry["path"] = licence.url
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package"
        if resources and all(entry.get("profile") == "tabular-data-resource" for entry in resources)
        else "data-package",
        "id": str(dataset_uri(base_url, dataset)),
        "name": package_name(dataset),
        "title": dataset.title,
    }
    if dataset.notes:
        descriptor["description"] = dataset.notes
    descriptor.update(
        homepage=landing_page_url(base_url, dataset),
        version=_timestamp(_latest_modification(dataset)),
        created=_timestamp(dataset.created_at),
        licenses=[licence_entry],
    )
    keywords = [tag.name for tag in dataset.tags.all()]
    if keywords:
        descriptor["keywords"] = keywords
    contributors: list[dict[str, str]] = [{"title": dataset.organization.name, "role": "publisher"}]
    if dataset.contact_name or dataset.contact_email:
        contact = {"title": dataset.contact_name or dataset.organization.name, "role": "maintainer"}
        if dataset.contact_email:
            contact["email"] = dataset.contact_email
        contributors.append(contact)
    descriptor["contributors"] = contributors
    if dataset.source:
        descriptor["sources"] = [{"title": dataset.source}]
    descriptor["resources"] = resources
    return descriptor


def _resource_entry(item: PackageItem) -> dict[str, Any]:
    resource = item.resource
    entry: dict[str, Any] = {"name": item.name, "title": resource.name}
    if resource.description:
        entry["description"] = resource.description
    if item.kind == "table":
        entry.update(
            profile="tabular-data-resource",
            format="csv",
            mediatype="text/csv",
            encoding="utf-8",
            schema=package_schema(resource.table_schema),
        )
        return entry
    # Frictionless reads the "type" key: a file that is not in the datastore is passed on as
    # it is, not parsed as a table.
    entry.update(profile="data-resource", type="file")
    basename = item.filename.rsplit("/", 1)[-1]
    file_format = resource.format.strip().lower() or (
        basename.rsplit(".", 1)[1] if "." in basename else ""
    )
    if file_format:
        entry["format"] = file_format
    media_type = resource_media_type(resource, item.version)
    if media_type:
        entry["mediatype"] = media_type
    return entry


def _write_member(
    archive: zipfile.ZipFile, filename: str, chunks: Iterable[bytes]
) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(filename, "w", force_zip64=True) as member:
        for chunk in chunks:
            member.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _file_blocks(version: ResourceVersion) -> Iterator[bytes]:
    with version.file.open("rb") as handle:
        while block := handle.read(FILE_BLOCK):
            yield block


def _extension(resource: Resource, version: ResourceVersion) -> str:
    name = version.original_name or version.file.name or ""
    extension = name.rsplit(".", 1)[1].lower() if "." in name else resource.format.lower()
    return extension if EXTENSION_PATTERN.match(extension) else ""


def _latest_modification(dataset: Dataset) -> datetime:
    moments = [dataset.modified_at, *(resource.modified_at for resource in dataset.resources.all())]
    return max(moments)


def _timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cell(value: Any, field: dict[str, Any]) -> str:
    """One value in the canonical CSV spelling of its Table Schema type."""
    if value is None:
        return ""
    field_type = field.get("type", "any")
    if isinstance(value, bool):
        return "true" if value else "false"
    if field_type == "integer" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
