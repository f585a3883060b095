"""City policy rows (the city profile, days off) are read several times per request by the
deadline arithmetic. A short process-local copy sits in front of the shared cache so a create
does not pay a Redis round trip per read; an administrator's change reaches every process
within LOCAL_SECONDS (the writing process at once).

The shared cache is only a copy: when it is refused or hung, reads fall back to the database
(see `core.degrade`), so deadlines and pages keep working without Redis."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

from .degrade import guarded

LOCAL_SECONDS = 30.0
# Its own circuit: the cache backend may have one too, and nested checks of one circuit
# would never let a probe through.
COMPONENT = "policy cache"
_local: dict[str, tuple[float, Any]] = {}


def cached_policy(key: str, load: Callable[[], Any], *, shared_seconds: int = 300) -> Any:
    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = guarded(COMPONENT, lambda: cache.get(key), lambda: None)
    if value is None:
        value = load()
        if value is not None:
            guarded(COMPONENT, lambda: cache.set(key, value, shared_seconds), lambda: None)
    if value is not None:
        _local[key] = (now + LOCAL_SECONDS, value)
    return value


def forget_policy(key: str) -> None:
    _local.pop(key, None)
    guarded(COMPONENT, lambda: cache.delete(key), lambda: False)


def forget_local_copies() -> None:
    """For tests and management commands that change policy rows directly."""
    _local.clear()
