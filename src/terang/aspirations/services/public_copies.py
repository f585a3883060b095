"""Recomputing the masked public copies of existing reports (after a masking rule changed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ..models import Aspiration
from ._common import PUBLIC_COPIES, refresh_public_copies

COPY_FIELDS = [copy for copy, _original in PUBLIC_COPIES]
SOURCE_FIELDS = ["pk", "reporter_name", *(original for _copy, original in PUBLIC_COPIES)]


@dataclass(frozen=True)
class RemaskResult:
    checked: int
    updated: int


def remask_public_copies(*, batch_size: int = 500) -> RemaskResult:
    """Walk every report by id in batches, each its own short transaction, and write back only
    the copies that differ. Safe to rerun: a second run updates nothing."""
    checked = updated = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                Aspiration.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .only(*SOURCE_FIELDS, *COPY_FIELDS)[:batch_size]
            )
            if not batch:
                break
            changed = [item for item in batch if refresh_public_copies(item)]
            if changed:
                Aspiration.objects.bulk_update(changed, COPY_FIELDS)
        checked += len(batch)
        updated += len(changed)
        last_pk = batch[-1].pk
    return RemaskResult(checked=checked, updated=updated)
