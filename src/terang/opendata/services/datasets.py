"""Datasets: drafting by the producing agency, then the walidata's verification (Perpres
39/2019: only verified data is published). Each service locks the dataset's row, checks the
actor's right, moves the state through `workflow.ensure_transition` and writes an audit entry."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from terang.core.errors import ValidationFailed
from terang.core.models import Agency, User

from ..choices import DatasetState, UpdateFrequency, VersionStatus
from ..models import DataGroup, Dataset, Licence, Resource, Tag
from ..permissions import can_edit, can_produce_for, can_withdraw, is_walidata
from ..workflow import ensure_editable, ensure_transition
from ._common import audit, deny, lock_dataset, now, validation_failed

NAME_PATTERN = re.compile(r"^[a-z0-9_-]{2,100}$")
MAX_TAGS = 30
MAX_NOTE = 2000
# Metadata a producer may change with `update_dataset` (the name, CKAN's URL, never changes).
EDITABLE_FIELDS = (
    "title",
    "notes",
    "licence",
    "update_frequency",
    "temporal_start",
    "temporal_end",
    "spatial_coverage",
    "contact_name",
    "contact_email",
    "source",
)


def _licence(value: Licence | str | None) -> Licence:
    if isinstance(value, Licence):
        return value
    licence = Licence.objects.filter(pk=(value or "").strip()).first()
    if licence is None:
        raise ValidationFailed(
            _("Lisensi tidak dikenal."), details={"license_id": [_("Lisensi tidak dikenal.")]}
        )
    return licence


def _groups(values: Iterable[DataGroup | str]) -> list[DataGroup]:
    groups, names = [], []
    for value in values:
        if isinstance(value, DataGroup):
            groups.append(value)
        elif str(value).strip():
            names.append(str(value).strip())
    if names:
        found = list(DataGroup.objects.filter(Q(name__in=names) | Q(id__in=_uuids(names))))
        known = {g.name for g in found} | {str(g.id) for g in found}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ValidationFailed(
                _("Kelompok topik tidak dikenal: %(names)s") % {"names": ", ".join(unknown)},
                details={
                    "groups": [
                        _("Kelompok topik tidak dikenal: %(names)s") % {"names": ", ".join(unknown)}
                    ]
                },
            )
        groups.extend(found)
    return groups


def _uuids(values: list[str]) -> list[str]:
    import uuid

    found = []
    for value in values:
        try:
            found.append(str(uuid.UUID(value)))
        except ValueError:
            continue
    return found


def normalise_tag(value: str) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().lower()[:100]


def _tags(values: Iterable[str]) -> list[Tag]:
    names = []
    for value in values:
        name = normalise_tag(value)
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise ValidationFailed(
            _("Paling banyak %(n)s tag.") % {"n": MAX_TAGS},
            details={"tags": [_("Paling banyak %(n)s tag.") % {"n": MAX_TAGS}]},
        )
    for name in names:
        if not re.fullmatch(r"[\w .-]+", name):
            message = _('Tag "%(name)s" hanya boleh berisi huruf, angka, spasi, - _ .') % {
                "name": name
            }
            raise ValidationFailed(message, details={"tags": [message]})
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [existing[name] for name in names]


def _unique_name(base: str) -> str:
    base = (slugify(base)[:90].strip("-") or "dataset").lower()
    name, suffix = base, 2
    while Dataset.objects.filter(name=name).exists():
        name = f"{base}-{suffix}"
        suffix += 1
    return name


def _check_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and start > end:
        message = _("Awal cakupan waktu tidak boleh sesudah akhirnya.")
        raise ValidationFailed(message, details={"temporal_end": [message]})


def _clean(dataset: Dataset) -> None:
    try:
        dataset.full_clean(exclude=["groups", "tags"], validate_unique=False)
    except ValidationError as error:
        raise validation_failed(error) from None
    _check_dates(dataset.temporal_start, dataset.temporal_end)


@transaction.atomic
def create_dataset(
    *,
    actor: User,
    title: str,
    licence: Licence | str,
    organization: Agency | None = None,
    name: str = "",
    notes: str = "",
    groups: Iterable[DataGroup | str] = (),
    tags: Iterable[str] = (),
    update_frequency: str = UpdateFrequency.ANNUAL,
    temporal_start: dt.date | None = None,
    temporal_end: dt.date | None = None,
    spatial_coverage: str = "",
    contact_name: str = "",
    contact_email: str = "",
    source: str = "",
) -> Dataset:
    """A draft dataset of the actor's agency (an administrator names any agency). `name`, its
    URL and CKAN name, comes from the title when not given and never changes afterwards."""
    organization = organization or getattr(actor, "agency", None)
    if organization is None or not can_produce_for(actor, organization.pk):
        raise deny(_("Anda hanya dapat membuat dataset untuk OPD Anda sendiri."))
    name = (name or "").strip()
    if name:
        if not NAME_PATTERN.fullmatch(name):
            message = _("Nama URL 2-100 karakter: huruf kecil, angka, - atau _.")
            raise ValidationFailed(message, details={"name": [message]})
        if Dataset.objects.filter(name=name).exists():
            message = _("Nama URL itu sudah dipakai.")
            raise ValidationFailed(message, details={"name": [message]})
    else:
        name = _unique_name(title)
    moment = now()
    dataset = Dataset(
        name=name,
        title=(title or "").strip(),
        notes=(notes or "").strip(),
        organization=organization,
        licence=_licence(licence),
        update_frequency=update_frequency,
        temporal_start=temporal_start,
        temporal_end=temporal_end,
        spatial_coverage=(spatial_coverage or "").strip(),
        contact_name=(contact_name or "").strip(),
        contact_email=(contact_email or "").strip(),
        source=(source or "").strip(),
        state=DatasetState.DRAFT,
        created_by=actor,
        created_at=moment,
        modified_at=moment,
    )
    _clean(dataset)
    chosen_groups, chosen_tags = _groups(groups), _tags(tags)
    dataset.save()
    dataset.groups.set(chosen_groups)
    dataset.tags.set(chosen_tags)
    audit(
        actor=actor,
        action="dataset_created",
        dataset=dataset,
        payload={
            "name": dataset.name,
            "title": dataset.title,
            "organization": organization.code,
            "groups": sorted(g.name for g in chosen_groups),
            "tags": sorted(t.name for t in chosen_tags),
        },
    )
    return dataset


@transaction.atomic
def update_dataset(
    *,
    actor: User,
    dataset: Dataset,
    groups: Iterable[DataGroup | str] | None = None,
    tags: Iterable[str] | None = None,
    **changes: Any,
) -> Dataset:
    """Change metadata. Allowed while the dataset is not under review; a published dataset
    stays published (metadata is not data: files go through the walidata again)."""
    dataset = lock_dataset(dataset)
    if not can_edit(actor, dataset):
        raise deny()
    ensure_editable(dataset)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(details={name: [_("Tidak dapat diubah.")] for name in unknown})
    changed = []
    for field, value in changes.items():
        if field == "licence":
            value = _licence(value)
        elif isinstance(value, str):
            value = value.strip()
        if getattr(dataset, field) != value:
            setattr(dataset, field, value)
            changed.append(field)
    _clean(dataset)
    if groups is not None:
        chosen = _groups(groups)
        if {g.pk for g in chosen} != set(dataset.groups.values_list("pk", flat=True)):
            dataset.groups.set(chosen)
            changed.append("groups")
    if tags is not None:
        chosen_tags = _tags(tags)
        if {t.pk for t in chosen_tags} != set(dataset.tags.values_list("pk", flat=True)):
            dataset.tags.set(chosen_tags)
            changed.append("tags")
    if not changed:
        return dataset
    dataset.modified_at = now()
    dataset.save(
        update_fields=[f for f in changed if f not in ("groups", "tags")] + ["modified_at"]
    )
    audit(actor=actor, action="dataset_updated", dataset=dataset, payload={"changed": changed})
    return dataset


def usable_resources(dataset: Dataset) -> list[Resource]:
    """Resources that can be published: a link, or a file with a valid current version."""
    return list(
        dataset.resources.filter(
            ~Q(url="") | Q(versions__status__in=[VersionStatus.CURRENT, VersionStatus.PENDING])
        ).distinct()
    )


@transaction.atomic
def submit_dataset(*, actor: User, dataset: Dataset) -> Dataset:
    """The producer hands the dataset to the walidata. It needs at least one usable resource."""
    dataset = lock_dataset(dataset)
    if not can_edit(actor, dataset):
        raise deny()
    ensure_transition(dataset, DatasetState.SUBMITTED)
    if not usable_resources(dataset):
        message = _("Tambahkan setidaknya satu sumber data (berkas yang valid atau tautan).")
        raise ValidationFailed(message, details={"resources": [message]})
    previous = dataset.state
    moment = now()
    dataset.state = DatasetState.SUBMITTED
    dataset.submitted_at = moment
    dataset.modified_at = moment
    dataset.save(update_fields=["state", "submitted_at", "modified_at"])
    audit(
        actor=actor,
        action="dataset_submitted",
        dataset=dataset,
        payload={"from": previous, "to": dataset.state},
    )
    return dataset


@transaction.atomic
def verify_dataset(*, actor: User, dataset: Dataset, note: str = "") -> Dataset:
    """The walidata verifies and publishes: the dataset and its usable resources go public."""
    from .resources import activate_pending, publish_ready_resources

    dataset = lock_dataset(dataset)
    if not is_walidata(actor):
        raise deny(_("Hanya walidata yang dapat memverifikasi dan menerbitkan dataset."))
    ensure_transition(dataset, DatasetState.PUBLISHED)
    moment = now()
    activated = activate_pending(dataset)
    published = publish_ready_resources(dataset, moment=moment)
    dataset.state = DatasetState.PUBLISHED
    dataset.verified_by = actor
    dataset.published_at = dataset.published_at or moment
    dataset.modified_at = moment
    dataset.review_note = (note or "").strip()[:MAX_NOTE]
    dataset.save(
        update_fields=["state", "verified_by", "published_at", "modified_at", "review_note"]
    )
    audit(
        actor=actor,
        action="dataset_published",
        dataset=dataset,
        payload={
            "from": DatasetState.SUBMITTED,
            "to": dataset.state,
            "note": dataset.review_note,
            "resources": published,
            "versions": activated,
        },
    )
    return dataset


def _required_note(note: str, field: str = "note") -> str:
    note = (note or "").strip()
    if not note:
        message = _("Tuliskan alasannya.")
        raise ValidationFailed(message, details={field: [message]})
    return note[:MAX_NOTE]


@transaction.atomic
def return_dataset(*, actor: User, dataset: Dataset, note: str) -> Dataset:
    """The walidata sends a submitted dataset back to its producer with what to fix."""
    dataset = lock_dataset(dataset)
    if not is_walidata(actor):
        raise deny(_("Hanya walidata yang dapat mengembalikan dataset."))
    note = _required_note(note)
    ensure_transition(dataset, DatasetState.RETURNED)
    dataset.state = DatasetState.RETURNED
    dataset.review_note = note
    dataset.modified_at = now()
    dataset.save(update_fields=["state", "review_note", "modified_at"])
    audit(
        actor=actor,
        action="dataset_returned",
        dataset=dataset,
        payload={"from": DatasetState.SUBMITTED, "to": dataset.state, "note": note},
    )
    return dataset


@transaction.atomic
def withdraw_dataset(*, actor: User, dataset: Dataset, reason: str) -> Dataset:
    """Take a published dataset off the catalog (its producer or the walidata). Its files are
    kept; it can be corrected and submitted again."""
    dataset = lock_dataset(dataset)
    if not can_withdraw(actor, dataset):
        raise deny()
    reason = _required_note(reason, "reason")
    ensure_transition(dataset, DatasetState.WITHDRAWN)
    dataset.state = DatasetState.WITHDRAWN
    dataset.review_note = reason
    dataset.modified_at = now()
    dataset.save(update_fields=["state", "review_note", "modified_at"])
    audit(
        actor=actor,
        action="dataset_withdrawn",
        dataset=dataset,
        payload={"from": DatasetState.PUBLISHED, "to": dataset.state, "reason": reason},
    )
    return dataset
