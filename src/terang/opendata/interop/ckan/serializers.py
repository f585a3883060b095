"""Catalog rows in CKAN's dict shapes (CKAN 2.10 `package_show`, `resource_show`,
`organization_show`, `group_show`, `tag_list`, `license_list`), so CKAN clients read them
unchanged. Times are CKAN's: UTC without an offset, microseconds included.

`package_dicts` serializes a page of datasets with one extra query (their current file
versions); datasets should come from `selectors.with_public_details` (resources prefetched)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from terang.core.models import Agency

from ...choices import DatasetState
from ...models import DataGroup, Dataset, Licence, Resource, ResourceVersion, Tag
from ...selectors import current_versions, organization_name

STATES: dict[str, str] = {DatasetState.PUBLISHED: "active"}  # every other state is a CKAN "draft"


def ckan_time(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def organization_dict(agency: Agency, *, package_count: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": str(agency.pk),
        "name": organization_name(agency),
        "title": agency.name,
        "display_name": agency.name,
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "type": "organization",
        "is_organization": True,
        "approval_status": "approved",
        "state": "active" if agency.is_active else "deleted",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def group_dict(group: DataGroup, *, package_count: int | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": str(group.pk),
        "name": group.name,
        "title": group.title,
        "display_name": group.title,
        "description": group.description,
        "image_url": "",
        "image_display_url": "",
        "type": "group",
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "created": ckan_time(group.created_at),
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def tag_dict(tag: Tag) -> dict[str, Any]:
    return {
        "id": str(tag.pk),
        "name": tag.name,
        "display_name": tag.name,
        "state": "active",
        "vocabulary_id": None,
    }


def licence_dict(licence: Licence) -> dict[str, Any]:
    return {
        "id": licence.pk,
        "title": licence.title,
        "url": licence.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "domain_content": True,
        "domain_data": True,
        "domain_software": False,
        "od_conformance": "approved" if licence.is_open else "not reviewed",
        "osd_conformance": "not reviewed",
        "is_okd_compliant": licence.is_open,
        "is_osi_compliant": False,
    }


def version_path(dataset: Dataset, resource: Resource, version: ResourceVersion) -> str:
    """The site path that downloads one stored file version (named like the upload)."""
    return reverse(
        "opendata:version_file",
        args=[dataset.name, resource.pk, version.number, _file_name(version)],
    )


def _file_name(version: ResourceVersion) -> str:
    name = (version.original_name or "").replace("/", "_").strip() or "berkas"
    return name


def resource_dict(
    resource: Resource,
    *,
    dataset: Dataset,
    base_url: str,
    current: ResourceVersion | None,
) -> dict[str, Any]:
    """CKAN's resource: an upload's `url` downloads its current file from this site."""
    if resource.url:
        url, url_type = resource.url, None
    elif current is not None:
        url, url_type = base_url + version_path(dataset, resource, current), "upload"
    else:
        url, url_type = "", "upload"
    return {
        "id": str(resource.pk),
        "package_id": str(dataset.pk),
        "name": resource.name,
        "description": resource.description,
        "format": resource.format,
        "url": url,
        "url_type": url_type,
        "mimetype": current.media_type if current else None,
        "size": current.size if current else None,
        "hash": f"sha256:{current.sha256}" if current else "",
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(current.created_at if current else None),
        "metadata_modified": ckan_time(resource.modified_at),
        "position": resource.position,
        "state": "active",
        "datastore_active": resource.datastore_active,
        "row_count": resource.row_count,
        "version": current.number if current else None,
        "cache_url": None,
        "resource_type": None,
    }


def _extras(dataset: Dataset) -> list[dict[str, str]]:
    values = {
        "frequency": dataset.update_frequency,
        "frequency_label": str(dataset.get_update_frequency_display()),
        "temporal_start": dataset.temporal_start.isoformat() if dataset.temporal_start else "",
        "temporal_end": dataset.temporal_end.isoformat() if dataset.temporal_end else "",
        "spatial_coverage": dataset.spatial_coverage,
        "source": dataset.source,
        "published_at": ckan_time(dataset.published_at) or "",
    }
    return [{"key": key, "value": value} for key, value in values.items() if value]


def package_dict(
    dataset: Dataset,
    *,
    base_url: str,
    resources: list[Resource] | None = None,
    versions: dict[Any, ResourceVersion] | None = None,
) -> dict[str, Any]:
    """CKAN's package. `resources` defaults to the dataset's published ones (prefetched as
    `public_resources`); `versions` maps resource id -> current version."""
    if resources is None:
        resources = list(getattr(dataset, "public_resources", None) or [])
    if versions is None:
        versions = current_versions(resources)
    tags = list(dataset.tags.all())
    groups = list(dataset.groups.all())
    licence = dataset.licence
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.notes,
        "type": "dataset",
        "state": STATES.get(dataset.state, "draft"),
        "private": False,
        "owner_org": str(dataset.organization_id),
        "organization": organization_dict(dataset.organization),
        "author": None,
        "author_email": None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "license_id": licence.pk,
        "license_title": licence.title,
        "license_url": licence.url,
        "isopen": licence.is_open,
        "url": dataset.source if dataset.source.startswith(("http://", "https://")) else "",
        "version": None,
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.modified_at),
        "creator_user_id": str(dataset.created_by_id) if dataset.created_by_id else None,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "resources": [
            resource_dict(r, dataset=dataset, base_url=base_url, current=versions.get(r.pk))
            for r in resources
        ],
        "tags": [tag_dict(tag) for tag in tags],
        "groups": [group_dict(group) for group in groups],
        "extras": _extras(dataset),
        "relationships_as_object": [],
        "relationships_as_subject": [],
        # Satu Data fields, outside CKAN's core schema (as ckanext-scheming fields would be).
        "satu_data_state": dataset.state,
        "views_total": dataset.view_count,
        "downloads_total": dataset.download_count,
        "api_calls_total": dataset.api_count,
    }


def package_dicts(datasets: list[Dataset], *, base_url: str) -> list[dict[str, Any]]:
    """A page of datasets with their published resources, one versions query for all."""
    resources = [r for d in datasets for r in (getattr(d, "public_resources", None) or [])]
    versions = current_versions(resources)
    return [
        package_dict(
            d,
            base_url=base_url,
            resources=list(getattr(d, "public_resources", None) or []),
            versions=versions,
        )
        for d in datasets
    ]
