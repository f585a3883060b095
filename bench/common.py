"""Plumbing shared by the benchmarks: scratch databases, the production web server, wrk, timing.

Nothing here imports Django: the scripts that measure HTTP only talk to a gunicorn child. Work
that needs the ORM (building data sets, EXPLAIN) runs in `bench/dataset.py` child processes, one
per database, because Django binds one `DATABASE_URL` per process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import psycopg.sql

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "bench"
RESULTS_DIR = BENCH_DIR / "results"
# The repository's virtualenv; a git worktree without one uses the interpreter running the
# benchmark (e.g. the main checkout's .venv).
BIN = REPO / ".venv" / "bin" if (REPO / ".venv" / "bin").is_dir() else Path(sys.executable).parent
PYTHON = BIN / "python"

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_ADMIN_URL = f"{PG_SERVER}/postgres"
# Scratch Redis databases: 15 is the cache, 14 the Celery broker. Both are flushed by the
# benchmarks, so they must never be the ones a developer or the test suite uses.
REDIS_CACHE_URL = "redis://127.0.0.1:6379/15"
REDIS_BROKER_URL = "redis://127.0.0.1:6379/14"
# "terang_bench" itself belongs to bench_audit.py, which drops and recreates it on every run.
PROTECTED_DATABASES = frozenset({"postgres", "test", "template0", "template1", "terang_bench"})

# gunicorn exactly as `make serve` and production run it.
GUNICORN_ARGS = ("terang.wsgi", "--worker-class", "gthread", "--workers", "2", "--threads", "8")


def database_url(db_name: str) -> str:
    return f"{PG_SERVER}/{db_name}"


def _check_scratch(db_name: str) -> None:
    if db_name in PROTECTED_DATABASES or not db_name.startswith("terang_bench"):
        raise SystemExit(f"refusing to touch database {db_name!r}: not a scratch database")


def database_exists(db_name: str) -> bool:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
    return row is not None


def create_database(db_name: str, *, fresh: bool = False) -> None:
    """Create the scratch database (dropping it first when `fresh`)."""
    _check_scratch(db_name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db_name}"')


def drop_database(db_name: str) -> None:
    _check_scratch(db_name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def connect(db_name: str) -> psycopg.Connection:
    _check_scratch(db_name)
    return psycopg.connect(database_url(db_name), autocommit=True)


def bench_env(db_name: str) -> dict[str, str]:
    """Environment of a production-like process on the scratch database.

    The Celery broker is set (and no worker runs) so notification delivery stays off the request
    path, as in production; the cache is a scratch Redis database so `get_city()` and the
    working-day calendar are cached the way they are in production. Rate limits are off: the
    load comes from one address, which the per-source limits exist to stop.
    """
    _check_scratch(db_name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    home = Path(tempfile.gettempdir()) / "terang-bench-home"
    home.mkdir(exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="terang.settings",
        DATABASE_URL=database_url(db_name),
        REDIS_URL=REDIS_CACHE_URL,
        CELERY_BROKER_URL=REDIS_BROKER_URL,
        TERANG_HOME=str(home),
        DEBUG="false",
        LOG_LEVEL="ERROR",
        RATE_LIMITS_ENABLED="false",
    )
    return env


def flush_scratch_redis() -> None:
    """Empty the two scratch Redis databases (never any other)."""
    import redis

    for url in (REDIS_CACHE_URL, REDIS_BROKER_URL):
        client = redis.Redis.from_url(url)
        try:
            client.flushdb()
        finally:
            client.close()


def migrate(db_name: str) -> None:
    proc = subprocess.run(
        [str(BIN / "terang"), "migrate", "--noinput", "-v", "0"],
        cwd=REPO,
        env=bench_env(db_name),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"migrate failed on {db_name}:\n{proc.stdout}\n{proc.stderr}")


def run_child(args: list[str], db_name: str) -> dict[str, Any]:
    """Run a Python child on the scratch database; it prints one JSON document last."""
    proc = subprocess.run(
        [str(PYTHON), *args],
        cwd=REPO,
        env=bench_env(db_name),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"child failed: {' '.join(args)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def dataset_matches(db_name: str, rows: int) -> bool:
    """True when the database holds exactly the generated data set of `rows` aspirations."""
    from dataset import DATASET_VERSION, META_TABLE, SEED

    if not database_exists(db_name):
        return False
    with connect(db_name) as conn:
        if conn.execute("SELECT to_regclass(%s)", [META_TABLE]).fetchone()[0] is None:
            return False
        meta = conn.execute(
            psycopg.sql.SQL("SELECT version, rows, seed FROM {}").format(
                psycopg.sql.Identifier(META_TABLE)
            )
        ).fetchone()
        if meta != (DATASET_VERSION, rows, SEED):
            return False
        count = conn.execute("SELECT count(*) FROM aspirations_aspiration").fetchone()[0]
    return bool(count == rows)


TEMPLATE_DB = "terang_bench_template"


def _clone_migrated_template(db_name: str) -> None:
    """Fresh database with the current schema: migrate one empty template (a no-op when it is
    current), then copy it, instead of running every migration again per data set."""
    create_database(TEMPLATE_DB)
    migrate(TEMPLATE_DB)
    drop_database(db_name)
    _check_scratch(db_name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{TEMPLATE_DB}"')


def ensure_dataset(db_name: str, rows: int) -> dict[str, Any]:
    """Reuse the cached scratch database when it matches, otherwise rebuild it from scratch."""
    started = time.monotonic()
    if dataset_matches(db_name, rows):
        migrate(db_name)  # picks up migrations added since the data set was built
        return {
            "db": db_name,
            "rows": rows,
            "reused": True,
            "seconds": round(time.monotonic() - started, 1),
        }
    _clone_migrated_template(db_name)
    flush_scratch_redis()
    run_child([str(BENCH_DIR / "dataset.py"), "generate", "--rows", str(rows)], db_name)
    return {
        "db": db_name,
        "rows": rows,
        "reused": False,
        "seconds": round(time.monotonic() - started, 1),
    }


# Web server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    db_name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def gunicorn(db_name: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Serve the scratch database with the production gunicorn command; stop it afterwards.

    `env` replaces `bench_env(db_name)` (a benchmark that changes settings starts from it)."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept for the server's lifetime
        prefix=f"gunicorn-{db_name}-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=env if env is not None else bench_env(db_name),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(db_name=db_name, port=port, process=process, log_path=Path(log.name))
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(process)
        log.close()


def _wait_ready(server: Server, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn exited early:\n{server.log_tail()}")
        try:
            status, _ = get(server.port, "/healthz")
            if status == 200:
                # Both workers must be up: a few more probes reach each of them.
                for _ in range(8):
                    get(server.port, "/healthz")
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not become ready:\n{server.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    # The server was started in its own session: signal only that group (master + workers).
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class KeepAliveClient:
    """One persistent HTTP/1.1 connection, reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, bytes, float]:
        """(status, body, seconds) of one GET; a dropped idle connection is retried once."""
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.connect()
            started = time.perf_counter()
            try:
                self.conn.request("GET", path)
                response = self.conn.getresponse()
                body = response.read()
            except (http.client.RemoteDisconnected, ConnectionError, http.client.BadStatusLine):
                self.close()
                if attempt:
                    raise
                continue
            elapsed = time.perf_counter() - started
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, body, elapsed
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


# Load generation -------------------------------------------------------------------------------

WRK_REPORT_LUA = r"""
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end
function init(args)
  non2xx = 0
  if user_init then user_init(args) end
end
function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if non2xx <= 3 then
      io.stderr:write("non-2xx " .. status .. ": " .. body:sub(1, 300) .. "\n")
    end
  end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"timeout":%d,"status_errors":%d,"non2xx":%d,"p50_us":%.0f,"p90_us":%.0f,' ..
    '"p95_us":%.0f,"p99_us":%.0f,"mean_us":%.1f,"max_us":%.0f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status, bad,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max))
end
"""


@dataclass
class LoadResult:
    label: str
    requests: int
    seconds: float
    non2xx: int
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    tool: str
    extra: dict[str, Any] = field(default_factory=dict)
    p95_ms: float | None = None  # set by run_wrk and run_threads; None where not measured

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "tool": self.tool,
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "req_per_s": round(self.rps, 1),
            "non2xx": self.non2xx,
            "socket_errors": self.socket_errors,
            "p50_ms": round(self.p50_ms, 2),
            "p90_ms": round(self.p90_ms, 2),
            **({"p95_ms": round(self.p95_ms, 2)} if self.p95_ms is not None else {}),
            "p99_ms": round(self.p99_ms, 2),
            "mean_ms": round(self.mean_ms, 2),
            "max_ms": round(self.max_ms, 2),
            **self.extra,
        }


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    label: str,
    url: str,
    *,
    lua_body: str = "",
    duration: int = 15,
    connections: int = 64,
    threads: int = 2,
) -> LoadResult:
    """wrk with a Lua request script (optional) plus the shared reporting hooks."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_body + "\n" + WRK_REPORT_LUA)
    try:
        proc = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(script.name)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({label}):\n{proc.stdout}\n{proc.stderr}")
    data = json.loads(line.removeprefix("WRKJSON "))
    if proc.stderr.strip():
        sys.stderr.write(proc.stderr)
    return LoadResult(
        label=label,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        non2xx=data["non2xx"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        tool="wrk",
    )


@dataclass(frozen=True)
class RequestSpec:
    """What the Python fallback sends; mirrors what the wrk Lua scripts send."""

    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def run_threads(
    label: str,
    port: int,
    make: Any,
    *,
    duration: int = 15,
    connections: int = 64,
) -> LoadResult:
    """Fallback load generator when wrk is missing: one keep-alive connection per thread.

    `make(thread_no, request_no) -> RequestSpec`. Python on 2 cores saturates well below wrk,
    so numbers from this path are lower bounds; results record `tool: python`.
    """
    import threading

    stop_at = time.monotonic() + duration
    latencies: list[list[float]] = [[] for _ in range(connections)]
    failures = [0] * connections
    socket_errors = [0] * connections

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = 0
        while time.monotonic() < stop_at:
            spec = make(n, i)
            i += 1
            started = time.perf_counter()
            try:
                conn.request(
                    spec.method, spec.path, body=spec.body or None, headers=dict(spec.headers)
                )
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                socket_errors[n] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            latencies[n].append(time.perf_counter() - started)
            if not 200 <= response.status <= 299:
                failures[n] += 1
        conn.close()

    began = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - began
    ms = [x * 1000 for per in latencies for x in per] or [0.0]
    return LoadResult(
        label=label,
        requests=sum(len(per) for per in latencies),
        seconds=seconds,
        non2xx=sum(failures),
        socket_errors=sum(socket_errors),
        p50_ms=percentile(ms, 50),
        p90_ms=percentile(ms, 90),
        p95_ms=percentile(ms, 95),
        p99_ms=percentile(ms, 99),
        mean_ms=statistics.fmean(ms),
        max_ms=max(ms),
        tool="python",
    )


# Statistics and output -------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0-100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summarize_ms(samples: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
        "max_ms": round(max(ms), 2),
    }


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def machine() -> dict[str, Any]:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        version = conn.execute("SHOW server_version").fetchone()
    return {
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "postgresql": version[0] if version else "?",
        "python": sys.version.split()[0],
        "wrk": have_wrk(),
    }


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    payload = {
        "benchmark": name,
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **payload,
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return path


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    lines = [fmt.format(*header), fmt.format(*["-" * w for w in widths])]
    lines += [fmt.format(*[str(c) for c in row]) for row in rows]
    return "\n".join(lines)
