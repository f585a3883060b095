"""Keyset (cursor) pagination over (created_at, id): constant cost at any depth, no OFFSET."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed


def encode_cursor(created_at: dt.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{pk}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        stamp, pk = raw.split("|")
        return dt.datetime.fromisoformat(stamp), int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            _("Kursor halaman tidak valid."), details={"field": "cursor"}
        ) from exc


@dataclass
class Page:
    items: list[Any]
    next_cursor: str | None


def paginate_newest_first(queryset: QuerySet, *, cursor: str | None, size: int) -> Page:
    queryset = queryset.order_by("-created_at", "-id")
    if cursor:
        created_at, pk = decode_cursor(cursor)
        # The plain `created_at <= X` lets PostgreSQL start the index scan at the cursor;
        # the OR alone is only a filter, so deep pages would scan from the newest row.
        queryset = queryset.filter(created_at__lte=created_at).filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=pk)
        )
    items = list(queryset[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = encode_cursor(last.created_at, last.pk)
    return Page(items=items, next_cursor=next_cursor)
