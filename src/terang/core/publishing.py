"""Official publications: one module publishes its data as an open dataset of another (each
APBD year becomes a Satu Data dataset) without importing it.

The open-data app offers `OFFICIAL_DATASETS` in `registry["functions"]` from its `ready()`;
a publisher builds an `OfficialDataset` and calls `publish_official_dataset`. Without the
open-data app installed there is nowhere to publish, which is an error, not a silent no-op.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Agency
from .registry import registry

OFFICIAL_DATASETS = "publish_official_dataset"


@dataclass(frozen=True)
class OfficialFile:
    """One resource of the dataset: a file's bytes under a resource name."""

    resource_name: str
    description: str
    file_name: str
    content: bytes
    media_type: str = ""


@dataclass(frozen=True)
class DatasetGroup:
    """A topic group the dataset belongs to, created on first use."""

    name: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class OfficialDataset:
    """What a module publishes. `organization` None lets the catalog choose its custodian."""

    name: str
    title: str
    notes: str
    organization: Agency | None
    licence: str
    source: str
    files: tuple[OfficialFile, ...]
    groups: tuple[DatasetGroup, ...] = ()
    tags: tuple[str, ...] = ()
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None


Publisher = Callable[[OfficialDataset], Any]


def offer_official_publisher(publish: Publisher) -> None:
    """Called by the catalog app in its `ready()`."""
    registry["functions"][OFFICIAL_DATASETS] = publish


def publish_official_dataset(dataset: OfficialDataset) -> Any:
    """Create or refresh the dataset through the catalog app; returns what it returns."""
    publish = registry["functions"].get(OFFICIAL_DATASETS)
    if publish is None:
        raise LookupError("no app offers official dataset publishing (is opendata installed?)")
    return publish(dataset)
