"""The Redis cache backend, degrading instead of failing when Redis is refused or hung.

Terang's cache holds only copies (city policy, computed wall parts, digests), so a lost
cache is a slower site, not a broken one: reads miss, writes and deletes are skipped, each
logged through `core.degrade` (once a minute) and skipped outright while the circuit is open.

Counters and set-if-absent (`add`, `incr`, `decr`) keep raising, fast while the circuit is
open: silently answering them would invent a count or a lock. Their callers (rate limits)
choose their own fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from .degrade import circuit, guarded

T = TypeVar("T")

COMPONENT = "cache"


class ResilientRedisCache(RedisCache):
    def _soft(self, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        return guarded(COMPONENT, call, fallback)

    def _hard(self, call: Callable[[], T]) -> T:
        breaker = circuit(COMPONENT)
        if not breaker.allow():
            raise redis.exceptions.ConnectionError("cache unavailable (circuit open)")
        try:
            result = call()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            breaker.failed(exc)
            raise
        breaker.succeeded()
        return result

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft(partial(super().get, key, default, version), lambda: default)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._soft(partial(super().get_many, keys, version), dict)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._soft(partial(super().set, key, value, timeout, version), lambda: None)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._soft(partial(super().set_many, data, timeout, version), lambda: list(data))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft(partial(super().touch, key, timeout, version), lambda: False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft(partial(super().delete, key, version), lambda: False)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._soft(partial(super().delete_many, keys, version), lambda: None)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft(partial(super().has_key, key, version), lambda: False)

    def clear(self) -> None:
        self._soft(partial(super().clear), lambda: None)

    def get_or_set(
        self, key: Any, default: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> Any:
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.set(key, value, timeout, version)
        return value

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._hard(partial(super().add, key, value, timeout, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._hard(partial(super().incr, key, delta, version))

    def ping(self) -> None:
        """Raise unless Redis answers now (readiness probes; ignores the circuit)."""
        self._cache.get_client(write=True).ping()
