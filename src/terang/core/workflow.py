"""The one status-transition helper every app uses with its own `TRANSITIONS` table.

An app's `workflow.py` declares which moves are allowed (`{current: frozenset(targets)}`); the
check, the `InvalidTransition` error and the `update_fields` save live here once. The app writes
its own event row afterwards, from the previous status `transition` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from django.db import models
from django.utils import timezone

from .errors import InvalidTransition

Table = Mapping[str, frozenset[str]]
# Builds the error for a refused move from (current, target); the default carries the allowed set.
ErrorFactory = Callable[[str, str], InvalidTransition]


def allowed(table: Table, current: str) -> frozenset[str]:
    """The statuses `current` may move to (none for an unknown or final status)."""
    return table.get(current, frozenset())


def can_transition(table: Table, current: str, target: str) -> bool:
    return target in allowed(table, current)


def ensure_transition(
    table: Table, current: str, target: str, *, error: ErrorFactory | None = None
) -> None:
    """Raise `InvalidTransition` (or what `error` builds) unless `table` allows the move."""
    if can_transition(table, current, target):
        return
    if error is not None:
        raise error(current, target)
    raise InvalidTransition(
        details={"from": current, "to": target, "allowed": sorted(allowed(table, current))}
    )


def transition(
    obj: models.Model,
    table: Table,
    to: str,
    *,
    field: str = "status",
    stamp_field: str | None = "updated_at",
    at: dt.datetime | None = None,
    extra_fields: tuple[str, ...] = (),
    error: ErrorFactory | None = None,
) -> str:
    """Check the move, set `field` (and `stamp_field` to `at`, default now) and save only those
    plus `extra_fields` the caller already set. Returns the previous status for the app's event."""
    current = getattr(obj, field)
    ensure_transition(table, current, to, error=error)
    setattr(obj, field, to)
    update_fields = [field]
    if stamp_field:
        setattr(obj, stamp_field, at or timezone.now())
        update_fields.append(stamp_field)
    obj.save(update_fields=[*update_fields, *extra_fields])
    return current
