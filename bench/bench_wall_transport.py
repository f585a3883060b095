"""Wall transport: short polling through the main WSGI server vs Server-Sent Events from a small
ASGI process, measured with the same screens, the same writer and the same data.

On the 100k-aspiration data set (`terang_bench_wall`, the generator of `dataset.py`; cached
between runs and restored after each case), for N = 10, 50 and 200 wall screens:

    poll   gunicorn as `make serve` runs it (gthread, 2 workers x 8 threads); every screen GETs
           /api/v1/wall?since=<cursor> one second after its previous answer, as wall.js does
    sse    the product's stream process (`terang.asgi_streams`, `make serve-streams`) under
           uvicorn (one process): every screen holds GET /ruang-kendali/stream open; one hub
           reads the wall every 0.5 s and fans out

Every screen has its own OTP-verified operator session. Meanwhile a writer process submits a
public aspiration every 200 ms through `submit_aspiration` (the service the web form calls).
Measured per case, over the same window:

- delivery latency: from the writer's commit (the service returned) to the moment a screen has
  received a response or push containing the aspiration's `aspiration:<code>:new` event, for
  every (screen, event) pair; p50/p95/max, and pairs never delivered;
- request latency (poll: each GET; sse: connect to first byte);
- CPU seconds per second of the server processes (all of gunicorn's or uvicorn's processes)
  and of the PostgreSQL backends of the database (the writer's own backend excluded), read from
  /proc; the load generator's own CPU and Redis' (the whole server) are reported apart;
- errors (non-200, broken connections, dropped streams).

The cases run in the order poll/sse, sse/poll, poll/sse by size so a slow minute on the shared
machine does not favour one transport. Both servers stay up for the whole run (the idle one
costs nothing measurable: no screens, no hub reads).

    .venv/bin/python bench/bench_wall_transport.py [--quick] [--duration 20] [--screens 10,50,200]

"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

DB = "terang_bench_wall"
ROWS = 100_000
WRITE_EVERY = 0.2
POLL_INTERVAL = 1.0  # wall.js: the next poll one interval after the previous answer
SSE_TICK = 0.5  # terang.controlroom.wall.streams.TICK
WARMUP = 4.0
GRACE = 3.0  # screens keep listening after the writer stops, for the last events
OPERATOR = "bench_wall_operator"
KEY_RE = re.compile(rb'"key": ?"aspiration:(ASP-[0-9A-Z]+):new"')
CURSOR_RE = re.compile(rb'"cursor": ?"([^"]+)"')
TOUCHED_TABLES = (
    "aspirations_aspiration",
    "aspirations_aspirationevent",
    "core_auditentry",
    "core_notification",
)


# Children with Django (run through common.bench_env) ---------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(BENCH.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")
    import django

    django.setup()


def prepare(screens: int) -> dict[str, Any]:
    """An OTP-verified operator session per screen, as tests' login_staff builds them, and one
    check that the endpoint answers 200 with it."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from terang.core.models import User

    user, _ = User.objects.get_or_create(
        username=OPERATOR,
        defaults={
            "role": "operator",
            "email": f"{OPERATOR}@bench.invalid",
            "full_name": "Operator Bench",
            "is_active": True,
        },
    )
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    cookies = []
    for _n in range(screens):
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    client = Client(HTTP_ACCEPT="application/json")
    client.cookies[settings.SESSION_COOKIE_NAME] = cookies[0]
    response = client.get("/api/v1/wall")
    body = response.json() if response.status_code == 200 else {}
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookies": cookies,
        "check_status": response.status_code,
        "payload_bytes": len(response.content),
        "payload_counts": {k: len(v) for k, v in body.items() if isinstance(v, list)},
        "anatomy": anatomy(client) if response.status_code == 200 else {},
    }


def anatomy(client: Any, rounds: int = 40) -> dict[str, Any]:
    """Where one poll's time goes, in this process, one request at a time (no concurrency):
    p50 ms per part, rounds interleaved, and each as a multiple of GET /healthz."""
    import statistics

    from django.core.cache import cache
    from django.utils import timezone

    from terang.controlroom.wall import composer as wall
    from terang.controlroom.wall.schemas import WallOut

    since = timezone.now()
    query = {"since": since.isoformat()}
    slow_key = "controlroom:wall:slow:id"  # wall.slow_parts' key for Bahasa Indonesia

    def uncached_poll() -> None:
        cache.delete(slow_key)
        client.get("/api/v1/wall", query)

    snap = wall.snapshot(since)
    parts = {
        "healthz": lambda: client.get("/healthz"),
        "poll_cached": lambda: client.get("/api/v1/wall", query),
        "poll_recomputing": uncached_poll,
        "snapshot_cached": lambda: wall.snapshot(since),
        "snapshot_fresh": lambda: wall.snapshot(since, fresh=True),
        "serialize_only": lambda: WallOut.model_validate(snap).model_dump_json(),
    }
    timings: dict[str, list[float]] = {name: [] for name in parts}
    for _ in range(rounds):
        for name, call in parts.items():
            began = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - began)
    base = statistics.median(timings["healthz"])
    return {
        name: {
            "p50_ms": round(statistics.median(t) * 1000, 2),
            "vs_healthz": round(statistics.median(t) / base, 1),
        }
        for name, t in timings.items()
    }


def writer(every: float, duration: float) -> None:
    """Submit a public aspiration every `every` s for `duration` s from the start time read on
    stdin; print one JSON line per event (code, commit time) at the end."""
    import random

    from django.db import connection

    from terang.aspirations.models import Category
    from terang.aspirations.services import Location, submit_aspiration
    from terang.core.models import AdministrativeArea

    rng = random.Random(11)
    categories = list(Category.objects.filter(is_active=True).select_related("agency"))
    areas = list(AdministrativeArea.objects.filter(level="kelurahan"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    print("READY " + json.dumps({"backend_pid": backend}), flush=True)
    start_at = float(sys.stdin.readline())
    events = []
    late = 0
    k = 0
    while start_at + k * every < start_at + duration:
        due = start_at + k * every
        k += 1
        pause = due - time.time()
        if pause > 0:
            time.sleep(pause)
        else:
            late += 1
        area = rng.choice(areas)
        category = rng.choice(categories)
        item = submit_aspiration(
            title=f"{category.name} di sekitar {area.name}"[:200],
            text="Laporan uji beban dinding ruang kendali: mohon ditinjau petugas di lokasi.",
            category=category,
            reporter_contact="warga@contoh.id",
            location=Location(
                rng.uniform(area.min_lat, area.max_lat),
                rng.uniform(area.min_lon, area.max_lon),
                "Jl. Melati No. 1",
            ),
            reporter_name="Warga Bench",
        )
        events.append({"code": item.code, "committed": time.time(), "due": due})
    print(json.dumps({"events": events, "late": late}), flush=True)


# Load generator: N screens in one asyncio process (no Django) ------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            parts.append(chunk[:-2])
        body = b"".join(parts)
    else:
        body = await reader.read()
    return status, headers, body


def _iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


class Screen:
    """What one screen saw: first arrival of each aspiration code, and every response (poll)
    or push (sse) as (arrival time, seconds from request to answer or -1, bytes)."""

    def __init__(self) -> None:
        self.first_seen: dict[str, float] = {}
        self.samples: list[tuple[float, float, int]] = []
        self.connects: list[float] = []
        self.errors: dict[str, int] = {}

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def saw(self, data: bytes, at: float) -> None:
        for match in KEY_RE.finditer(data):
            self.first_seen.setdefault(match.group(1).decode(), at)


# The parent writes the stop time on stdin once the measured window is over.
STOP_AT = [float("inf")]


def _stopping() -> bool:
    return time.time() >= STOP_AT[0]


async def _sleep_until(moment: float) -> None:
    pause = moment - time.time()
    if pause > 0:
        await asyncio.sleep(pause)


async def poll_screen(screen: Screen, port: int, cookie: str, start: float) -> None:
    """wall.js: GET the wall with the last cursor, wait one interval after the answer, again."""
    await _sleep_until(start)
    cursor = _iso_now()
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while not _stopping():
        try:
            if conn is None:
                conn = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = conn
            request = (
                f"GET /api/v1/wall?since={quote(cursor)} HTTP/1.1\r\n"
                f"Host: 127.0.0.1\r\nCookie: {cookie}\r\n"
                "Accept: application/json\r\n\r\n"
            )
            began = time.perf_counter()
            writer.write(request.encode())
            status, headers, body = await _read_response(reader)
            arrived = time.time()
            screen.samples.append((arrived, time.perf_counter() - began, len(body)))
            if status != 200:
                screen.error(f"http_{status}")
            else:
                screen.saw(body, arrived)
                found = CURSOR_RE.search(body)
                if found:
                    cursor = found.group(1).decode()
            if headers.get("connection", "").lower() == "close":
                writer.close()
                conn = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            screen.error("connection")
            if conn is not None:
                conn[1].close()
            conn = None
        await asyncio.sleep(POLL_INTERVAL)
    if conn is not None:
        conn[1].close()


async def sse_screen(screen: Screen, port: int, cookie: str, start: float) -> None:
    """EventSource: one long GET; on a broken stream, reconnect with the last cursor."""
    await _sleep_until(start)
    cursor = _iso_now()
    while not _stopping():
        writer = None
        try:
            began = time.perf_counter()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                (
                    f"GET /ruang-kendali/stream?since={quote(cursor)} HTTP/1.1\r\n"
                    f"Host: 127.0.0.1\r\nCookie: {cookie}\r\n"
                    "Accept: text/event-stream\r\n\r\n"
                ).encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            if status != 200:
                screen.error(f"http_{status}")
                await asyncio.sleep(1.0)
                continue
            first = True
            buffer = b""
            while not _stopping():
                try:
                    line = await asyncio.wait_for(reader.readline(), 0.5)
                except TimeoutError:
                    continue
                size = int(line.split(b";")[0], 16)
                chunk = await reader.readexactly(size + 2)
                if size == 0:
                    screen.error("stream_ended")
                    break
                arrived = time.time()
                if first:
                    screen.connects.append(time.perf_counter() - began)
                    first = False
                screen.samples.append((arrived, -1.0, size))
                buffer += chunk[:-2]
                *complete, buffer = buffer.split(b"\n\n")
                for message in complete:
                    screen.saw(message, arrived)
                    found = CURSOR_RE.search(message)
                    if found:
                        cursor = found.group(1).decode()
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            screen.error("connection")
            await asyncio.sleep(1.0)
        finally:
            if writer is not None:
                writer.close()


def clients(mode: str, port: int, cookies: list[str], start: float) -> dict[str, Any]:
    """Run the screens until the parent writes the stop time on stdin."""
    screens = [Screen() for _ in cookies]
    run = poll_screen if mode == "poll" else sse_screen

    def read_stop() -> None:
        STOP_AT[0] = float(sys.stdin.readline() or 0)

    threading.Thread(target=read_stop, daemon=True).start()

    async def main() -> None:
        # Screens start spread over one poll interval, as screens switched on at random would.
        await asyncio.gather(
            *(
                run(screen, port, cookie, start + i * POLL_INTERVAL / len(cookies))
                for i, (screen, cookie) in enumerate(zip(screens, cookies, strict=True))
            )
        )

    asyncio.run(main())
    return {
        "screens": [
            {
                "first_seen": s.first_seen,
                "samples": s.samples,
                "connects": s.connects,
                "errors": s.errors,
            }
            for s in screens
        ]
    }


# CPU accounting from /proc -----------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from 3 (state) on


def cpu_seconds(pid: int) -> float | None:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields else None


def session_pids(sid: int) -> list[int]:
    """Processes of the session a server was started in (master and workers)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields and int(fields[3]) == sid:
                pids.append(int(entry))
    return pids


def pids_named(name: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if Path(f"/proc/{entry}/comm").read_text().strip() == name:
                    found.append(int(entry))
    return found


class CpuMeter:
    """CPU seconds used by groups of processes between start() and stop(), sampled every
    0.5 s so processes that appear meanwhile are counted from their first sample (from zero
    when they were born inside the window)."""

    def __init__(self, groups: dict[str, Any]) -> None:
        self.groups = groups  # name -> callable returning the group's current pids
        self.first: dict[tuple[str, int], float] = {}
        self.last: dict[tuple[str, int], float] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.began = self.ended = 0.0

    def _sample(self, initial: bool) -> None:
        for name, lister in self.groups.items():
            for pid in lister():
                value = cpu_seconds(pid)
                if value is None:
                    continue
                key = (name, pid)
                if key not in self.first:
                    self.first[key] = value if initial else 0.0
                self.last[key] = value

    def _loop(self) -> None:
        while not self.stopping.wait(0.5):
            self._sample(False)

    def start(self) -> None:
        self.began = time.monotonic()
        self._sample(True)
        self.thread.start()

    def stop(self) -> dict[str, float]:
        self._sample(False)
        self.ended = time.monotonic()
        self.stopping.set()
        self.thread.join()
        seconds = self.ended - self.began
        used = {name: 0.0 for name in self.groups}
        for (name, pid), value in self.last.items():
            used[name] += value - self.first[(name, pid)]
        return {name: round(total / seconds, 4) for name, total in used.items()}


def db_backends(exclude: set[int]) -> Any:
    import common

    conn = common.connect(DB)
    exclude = exclude | {conn.info.backend_pid}

    def lister() -> list[int]:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB])
        return [pid for (pid,) in rows.fetchall() if pid not in exclude]

    return lister, conn


# Servers -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def uvicorn_server(db: str) -> Iterator[Any]:
    """The stream process under uvicorn, one process, started and stopped like common.gunicorn."""
    import common

    port = common.free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept for the server's lifetime
        prefix="uvicorn-wall-", suffix=".log", delete=False
    )
    env = common.bench_env(db)
    env.update(DJANGO_SETTINGS_MODULE="terang.settings", CONN_MAX_AGE="0")
    process = subprocess.Popen(
        [
            str(common.BIN / "uvicorn"),
            "terang.asgi_streams:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "on",
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=common.REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = common.Server(db_name=db, port=port, process=process, log_path=Path(log.name))
    try:
        common._wait_ready(server)
        yield server
    finally:
        common._stop(process)
        log.close()


# One case ----------------------------------------------------------------------------------------


def _child(args: list[str], **kwargs: Any) -> subprocess.Popen[str]:
    import common

    return subprocess.Popen(
        [str(common.PYTHON), str(Path(__file__)), *args],
        cwd=common.REPO,
        env=common.bench_env(DB),
        text=True,
        **kwargs,
    )


def run_case(
    transport: str, server: Any, cookie_name: str, cookies: list[str], duration: float
) -> dict[str, Any]:
    """Screens connect and settle (all streams open, for sse), then the measured window: the
    writer writes for `duration` s while CPU is metered; screens listen GRACE s longer."""
    import common

    writer_proc = _child(
        ["writer", "--every", str(WRITE_EVERY), "--duration", str(duration)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert writer_proc.stdout is not None and writer_proc.stdin is not None
    ready = writer_proc.stdout.readline()
    if not ready.startswith("READY "):
        raise SystemExit(f"writer failed to start: {ready}")
    writer_backend = json.loads(ready.removeprefix("READY "))["backend_pid"]
    start = time.time() + 1.0  # the load generator's interpreter starts meanwhile
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
        json.dump({"cookie_name": cookie_name, "cookies": cookies}, spec)
    client_proc = _child(
        [
            "clients",
            "--mode",
            transport,
            "--port",
            str(server.port),
            "--spec",
            spec.name,
            "--start",
            str(start),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert client_proc.stdin is not None
    time.sleep(max(0.0, start + WARMUP - time.time()))
    settle = time.time()
    if transport == "sse":
        # Connecting goes through the sync middleware under ASGI: let every stream open first.
        deadline = time.time() + 60
        while time.time() < deadline:
            # Reading the stats also resets the hub's timings.
            hub = json.loads(common.get(server.port, "/ruang-kendali/stream/stats")[1])
            if hub["subscribers"] >= len(cookies):
                break
            time.sleep(0.5)
    settle = time.time() - settle
    lister, meter_conn = db_backends({writer_backend})
    redis = pids_named("redis-server")
    meter = CpuMeter(
        {
            "server": lambda: session_pids(server.process.pid),
            "db": lister,
            "client": lambda: [client_proc.pid],
            "redis": lambda: redis,
        }
    )
    window_start = time.time() + 0.2
    window_end = window_start + duration
    writer_proc.stdin.write(f"{window_start}\n")
    writer_proc.stdin.flush()
    load_before = os.getloadavg()[0]
    time.sleep(max(0.0, window_start - time.time()))
    meter.start()
    time.sleep(max(0.0, window_end - time.time()))
    cpu = meter.stop()
    meter_conn.close()
    written = json.loads(writer_proc.communicate(timeout=60)[0].strip().splitlines()[-1])
    client_proc.stdin.write(f"{window_end + GRACE}\n")
    client_proc.stdin.flush()
    seen = json.loads(client_proc.communicate(timeout=180)[0].strip().splitlines()[-1])
    os.unlink(spec.name)
    result = summarize(
        transport, len(cookies), (window_start, window_end), written, seen, cpu, common
    )
    result["load_avg_before"] = round(load_before, 2)
    result["extra_settle_s"] = round(settle, 1)
    if transport == "sse":
        status, body = common.get(server.port, "/ruang-kendali/stream/stats")
        result["hub"] = json.loads(body) if status == 200 else {"status": status}
    return result


def summarize(
    transport: str,
    screens: int,
    window: tuple[float, float],
    written: dict[str, Any],
    seen: dict[str, Any],
    cpu: dict[str, float],
    common: Any,
) -> dict[str, Any]:
    events = written["events"]
    delays: list[float] = []
    missing = 0
    for screen in seen["screens"]:
        for event in events:
            at = screen["first_seen"].get(event["code"])
            if at is None:
                missing += 1
            else:
                delays.append(max(0.0, at - event["committed"]))
    begin, end = window
    seconds = end - begin
    inside = [s for screen in seen["screens"] for s in screen["samples"] if begin <= s[0] < end]
    latencies = [latency for _at, latency, _size in inside if latency >= 0]
    connects = [c for screen in seen["screens"] for c in screen["connects"]]
    errors: dict[str, int] = {}
    for screen in seen["screens"]:
        for kind, count in screen["errors"].items():
            errors[kind] = errors.get(kind, 0) + count
    total = cpu["server"] + cpu["db"]
    return {
        "transport": transport,
        "screens": screens,
        "duration_s": round(seconds, 1),
        "events_written": len(events),
        "writer_late": written["late"],
        "delivery": {
            **(common.summarize_ms(delays) if delays else {"n": 0}),
            "pairs": len(events) * screens,
            "undelivered": missing,
        },
        "request": common.summarize_ms(latencies) if latencies else None,
        "connect": common.summarize_ms(connects) if connects else None,
        "responses_per_s": round(len(inside) / seconds, 1),
        "received_mb_per_s": round(sum(size for *_x, size in inside) / seconds / 1e6, 2),
        "errors": errors,
        "cpu_per_s": {**cpu, "server_plus_db": round(total, 4)},
        "cpu_ms_per_screen_per_s": round(total * 1000 / screens, 2),
    }


# Bookkeeping -------------------------------------------------------------------------------------


def high_water() -> dict[str, int]:
    import common
    from psycopg import sql

    with common.connect(DB) as conn:
        return {
            t: conn.execute(
                sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(t))
            ).fetchone()[0]
            for t in TOUCHED_TABLES
        }


def cleanup(mark: dict[str, int], sessions: list[str], *, vacuum: bool) -> None:
    """Delete what a case wrote (children first) so every case and the cached data set start
    from the same 100,000 rows."""
    import common
    from psycopg import sql

    with common.connect(DB) as conn:
        conn.execute(
            "DELETE FROM aspirations_aspirationevent WHERE aspiration_id > %s OR id > %s",
            [mark["aspirations_aspiration"], mark["aspirations_aspirationevent"]],
        )
        for table in ("core_auditentry", "core_notification", "aspirations_aspiration"):
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE id > %s").format(sql.Identifier(table)), [mark[table]]
            )
        if sessions:
            conn.execute("DELETE FROM django_session WHERE session_key = ANY(%s)", [sessions])
        if vacuum:
            for table in TOUCHED_TABLES:
                conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))


# Report ------------------------------------------------------------------------------------------


def report(cases: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    import common

    rows = []
    for case in cases:
        d, c = case["delivery"], case["cpu_per_s"]
        r = case["request"] or case["connect"] or {}
        rows.append(
            [
                f"{case['transport']} x{case['screens']}",
                case["events_written"],
                f"{d.get('p50_ms', 0):.0f}",
                f"{d.get('p95_ms', 0):.0f}",
                f"{d.get('max_ms', 0):.0f}",
                d["undelivered"],
                f"{r.get('p50_ms', 0):.0f}",
                f"{r.get('p95_ms', 0):.0f}",
                f"{case['responses_per_s']:.0f}",
                f"{case['received_mb_per_s']:.1f}",
                f"{c['server']:.3f}",
                f"{c['db']:.3f}",
                f"{c['server_plus_db']:.3f}",
                f"{case['cpu_ms_per_screen_per_s']:.1f}",
                f"{c['client']:.2f}",
                sum(case["errors"].values()),
            ]
        )
    text = common.table(
        rows,
        [
            "case",
            "events",
            "deliv p50",
            "p95",
            "max",
            "undeliv",
            "req p50",
            "p95",
            "msg/s",
            "MB/s",
            "cpu srv/s",
            "db/s",
            "total/s",
            "ms/screen/s",
            "client/s",
            "errors",
        ],
    )
    text += (
        "\n(req = each poll GET; for sse, connect to first byte. msg/s and MB/s: responses"
        " or pushes received by all screens.)"
    )
    ratios: dict[str, Any] = {}
    by = {(c["transport"], c["screens"]): c for c in cases}
    ratio_rows = []
    for screens in sorted({c["screens"] for c in cases}):
        poll, sse = by.get(("poll", screens)), by.get(("sse", screens))
        if not poll or not sse:
            continue
        entry = {
            "cpu_sse_vs_poll": common.ratio(
                sse["cpu_per_s"]["server_plus_db"], poll["cpu_per_s"]["server_plus_db"]
            ),
            "delivery_p50_sse_vs_poll": common.ratio(
                sse["delivery"].get("p50_ms", 0), poll["delivery"].get("p50_ms", 0)
            ),
            "delivery_p95_sse_vs_poll": common.ratio(
                sse["delivery"].get("p95_ms", 0), poll["delivery"].get("p95_ms", 0)
            ),
            "cpu_poll_ms_per_screen": poll["cpu_ms_per_screen_per_s"],
            "cpu_sse_ms_per_screen": sse["cpu_ms_per_screen_per_s"],
        }
        ratios[str(screens)] = entry
        ratio_rows.append(
            [
                screens,
                f"{entry['cpu_sse_vs_poll']}",
                entry["cpu_poll_ms_per_screen"],
                entry["cpu_sse_ms_per_screen"],
                f"{entry['delivery_p50_sse_vs_poll']}",
                f"{entry['delivery_p95_sse_vs_poll']}",
            ]
        )
    text += "\n\n" + common.table(
        ratio_rows,
        [
            "screens",
            "CPU sse/poll",
            "poll ms/screen/s",
            "sse ms/screen/s",
            "deliv p50 sse/poll",
            "deliv p95 sse/poll",
        ],
    )
    return text, ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    prep = sub.add_parser("prepare")
    prep.add_argument("--screens", type=int, required=True)
    wri = sub.add_parser("writer")
    wri.add_argument("--every", type=float, required=True)
    wri.add_argument("--duration", type=float, required=True)
    cli = sub.add_parser("clients")
    cli.add_argument("--mode", choices=["poll", "sse"], required=True)
    cli.add_argument("--port", type=int, required=True)
    cli.add_argument("--spec", required=True)
    cli.add_argument("--start", type=float, required=True)
    parser.add_argument("--quick", action="store_true", help="10 and 50 screens, 6 s per case")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of writing per case")
    parser.add_argument("--screens", default="10,50,200")
    args = parser.parse_args()

    if args.command == "prepare":
        _setup_django()
        print(json.dumps(prepare(args.screens)))
        return 0
    if args.command == "writer":
        _setup_django()
        writer(args.every, args.duration)
        return 0
    if args.command == "clients":
        spec = json.loads(Path(args.spec).read_text())
        cookie_name = spec.get("cookie_name", "sessionid")
        cookies = [f"{cookie_name}={c}" for c in spec["cookies"]]
        print(json.dumps(clients(args.mode, args.port, cookies, args.start)))
        return 0
    return orchestrate(args)


def orchestrate(args: argparse.Namespace) -> int:
    import common

    if not (common.BIN / "uvicorn").exists():
        print(
            "uvicorn is missing: .venv/bin/pip install uvicorn (bench-only dependency)",
            file=sys.stderr,
        )
        return 2
    started = time.monotonic()
    sizes = [10, 50] if args.quick else [int(x) for x in args.screens.split(",")]
    duration = 6.0 if args.quick else args.duration
    dataset = common.ensure_dataset(DB, ROWS)
    print(
        f"data set: {DB} {'reused' if dataset['reused'] else 'generated'} in {dataset['seconds']} s"
    )
    common.flush_scratch_redis()
    prepared = common.run_child([str(Path(__file__)), "prepare", "--screens", str(max(sizes))], DB)
    if prepared["check_status"] != 200:
        raise SystemExit(f"GET /api/v1/wall answered {prepared['check_status']} to the operator")
    cookies = prepared["cookies"]
    print(f"wall payload: {prepared['payload_bytes']:,} bytes {prepared['payload_counts']}")
    print(
        "one poll, in-process, sequential (p50 ms, x /healthz): "
        + ", ".join(
            f"{name} {v['p50_ms']:.1f} ({v['vs_healthz']}x)"
            for name, v in prepared["anatomy"].items()
        )
    )
    mark = high_water()
    order = []
    for i, screens in enumerate(sizes):
        pair = ["poll", "sse"] if i % 2 == 0 else ["sse", "poll"]
        order += [(transport, screens) for transport in pair]
    cases = []
    try:
        with common.gunicorn(DB) as gunicorn, uvicorn_server(DB) as uvicorn:
            servers = {"poll": gunicorn, "sse": uvicorn}
            for transport, screens in order:
                print(f"  {transport} x{screens} ...", flush=True)
                cases.append(
                    run_case(
                        transport,
                        servers[transport],
                        prepared["cookie_name"],
                        cookies[:screens],
                        duration,
                    )
                )
                cleanup(mark, [], vacuum=False)
            logs = {name: s.log_tail(20) for name, s in servers.items()}
    finally:
        cleanup(mark, cookies, vacuum=True)
    text, ratios = report(cases)
    print()
    print(
        f"Wall transport, {duration:.0f} s of writes per case (one aspiration every "
        f"{WRITE_EVERY * 1000:.0f} ms), poll every {POLL_INTERVAL:.0f} s vs SSE hub tick "
        f"{SSE_TICK} s; delivery and request latencies in ms, CPU in seconds per second"
    )
    print(text)
    failed = [c for c in cases if c["delivery"]["undelivered"] or sum(c["errors"].values())]
    path = common.write_result(
        "wall_transport",
        {
            "quick": args.quick,
            "dataset": dataset,
            "payload": {"bytes": prepared["payload_bytes"], "counts": prepared["payload_counts"]},
            "poll_anatomy": prepared["anatomy"],
            "settings": {
                "write_every_s": WRITE_EVERY,
                "poll_interval_s": POLL_INTERVAL,
                "sse_tick_s": SSE_TICK,
                "warmup_s": WARMUP,
                "grace_s": GRACE,
                "duration_s": duration,
                "gunicorn": " ".join(common.GUNICORN_ARGS),
                "uvicorn": "1 process, h11, asyncio loop",
            },
            "cases": cases,
            "ratios": ratios,
            "server_log_tails": logs if failed else {},
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    print(f"\nwritten {path.relative_to(common.REPO)} in {time.monotonic() - started:.0f} s")
    if failed:
        print("NOTE: some cases had errors or undelivered events (see the JSON)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
