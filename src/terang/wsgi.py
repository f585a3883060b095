"""WSGI entry point: production serves this with gunicorn gthread workers (Makefile `serve`).

Two guards sit in front of Django, so a hung dependency cannot starve the liveness probe:

- `/healthz` is answered here, before Django, touching nothing.
- A bulkhead: at most TERANG_REQUEST_SLOTS requests run inside Django at once per process.
  Past that a request waits for a slot. It is refused at once with 503 and Retry-After only
  when the database is known to be down (its circuit in `core.degrade`, opened by the first
  requests that met the outage) and no slot has changed hands for STUCK_SECONDS: then the
  holders are waiting on that database and queueing behind them helps nobody. A slow
  dependency that is not the database (a hung Redis costs each request its 0.5 s timeout) or
  a busy, CPU-starved process only makes callers wait, at most MAX_WAIT_SECONDS. Keep the
  slots below gunicorn's --threads (8 in `make serve`, so 6) to leave threads free for
  /healthz and for those quick refusals. 0 turns it off.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HEALTH_BODY = json.dumps({"status": "ok"}).encode()
BUSY_RETRY_AFTER = "5"
STUCK_SECONDS = 0.5
MAX_WAIT_SECONDS = 10.0
NO_STORE = ("Cache-Control", "no-cache, no-store, must-revalidate, private, max-age=0")


class _ReleaseOnClose:
    """The response iterable, giving the slot back once the server has sent it (or gave up)."""

    def __init__(self, result: Iterable[bytes], release: Callable[[], None]) -> None:
        self._result = result
        self._release = release
        self._released = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._result)

    def close(self) -> None:
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        finally:
            if not self._released:
                self._released = True
                self._release()


def database_down() -> bool:
    """Whether this process has met a database outage and not yet a working connection."""
    from terang.core.degrade import circuit

    return circuit("database").down


class Bulkhead:
    """Slots for requests. A request waits for a slot; it is refused at once only when every
    slot has been held for STUCK_SECONDS while the database is known to be down (the holders
    wait on it). Anything else, a slow cache or a busy process, makes callers wait."""

    def __init__(self, slots: int, *, is_stuck: Callable[[], bool] = database_down) -> None:
        self.slots = slots
        self._is_stuck = is_stuck
        self._cond = threading.Condition()
        self._started: dict[object, float] = {}
        self._last_change = time.monotonic()

    def _stuck(self, now: float) -> bool:
        return now - self._last_change >= STUCK_SECONDS and self._is_stuck()

    def enter(self) -> object | None:
        """A token to pass to `leave`, or None to refuse the request."""
        token = object()
        give_up = time.monotonic() + MAX_WAIT_SECONDS
        with self._cond:
            while len(self._started) >= self.slots:
                now = time.monotonic()
                if self._stuck(now) or now >= give_up:
                    return None
                self._cond.wait(STUCK_SECONDS)
            self._started[token] = self._last_change = time.monotonic()
        return token

    def leave(self, token: object) -> None:
        with self._cond:
            del self._started[token]
            self._last_change = time.monotonic()
            self._cond.notify()


class Guard:
    def __init__(self, app: WSGIApp, slots: int) -> None:
        self.app = app
        self.bulkhead = Bulkhead(slots) if slots > 0 else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "application/json"), NO_STORE])
            return [HEALTH_BODY]
        if self.bulkhead is None:
            return self.app(environ, start_response)
        token = self.bulkhead.enter()
        if token is None:
            return self._busy(environ, start_response)
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.bulkhead.leave(token)
            raise
        return _ReleaseOnClose(result, lambda: self.bulkhead.leave(token))  # type: ignore[union-attr]

    def _busy(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        from django.utils.translation import gettext

        message = gettext("Server sedang sibuk. Coba lagi sebentar lagi.")
        path = environ.get("PATH_INFO", "")
        if path.startswith(("/api/", "/open311/")):
            content_type = "application/json"
            body = json.dumps(
                {"error": {"code": "service_unavailable", "message": message, "details": {}}}
            ).encode()
        else:
            content_type = "text/plain; charset=utf-8"
            body = message.encode()
        start_response(
            "503 Service Unavailable",
            [("Content-Type", content_type), ("Retry-After", BUSY_RETRY_AFTER), NO_STORE],
        )
        return [body]


def _load_urlconf() -> None:
    """Import every view now, while the worker boots, not in its first request: a cold first
    request would otherwise spend seconds importing before it even meets the database."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the attribute access is the import


application = Guard(get_wsgi_application(), int(os.environ.get("TERANG_REQUEST_SLOTS", "6") or 0))
_load_urlconf()
