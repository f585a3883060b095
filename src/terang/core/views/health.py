"""Liveness and readiness probes for the load balancer and orchestrator.

`/healthz` (liveness) says only that the process answers: it touches no dependency, and in
production `terang.wsgi` answers it before Django, so it never waits behind stuck requests.

`/readyz` (readiness) says whether this replica can serve. Only the database is essential:
without it the answer is 503. A missing cache or broker is reported as "degraded" with 200,
because the site serves without them (core.degrade) and every replica shares them, so
draining replicas would turn a degraded site into a dead one. Each check runs in its own
thread with a deadline, so the probe answers within `READY_SECONDS` even when a dependency
hangs.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

READY_SECONDS = 1.5
ESSENTIAL = frozenset({"database"})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        # The check runs in its own thread, whose connection would otherwise never be closed.
        connections.close_all()


def _check_cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
        return
    cache.set("terang:readyz", "1", 5)
    if cache.get("terang:readyz") != "1":
        raise RuntimeError("cache did not return the value written")


def _check_broker() -> None:
    url = urlparse(settings.CELERY_BROKER_URL)
    timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT
    with socket.create_connection(
        (url.hostname or "127.0.0.1", url.port or 6379), timeout=timeout
    ) as sock:
        if url.scheme.startswith("redis"):
            # A hung Redis still accepts connections: only an answer proves it serves.
            sock.settimeout(timeout)
            sock.sendall(b"PING\r\n")
            if not sock.recv(64):
                raise ConnectionError("broker closed the connection")


def _run_with_deadline(checks: dict[str, Callable[[], None]]) -> dict[str, str]:
    """Run every check at once; a check still running at the deadline counts as failed."""
    results: dict[str, str] = {}
    lock = threading.Lock()

    def run(name: str, check: Callable[[], None]) -> None:
        try:
            check()
            outcome = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            outcome = f"error: {type(exc).__name__}"
        with lock:
            results.setdefault(name, outcome)

    threads = [
        threading.Thread(target=run, args=(name, check), daemon=True, name=f"readyz-{name}")
        for name, check in checks.items()
    ]
    deadline = time.monotonic() + READY_SECONDS
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    with lock:
        for name in checks:
            results.setdefault(name, "error: timeout")
        return dict(results)


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, Callable[[], None]] = {"database": _check_database, "cache": _check_cache}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    results = _run_with_deadline(checks)
    failing = {name for name, outcome in results.items() if outcome != "ok"}
    shown = {
        name: outcome if name in ESSENTIAL or outcome == "ok" else "degraded"
        for name, outcome in results.items()
    }
    if failing & ESSENTIAL:
        status, code = "unavailable", 503
    elif failing:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    body: dict[str, object] = {"status": status, "checks": shown}
    if failing:
        body["errors"] = {name: results[name] for name in sorted(failing)}
    return JsonResponse(body, status=code)
