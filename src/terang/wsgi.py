"""WSGI entry point: production serves this with gunicorn gthread workers (Makefile `serve`).

Two guards sit in front of Django, so a hung dependency cannot starve the liveness probe:

- `/healthz` is answered here, before Django, touching nothing.
- A bulkhead: at most TERANG_REQUEST_SLOTS requests run inside Django at once per process;
  past that a request waits at most SLOT_WAIT_SECONDS (a burst of quick requests frees slots
  sooner than that), then is refused with 503 and Retry-After instead of queueing behind
  threads stuck on the database. Keep it below gunicorn's --threads (8 in `make serve`, so 6)
  to leave threads free for /healthz and for those quick refusals. 0 turns it off.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
HEALTH_BODY = json.dumps({"status": "ok"}).encode()
BUSY_RETRY_AFTER = "5"
SLOT_WAIT_SECONDS = 0.05
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


class Guard:
    def __init__(self, app: WSGIApp, slots: int) -> None:
        self.app = app
        self.slots = threading.BoundedSemaphore(slots) if slots > 0 else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "application/json"), NO_STORE])
            return [HEALTH_BODY]
        if self.slots is None:
            return self.app(environ, start_response)
        if not self.slots.acquire(timeout=SLOT_WAIT_SECONDS):
            return self._busy(environ, start_response)
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.slots.release()
            raise
        return _ReleaseOnClose(result, self.slots.release)

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


application = Guard(get_wsgi_application(), int(os.environ.get("TERANG_REQUEST_SLOTS", "6") or 0))
