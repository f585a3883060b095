"""Degraded mode for optional dependencies (the Redis cache, the Celery broker).

When a dependency the site can live without fails, the caller serves a fallback instead of
an error page. A per-process circuit keeps a dead or hung dependency from costing every call
its timeout: after a failure the dependency is skipped for `RETRY_SECONDS`, then one caller
probes it again. The degraded mode is logged at WARNING at most once per `LOG_SECONDS` per
component, so a dead Redis does not flood the logs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import redis.exceptions
from kombu.exceptions import OperationalError as KombuOperationalError

logger = logging.getLogger("terang.degrade")

RETRY_SECONDS = 5.0
LOG_SECONDS = 60.0

# Outages, not bugs: a refused or reset connection, a timeout, a broker that cannot publish.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    KombuOperationalError,
    OSError,
)

T = TypeVar("T")


class Circuit:
    """Per-process health of one component; safe to share between threads."""

    def __init__(self, component: str) -> None:
        self.component = component
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._last_logged = float("-inf")
        self._down = False

    @property
    def down(self) -> bool:
        return self._down

    def allow(self) -> bool:
        """Whether to try the component now. While it is down, one caller per retry window
        is let through to probe it; the others use their fallback at once."""
        now = time.monotonic()
        with self._lock:
            if not self._down:
                return True
            if now < self._open_until:
                return False
            self._open_until = now + RETRY_SECONDS
            return True

    def failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._down = True
            self._open_until = now + RETRY_SECONDS
            if now - self._last_logged < LOG_SECONDS:
                return
            self._last_logged = now
        logger.warning(
            "%s unavailable, serving degraded (%s: %s); next report in %ds at the earliest",
            self.component,
            type(exc).__name__,
            exc,
            LOG_SECONDS,
        )

    def succeeded(self) -> None:
        if not self._down:
            return
        with self._lock:
            was_down, self._down = self._down, False
            self._open_until = 0.0
            self._last_logged = float("-inf")
        if was_down:
            logger.warning("%s available again", self.component)


_circuits: dict[str, Circuit] = {}
_circuits_lock = threading.Lock()


def circuit(component: str) -> Circuit:
    with _circuits_lock:
        found = _circuits.get(component)
        if found is None:
            found = _circuits[component] = Circuit(component)
        return found


def reset() -> None:
    """Forget every component's state (tests, and a process that reconfigured its cache)."""
    with _circuits_lock:
        _circuits.clear()


def guarded(component: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
    """`call()`, or `fallback()` when the component is down or fails with an outage error."""
    breaker = circuit(component)
    if not breaker.allow():
        return fallback()
    try:
        result = call()
    except OUTAGE_ERRORS as exc:
        breaker.failed(exc)
        return fallback()
    breaker.succeeded()
    return result
