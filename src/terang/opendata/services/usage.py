"""Usage counts: dataset page views, downloads and API calls, per day and in total.

Counted with single UPDATE statements (F() expressions), so concurrent requests never lose a
count and no row is read first. The first count of a day inserts the day's row; two requests
racing to insert it are settled by the unique (dataset, day) constraint."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import Dataset, DatasetUsage

KINDS = {"views": "view_count", "downloads": "download_count", "api_calls": "api_count"}


def record_usage(*, dataset_id: uuid.UUID | str, kind: str, day: dt.date | None = None) -> None:
    """Count one use of a dataset. `kind` is "views", "downloads" or "api_calls"."""
    total = KINDS[kind]
    day = day or timezone.localdate()
    with transaction.atomic():
        daily = DatasetUsage.objects.filter(dataset_id=dataset_id, day=day)
        if not daily.update(**{kind: F(kind) + 1}):
            try:
                with transaction.atomic():
                    DatasetUsage.objects.create(dataset_id=dataset_id, day=day, **{kind: 1})
            except IntegrityError:
                daily.update(**{kind: F(kind) + 1})
        Dataset.objects.filter(pk=dataset_id).update(**{total: F(total) + 1})
