"""The wall as Server-Sent Events, served by a small ASGI process (`terang.asgi_streams`) beside
the WSGI site. Chosen by measurement (docs/adr/0002-wall-transport.md): at 50 screens polling
used 11x the CPU and missed the 2-second target at p95, while the stream's cost hardly grows with
the number of screens.

One hub per process reads the wall every `TICK` seconds on one database connection, whatever the
number of screens, and fans out to every open stream:

- `event: events`: wall events not sent before (the hub drops keys the cursor overlap repeats);
- `event: state`: counters, map points, breaches and ping-pong, when they changed.

A screen opens `GET /ruang-kendali/stream?since=<cursor>` with its staff session (the same check
as `/api/v1/wall`); it first receives what it missed after `since` and the current state. The
request's database connection is released once the session is checked, so an open stream holds
none. Streams end after `MAX_STREAM_SECONDS`: the browser's EventSource reconnects with its
cursor and the session is checked again, so a signed-out or demoted operator stops receiving.
A screen that stops reading (`QUEUE_LIMIT` pushes unread) is dropped the same way."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terang.controlroom.permissions import can_view_wall
from terang.controlroom.wall import composer
from terang.controlroom.wall.schemas import CounterOut, EventOut, PointOut
from terang.core.api_auth import session_user

TICK = 0.5
HEARTBEAT = 15.0
QUEUE_LIMIT = 64
SENT_KEYS_KEPT = 2000
MAX_STREAM_SECONDS = 600.0


def _events_json(events: list[Any]) -> list[dict[str, Any]]:
    return [
        EventOut.model_validate(e, from_attributes=True).model_dump(mode="json") for e in events
    ]


def _state_body(parts: composer.SlowParts) -> str:
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


def _message(event: str, data: str, event_id: str = "") -> bytes:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {event}\ndata: {data}\n\n".encode()


def _state_message(now: dt.datetime, body: str) -> bytes:
    return _message("state", f'{{"now":"{now.isoformat()}",{body[1:]}')


def _events_message(events: list[Any], now: dt.datetime) -> bytes:
    data = json.dumps(
        {"events": _events_json(events), "cursor": now.isoformat()}, separators=(",", ":")
    )
    return _message("events", data, now.isoformat())


class Hub:
    """One reader of the wall per process; every open stream gets its pushes."""

    def __init__(self, tick: float = TICK, language: str | None = None) -> None:
        self.tick = tick
        self.language = language or settings.LANGUAGE_CODE
        self.subscribers: set[asyncio.Queue[bytes | None]] = set()
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
        # The hub's reads hold one connection in the executor's thread: close it there.
        await asyncio.get_running_loop().run_in_executor(self.executor, _close_connection)
        self.executor.shutdown(wait=False)

    def subscribe(self) -> asyncio.Queue[bytes | None]:
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(QUEUE_LIMIT)
        self.subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[bytes | None]) -> None:
        self.subscribers.discard(queue)

    def drop(self, queue: asyncio.Queue[bytes | None]) -> None:
        """End a stream (its EventSource reconnects with its cursor)."""
        self.unsubscribe(queue)
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)

    def read(self) -> list[bytes]:
        """In the hub's thread: the pushes due since the last read."""
        translation.activate(self.language)
        close_old_connections()  # a connection broken since the last tick is replaced
        now = timezone.now()
        events = composer.events_since(self.cursor, now)
        parts = composer.slow_parts(now)
        fresh = [e for e in reversed(events) if e.key not in self.sent_keys]
        messages = []
        if fresh:
            for event in fresh:
                self.sent_keys[event.key] = None
            while len(self.sent_keys) > SENT_KEYS_KEPT:
                self.sent_keys.pop(next(iter(self.sent_keys)))
            messages.append(_events_message(fresh, now))
        state = _state_body(parts)
        if state != self.last_state:
            self.last_state = state
            self.last_state_message = _state_message(now, state)
            messages.append(self.last_state_message)
        self.cursor = now
        self.last_read_at = time.monotonic()
        return messages

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
            messages = await loop.run_in_executor(self.executor, self.read)
            self.read_seconds = [*self.read_seconds[-999:], time.perf_counter() - began]
            self.ticks += 1
            for message in messages:
                for queue in list(self.subscribers):
                    try:
                        queue.put_nowait(message)
                    except asyncio.QueueFull:
                        self.drop(queue)

    def stats(self) -> dict[str, Any]:
        reads = sorted(self.read_seconds)
        self.read_seconds = []
        return {
            "subscribers": len(self.subscribers),
            "ticks": self.ticks,
            "tick": self.tick,
            "reads": len(reads),
            "read_p50_ms": round(reads[len(reads) // 2] * 1000, 1) if reads else None,
            "read_max_ms": round(reads[-1] * 1000, 1) if reads else None,
        }


def _close_connection() -> None:
    """Close this thread's connection (`connection` resolves per thread when called)."""
    connection.close()


HUB = Hub()


def _authorize(request: HttpRequest) -> int:
    """200, 401 or 403, as /api/v1/wall decides; then release the request's DB connection."""
    try:
        user = session_user(request)
        if user is None:
            return 401
        return 200 if can_view_wall(user) else 403
    finally:
        connection.close()


def _catch_up(since: dt.datetime | None, state: bytes, language: str) -> list[bytes]:
    """What a (re)connecting screen missed after `since`, and the state (the hub's last push
    when the hub is reading, so a reconnect storm does not serialise the state per screen)."""
    translation.activate(language)
    try:
        now = timezone.now()
        messages = []
        if since is not None:
            events = composer.events_since(since, now)
            if events:
                messages.append(_events_message(list(reversed(events)), now))
        messages.append(state or _state_message(now, _state_body(composer.slow_parts(now))))
        return messages
    finally:
        connection.close()


def _parse_since(raw: str) -> dt.datetime | None:
    try:
        since = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return timezone.make_aware(since, dt.UTC) if timezone.is_naive(since) else since


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": {}}}, status=status)


async def wall_stream(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The wall's event stream. Under the WSGI site it answers 503 `stream_unavailable` at once
    (an endless response would hold a worker thread); the page then polls /api/v1/wall."""
    if "wsgi.version" in request.META:
        return _error(503, "stream_unavailable", _("Aliran langsung tidak tersedia di server ini."))
    status = await sync_to_async(_authorize)(request)
    if status == 401:
        return _error(401, "not_authenticated", _("Autentikasi diperlukan."))
    if status == 403:
        return _error(403, "permission_denied", _("Anda tidak berwenang melakukan tindakan ini."))
    since = _parse_since(request.GET.get("since") or request.headers.get("Last-Event-ID", ""))
    first = await sync_to_async(_catch_up)(since, HUB.current_state(), HUB.language)
    queue = HUB.subscribe()

    async def stream() -> AsyncIterator[bytes]:
        deadline = time.monotonic() + MAX_STREAM_SECONDS
        try:
            yield b"retry: 2000\n\n" + b"".join(first)
            while (left := deadline - time.monotonic()) > 0:
                try:
                    message = await asyncio.wait_for(queue.get(), min(HEARTBEAT, left))
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
