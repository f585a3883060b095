"""What the production-safety features cost, and what they buy, on the production command.

Every server here is `gunicorn terang.wsgi` gthread 2 x 8 with `TERANG_ENV=production` (keys
from `terang generate-keys`, `collectstatic` into a temporary STATIC_ROOT, ALLOWED_HOSTS
127.0.0.1, every request carrying `X-Forwarded-Proto: https` so nothing is redirected), on
`terang_bench_safety`, a copy of the 10k data set made for this run, with the cache (DB 0) and
the Celery broker (DB 1) on a private `redis-server` on its own port, which the benchmark can
stop and freeze. Each figure is a ratio against a baseline measured in the same run:

1. rate_limit   POST /api/v1/aspirations with RATE_LIMITS_ENABLED=false vs true, the
                policy rows raised so no request is refused (every create is still counted
                in Redis); two servers side by side, rounds alternated (ABBA).
2. redis_down   GET /aspirasi/ and creates with Redis up vs frozen (SIGSTOP: connections hang)
                vs stopped (refused). Each round runs up, frozen, stopped, then restarts
                Redis and waits until the per-process circuits have closed again.
3. db_hung      the database is a TCP server that accepts and never answers; 60 concurrent
                GET /aspirasi/ while /healthz is probed every 0.25 s, with the bulkhead
                (TERANG_REQUEST_SLOTS=6) vs without (0): the time until every page has its 503,
                and the slowest /healthz.
4. image_bomb   peak RSS of the gunicorn workers while 4 concurrent anonymous multipart
                submissions each carry a 10950 x 10950 PNG (466 KB on the wire, 360 MB as
                RGB; must be refused 422 photo_too_many_pixels) vs 4 carrying an ordinary
                12 Mpx phone JPEG (201). A fresh server per case, its high-water mark reset
                after warm-up.

    .venv/bin/python bench/bench_safety.py [--duration 5] [--rounds 4] [--quick]
        [--only rate_limit,redis_down,db_hung,image_bomb]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import common
import psycopg
from bench_create import make_bodies

SOURCE_DB = "terang_bench_10k"
SOURCE_ROWS = 10_000
DB = "terang_bench_safety"
CONNECTIONS = 64  # creates, as bench_create.py
# The HTML list costs ~10x a create in CPU: 64 connections would queue seconds deep and a 5 s
# run would count only the first completions. 16 = the server's 2 x 8 threads.
PAGE_CONNECTIONS = 16
PAGE = "/aspirasi/"
CREATE = "/api/v1/aspirations"
CREATE_WITH_PHOTOS = "/api/v1/aspirations/with-photos"
HTTPS = ("X-Forwarded-Proto", "https")
RAISED_LIMIT = 1_000_000_000
SCENARIOS = ("rate_limit", "redis_down", "db_hung", "image_bomb")
BOMB_SIDE = 10950
PHOTO_SIZE = (4032, 3024)  # a 12 Mpx phone camera
BURST = 60
# The circuits reopen Redis within core.degrade.RETRY_SECONDS (5 s, on the next request) and
# the rate limiter counts in Redis again SHARED_RETRY_SECONDS (15 s) after its last failure.
REDIS_SETTLE_SECONDS = 16


# HTTP -------------------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> tuple[int | str, dict[str, str], bytes, float]:
    """(status or the exception's name, headers, body, seconds) of one request, new connection."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            method, path, body=body or None, headers={HTTPS[0]: HTTPS[1], **(headers or {})}
        )
        response = conn.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data, time.perf_counter() - started
    except (OSError, http.client.HTTPException) as exc:
        return type(exc).__name__, {}, b"", time.perf_counter() - started
    finally:
        conn.close()


def get_lua(path: str) -> str:
    return f'wrk.headers["{HTTPS[0]}"] = "{HTTPS[1]}"\nwrk.path = "{path}"\n'


def create_lua(bodies: list[dict[str, Any]]) -> str:
    items = ",\n".join(f"[==[{json.dumps(b, ensure_ascii=False)}]==]" for b in bodies)
    return f"""
local bodies = {{
{items}
}}
local n = 0
request = function()
  n = n + 1
  local headers = {{["Content-Type"] = "application/json", ["{HTTPS[0]}"] = "{HTTPS[1]}"}}
  return wrk.format("POST", "{CREATE}", headers, bodies[(n + tid * 17) % #bodies + 1])
end
"""


def load(
    label: str, port: int, case: str, seconds: int, bodies: list[dict[str, Any]]
) -> common.LoadResult:
    """`case` "page" (GET /aspirasi/) or "create" (JSON creates), 64 connections for `seconds`;
    wrk's report of non-2xx bodies (stderr) is kept in the result."""
    if common.have_wrk():
        captured = io.StringIO()
        with contextlib.redirect_stderr(captured):
            result = common.run_wrk(
                label,
                f"http://127.0.0.1:{port}{PAGE if case == 'page' else CREATE}",
                lua_body=get_lua(PAGE) if case == "page" else create_lua(bodies),
                duration=seconds,
                connections=PAGE_CONNECTIONS if case == "page" else CONNECTIONS,
            )
        if captured.getvalue():
            result.extra["non2xx_samples"] = captured.getvalue().splitlines()[:6]
            sys.stderr.write(captured.getvalue())
        return result
    encoded = [json.dumps(b, ensure_ascii=False).encode() for b in bodies]

    def make(thread: int, i: int) -> common.RequestSpec:
        if case == "page":
            return common.RequestSpec("GET", PAGE, b"", (HTTPS,))
        return common.RequestSpec(
            "POST",
            CREATE,
            encoded[(i + thread * 17) % len(encoded)],
            (("Content-Type", "application/json"), HTTPS),
        )

    return common.run_threads(
        label,
        port,
        make,
        duration=seconds,
        connections=PAGE_CONNECTIONS if case == "page" else CONNECTIONS,
    )


def merge(label: str, parts: list[common.LoadResult]) -> common.LoadResult:
    """Totals over the rounds; latency percentiles are the median round's, max the max."""
    requests = sum(p.requests for p in parts)
    extra: dict[str, Any] = {"rounds_req_per_s": [round(p.rps, 1) for p in parts]}
    samples = [s for p in parts for s in p.extra.get("non2xx_samples", [])]
    if samples:
        extra["non2xx_samples"] = samples[:6]
    if any("rows_created" in p.extra for p in parts):
        extra["rows_created"] = sum(p.extra.get("rows_created", 0) for p in parts)
    return common.LoadResult(
        label=label,
        requests=requests,
        seconds=sum(p.seconds for p in parts),
        non2xx=sum(p.non2xx for p in parts),
        socket_errors=sum(p.socket_errors for p in parts),
        p50_ms=statistics.median(p.p50_ms for p in parts),
        p90_ms=statistics.median(p.p90_ms for p in parts),
        p95_ms=statistics.median(p.p95_ms or 0.0 for p in parts),
        p99_ms=statistics.median(p.p99_ms for p in parts),
        mean_ms=sum(p.mean_ms * p.requests for p in parts) / requests if requests else 0.0,
        max_ms=max(p.max_ms for p in parts),
        tool=parts[0].tool,
        extra=extra,
    )


def median_ratio(nums: list[common.LoadResult], dens: list[common.LoadResult]) -> dict[str, Any]:
    per_round = [common.ratio(a.rps, b.rps) or 0.0 for a, b in zip(nums, dens, strict=True)]
    return {"median": round(statistics.median(per_round), 3), "per_round": per_round}


# Processes --------------------------------------------------------------------------------------


class PrivateRedis:
    """A redis-server of our own on a free port, to stop and freeze without touching 6379."""

    def __init__(self, workdir: Path) -> None:
        self.port = common.free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None
        self.frozen = False

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
                "--logfile",
                str(self.workdir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.frozen = False
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.client_call(lambda c: c.ping()):
                return
            time.sleep(0.05)
        raise SystemExit("private redis-server did not start")

    def client_call(self, call: Callable[[Any], Any], db: int = 0) -> Any:
        import redis

        client = redis.Redis.from_url(self.url(db), socket_timeout=2, socket_connect_timeout=2)
        try:
            return call(client)
        except redis.exceptions.RedisError:
            return None
        finally:
            client.close()

    def freeze(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        if self.process is not None and self.frozen:
            os.kill(self.process.pid, signal.SIGCONT)
        self.frozen = False

    def stop(self) -> None:
        if self.process is None:
            return
        self.thaw()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and not self.frozen


class HungDatabase:
    """Accepts TCP connections on a free port and never answers: PostgreSQL that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1024)
        self.port = int(self.sock.getsockname()[1])
        self.held: list[socket.socket] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self._stop = True
        self.sock.close()
        for conn in self.held:
            conn.close()


@dataclass
class Production:
    """Everything a production-like server needs besides its database and settings."""

    keys: dict[str, str]
    static_root: Path
    media_root: Path
    redis: PrivateRedis

    def env(
        self, *, rate_limits: bool = True, slots: int | None = None, database_url: str = ""
    ) -> dict[str, str]:
        env = common.bench_env(DB)
        env.pop("TERANG_REQUEST_SLOTS", None)
        env.update(
            TERANG_ENV="production",
            ALLOWED_HOSTS="127.0.0.1",
            STATIC_ROOT=str(self.static_root),
            MEDIA_ROOT=str(self.media_root),
            REDIS_URL=self.redis.url(0),
            CELERY_BROKER_URL=self.redis.url(1),
            RATE_LIMITS_ENABLED="true" if rate_limits else "false",
            LOG_LEVEL="WARNING",
            **self.keys,
        )
        if slots is not None:
            env["TERANG_REQUEST_SLOTS"] = str(slots)
        if database_url:
            env["DATABASE_URL"] = database_url
        return env


def dev_secret_key() -> str:
    """The development key the data set's contacts were encrypted with (settings.py)."""
    text = (common.REPO / "src" / "terang" / "settings.py").read_text()
    found = re.search(r'^DEV_SECRET_KEY = "([^"]+)"', text, re.MULTILINE)
    if not found:
        raise SystemExit("DEV_SECRET_KEY not found in settings.py")
    return found.group(1)


def terang(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(
        [str(common.BIN / "terang"), *args],
        cwd=common.REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"terang {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def clone_database() -> None:
    """terang_bench_safety: a fresh copy of the 10k data set, with every limit raised."""
    common.drop_database(DB)
    with psycopg.connect(common.PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{DB}" TEMPLATE "{SOURCE_DB}"')


def raise_limits() -> dict[str, Any]:
    with common.connect(DB) as conn:
        rows = conn.execute(
            "UPDATE core_ratelimitpolicy SET per_source = %s, per_account = %s RETURNING action",
            [RAISED_LIMIT, RAISED_LIMIT],
        ).fetchall()
    actions = sorted(r[0] for r in rows)
    for needed in ("aspiration_submit", "photo_upload"):
        if needed not in actions:
            raise SystemExit(f"no core_ratelimitpolicy row for {needed}: nothing to raise")
    return {"raised_to": RAISED_LIMIT, "actions": actions}


def max_aspiration_id() -> int:
    with common.connect(DB) as conn:
        return int(
            conn.execute("SELECT coalesce(max(id), 0) FROM aspirations_aspiration").fetchone()[0]
        )


def rows_since(mark: int, settle: float = 2.0) -> int:
    """Rows created since `mark`, once none appear for `settle` s (queued requests finish)."""
    with common.connect(DB) as conn:
        count = -1
        while True:
            now = int(
                conn.execute(
                    "SELECT count(*) FROM aspirations_aspiration WHERE id > %s", [mark]
                ).fetchone()[0]
            )
            if now == count:
                return now
            count = now
            time.sleep(settle)


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry.name))
    return sorted(pids)


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Reset the process's VmHWM to its current RSS (Linux >= 4.0, our own processes)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def log_of(server: common.Server) -> str:
    return server.log_path.read_text(errors="replace")


# 1. Rate limiting on the create path -----------------------------------------------------------


def bench_rate_limit(
    prod: Production, bodies: list[dict[str, Any]], seconds: int, rounds: int
) -> dict[str, Any]:
    runs: dict[str, list[common.LoadResult]] = {"off": [], "on": []}
    prod.redis.client_call(lambda c: c.flushdb())
    load_before = os.getloadavg()[0]
    with (
        common.gunicorn(DB, prod.env(rate_limits=False)) as off,
        common.gunicorn(DB, prod.env(rate_limits=True)) as on,
    ):
        servers = {"off": off, "on": on}
        for name, server in servers.items():
            load(f"warm-{name}", server.port, "create", 3, bodies)
        rows_since(max_aspiration_id())  # let the warm-up's queued creates finish
        counted_before = rate_limit_count(prod.redis)
        for n in range(rounds):
            order = ["off", "on"] if n % 4 in (0, 3) else ["on", "off"]
            for name in order:
                mark = max_aspiration_id()
                result = load(name, servers[name].port, "create", seconds, bodies)
                result.extra["rows_created"] = rows_since(mark)
                runs[name].append(result)
        counted = rate_limit_count(prod.redis) - counted_before
        logs = {name: log_of(server) for name, server in servers.items()}
    load_after = os.getloadavg()[0]
    merged = {name: merge(name, parts) for name, parts in runs.items()}
    on_rows = merged["on"].extra["rows_created"]
    return {
        "seconds_per_run": seconds,
        "rounds": rounds,
        "load_avg": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "runs": {name: r.as_dict() for name, r in merged.items()},
        "ratio_on_vs_off": median_ratio(runs["on"], runs["off"]),
        "redis_counter": {
            "counted_by_limiter": counted,
            "rows_created_with_limits_on": on_rows,
            "every_create_counted": counted >= on_rows,
        },
        "_logs": logs,
        "_results": merged,
    }


def rate_limit_count(redis_server: PrivateRedis) -> int:
    """Sum of every rate-limit counter in the cache (only aspiration_submit counts here)."""

    def total(client: Any) -> int:
        keys = list(client.scan_iter(match="*terang:rl:*"))
        return sum(int(v) for v in client.mget(keys) if v is not None) if keys else 0

    return int(redis_server.client_call(total) or 0)


# 2. Redis down ----------------------------------------------------------------------------------

REDIS_STATES = ("up", "frozen", "stopped")


def set_redis(redis_server: PrivateRedis, state: str) -> None:
    if state == "up":
        if redis_server.process is None:
            redis_server.start()
        redis_server.thaw()
    elif state == "frozen":
        if redis_server.process is None:
            redis_server.start()
        redis_server.freeze()
    else:
        redis_server.stop()


def bench_redis_down(
    prod: Production, bodies: list[dict[str, Any]], seconds: int, rounds: int
) -> dict[str, Any]:
    runs: dict[str, list[common.LoadResult]] = {
        f"{case}:{state}": [] for state in REDIS_STATES for case in ("page", "create")
    }
    set_redis(prod.redis, "up")
    load_before = os.getloadavg()[0]
    try:
        with common.gunicorn(DB, prod.env(rate_limits=True)) as server:
            for case in ("page", "create"):
                load("warm", server.port, case, 3, bodies)
            rows_since(max_aspiration_id())
            for n in range(rounds):
                if n:
                    set_redis(prod.redis, "up")
                    time.sleep(REDIS_SETTLE_SECONDS)
                    for case in ("page", "create"):
                        load("warm", server.port, case, 1, bodies)
                    rows_since(max_aspiration_id())
                for state in REDIS_STATES:
                    set_redis(prod.redis, state)
                    for case in ("page", "create") if n % 2 == 0 else ("create", "page"):
                        mark = max_aspiration_id()
                        result = load(f"{case}:{state}", server.port, case, seconds, bodies)
                        if case == "create":
                            result.extra["rows_created"] = rows_since(mark)
                        runs[f"{case}:{state}"].append(result)
            set_redis(prod.redis, "up")
            time.sleep(1)
            ready = request(server.port, "GET", "/readyz")
            log = log_of(server)
    finally:
        set_redis(prod.redis, "up")
    load_after = os.getloadavg()[0]
    merged = {name: merge(name, parts) for name, parts in runs.items()}
    ratios = {
        f"{case}_{state}_vs_up": median_ratio(runs[f"{case}:{state}"], runs[f"{case}:up"])
        for case in ("page", "create")
        for state in ("frozen", "stopped")
    }
    warnings = [
        line for line in log.splitlines() if "unavailable" in line or "available again" in line
    ]
    return {
        "seconds_per_run": seconds,
        "rounds": rounds,
        "order": "per round: up, frozen, stopped; Redis restarted and "
        f"{REDIS_SETTLE_SECONDS} s settle before the next round's up",
        "load_avg": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "runs": {name: r.as_dict() for name, r in merged.items()},
        "ratios_req_per_s": ratios,
        "readyz_after_recovery": {
            "status": ready[0],
            "body": ready[2][:200].decode(errors="replace"),
        },
        "degrade_log_lines": warnings[:12],
        "_logs": {"redis_down": log},
        "_results": merged,
    }


# 3. Database hung --------------------------------------------------------------------------------


def burst(port: int, count: int, timeout: float) -> dict[str, Any]:
    """`count` concurrent page GETs, /healthz probed every 0.25 s (each probe on its own thread,
    as a load balancer does) until every page has answered."""
    pages: list[tuple[int | str, float, str]] = [("", 0.0, "")] * count
    probes: list[tuple[int | str, float]] = []
    gate = threading.Barrier(count + 1)

    def page(i: int) -> None:
        gate.wait()
        status, headers, _body, seconds = request(port, "GET", PAGE, timeout=timeout)
        pages[i] = (status, seconds, headers.get("Retry-After", ""))

    def probe() -> None:
        status, _h, _b, seconds = request(port, "GET", "/healthz", timeout=timeout)
        probes.append((status, seconds))

    threads = [threading.Thread(target=page, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    gate.wait()
    began = time.monotonic()
    probe_threads = []
    while any(t.is_alive() for t in threads):
        probe_thread = threading.Thread(target=probe)
        probe_thread.start()
        probe_threads.append(probe_thread)
        time.sleep(0.25)
    all_answered = time.monotonic() - began
    for thread in probe_threads:
        thread.join()
    statuses: dict[str, int] = {}
    for status, _s, _r in pages:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    page_seconds = [s for _st, s, _r in pages]
    probe_seconds = [s for _st, s in probes]
    return {
        "pages": count,
        "page_statuses": statuses,
        "retry_after": sorted({r for _s, _t, r in pages}),
        "time_to_answer_s": {
            "max": round(max(page_seconds), 2),
            "p50": round(statistics.median(page_seconds), 2),
            "min": round(min(page_seconds), 2),
        },
        "all_answered_after_s": round(all_answered, 2),
        "healthz": {
            "probes": len(probes),
            "failed": sum(1 for st, _s in probes if st != 200),
            "max_ms": round(max(probe_seconds) * 1000, 1),
            "p50_ms": round(statistics.median(probe_seconds) * 1000, 1),
        },
    }


def bench_db_hung(prod: Production, rounds: int) -> dict[str, Any]:
    set_redis(prod.redis, "up")
    cases: dict[str, list[dict[str, Any]]] = {"slots_6": [], "slots_0": []}
    logs = {}
    for n in range(rounds):
        for name in ("slots_6", "slots_0") if n % 2 == 0 else ("slots_0", "slots_6"):
            hung = HungDatabase()
            try:
                url = f"postgres://postgres@127.0.0.1:{hung.port}/{DB}"
                slots = int(name.split("_")[1])
                with common.gunicorn(DB, prod.env(slots=slots, database_url=url)) as server:
                    result = burst(server.port, BURST, timeout=90)
                    result["database_connections_accepted"] = len(hung.held)
                    result["load_avg_1m"] = round(os.getloadavg()[0], 2)
                    logs[name] = log_of(server)
                cases[name].append(result)
            finally:
                hung.close()

    def worst(name: str, *path: str) -> float:
        values = []
        for result in cases[name]:
            value: Any = result
            for key in path:
                value = value[key]
            values.append(value)
        return max(values)

    return {
        "burst": BURST,
        "page": PAGE,
        "rounds": rounds,
        "db_connect_timeout_s": 3,
        "cases": cases,
        "ratios": {
            "time_to_503_max_slots6_vs_slots0": common.ratio(
                worst("slots_6", "time_to_answer_s", "max"),
                worst("slots_0", "time_to_answer_s", "max"),
            ),
            "healthz_max_slots6_vs_slots0": common.ratio(
                worst("slots_6", "healthz", "max_ms"), worst("slots_0", "healthz", "max_ms")
            ),
        },
        "_logs": logs,
    }


# 4. Image bomb -----------------------------------------------------------------------------------


def png_bomb(path: Path, side: int = BOMB_SIDE) -> Path:
    """A valid RGB PNG of side x side black pixels: tiny on disk, side^2 x 3 bytes decoded."""
    if path.exists():
        return path

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * side)  # filter byte "none" + RGB
    parts = [compressor.compress(row) for _ in range(side)]
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )
    return path


def phone_photo(path: Path) -> Path:
    """A 12 Mpx JPEG with photo-like smooth content (a few MB, like a phone's)."""
    from PIL import Image

    if path.exists():
        return path
    small = Image.frombytes(
        "RGB",
        (PHOTO_SIZE[0] // 8, PHOTO_SIZE[1] // 8),
        os.urandom(PHOTO_SIZE[0] // 8 * PHOTO_SIZE[1] // 8 * 3),
    )
    small.resize(PHOTO_SIZE, Image.Resampling.BICUBIC).save(path, "JPEG", quality=90)
    return path


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


def multipart(fields: dict[str, Any], photo: tuple[str, str, bytes]) -> tuple[bytes, str]:
    boundary = f"terangbench{time.time_ns()}"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    filename, content_type, data = photo
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
    )
    out.write(data + b"\r\n" + f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def submit_all(port: int, forms: list[tuple[bytes, str]]) -> list[tuple[int | str, bytes, float]]:
    results: list[tuple[int | str, bytes, float]] = [("", b"", 0.0)] * len(forms)
    gate = threading.Barrier(len(forms))

    def one(i: int) -> None:
        body, content_type = forms[i]
        gate.wait()
        status, _h, data, seconds = request(
            port,
            "POST",
            CREATE_WITH_PHOTOS,
            body=body,
            headers={"Content-Type": content_type},
            timeout=120,
        )
        results[i] = (status, data, seconds)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def anonymous_fields(bodies: list[dict[str, Any]], i: int) -> dict[str, Any]:
    body = dict(bodies[i % len(bodies)])
    body.pop("reporter_name", None)
    body.pop("reporter_contact", None)
    body["privacy"] = "anonymous"
    return body


def bench_image_bomb(
    prod: Production, bodies: list[dict[str, Any]], workdir: Path, rounds: int
) -> dict[str, Any]:
    set_redis(prod.redis, "up")
    files = {
        "bomb": ("bomb.png", "image/png", png_bomb(workdir / "bomb.png").read_bytes()),
        "ordinary": ("photo.jpg", "image/jpeg", phone_photo(workdir / "photo.jpg").read_bytes()),
    }
    warm = ("warm.png", "image/png", tiny_png())
    expected = {"bomb": 422, "ordinary": 201}
    cases: dict[str, list[dict[str, Any]]] = {"bomb": [], "ordinary": []}
    for n in range(rounds):
        for name in ("bomb", "ordinary") if n % 2 == 0 else ("ordinary", "bomb"):
            with common.gunicorn(DB, prod.env()) as server:
                # Both workers import Pillow and the submit path before the peak is reset.
                submit_all(
                    server.port, [multipart(anonymous_fields(bodies, i), warm) for i in range(8)]
                )
                for _ in range(4):
                    request(server.port, "GET", PAGE)
                pids = worker_pids(server.process.pid)
                reset = all(reset_peak(pid) for pid in pids)
                before = {pid: memory_kb(pid) for pid in pids}
                forms = [multipart(anonymous_fields(bodies, i), files[name]) for i in range(4)]
                answers = submit_all(server.port, forms)
                after = {pid: memory_kb(pid) for pid in pids}
                log = log_of(server)
            reasons = []
            for _status, data, _s in answers:
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    reasons.append(json.loads(data)["error"]["details"].get("reason", ""))
            growth = {pid: after[pid]["VmHWM"] - before[pid]["VmRSS"] for pid in pids}
            cases[name].append(
                {
                    "statuses": [a[0] for a in answers],
                    "all_expected_status": all(a[0] == expected[name] for a in answers),
                    "reasons": reasons,
                    "seconds": [round(a[2], 2) for a in answers],
                    "upload_bytes": len(files[name][2]),
                    "peak_reset": reset,
                    "workers": {
                        str(pid): {
                            "rss_before_mb": round(before[pid]["VmRSS"] / 1024, 1),
                            "peak_mb": round(after[pid]["VmHWM"] / 1024, 1),
                            "growth_mb": round(growth[pid] / 1024, 1),
                        }
                        for pid in pids
                    },
                    "peak_mb": round(max(a["VmHWM"] for a in after.values()) / 1024, 1),
                    "peak_growth_mb": round(max(growth.values()) / 1024, 1),
                    "sum_growth_mb": round(sum(growth.values()) / 1024, 1),
                    "traceback_in_log": "Traceback" in log,
                }
            )

    def med(name: str, key: str) -> float:
        return float(statistics.median(c[key] for c in cases[name]))

    return {
        "submissions": 4,
        "bomb": {
            "side": BOMB_SIDE,
            "bytes": len(files["bomb"][2]),
            "decoded_rgb_mb": round(BOMB_SIDE**2 * 3 / 2**20),
        },
        "ordinary": {"size": PHOTO_SIZE, "bytes": len(files["ordinary"][2])},
        "rounds": rounds,
        "cases": cases,
        "medians": {
            name: {k: med(name, k) for k in ("peak_mb", "peak_growth_mb", "sum_growth_mb")}
            for name in cases
        },
        "ratios": {
            "peak_bomb_vs_ordinary": common.ratio(
                med("bomb", "peak_mb"), med("ordinary", "peak_mb")
            ),
            "growth_bomb_vs_ordinary": common.ratio(
                med("bomb", "sum_growth_mb"), med("ordinary", "sum_growth_mb")
            ),
        },
    }


# Main ---------------------------------------------------------------------------------------------


def problems_of(results: dict[str, Any]) -> list[str]:
    problems = []
    for scenario in ("rate_limit", "redis_down"):
        for name, run in results.get(scenario, {}).get("_results", {}).items():
            if run.errors:
                problems.append(
                    f"{scenario} {name}: {run.non2xx} non-2xx, {run.socket_errors} socket errors"
                    + (
                        f" (e.g. {run.extra['non2xx_samples'][0]})"
                        if run.extra.get("non2xx_samples")
                        else ""
                    )
                )
            if "rows_created" in run.extra and not (
                run.requests - run.non2xx
                <= run.extra["rows_created"]
                <= run.requests - run.non2xx + CONNECTIONS * len(run.extra["rounds_req_per_s"])
            ):
                problems.append(
                    f"{scenario} {name}: {run.extra['rows_created']} rows for "
                    f"{run.requests - run.non2xx} completed creates"
                )
    rate = results.get("rate_limit")
    if rate and not rate["redis_counter"]["every_create_counted"]:
        problems.append(
            f"rate_limit: the limiter counted fewer creates than were made: {rate['redis_counter']}"
        )
    hung = results.get("db_hung")
    if hung:
        for name, runs in hung["cases"].items():
            for run in runs:
                if set(run["page_statuses"]) != {"503"}:
                    problems.append(
                        f"db_hung {name}: pages answered {run['page_statuses']}, not only 503"
                    )
                if run["healthz"]["failed"]:
                    problems.append(
                        f"db_hung {name}: {run['healthz']['failed']} /healthz probes failed"
                    )
    bomb = results.get("image_bomb")
    if bomb:
        for name, runs in bomb["cases"].items():
            for run in runs:
                if not run["all_expected_status"]:
                    problems.append(
                        f"image_bomb {name}: statuses {run['statuses']} ({run['reasons']})"
                    )
                if name == "bomb" and set(run["reasons"]) != {"photo_too_many_pixels"}:
                    problems.append(f"image_bomb bomb: refusal reasons {run['reasons']}")
    for scenario, result in results.items():
        for name, log in result.get("_logs", {}).items():
            if "Traceback" in log:
                problems.append(f"{scenario} {name}: server log has a traceback:\n{log[-2500:]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per load run and round")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of the rate-limit comparison")
    parser.add_argument("--redis-rounds", type=int, default=2, help="rounds of up/frozen/stopped")
    parser.add_argument("--db-rounds", type=int, default=1, help="rounds of slots 6 / slots 0")
    parser.add_argument("--image-rounds", type=int, default=2, help="rounds of bomb / ordinary")
    parser.add_argument("--only", default=",".join(SCENARIOS), help="comma-separated scenarios")
    parser.add_argument("--quick", action="store_true", help="short runs (smoke test)")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds, args.redis_rounds, args.image_rounds = 2, 2, 1, 1
    only = [s for s in args.only.split(",") if s]
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenarios: {sorted(unknown)}")
    if shutil.which("redis-server") is None:
        raise SystemExit("needs the redis-server binary (a private instance is stopped and frozen)")
    started = time.monotonic()

    dataset = common.ensure_dataset(SOURCE_DB, SOURCE_ROWS)
    clone_database()
    limits = raise_limits()
    bodies = make_bodies(DB)
    workdir = Path(tempfile.mkdtemp(prefix="terang-bench-safety-"))
    redis_server = PrivateRedis(workdir)
    results: dict[str, Any] = {}
    try:
        redis_server.start()
        keys = dict(
            line.split("=", 1)
            for line in terang(["generate-keys"], common.bench_env(DB)).split()
            if "=" in line
        )
        keys["FIELD_ENCRYPTION_OLD_KEYS"] = dev_secret_key()
        prod = Production(keys, workdir / "static", workdir / "media", redis_server)
        prod.static_root.mkdir()
        prod.media_root.mkdir()
        terang(["collectstatic", "--noinput", "-v", "0"], prod.env())
        setup_seconds = round(time.monotonic() - started, 1)
        print(
            f"setup {setup_seconds} s: {DB} copied from {SOURCE_DB}, limits raised, keys, "
            "collectstatic"
        )
        for scenario in only:
            began = time.monotonic()
            print(f"\n--- {scenario}", flush=True)
            if scenario == "rate_limit":
                results[scenario] = bench_rate_limit(prod, bodies, args.duration, args.rounds)
            elif scenario == "redis_down":
                results[scenario] = bench_redis_down(prod, bodies, args.duration, args.redis_rounds)
            elif scenario == "db_hung":
                results[scenario] = bench_db_hung(prod, args.db_rounds)
            else:
                results[scenario] = bench_image_bomb(prod, bodies, workdir, args.image_rounds)
            results[scenario]["scenario_seconds"] = round(time.monotonic() - began, 1)
            print(f"{scenario}: {results[scenario]['scenario_seconds']} s", flush=True)
    finally:
        redis_server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    problems = problems_of(results)
    report(results)
    payload = {
        "setup": {
            "dataset": dataset,
            "database": DB,
            "rate_limit_policy": limits,
            "server": "gunicorn terang.wsgi gthread 2x8, TERANG_ENV=production, generated keys, "
            "collectstatic, ALLOWED_HOSTS=127.0.0.1, X-Forwarded-Proto: https, private "
            "redis-server (cache db 0, broker db 1), no Celery worker",
            "connections": CONNECTIONS,
            "seconds": setup_seconds,
        },
        **{
            k: {kk: vv for kk, vv in v.items() if not kk.startswith("_")}
            for k, v in results.items()
        },
        "problems": problems,
        "seconds": round(time.monotonic() - started, 1),
    }
    path = common.write_result("safety", payload)
    print(f"\nwritten {path.relative_to(common.REPO)} in {time.monotonic() - started:.0f} s")
    if problems:
        print("PROBLEMS:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    return 0


def report(results: dict[str, Any]) -> None:
    rows = []
    for scenario in ("rate_limit", "redis_down"):
        for name, run in results.get(scenario, {}).get("_results", {}).items():
            rows.append(
                [
                    f"{scenario} {name}",
                    f"{run.rps:,.0f}",
                    f"{run.p50_ms:.1f}",
                    f"{run.p95_ms or 0:.1f}",
                    f"{run.max_ms:.0f}",
                    str(run.errors),
                    " ".join(f"{x:,.0f}" for x in run.extra["rounds_req_per_s"]),
                ]
            )
    if rows:
        print()
        print(
            common.table(
                rows, ["run", "req/s", "p50 ms", "p95 ms", "max ms", "errors", "req/s per round"]
            )
        )
    rate = results.get("rate_limit")
    if rate:
        print(
            f"\nrate limits on / off (create req/s, median of per-round ratios): "
            f"{rate['ratio_on_vs_off']['median']:.3f} {rate['ratio_on_vs_off']['per_round']}; "
            f"load avg {rate['load_avg']}; counter {rate['redis_counter']}"
        )
    redis_down = results.get("redis_down")
    if redis_down:
        for name, value in redis_down["ratios_req_per_s"].items():
            print(f"{name}: {value['median']:.3f} {value['per_round']}")
    hung = results.get("db_hung")
    if hung:
        print()
        for name, runs in hung["cases"].items():
            for run in runs:
                print(
                    f"db hung {name}: pages {run['page_statuses']} max "
                    f"{run['time_to_answer_s']['max']} s (p50 {run['time_to_answer_s']['p50']} s); "
                    f"/healthz max {run['healthz']['max_ms']} ms "
                    f"p50 {run['healthz']['p50_ms']} ms over {run['healthz']['probes']} probes"
                )
        print(f"ratios: {hung['ratios']}")
    bomb = results.get("image_bomb")
    if bomb:
        print()
        for name, runs in bomb["cases"].items():
            for run in runs:
                print(
                    f"image {name}: {run['statuses']} {run['reasons']} peak {run['peak_mb']} MB, "
                    f"growth max {run['peak_growth_mb']} MB, sum {run['sum_growth_mb']} MB"
                )
        print(f"ratios: {bomb['ratios']}")


if __name__ == "__main__":
    sys.exit(main())
