"""City policy rows (the city profile, days off) are read several times per request by the
deadline arithmetic. A short process-local copy sits in front of the shared cache so a create
does not pay a Redis round trip per read; an administrator's change reaches every process
within LOCAL_SECONDS (the writing process at once)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

LOCAL_SECONDS = 30.0
_local: dict[str, tuple[float, Any]] = {}


def cached_policy(key: str, load: Callable[[], Any], *, shared_seconds: int = 300) -> Any:
    now = time.monotonic()
    hit = _local.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = cache.get(key)
    if value is None:
        value = load()
        if value is not None:
            cache.set(key, value, shared_seconds)
    if value is not None:
        _local[key] = (now + LOCAL_SECONDS, value)
    return value


def forget_policy(key: str) -> None:
    _local.pop(key, None)
    cache.delete(key)


def forget_local_copies() -> None:
    """For tests and management commands that change policy rows directly."""
    _local.clear()
