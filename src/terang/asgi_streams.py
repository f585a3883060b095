"""The stream process: `uvicorn terang.asgi_streams:application --lifespan on` (`make
serve-streams`). It serves the wall's Server-Sent Events (`/ruang-kendali/stream`) and starts
the hub that feeds them. Any other path is the Django site under ASGI: convenient for a
single-process test, but slower than the WSGI site, so the reverse proxy should send only
`/ruang-kendali/stream` here and everything else to gunicorn.

Opening streams is queued (`CONNECTING_LIMIT` at a time): under ASGI each request runs Django's
sync middleware and the session check in a thread with its own database connection, and 200
screens reconnecting at once (after a restart) exhausted PostgreSQL's connections in the
benchmark before this limit existed."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")
os.environ.setdefault("CONN_MAX_AGE", "0")  # Django's advice under ASGI: no idle connections

from django.core.asgi import get_asgi_application  # noqa: E402

django_application = get_asgi_application()
if os.environ.get("TERANG_SERVE_STATIC"):  # tests and demos without a web server in front
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    django_application = ASGIStaticFilesHandler(django_application)

from terang.controlroom.wall.streams import HUB  # noqa: E402

STREAM_PATH = "/ruang-kendali/stream"
STATS_PATH = "/ruang-kendali/stream/stats"
CONNECTING_LIMIT = 8
LOOPBACK = {"127.0.0.1", "::1"}

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]
_connecting: asyncio.Semaphore | None = None


async def _open_stream(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    """Django handles the stream request; the slot is freed once the response starts."""
    global _connecting
    if _connecting is None:
        _connecting = asyncio.Semaphore(CONNECTING_LIMIT)
    connecting = _connecting
    await connecting.acquire()
    released = False

    async def send_and_release(message: Mapping[str, Any]) -> None:
        nonlocal released
        if not released and message["type"] == "http.response.start":
            released = True
            connecting.release()
        await send(message)

    try:
        await django_application(scope, receive, send_and_release)
    finally:
        if not released:
            connecting.release()


async def _stats(scope: dict[str, Any], send: Send) -> None:
    """Hub figures for monitoring and the benchmark, to loopback clients only."""
    client = (scope.get("client") or ("", 0))[0]
    status, body = (200, HUB.stats()) if client in LOOPBACK else (404, {})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


async def application(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    """Django for HTTP; the lifespan starts and stops the hub (Django has no lifespan)."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                HUB.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await HUB.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] == "http" and scope["path"] == STATS_PATH:
        await _stats(scope, send)
        return
    if scope["type"] == "http" and scope["path"] == STREAM_PATH:
        await _open_stream(scope, receive, send)
        return
    await django_application(scope, receive, send)
