"""Resources and their file versions, and the datastore rows parsed from them.

A file is never overwritten: each upload is a new `ResourceVersion`. While the dataset is not
published a valid upload becomes current at once (its rows replace the old ones); on a
published dataset it waits as PENDING until the walidata verifies it, and the public keeps the
old version meanwhile. An invalid tabular file is REFUSED with its line-numbered report and
changes nothing else (or, for API callers, raises `FileRefused` and leaves no trace).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max, Q
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from terang.core.errors import Conflict, ValidationFailed
from terang.core.imports import read_upload
from terang.core.models import User

from ..choices import DatasetState, VersionStatus
from ..datastore import FIELD_TYPES, ParsedTable, detect_format, is_tabular, parse_table
from ..datastore.parsing import JSON_ONLY_TYPES, max_upload_bytes, normalise_schema
from ..errors import FileRefused, FileTooLarge, SchemaRefused
from ..models import Dataset, DatastoreRow, Resource, ResourceVersion
from ..permissions import can_edit, is_walidata
from ..workflow import ensure_editable
from ._common import audit, deny, lock_dataset, now

ROW_BATCH = 2000
MAX_NAME = 250


@dataclass(frozen=True)
class Upload:
    """A file as received (from a form, the CKAN API or the demo)."""

    name: str
    content: bytes
    media_type: str = ""


def upload_from_file(file: Any) -> Upload:
    """Read an uploaded file (Django's UploadedFile), refusing it before reading when too big."""
    limit = max_upload_bytes()

    def too_large() -> FileTooLarge:
        return FileTooLarge(
            _("Ukuran berkas melebihi batas %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
            details={"upload": [str(_("Berkas terlalu besar."))], "limit": limit},
        )

    content = read_upload(file, max_bytes=limit, too_large=too_large)
    return Upload(
        name=os.path.basename(getattr(file, "name", "") or "berkas"),
        content=content,
        media_type=getattr(file, "content_type", "") or "",
    )


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= MAX_NAME:
        message = _("Nama sumber data 1-250 karakter.")
        raise ValidationFailed(message, details={"name": [message]})
    return name


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        message = _("Tautan harus alamat http(s) yang lengkap.")
        raise ValidationFailed(message, details={"url": [message]}) from None
    if len(url) > 1000:
        message = _("Tautan paling panjang 1000 karakter.")
        raise ValidationFailed(message, details={"url": [message]})
    return url


def _check_producer(actor: User, dataset: Dataset) -> None:
    if not can_edit(actor, dataset):
        raise deny(_("Hanya produsen data dari OPD pemilik dataset yang dapat mengubahnya."))
    ensure_editable(dataset)


@transaction.atomic
def add_resource(
    *,
    actor: User,
    dataset: Dataset,
    name: str,
    description: str = "",
    upload: Upload | None = None,
    url: str = "",
    file_format: str = "",
    keep_refused: bool = True,
) -> Resource:
    """A new resource: an uploaded file (its first version) or an external link."""
    dataset = lock_dataset(dataset)
    _check_producer(actor, dataset)
    name = _clean_name(name)
    if bool(upload) == bool((url or "").strip()):
        message = _("Pilih salah satu: unggah berkas atau isi tautan.")
        raise ValidationFailed(message, details={"upload": [message], "url": [message]})
    if upload is None:
        url = _clean_url(url)
    moment = now()
    position = (dataset.resources.aggregate(top=Max("position"))["top"] or 0) + 1
    declared = detect_format(upload.name if upload else url.split("?")[0], file_format)
    resource = Resource.objects.create(
        dataset=dataset,
        name=name,
        description=(description or "").strip(),
        url=url if upload is None else "",
        format=declared.upper()[:20],
        position=position,
        created_at=moment,
        modified_at=moment,
    )
    audit(
        actor=actor,
        action="resource_added",
        dataset=dataset,
        payload={
            "resource": str(resource.pk),
            "name": name,
            "url": resource.url,
            "format": resource.format,
        },
    )
    if upload is not None:
        store_version(
            actor=actor,
            dataset=dataset,
            resource=resource,
            upload=upload,
            keep_refused=keep_refused,
        )
    return resource


@transaction.atomic
def upload_version(
    *, actor: User, resource: Resource, upload: Upload, keep_refused: bool = True
) -> ResourceVersion:
    """A new file for an existing file resource; the old versions stay downloadable."""
    dataset = lock_dataset(resource.dataset)
    _check_producer(actor, dataset)
    resource = Resource.objects.get(pk=resource.pk)
    if resource.url:
        message = _("Sumber data ini berupa tautan, bukan berkas.")
        raise ValidationFailed(message, details={"upload": [message]})
    return store_version(
        actor=actor, dataset=dataset, resource=resource, upload=upload, keep_refused=keep_refused
    )


def store_version(
    *,
    actor: User | None,
    dataset: Dataset,
    resource: Resource,
    upload: Upload,
    keep_refused: bool = True,
) -> ResourceVersion:
    """Save the file as the next version, validated when tabular. Call with the dataset locked."""
    read_upload(
        upload.content,
        max_bytes=max_upload_bytes(),
        too_large=lambda: FileTooLarge(details={"upload": [str(_("Berkas terlalu besar."))]}),
    )
    file_format = detect_format(upload.name) or resource.format.lower()
    parsed: ParsedTable | None = None
    if is_tabular(file_format):
        parsed = parse_table(
            upload.content, file_format=file_format, schema=resource.table_schema or None
        )
        report = parsed.report()
    else:
        report = {"valid": True, "format": file_format, "tabular": False}
    if parsed is not None and not parsed.ok:
        if not keep_refused:
            raise FileRefused(details={"report": report})
        status = VersionStatus.REFUSED
    elif dataset.state == DatasetState.PUBLISHED:
        status = VersionStatus.PENDING
    else:
        status = VersionStatus.CURRENT
    moment = now()
    number = (resource.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = ResourceVersion(
        resource=resource,
        number=number,
        original_name=upload.name[:255],
        media_type=(upload.media_type or mimetypes.guess_type(upload.name)[0] or "")[:100],
        size=len(upload.content),
        sha256=hashlib.sha256(upload.content).hexdigest(),
        status=VersionStatus.PENDING if status == VersionStatus.CURRENT else status,
        report=report,
        uploaded_by=actor,
        created_at=moment,
    )
    version.file.save(
        get_valid_filename(upload.name) or "berkas", ContentFile(upload.content), save=False
    )
    version.save()
    if status == VersionStatus.CURRENT:
        make_current(resource, version, parsed)
    if status != VersionStatus.REFUSED:
        resource.format = file_format.upper()[:20]
    resource.returned_at = None
    resource.modified_at = moment
    resource.save(update_fields=["format", "returned_at", "modified_at"])
    audit(
        actor=actor,
        action="version_refused" if status == VersionStatus.REFUSED else "version_uploaded",
        dataset=dataset,
        payload={
            "resource": str(resource.pk),
            "number": number,
            "status": status,
            "sha256": version.sha256,
            "size": version.size,
            "rows": report.get("row_count"),
            "errors": report.get("error_count", 0),
        },
    )
    return version


def make_current(
    resource: Resource, version: ResourceVersion, parsed: ParsedTable | None = None
) -> None:
    """Make `version` the resource's current file: older current and pending versions are
    superseded and the datastore rows are replaced (in the caller's transaction)."""
    if parsed is None and is_tabular(version.report.get("format", "")):
        parsed = _reparse(resource, version)
    ResourceVersion.objects.filter(
        Q(status=VersionStatus.CURRENT)
        | Q(status=VersionStatus.PENDING, number__lt=version.number),
        resource=resource,
    ).exclude(pk=version.pk).update(status=VersionStatus.SUPERSEDED)
    version.status = VersionStatus.CURRENT
    version.save(update_fields=["status"])
    if parsed is not None:
        replace_rows(resource, parsed.rows)
        resource.table_schema = parsed.schema
        resource.datastore_active = True
        resource.row_count = len(parsed.rows)
    else:
        DatastoreRow.objects.filter(resource=resource).delete()
        resource.table_schema = {}
        resource.datastore_active = False
        resource.row_count = None
    resource.save(update_fields=["table_schema", "datastore_active", "row_count"])


def _reparse(resource: Resource, version: ResourceVersion) -> ParsedTable:
    with version.file.open("rb") as handle:
        content = handle.read()
    schema = resource.table_schema or version.report.get("schema") or None
    parsed = parse_table(content, file_format=version.report["format"], schema=schema)
    if not parsed.ok:
        raise FileRefused(details={"report": parsed.report()})
    return parsed


def replace_rows(resource: Resource, rows: list[dict[str, Any]]) -> None:
    """Swap the resource's datastore rows for `rows` (row_number = position, CKAN's _id)."""
    DatastoreRow.objects.filter(resource=resource).delete()
    DatastoreRow.objects.bulk_create(
        (DatastoreRow(resource=resource, row_number=i, data=row) for i, row in enumerate(rows, 1)),
        batch_size=ROW_BATCH,
    )


def activate_pending(dataset: Dataset) -> list[dict[str, Any]]:
    """Make each resource's newest pending version current (older pending ones are
    superseded). Returns what was activated, for the audit entry."""
    activated = []
    pending = (
        ResourceVersion.objects.filter(resource__dataset=dataset, status=VersionStatus.PENDING)
        .select_related("resource")
        .order_by("resource_id", "-number")
    )
    seen: set[Any] = set()
    for version in pending:
        if version.resource_id in seen:
            continue
        seen.add(version.resource_id)
        make_current(version.resource, version)
        activated.append({"resource": str(version.resource_id), "number": version.number})
    return activated


def publish_ready_resources(dataset: Dataset, *, moment: Any) -> list[str]:
    """Publish the dataset's unpublished resources that have something to show."""
    ready = dataset.resources.filter(published_at__isnull=True).filter(
        ~Q(url="") | Q(versions__status=VersionStatus.CURRENT)
    )
    ids = [str(pk) for pk in ready.values_list("pk", flat=True).distinct()]
    Resource.objects.filter(pk__in=ids).update(published_at=moment, returned_at=None)
    return ids


def pending_changes(dataset: Dataset) -> dict[str, list[Any]]:
    """What on a published dataset waits for the walidata: new file versions and new links."""
    versions = list(
        ResourceVersion.objects.filter(resource__dataset=dataset, status=VersionStatus.PENDING)
        .select_related("resource")
        .order_by("resource__position", "number")
    )
    links = list(
        dataset.resources.filter(published_at__isnull=True, returned_at__isnull=True)
        .exclude(url="")
        .order_by("position")
    )
    return {"versions": versions, "links": links}


@transaction.atomic
def verify_pending_changes(*, actor: User, dataset: Dataset) -> Dataset:
    """The walidata accepts the new files and links of a published dataset."""
    dataset = lock_dataset(dataset)
    if not is_walidata(actor):
        raise deny(_("Hanya walidata yang dapat memverifikasi perubahan."))
    if dataset.state != DatasetState.PUBLISHED:
        raise Conflict(_("Hanya perubahan pada dataset terbit yang diverifikasi di sini."))
    waiting = pending_changes(dataset)
    if not waiting["versions"] and not waiting["links"]:
        raise Conflict(_("Tidak ada perubahan yang menunggu verifikasi."))
    moment = now()
    activated = activate_pending(dataset)
    published = publish_ready_resources(dataset, moment=moment)
    dataset.modified_at = moment
    dataset.verified_by = actor
    dataset.save(update_fields=["modified_at", "verified_by"])
    audit(
        actor=actor,
        action="changes_verified",
        dataset=dataset,
        payload={"versions": activated, "resources": published},
    )
    return dataset


@transaction.atomic
def return_pending_changes(*, actor: User, dataset: Dataset, note: str) -> Dataset:
    """The walidata refuses the waiting files and links, saying why; what is public stays."""
    dataset = lock_dataset(dataset)
    if not is_walidata(actor):
        raise deny(_("Hanya walidata yang dapat mengembalikan perubahan."))
    note = (note or "").strip()[:2000]
    if not note:
        message = _("Tuliskan alasannya.")
        raise ValidationFailed(message, details={"note": [message]})
    waiting = pending_changes(dataset)
    if not waiting["versions"] and not waiting["links"]:
        raise Conflict(_("Tidak ada perubahan yang menunggu verifikasi."))
    moment = now()
    for version in waiting["versions"]:
        version.status = VersionStatus.REFUSED
        version.report = {**version.report, "review_note": note}
        version.save(update_fields=["status", "report"])
    Resource.objects.filter(pk__in=[r.pk for r in waiting["links"]]).update(returned_at=moment)
    dataset.review_note = note
    dataset.modified_at = moment
    dataset.save(update_fields=["review_note", "modified_at"])
    audit(
        actor=actor,
        action="changes_returned",
        dataset=dataset,
        payload={
            "note": note,
            "versions": [
                {"resource": str(v.resource_id), "number": v.number} for v in waiting["versions"]
            ],
            "resources": [str(r.pk) for r in waiting["links"]],
        },
    )
    return dataset


@transaction.atomic
def update_resource(
    *,
    actor: User,
    resource: Resource,
    name: str | None = None,
    description: str | None = None,
    url: str | None = None,
) -> Resource:
    """Rename or describe a resource; its link may change only before it is published."""
    dataset = lock_dataset(resource.dataset)
    _check_producer(actor, dataset)
    resource = Resource.objects.get(pk=resource.pk)
    changed = []
    if name is not None and _clean_name(name) != resource.name:
        resource.name = _clean_name(name)
        changed.append("name")
    if description is not None and description.strip() != resource.description:
        resource.description = description.strip()
        changed.append("description")
    if url is not None and url.strip() != resource.url:
        if not resource.url or resource.published_at is not None:
            message = _("Tautan hanya dapat diubah pada sumber tautan yang belum terbit.")
            raise ValidationFailed(message, details={"url": [message]})
        resource.url = _clean_url(url)
        resource.returned_at = None
        changed += ["url", "returned_at"]
    if not changed:
        return resource
    resource.modified_at = now()
    resource.save(update_fields=[*changed, "modified_at"])
    audit(
        actor=actor,
        action="resource_updated",
        dataset=dataset,
        payload={"resource": str(resource.pk), "changed": changed},
    )
    return resource


@transaction.atomic
def delete_resource(*, actor: User, resource: Resource) -> None:
    """Remove a resource that the public has never seen (unpublished); its files go too."""
    dataset = lock_dataset(resource.dataset)
    _check_producer(actor, dataset)
    resource = Resource.objects.get(pk=resource.pk)
    if resource.published_at is not None and dataset.state == DatasetState.PUBLISHED:
        raise Conflict(_("Sumber data yang sudah terbit tidak dapat dihapus; tarik datasetnya."))
    files = [v.file.name for v in resource.versions.all() if v.file and v.file.name]
    payload = {"resource": str(resource.pk), "name": resource.name, "versions": len(files)}
    resource.delete()
    audit(actor=actor, action="resource_deleted", dataset=dataset, payload=payload)
    storage = ResourceVersion._meta.get_field("file").storage

    def remove_files() -> None:
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


def _schema_changes(
    resource: Resource, fields: list[dict[str, Any]]
) -> tuple[dict[str, Any], bool]:
    """The edited schema and whether the data must be checked again (a type or format
    changed). Names and their order come from the file and cannot change."""
    current = (resource.table_schema or {}).get("fields", [])
    if [f.get("name") for f in fields] != [f["name"] for f in current]:
        message = _("Nama dan urutan kolom mengikuti berkas dan tidak dapat diubah.")
        raise ValidationFailed(message, details={"fields": [message]})
    file_format = (resource.format or "csv").lower()
    allowed = FIELD_TYPES + (JSON_ONLY_TYPES if file_format == "json" else ())
    edited = []
    for old, new in zip(current, fields, strict=True):
        kind = new.get("type") or old["type"]
        if kind not in allowed:
            unknown = _("Tipe %(type)s tidak dikenal.") % {"type": kind}
            raise ValidationFailed(unknown, details={"fields": [unknown]})
        item = {**old, "type": kind}
        for key, limit in (("title", 200), ("description", 1000), ("format", 50)):
            value = str(new.get(key) or "").strip()[:limit]
            if value:
                item[key] = value
            else:
                item.pop(key, None)
        edited.append(item)
    schema = normalise_schema(
        {**(resource.table_schema or {}), "fields": edited}, file_format=file_format
    )
    typed = [(f["type"], f.get("format"), f.get("decimalChar")) for f in schema["fields"]]
    before = [(f["type"], f.get("format"), f.get("decimalChar")) for f in current]
    return schema, typed != before


@transaction.atomic
def update_table_schema(
    *, actor: User, resource: Resource, fields: list[dict[str, Any]]
) -> Resource:
    """Edit the Table Schema (types, titles, descriptions, date formats). A type change
    re-reads the current file with the new schema: if any value does not fit, the change is
    refused with the line-numbered report and nothing changes."""
    dataset = lock_dataset(resource.dataset)
    _check_producer(actor, dataset)
    resource = Resource.objects.get(pk=resource.pk)
    if not resource.datastore_active:
        raise Conflict(_("Sumber data ini tidak memiliki tabel."))
    schema, retype = _schema_changes(resource, fields)
    if schema == resource.table_schema:
        return resource
    rows = None
    if retype:
        version = resource.versions.filter(status=VersionStatus.CURRENT).first()
        if version is None:
            raise Conflict(_("Tidak ada berkas yang berlaku untuk diperiksa ulang."))
        with version.file.open("rb") as handle:
            content = handle.read()
        parsed = parse_table(
            content, file_format=version.report.get("format", "csv"), schema=schema
        )
        if not parsed.ok:
            raise SchemaRefused(details={"report": parsed.report()})
        rows = parsed.rows
    if rows is not None:
        replace_rows(resource, rows)
        resource.row_count = len(rows)
    resource.table_schema = schema
    resource.modified_at = now()
    resource.save(update_fields=["table_schema", "row_count", "modified_at"])
    audit(
        actor=actor,
        action="schema_updated",
        dataset=dataset,
        payload={"resource": str(resource.pk), "schema": schema, "rows_checked": rows is not None},
    )
    return resource
