"""Small display helpers for the catalog's templates."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import DatasetState, VersionStatus
from ..permissions import is_walidata

register = template.Library()

STATE_CLASSES = {
    DatasetState.DRAFT: "od-state-draft",
    DatasetState.SUBMITTED: "od-state-submitted",
    DatasetState.RETURNED: "od-state-returned",
    DatasetState.PUBLISHED: "od-state-published",
    DatasetState.WITHDRAWN: "od-state-withdrawn",
}
VERSION_CLASSES = {
    VersionStatus.CURRENT: "od-state-published",
    VersionStatus.PENDING: "od-state-submitted",
    VersionStatus.SUPERSEDED: "od-state-draft",
    VersionStatus.REFUSED: "od-state-returned",
}


@register.filter
def cell(value: Any) -> str:
    """A datastore value as text: empty cells as a dash, whole floats without ".0"."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return number_format(int(value), force_grouping=True)
        return number_format(value, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.simple_tag
def state_badge(dataset: Any) -> str:
    """The state as text in a badge (the colour only repeats what the text says)."""
    return format_html(
        '<span class="badge {}">{}</span>',
        STATE_CLASSES.get(dataset.state, ""),
        dataset.get_state_display(),
    )


@register.simple_tag
def version_badge(version: Any) -> str:
    return format_html(
        '<span class="badge {}">{}</span>',
        VERSION_CLASSES.get(version.status, ""),
        version.get_status_display(),
    )


@register.filter
def filesize(value: int | None) -> str:
    if value is None:
        return "–"
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{value} B"


@register.filter
def formats(resources: list[Any]) -> list[str]:
    """The distinct formats of a dataset's resources, in order."""
    seen: list[str] = []
    for resource in resources or []:
        if resource.format and resource.format not in seen:
            seen.append(resource.format)
    return seen


ACTION_LABELS = {
    "opendata.dataset_created": gettext_lazy("Dataset dibuat"),
    "opendata.dataset_updated": gettext_lazy("Metadata diubah"),
    "opendata.dataset_submitted": gettext_lazy("Diajukan ke walidata"),
    "opendata.dataset_published": gettext_lazy("Diverifikasi dan diterbitkan"),
    "opendata.dataset_returned": gettext_lazy("Dikembalikan walidata"),
    "opendata.dataset_withdrawn": gettext_lazy("Ditarik dari katalog"),
    "opendata.resource_added": gettext_lazy("Sumber data ditambahkan"),
    "opendata.resource_updated": gettext_lazy("Sumber data diubah"),
    "opendata.resource_deleted": gettext_lazy("Sumber data dihapus"),
    "opendata.version_uploaded": gettext_lazy("Berkas diunggah"),
    "opendata.version_refused": gettext_lazy("Berkas ditolak (tidak valid)"),
    "opendata.changes_verified": gettext_lazy("Perubahan diverifikasi"),
    "opendata.changes_returned": gettext_lazy("Perubahan dikembalikan"),
    "opendata.schema_updated": gettext_lazy("Skema tabel diubah"),
}


@register.filter
def action_label(action: str) -> str:
    """An audit entry's action in words (the code itself when unknown)."""
    return str(ACTION_LABELS.get(action, action))


@register.simple_tag
def walidata_user(user: Any) -> bool:
    return is_walidata(user)
