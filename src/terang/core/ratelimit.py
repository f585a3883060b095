"""Fixed-window rate limiting on the shared cache.

The cache is Redis in production, so every worker process shares one counter per key and
window; with the default local-memory cache the limit is per process (good enough for
development and tests). Fixed windows may admit up to twice the limit across a window edge;
use this for abuse throttling, not for exact quotas.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

_PREFIX = "terang:rl:"


def _cache_key(key: str, window_seconds: int, now: float) -> str:
    # Hash so any caller string (IPs, digests, user input) is a valid key for every backend.
    hashed = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"{_PREFIX}{hashed}:{window_seconds}:{int(now // window_seconds)}"


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one event for `key`; return False once more than `limit` fall in this window."""
    if limit <= 0 or window_seconds <= 0:
        raise ValueError("limit and window_seconds must be positive")
    cache_key = _cache_key(key, window_seconds, time.time())
    # add() is atomic and only sets the key when absent; incr() is atomic on Redis.
    cache.add(cache_key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The key expired between add() and incr(): this event opens a new window.
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit


def retry_after(window_seconds: int) -> int:
    """Seconds until the current fixed window closes (for a Retry-After header)."""
    return max(1, int(window_seconds - time.time() % window_seconds))


def client_ip(request: HttpRequest) -> str:
    """The client address as axes resolves it, so proxies are handled in one place."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"
