"""Official datasets that other modules publish by themselves, such as each budget year of the
APBD. The budget was enacted by regional regulation (Perda APBD) before it reaches Terang, so
the walidata's check is not asked again: the dataset is published as soon as its data changes,
with every step in the dataset's audit chain (actor: none, action `opendata.official_*`). A
changed file becomes a new version; older versions stay downloadable."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from terang.core import publishing
from terang.core.models import Agency
from terang.opendata.choices import DatasetState, UpdateFrequency, VersionStatus
from terang.opendata.models import DataGroup, Dataset, DataSettings, Resource

from ._common import audit, lock_dataset, now
from .datasets import _groups, _licence, _tags
from .resources import Upload, make_current, publish_ready_resources, store_version


@dataclass(frozen=True)
class OfficialFile:
    resource_name: str
    description: str
    upload: Upload


@transaction.atomic
def publish_official_dataset(
    *,
    name: str,
    title: str,
    notes: str,
    organization: Agency,
    licence: str,
    files: Iterable[OfficialFile],
    source: str,
    groups: Iterable[str] = (),
    tags: Iterable[str] = (),
    update_frequency: str = UpdateFrequency.IRREGULAR,
    temporal_start: dt.date | None = None,
    temporal_end: dt.date | None = None,
) -> Dataset:
    """Create or refresh the published dataset `name` with these files; a file whose bytes did
    not change adds nothing. Raises FileRefused (nothing saved) if a table does not parse."""
    moment = now()
    dataset = Dataset.objects.filter(name=name).first()
    created = dataset is None
    if dataset is None:
        try:
            with transaction.atomic():  # a savepoint: two publishers may race to create it
                dataset = _create_published(
                    name=name,
                    title=title,
                    notes=notes,
                    organization=organization,
                    licence=licence,
                    update_frequency=update_frequency,
                    temporal_start=temporal_start,
                    temporal_end=temporal_end,
                    source=source,
                    moment=moment,
                )
        except IntegrityError:
            dataset, created = Dataset.objects.get(name=name), False
    dataset = lock_dataset(dataset)
    dataset.groups.set(_groups(groups))
    dataset.tags.set(_tags(tags))
    changed: list[dict[str, object]] = []
    for official in files:
        resource = dataset.resources.filter(name=official.resource_name).first()
        if resource is None:
            resource = Resource.objects.create(
                dataset=dataset,
                name=official.resource_name,
                description=official.description,
                position=dataset.resources.count() + 1,
                created_at=moment,
                modified_at=moment,
            )
        digest = hashlib.sha256(official.upload.content).hexdigest()
        current = resource.versions.filter(status=VersionStatus.CURRENT).first()
        if current is not None and current.sha256 == digest:
            continue
        version = store_version(
            actor=None,
            dataset=dataset,
            resource=resource,
            upload=official.upload,
            keep_refused=False,
        )
        if version.status != VersionStatus.CURRENT:
            make_current(resource, version)
        changed.append({"resource": str(resource.pk), "number": version.number, "sha256": digest})
    publish_ready_resources(dataset, moment=moment)
    if created or changed:
        dataset.title, dataset.notes, dataset.source = title, notes, source
        dataset.temporal_start, dataset.temporal_end = temporal_start, temporal_end
        dataset.state, dataset.modified_at = DatasetState.PUBLISHED, moment
        dataset.published_at = dataset.published_at or moment
        dataset.save()
        audit(
            actor=None,
            action="official_published" if created else "official_updated",
            dataset=dataset,
            payload={"name": name, "files": changed},
        )
    return dataset


def custodian() -> Agency | None:
    """Who publishes an official dataset that names no agency: the walidata, else the regional
    secretariat, else the first agency."""
    data = DataSettings.objects.select_related("walidata_agency").first()
    if data is not None and data.walidata_agency is not None:
        return data.walidata_agency
    return Agency.objects.filter(code="SETDA").first() or Agency.objects.order_by("pk").first()


def publish_offered_dataset(offered: publishing.OfficialDataset) -> Dataset | None:
    """`core.publishing`'s contract, offered to other modules: their value types become this
    app's; None when there is no agency at all to publish under."""
    organization = offered.organization or custodian()
    if organization is None:
        return None
    for group in offered.groups:
        DataGroup.objects.get_or_create(
            name=group.name, defaults={"title": group.title, "description": group.description}
        )
    return publish_official_dataset(
        name=offered.name,
        title=offered.title,
        notes=offered.notes,
        organization=organization,
        licence=offered.licence,
        source=offered.source,
        groups=[group.name for group in offered.groups],
        tags=list(offered.tags),
        temporal_start=offered.temporal_start,
        temporal_end=offered.temporal_end,
        files=[
            OfficialFile(
                resource_name=item.resource_name,
                description=item.description,
                upload=Upload(
                    name=item.file_name, content=item.content, media_type=item.media_type
                ),
            )
            for item in offered.files
        ],
    )


def _create_published(
    *,
    name: str,
    title: str,
    notes: str,
    organization: Agency,
    licence: str,
    update_frequency: str,
    temporal_start: dt.date | None,
    temporal_end: dt.date | None,
    source: str,
    moment: dt.datetime,
) -> Dataset:
    return Dataset.objects.create(
        name=name,
        title=title,
        notes=notes,
        organization=organization,
        licence=_licence(licence),
        update_frequency=update_frequency,
        temporal_start=temporal_start,
        temporal_end=temporal_end,
        source=source,
        state=DatasetState.PUBLISHED,
        created_at=moment,
        modified_at=moment,
        published_at=moment,
    )
