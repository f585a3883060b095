"""Prototype (bench only, not the product): the wall as Server-Sent Events from a small ASGI
process, for `bench_wall_transport.py` to measure against polling.

The realistic design, not the cheapest one: one hub per process reads the wall every `TICK`
seconds (one `wall.snapshot` on one database connection, whatever the number of screens) and
fans the result out to every connected screen:

- `event: events`: the wall events not sent before (the hub drops the keys the 5 s overlap
  returns again), pushed at the tick that first sees them;
- `event: state`: counters, map points, breaches and ping-pong, pushed when they differ from
  the last push (they come from `wall.slow_parts`, cached one second, so at most once a second).

A screen connects to `GET /api/v1/wall/stream?since=<cursor>` with its staff session (operator,
admin or inspectorate, OTP-verified: the same check as `/api/v1/wall`); it first receives the
events after `since` and the current state (the hub's last push), then the pushes. The
request's database connection is closed once the session is checked, so an open stream holds
none; at most `CONNECTING_LIMIT` streams are being opened at a time, so a reconnect storm
queues instead of exhausting PostgreSQL's connections. A screen whose queue
backs up (`QUEUE_LIMIT` pushes unread) is dropped; the browser's EventSource reconnects with
its cursor. A comment line every `HEARTBEAT` seconds keeps proxies from closing idle streams.

    DJANGO_SETTINGS_MODULE=wall_sse_settings \\
        .venv/bin/uvicorn --app-dir bench wall_sse_app:application --lifespan on

Environment: `WALL_SSE_TICK` (seconds, default 0.5).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json
import os
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from asgiref.sync import sync_to_async  # noqa: E402  (after Django is set up)
from django.db import close_old_connections, connection  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from terang.controlroom import wall  # noqa: E402
from terang.controlroom.api_wall import CounterOut, EventOut, PointOut  # noqa: E402
from terang.core.api_auth import session_user  # noqa: E402

TICK = float(os.environ.get("WALL_SSE_TICK", "0.5"))
HEARTBEAT = 15.0
QUEUE_LIMIT = 64
SENT_KEYS_KEPT = 2000


def _events_json(events: list[Any]) -> list[dict[str, Any]]:
    return [
        EventOut.model_validate(e, from_attributes=True).model_dump(mode="json") for e in events
    ]


def _state_body(parts: wall.SlowParts) -> str:
    """The state without its time, so two reads can be compared."""
    return json.dumps(
        {
            "counters": [
                CounterOut.model_validate(c, from_attributes=True).model_dump(mode="json")
                for c in parts.counters
            ],
            "map_points": [
                PointOut.model_validate(p, from_attributes=True).model_dump(mode="json")
                for p in parts.map_points
            ],
            "breaches": _events_json(parts.breaches),
            "ping_pong": _events_json(parts.ping_pong),
        },
        separators=(",", ":"),
    )


def _state_message(now: dt.datetime, body: str) -> bytes:
    return _message("state", f'{{"now":"{now.isoformat()}",{body[1:]}')


def _message(event: str, data: str, event_id: str = "") -> bytes:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {event}\ndata: {data}\n\n".encode()


class Hub:
    """One reader of the wall per process; every open stream gets its pushes."""

    def __init__(self, tick: float) -> None:
        self.tick = tick
        self.subscribers: set[asyncio.Queue[bytes | None]] = set()
        # One thread, so one database connection, for every read the hub makes.
        self.executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="wall-hub")
        self.task: asyncio.Task[None] | None = None
        self.cursor = timezone.now()
        self.sent_keys: dict[str, None] = {}
        self.last_state = ""
        self.last_state_message = b""
        self.last_read_at = 0.0
        self.ticks = 0
        self.read_seconds: list[float] = []

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        for queue in list(self.subscribers):
            self.drop(queue)
        self.executor.shutdown(wait=False)

    def subscribe(self) -> asyncio.Queue[bytes | None]:
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(QUEUE_LIMIT)
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[bytes | None]) -> None:
        self.subscribers.discard(queue)

    def drop(self, queue: asyncio.Queue[bytes | None]) -> None:
        """A screen that stopped reading: end its stream (its EventSource reconnects)."""
        self.unsubscribe(queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)

    def _read(self) -> tuple[list[bytes], dt.datetime]:
        """In the hub's thread: the pushes due since the last tick."""
        translation.activate("id")
        close_old_connections()  # a connection broken since the last tick is replaced
        now = timezone.now()
        events = wall.events_since(self.cursor, now)
        parts = wall.slow_parts(now)
        fresh = [e for e in reversed(events) if e.key not in self.sent_keys]
        messages = []
        if fresh:
            for event in fresh:
                self.sent_keys[event.key] = None
            while len(self.sent_keys) > SENT_KEYS_KEPT:
                self.sent_keys.pop(next(iter(self.sent_keys)))
            data = json.dumps(
                {"events": _events_json(fresh), "cursor": now.isoformat()}, separators=(",", ":")
            )
            messages.append(_message("events", data, now.isoformat()))
        state = _state_body(parts)
        if state != self.last_state:
            self.last_state = state
            self.last_state_message = _state_message(now, state)
            messages.append(self.last_state_message)
        self.last_read_at = time.monotonic()
        return messages, now

    def current_state(self) -> bytes:
        """The state the hub pushed last, while the hub is reading (else b"")."""
        if time.monotonic() - self.last_read_at < 3 * self.tick:
            return self.last_state_message
        return b""

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.tick)
            if not self.subscribers:
                self.cursor = timezone.now()
                continue
            began = time.perf_counter()
            messages, self.cursor = await loop.run_in_executor(self.executor, self._read)
            self.read_seconds.append(time.perf_counter() - began)
            self.ticks += 1
            for message in messages:
                for queue in list(self.subscribers):
                    try:
                        queue.put_nowait(message)
                    except asyncio.QueueFull:
                        self.drop(queue)


HUB = Hub(TICK)


def _authorize(request: HttpRequest) -> int:
    """200, 401 or 403, as /api/v1/wall decides; then release the request's DB connection."""
    try:
        user = session_user(request)
        if user is None:
            return 401
        return 200 if user.role in wall.WALL_ROLES else 403
    finally:
        connection.close()


def _catch_up(since: dt.datetime | None, state: bytes) -> list[bytes]:
    """What a (re)connecting screen missed after `since`, and the state: the hub's last push
    when the hub is reading (so a reconnect storm does not serialise the state per screen)."""
    translation.activate("id")
    try:
        now = timezone.now()
        messages = []
        if since is not None:
            events = wall.events_since(since, now)
            if events:
                data = json.dumps(
                    {"events": _events_json(list(reversed(events))), "cursor": now.isoformat()},
                    separators=(",", ":"),
                )
                messages.append(_message("events", data, now.isoformat()))
        messages.append(state or _state_message(now, _state_body(wall.slow_parts(now))))
        return messages
    finally:
        connection.close()


async def wall_stream(request: HttpRequest) -> HttpResponse:
    status = await sync_to_async(_authorize)(request)
    if status != 200:
        code = "not_authenticated" if status == 401 else "permission_denied"
        return JsonResponse({"error": {"code": code, "message": "", "details": {}}}, status=status)
    since = None
    raw = request.GET.get("since") or request.headers.get("Last-Event-ID", "")
    if raw:
        try:
            since = dt.datetime.fromisoformat(raw)
        except ValueError:
            since = None
        if since is not None and timezone.is_naive(since):
            since = timezone.make_aware(since, dt.UTC)
    first = await sync_to_async(_catch_up)(since, HUB.current_state())
    queue = HUB.subscribe()

    async def stream() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 2000\n\n" + b"".join(first)
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), HEARTBEAT)
                except TimeoutError:
                    yield b": ping\n\n"
                    continue
                if message is None:
                    return
                yield message
        finally:
            HUB.unsubscribe(queue)

    response = StreamingHttpResponse(stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def hub_stats(request: HttpRequest) -> HttpResponse:
    """For the benchmark: screens connected, hub reads and their duration since the last call."""
    reads = sorted(HUB.read_seconds)
    HUB.read_seconds = []
    return JsonResponse(
        {
            "subscribers": len(HUB.subscribers),
            "ticks": HUB.ticks,
            "tick": HUB.tick,
            "reads": len(reads),
            "read_p50_ms": round(statistics.median(reads) * 1000, 1) if reads else None,
            "read_max_ms": round(reads[-1] * 1000, 1) if reads else None,
        }
    )


urlpatterns = [
    path("api/v1/wall/stream", wall_stream),
    path("bench/hub", hub_stats),
    # The site's URLs, so the reverse() calls of the wall's selectors resolve.
    path("", include("terang.urls")),
]

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


# Streams being opened at once. Under ASGI each request runs Django's sync middleware and the
# session check in a thread of its own with its own database connection: 200 screens
# reconnecting together (after a restart of this process) exhausted PostgreSQL's
# max_connections (100) in a first version of this prototype. Opening is queued instead.
CONNECTING_LIMIT = 8
CONNECTING = asyncio.Semaphore(CONNECTING_LIMIT)


async def _open_stream(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    """Django handles the stream request; the slot is released once the response starts,
    that is once the session is checked and the catch-up is ready."""
    await CONNECTING.acquire()
    released = False

    async def send_and_release(message: dict[str, Any]) -> None:
        nonlocal released
        if not released and message["type"] == "http.response.start":
            released = True
            CONNECTING.release()
        await send(message)

    try:
        await django_application(scope, receive, send_and_release)
    finally:
        if not released:
            CONNECTING.release()


async def application(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    """Django for HTTP; the lifespan starts and stops the hub (Django has no lifespan)."""
    if scope["type"] == "http" and scope["path"] == "/api/v1/wall/stream":
        await _open_stream(scope, receive, send)
        return
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
    await django_application(scope, receive, send)
