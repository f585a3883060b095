"""Sustained MQTT ingest on PostgreSQL beside a raw COPY of the same rows, in one run.

    .venv/bin/python bench/bench_ingest.py [--readings 200000] [--quick] [--drop]

S stations x P parameters publish N readings (QoS 1) as fast as the broker accepts them; the
real worker (`terang ingest-mqtt`, a child process) stores them; the clock runs from the first
publish to the moment the database holds every reading. The same rows (same station, parameter,
ts, value) are also loaded with one `COPY ... FROM STDIN` into the same partitioned table (same
indexes, unique key and foreign keys), which is the baseline: `MQTT readings/s / COPY rows/s`
is how close the whole path (paho, broker, worker, validation, dedup, latest values) comes to
what PostgreSQL itself accepts on this machine. The same messages are also fed to
`services.ingest_messages` in process, in the worker's batches (no broker, no network), which
separates the broker and the MQTT client from the validation and database cost.

Phases, each on an emptied readings table (TRUNCATE, then CHECKPOINT), with a COPY of the same
rows before and after each one; a phase's baseline is the mean of those two COPY runs. Two
rounds (--rounds), the order rotated between rounds; medians are reported:

  inprocess_single     ingest_messages over 500-message batches, one reading per message
  inprocess_batch      the same with K readings per message (a JSON list of readings)
  mqtt_single          publishers -> broker -> `terang ingest-mqtt`, one reading per message
  mqtt_batch           the same, K readings per message

Beside the wall-clock rates, each run records the CPU seconds of the ingesting process and of
its PostgreSQL backend (from /proc) per stored reading, and the COPY's backend CPU per row:
`cpu_vs_copy` compares the two and moves far less with the machine's load than wall time.

Every phase must end with exactly the rows of its COPY: same count, same digest of (station,
parameter, ts, value), one latest value per series, nothing quarantined, no duplicate counted
by the worker, every message acknowledged to its publisher. Anything else is printed as a
PROBLEM, recorded in the JSON, and the exit status is 1.

The broker is a private Mosquitto started per MQTT phase on a free port, with an unbounded
session queue (the system one on 1883 is shared with the test suite and has mosquitto's default
limits, which drop most of a burst: see the README). The database is `terang_bench_ingest`,
recreated from the migrated template at every run and kept afterwards for inspection (`--drop`
removes it at the end). Results: bench/results/ingest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import common

DB = "terang_bench_ingest"
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
# (code, unit): standard parameters (migration 0003) whose ranges hold every generated value.
PARAMETERS = [("pm25", "ug/m3"), ("pm10", "ug/m3"), ("so2", "ug/m3"), ("co", "ug/m3")]
STATION_PREFIX = "bench-st-"
WORKER_BATCH_SIZE = 500  # `terang ingest-mqtt` default, also the in-process batch size
STALL_SECONDS = 60.0


@dataclass(frozen=True)
class Spec:
    """The generated stream: every phase stores exactly these rows."""

    stations: int
    parameters: list[tuple[str, str]]
    per_series: int  # readings per (station, parameter): one per minute
    base_epoch: int  # ts of the first reading of every series
    prefix: str  # MQTT topic prefix (unique per run)

    @property
    def series(self) -> int:
        return self.stations * len(self.parameters)

    @property
    def readings(self) -> int:
        return self.series * self.per_series

    @property
    def last_ts(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.base_epoch + 60 * (self.per_series - 1), dt.UTC)


def station_code(index: int) -> str:
    return f"{STATION_PREFIX}{index:04d}"


def value_of(station: int, parameter: int, k: int) -> float:
    """Deterministic, in [5.0, 904.9]: inside every benchmark parameter's plausible range."""
    return round(5.0 + ((station * 131 + parameter * 17 + k * 7919) % 9000) / 10, 1)


def ts_text(spec: Spec, k: int) -> str:
    return dt.datetime.fromtimestamp(spec.base_epoch + 60 * k, dt.UTC).isoformat()


def messages(
    spec: Spec, per_message: int, part: int = 0, parts: int = 1
) -> Iterator[tuple[str, bytes]]:
    """(topic, payload) of one publisher's share (stations part, part + parts, ...), in time
    order as stations would send them: one reading per message, or `per_message` readings in a
    JSON list."""
    stations = range(part, spec.stations, parts)
    for first in range(0, spec.per_series, per_message):
        ks = range(first, min(first + per_message, spec.per_series))
        for s in stations:
            for p, (code, unit) in enumerate(spec.parameters):
                items = [
                    {"ts": ts_text(spec, k), "value": value_of(s, p, k), "unit": unit} for k in ks
                ]
                body = items[0] if per_message == 1 else items
                yield f"{spec.prefix}/{station_code(s)}/{code}", json.dumps(body).encode()


# Database --------------------------------------------------------------------------------------


def prepare_database(spec: Spec) -> dict[str, int]:
    """Fresh database from the migrated template, with the benchmark's stations; returns the
    parameter ids by code."""
    common._clone_migrated_template(DB)
    with common.connect(DB) as conn:
        params = dict(
            conn.execute(
                "SELECT code, id FROM controlroom_parameter WHERE code = ANY(%s)",
                [[code for code, _ in spec.parameters]],
            ).fetchall()
        )
        if len(params) != len(spec.parameters):
            raise SystemExit("the standard parameters are missing (migration 0003)")
        with conn.transaction():
            for s in range(spec.stations):
                station_id = conn.execute(
                    "INSERT INTO controlroom_station (code, name, kind, latitude, longitude,"
                    " token_digest, is_active, created_at) VALUES (%s, %s, 'air_quality',"
                    " -6.2, 106.6, '', true, now()) RETURNING id",
                    [station_code(s), f"Stasiun uji {s}"],
                ).fetchone()[0]
                for code, _unit in spec.parameters:
                    conn.execute(
                        "INSERT INTO controlroom_stationparameter (station_id, parameter_id)"
                        " VALUES (%s, %s)",
                        [station_id, params[code]],
                    )
    return params


def station_ids() -> dict[str, int]:
    with common.connect(DB) as conn:
        return dict(
            conn.execute(
                "SELECT code, id FROM controlroom_station WHERE code LIKE %s",
                [STATION_PREFIX + "%"],
            ).fetchall()
        )


def reset_tables() -> None:
    """Empty what ingest writes, then CHECKPOINT so no phase pays for the last one's writes."""
    with common.connect(DB) as conn:
        conn.execute(
            "TRUNCATE controlroom_reading, controlroom_latestreading,"
            " controlroom_quarantinedmessage"
        )
        conn.execute("UPDATE controlroom_station SET last_seen_at = NULL")
        conn.execute("CHECKPOINT")


def table_facts() -> dict[str, Any]:
    """Row count, distinct keys, quarantine and a digest of the stored rows (same rows in every
    phase = same digest)."""
    with common.connect(DB) as conn:
        rows, keys = conn.execute(
            "SELECT count(*), count(DISTINCT (station_id, parameter_id, ts))"
            " FROM controlroom_reading"
        ).fetchone()
        digest = hashlib.sha256()
        with conn.cursor().copy(
            "COPY (SELECT station_id, parameter_id, extract(epoch FROM ts)::bigint, value"
            " FROM controlroom_reading ORDER BY 1, 2, 3) TO STDOUT"
        ) as copy:
            for block in copy:
                digest.update(block)
        quarantined = conn.execute(
            "SELECT count(*) FROM controlroom_quarantinedmessage"
        ).fetchone()[0]
        latest = conn.execute("SELECT count(*) FROM controlroom_latestreading").fetchone()[0]
    return {
        "rows": rows,
        "distinct_keys": keys,
        "quarantined": quarantined,
        "latest_rows": latest,
        "digest": digest.hexdigest()[:16],
    }


def copy_payload(spec: Spec, params: dict[str, int], stations: dict[str, int]) -> bytes:
    received = dt.datetime.now(dt.UTC).isoformat()
    lines = []
    for s in range(spec.stations):
        sid = stations[station_code(s)]
        for p, (code, _unit) in enumerate(spec.parameters):
            pid = params[code]
            lines.extend(
                f"{sid}\t{pid}\t{ts_text(spec, k)}\t{value_of(s, p, k)}\t{received}\n"
                for k in range(spec.per_series)
            )
    return "".join(lines).encode()


def run_copy(data: bytes, rows: int) -> dict[str, Any]:
    """The baseline: one COPY FROM STDIN of every row in one transaction, commit included."""
    reset_tables()
    with common.connect(DB) as conn:
        backend_cpu = cpu_seconds(conn.info.backend_pid)
        began = time.monotonic()
        with (
            conn.transaction(),
            conn.cursor().copy(
                "COPY controlroom_reading (station_id, parameter_id, ts, value, received_at)"
                " FROM STDIN"
            ) as copy,
        ):
            view = memoryview(data)
            for start in range(0, len(view), 1 << 20):
                copy.write(view[start : start + (1 << 20)])
        seconds = time.monotonic() - began
        backend_cpu = cpu_seconds(conn.info.backend_pid) - backend_cpu
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds, 1),
        "postgres_cpu_us_per_row": round(backend_cpu / rows * 1e6, 2),
    }


# In-process ingest (a Django child process) -----------------------------------------------------


def inprocess_child(spec: Spec, per_message: int, profile: bool) -> dict[str, Any]:
    """Run inside Django: feed the messages to ingest_messages in the worker's batches, built
    the way the worker builds them (parse_topic included)."""
    import django

    django.setup()
    from django.db import connection

    from terang.controlroom.sensors import services

    all_messages = list(messages(spec, per_message))
    connection.ensure_connection()
    backend = connection.cursor().connection.info.backend_pid
    statements: dict[str, list[float]] = {}

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = statements.setdefault(statement_kind(sql), [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - began

    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    totals = services.IngestResult()
    began = time.monotonic()
    cpu = time.process_time()
    backend_cpu = cpu_seconds(backend)
    busy = machine_busy()
    with connection.execute_wrapper(timed):
        for start in range(0, len(all_messages), WORKER_BATCH_SIZE):
            batch = []
            for topic, payload in all_messages[start : start + WORKER_BATCH_SIZE]:
                address = services.parse_topic(topic, spec.prefix)
                batch.append(
                    services.RawMessage(
                        station_code=address.station_code if address else "",
                        parameter_code=address.parameter_code if address else "",
                        payload=payload,
                        topic=topic,
                    )
                )
            totals.merge(services.ingest_messages(batch))
    seconds = time.monotonic() - began
    cpu = time.process_time() - cpu
    backend_cpu = cpu_seconds(backend) - backend_cpu
    busy_after = machine_busy()
    out: dict[str, Any] = {
        "messages": len(all_messages),
        "stored": totals.stored,
        "duplicates": totals.duplicates,
        "quarantined": totals.quarantined,
        "seconds": round(seconds, 3),
        "python_cpu_s": round(cpu, 2),
        "postgres_backend_cpu_s": round(backend_cpu, 2),
        "machine_busy": round((busy_after[0] - busy[0]) / max(1, busy_after[1] - busy[1]), 2),
        # Wall time inside cursor.execute (client-side parameter quoting + round trip + server),
        # per statement kind; the rest of `seconds` is Python outside the driver and COMMIT.
        "sql_seconds": {
            kind: {"count": n, "seconds": round(total, 3)}
            for kind, (n, total) in sorted(statements.items(), key=lambda kv: -kv[1][1])
        },
    }
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(30)
        out["profile"] = text.getvalue()
    return out


def statement_kind(sql: str) -> str:
    """'INSERT controlroom_reading', 'SELECT controlroom_station', ... for the SQL timings."""
    verb = sql.lstrip().split(None, 1)[0].upper()
    match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, re.IGNORECASE)
    return f"{verb} {match.group(1) if match else '?'}"


def run_inprocess(spec: Spec, spec_path: Path, per_message: int, profile: bool) -> dict[str, Any]:
    reset_tables()
    args = [
        str(Path(__file__)),
        "_inprocess",
        "--spec",
        str(spec_path),
        "--per-message",
        str(per_message),
    ] + (["--profile"] if profile else [])
    got = common.run_child(args, DB)
    got["readings_per_s"] = round(got["stored"] / got["seconds"], 1)
    cpu = {"client": got.pop("python_cpu_s"), "postgres": got.pop("postgres_backend_cpu_s")}
    got["cpu_seconds"] = cpu
    got["cpu_share"] = {name: round(value / got["seconds"], 2) for name, value in cpu.items()}
    got["cpu_us_per_reading"] = per_reading(cpu, got["stored"])
    return got


# Broker, worker, publishers ---------------------------------------------------------------------


@dataclass
class Broker:
    port: int
    process: subprocess.Popen[bytes]
    directory: Path
    inflight: int

    def log(self) -> str:
        path = self.directory / "mosquitto.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def private_broker(inflight: int, queue: int) -> Iterator[Broker]:
    """A Mosquitto of our own: `max_inflight_messages` and `max_queued_messages` as asked (the
    default queue, 0, is unbounded: the whole burst waits in the broker while the worker catches
    up), no persistence."""
    if not Path(MOSQUITTO).exists():
        raise SystemExit("needs the mosquitto binary (apt-get install mosquitto)")
    directory = Path(tempfile.mkdtemp(prefix="terang-bench-mqtt-"))
    port = common.free_port()
    (directory / "mosquitto.conf").write_text(
        f"listener {port} 127.0.0.1\n"
        "allow_anonymous true\n"
        f"user {pwd.getpwuid(os.getuid()).pw_name}\n"
        "persistence false\n"
        f"max_inflight_messages {inflight}\n"
        f"max_queued_messages {queue}\n"
        f"log_dest file {directory}/mosquitto.log\n"
        "log_type error\nlog_type warning\nlog_type notice\n"
    )
    process = subprocess.Popen(
        [MOSQUITTO, "-c", str(directory / "mosquitto.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    broker = Broker(port=port, process=process, directory=directory, inflight=inflight)
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"mosquitto did not start:\n{broker.log()}")
            time.sleep(0.05)
        yield broker
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        shutil.rmtree(directory, ignore_errors=True)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a live process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _publisher(
    spec: Spec,
    per_message: int,
    part: int,
    parts: int,
    port: int,
    inflight: int,
    ready: Any,
    start: Any,
    results: Any,
) -> None:
    """One publisher process: connect, wait for the start signal, publish its share with QoS 1,
    and report when the broker acknowledged the last message.

    At most 2 x `inflight` messages are handed to paho and not yet acknowledged: paho numbers
    messages with 16-bit ids and refuses (MQTT_ERR_QUEUE_SIZE) one whose id is still queued,
    so an unbounded queue silently drops messages past 65,535."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    todo = list(messages(spec, per_message, part, parts))
    acked = 0
    refused = 0
    all_acked = threading.Event()
    connected = threading.Event()
    window = threading.BoundedSemaphore(2 * inflight)

    def on_connect(client, userdata, flags, reason_code, properties):  # type: ignore[no-untyped-def]
        connected.set()

    def on_publish(client, userdata, mid, reason_code, properties):  # type: ignore[no-untyped-def]
        nonlocal acked
        acked += 1
        window.release()
        if acked == len(todo):
            all_acked.set()

    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=f"bench-pub-{uuid.uuid4().hex[:10]}",
        protocol=mqtt.MQTTv311,
    )
    # paho walks its in-flight messages on every PUBACK: a window of ~100 keeps that cheap
    # while still covering the loopback round trip.
    client.max_inflight_messages_set(inflight)
    client.max_queued_messages_set(0)
    client.on_connect = on_connect
    client.on_publish = on_publish
    client.connect("127.0.0.1", port, keepalive=60)
    client.loop_start()
    try:
        if not connected.wait(10):
            raise SystemExit("publisher could not connect")
        cpu = time.process_time()
        ready.put(part)
        start.wait()
        began = time.monotonic()
        for topic, payload in todo:
            window.acquire()
            if client.publish(topic, payload, qos=1).rc != mqtt.MQTT_ERR_SUCCESS:
                refused += 1
                window.release()
        ok = refused == 0 and all_acked.wait(300)
        done = time.monotonic()
        results.put(
            {
                "part": part,
                "messages": len(todo),
                "acked": acked,
                "refused": refused,
                "ok": ok,
                "began": began,
                "done": done,
                "cpu_s": time.process_time() - cpu,
            }
        )
    finally:
        client.disconnect()
        client.loop_stop()


def _probe(port: int, prefix: str, stop: threading.Event) -> None:
    """Publish to an unknown station until the worker quarantines one: it is subscribed."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(
        callback_api_version=CallbackAPIVersion.VERSION2,
        client_id=f"bench-probe-{uuid.uuid4().hex[:10]}",
    )
    client.connect("127.0.0.1", port)
    client.loop_start()
    try:
        while not stop.is_set():
            client.publish(f"{prefix}/bench-probe/pm25", b"probe", qos=1).wait_for_publish(5)
            stop.wait(0.3)
    finally:
        client.disconnect()
        client.loop_stop()


def start_worker(broker: Broker, spec: Spec, log: Any) -> subprocess.Popen[bytes]:
    env = common.bench_env(DB)
    env["LOG_LEVEL"] = "WARNING"
    return subprocess.Popen(
        [
            str(common.BIN / "terang"),
            "ingest-mqtt",
            "--url",
            f"mqtt://127.0.0.1:{broker.port}",
            "--client-id",
            f"bench-ingest-{uuid.uuid4().hex[:10]}",
            "--topic-prefix",
            spec.prefix,
            "--batch-size",
            str(WORKER_BATCH_SIZE),
        ],
        cwd=common.REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def worker_backends(conn: Any) -> list[int]:
    """PostgreSQL backends on the benchmark database other than the poller's: the worker's."""
    rows = conn.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        " AND backend_type = 'client backend'",
        [DB],
    ).fetchall()
    return [pid for (pid,) in rows]


def sample_backends(conn: Any, seen: dict[int, float]) -> None:
    """Latest CPU seconds of each worker backend seen so far: the worker reconnects when its
    connection is older than CONN_MAX_AGE, and a backend's CPU must be read before it exits."""
    for pid in worker_backends(conn):
        value = cpu_seconds(pid)
        if value == value:  # not NaN: still alive
            seen[pid] = value


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_subscribed(broker: Broker, spec: Spec, worker: subprocess.Popen[bytes]) -> None:
    stop = threading.Event()
    prober = threading.Thread(target=_probe, args=(broker.port, spec.prefix, stop), daemon=True)
    prober.start()
    try:
        deadline = time.monotonic() + 60
        with common.connect(DB) as conn:
            while (
                conn.execute(
                    "SELECT count(*) FROM controlroom_quarantinedmessage"
                    " WHERE station_code = 'bench-probe'"
                ).fetchone()[0]
                == 0
            ):
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the ingest worker did not subscribe")
                time.sleep(0.1)
    finally:
        stop.set()
        prober.join(10)
    time.sleep(0.5)  # the last probe in flight lands before the clock starts
    with common.connect(DB) as conn:
        conn.execute("DELETE FROM controlroom_quarantinedmessage")
        conn.execute("CHECKPOINT")


def run_mqtt(
    spec: Spec, per_message: int, publishers: int, inflight: int, queue: int, pub_inflight: int
) -> dict[str, Any]:
    """One MQTT phase: private broker, worker, publishers; time to the last stored reading."""
    reset_tables()
    expected = spec.readings
    last_ts = spec.last_ts
    ctx = multiprocessing.get_context("fork")
    with (
        private_broker(inflight, queue) as broker,
        tempfile.TemporaryFile() as log,
        common.connect(DB) as poll_conn,
    ):
        worker = start_worker(broker, spec, log)
        procs: list[Any] = []
        try:
            wait_subscribed(broker, spec, worker)
            ready, start, results = ctx.Queue(), ctx.Event(), ctx.Queue()
            procs = [
                ctx.Process(
                    target=_publisher,
                    args=(
                        spec,
                        per_message,
                        i,
                        publishers,
                        broker.port,
                        pub_inflight,
                        ready,
                        start,
                        results,
                    ),
                )
                for i in range(publishers)
            ]
            for proc in procs:
                proc.start()
            for _ in procs:  # each has built its messages and connected
                ready.get(timeout=120)
            cpu0 = {"worker": cpu_seconds(worker.pid), "broker": cpu_seconds(broker.process.pid)}
            backends0 = {pid: cpu_seconds(pid) for pid in worker_backends(poll_conn)}
            backends = dict(backends0)
            busy0 = machine_busy()
            began = time.monotonic()
            start.set()
            finished, stored_rows = _wait_all_stored(
                poll_conn, expected, last_ts, spec.series, worker, backends
            )
            cpu1 = {"worker": cpu_seconds(worker.pid), "broker": cpu_seconds(broker.process.pid)}
            sample_backends(poll_conn, backends)
            busy1 = machine_busy()
            pubs = [results.get(timeout=300) for _ in procs]
            for proc in procs:
                proc.join(30)
        finally:
            for proc in procs:
                if proc.is_alive():
                    proc.terminate()
                    proc.join(5)
            stop_worker(worker)
            log.seek(0)
            worker_out = log.read().decode(errors="replace")
        broker_log = broker.log()
    seconds = finished - began
    if stored_rows < expected:
        sys.stderr.write(
            f"worker output:\n{worker_out[-3000:]}\nbroker log:\n{broker_log[-3000:]}\n"
        )
    match = re.search(
        r"received (\d+), stored (\d+), duplicates (\d+), quarantined (\d+)", worker_out
    )
    if match is None:
        sys.stderr.write(worker_out[-3000:])
        raise SystemExit("the worker did not report its totals")
    received, stored, duplicates, quarantined = (int(x) for x in match.groups())
    messages_sent = sum(p["messages"] for p in pubs)
    cpu = {
        "client": round(cpu1["worker"] - cpu0["worker"], 2),
        "postgres": round(
            sum(value - backends0.get(pid, 0.0) for pid, value in backends.items()), 2
        ),
        "broker": round(cpu1["broker"] - cpu0["broker"], 2),
        "publishers": round(sum(p["cpu_s"] for p in pubs), 2),
    }
    publish_seconds = max(p["done"] for p in pubs) - began
    wall = seconds
    return {
        "readings": expected,
        "complete": stored_rows >= expected,
        "stored_rows_seen": stored_rows,
        "messages": messages_sent,
        "per_message": per_message,
        "publishers": publishers,
        "broker_inflight": inflight,
        "broker_queue": queue,
        "seconds": round(seconds, 3),
        "readings_per_s": round(stored_rows / seconds, 1),
        "messages_per_s": round(messages_sent / seconds, 1),
        "publish": {
            "acked": sum(p["acked"] for p in pubs),
            "refused_by_client": sum(p["refused"] for p in pubs),
            "all_acked": all(p["ok"] for p in pubs),
            "seconds_to_last_puback": round(publish_seconds, 3),
            "messages_per_s": round(messages_sent / publish_seconds, 1),
        },
        "worker": {
            "received_messages": received,
            "probe_messages": received - messages_sent,
            "stored": stored,
            "duplicates": duplicates,
            "quarantined": quarantined,
        },
        # CPU seconds over the timed span, per process; per wall second (1.0 = one core) and per
        # stored reading (steadier than wall time on a shared machine).
        "cpu_seconds": cpu,
        "cpu_share": {name: round(value / wall, 2) for name, value in cpu.items()},
        "cpu_us_per_reading": per_reading(cpu, stored_rows),
        "machine_busy": round((busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]), 2),
        # Mosquitto says so when a session queue overflows and it drops messages.
        "broker_drop_notices": [line for line in broker_log.splitlines() if "dropped" in line][:5],
        "worker_output_tail": worker_out.strip().splitlines()[-3:],
    }


def per_reading(cpu: dict[str, float], readings: int) -> dict[str, float]:
    return {name: round(value / max(1, readings) * 1e6, 1) for name, value in cpu.items()}


def _wait_all_stored(
    conn: Any,
    expected: int,
    last_ts: dt.datetime,
    series: int,
    worker: subprocess.Popen[bytes],
    backends: dict[int, float],
) -> tuple[float, int]:
    """Poll until every reading is committed: (monotonic time it was seen, rows stored).

    The cheap poll is the latest-value table (one row per series: all at the last ts means the
    last messages are in); then the full count confirms. The time is that of the poll that saw
    the last row, so it overstates the commit time by at most one poll interval (20 ms). A run
    that stops progressing for STALL_SECONDS returns what it has (fewer rows than expected)."""
    last_count, last_change = -1, time.monotonic()
    next_progress = time.monotonic() + 2
    while True:
        now = time.monotonic()
        done_series = conn.execute(
            "SELECT count(*) FROM controlroom_latestreading WHERE ts = %s", [last_ts]
        ).fetchone()[0]
        if done_series == series or now >= next_progress:
            count = conn.execute("SELECT count(*) FROM controlroom_reading").fetchone()[0]
            if count >= expected:
                return now, count
            if count != last_count:
                last_count, last_change = count, now
            sample_backends(conn, backends)
            if now - last_change > STALL_SECONDS or worker.poll() is not None:
                print(f"  stalled at {count:,} of {expected:,} readings", flush=True)
                return last_change, count
            next_progress = now + 2
        time.sleep(0.02)


# Orchestration ---------------------------------------------------------------------------------


def check_phase(
    name: str, facts: dict[str, Any], reference: dict[str, Any], expected: int
) -> list[str]:
    problems = []
    if facts["rows"] != expected:
        problems.append(f"{name}: {facts['rows']} rows stored, expected {expected}")
    if facts["distinct_keys"] != facts["rows"]:
        problems.append(f"{name}: duplicate keys")
    if facts["digest"] != reference["digest"]:
        problems.append(f"{name}: rows differ from the COPY rows")
    if facts["quarantined"]:
        problems.append(f"{name}: {facts['quarantined']} quarantined")
    # COPY writes the history only; ingest also keeps one latest value per series.
    if not name.startswith("copy") and facts["latest_rows"] != reference["series"]:
        problems.append(
            f"{name}: {facts['latest_rows']} latest values, expected {reference['series']}"
        )
    return problems


PHASES: list[tuple[str, str, bool]] = [  # name, kind, batch form
    ("inprocess_single", "inprocess", False),
    ("inprocess_batch", "inprocess", True),
    ("mqtt_single", "mqtt", False),
    ("mqtt_batch", "mqtt", True),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readings", type=int, default=200_000)
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument(
        "--per-message", type=int, default=10, help="readings per message in the batch form"
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every phase (rotated)")
    parser.add_argument("--publishers", type=int, default=2)
    parser.add_argument(
        "--broker-inflight",
        type=int,
        default=2 * WORKER_BATCH_SIZE,
        help="mosquitto max_inflight_messages (default: 2 worker batches)",
    )
    parser.add_argument(
        "--broker-queue",
        type=int,
        default=0,
        help="mosquitto max_queued_messages (default 0: unbounded; mosquitto's own is 1000)",
    )
    parser.add_argument("--publisher-inflight", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="20k readings, one round")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the in-process runs (slower: numbers not quotable)",
    )
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument(
        "--phases", default="", help="comma-separated subset of the phases (to investigate one)"
    )
    args = parser.parse_args()
    readings = 20_000 if args.quick else args.readings
    rounds = 1 if args.quick else args.rounds
    wanted = set(filter(None, args.phases.split(","))) or {name for name, _, _ in PHASES}
    phase_list = [phase for phase in PHASES if phase[0] in wanted]
    series = args.stations * len(PARAMETERS)
    per_series = max(args.per_message, readings // series)
    now = int(time.time()) // 60 * 60
    spec = Spec(
        stations=args.stations,
        parameters=PARAMETERS,
        per_series=per_series,
        base_epoch=now - 60 * (per_series + 10),
        prefix=f"bench-{uuid.uuid4().hex[:8]}/sensors",
    )

    load_before = os.getloadavg()[0]
    print(
        f"ingest: {spec.readings:,} readings = {args.stations} stations x {len(PARAMETERS)} "
        f"parameters x {per_series} minutes; batch form {args.per_message} per message; "
        f"{args.publishers} publishers; {rounds} round(s); load {load_before:.1f}",
        flush=True,
    )
    started = time.monotonic()
    params = prepare_database(spec)
    data = copy_payload(spec, params, station_ids())
    spec_file = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(asdict(spec), spec_file)
    spec_file.close()
    spec_path = Path(spec_file.name)

    copies: list[dict[str, Any]] = []
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in phase_list}
    problems: list[str] = []
    reference: dict[str, Any] = {}
    previous: dict[str, Any] | None = None  # the phase run waiting for its COPY-after

    def baseline() -> None:
        """COPY the rows; it closes the previous phase run and opens the next one."""
        nonlocal reference, previous
        got = run_copy(data, spec.readings)
        facts = table_facts()
        reference = reference or (facts | {"series": spec.series})
        problems.extend(check_phase(f"copy #{len(copies) + 1}", facts, reference, spec.readings))
        copies.append(got)
        if previous is not None:
            previous["copy_after"] = got
            # A run's baseline is the mean of the COPY runs just before and just after it.
            mean = statistics.fmean([previous["copy_before"]["rows_per_s"], got["rows_per_s"]])
            previous["copy_rows_per_s"] = round(mean, 1)
            previous["vs_copy"] = common.ratio(previous["readings_per_s"], mean)
            print(f"    = {previous['vs_copy']:.3f} x COPY", flush=True)
            previous = None
        print(f"  copy                 {got['rows_per_s']:>10,.0f} rows/s", flush=True)

    try:
        baseline()
        for round_no in range(rounds):
            shift = round_no % len(phase_list)
            for name, kind, batch_form in phase_list[shift:] + phase_list[:shift]:
                per_message = args.per_message if batch_form else 1
                if kind == "inprocess":
                    got = run_inprocess(spec, spec_path, per_message, args.profile)
                    if got.get("profile"):
                        print(got.pop("profile"))
                    if got["stored"] != spec.readings or got["duplicates"] or got["quarantined"]:
                        problems.append(
                            f"{name}: {got['stored']} stored, {got['duplicates']}"
                            f" duplicates, {got['quarantined']} quarantined"
                        )
                else:
                    got = run_mqtt(
                        spec,
                        per_message,
                        args.publishers,
                        args.broker_inflight,
                        args.broker_queue,
                        args.publisher_inflight,
                    )
                    problems.extend(mqtt_problems(name, got, spec.readings))
                got["round"] = round_no + 1
                got["readings"] = spec.readings
                got["per_message"] = per_message
                got["stored_check"] = facts = table_facts()
                problems.extend(check_phase(name, facts, reference, spec.readings))
                got["copy_before"] = copies[-1]
                runs[name].append(got)
                previous = got
                print(f"  {name:<20} {got['readings_per_s']:>10,.0f} readings/s", flush=True)
                baseline()
    finally:
        spec_path.unlink(missing_ok=True)
        if args.drop:
            common.drop_database(DB)

    copy_cpu = statistics.median(c["postgres_cpu_us_per_row"] for c in copies)
    summary = {name: summarize(got, copy_cpu) for name, got in runs.items() if got}
    load_after = os.getloadavg()[0]
    payload = {
        "parameters": {
            "readings": spec.readings,
            "stations": spec.stations,
            "parameters": [code for code, _ in spec.parameters],
            "series": spec.series,
            "per_message_batch_form": args.per_message,
            "rounds": rounds,
            "publishers": args.publishers,
            "worker_batch_size": WORKER_BATCH_SIZE,
            "broker_inflight": args.broker_inflight,
            "broker_max_queued_messages": args.broker_queue,
            "publisher_inflight": args.publisher_inflight,
            "quick": args.quick,
            "alert_rules": 0,
            "database": DB,
            "kept": not args.drop,
        },
        "load_avg": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "copy": {
            "runs": copies,
            "median_rows_per_s": statistics.median(c["rows_per_s"] for c in copies),
            "median_postgres_cpu_us_per_row": copy_cpu,
        },
        "headline": summary,
        "runs": runs,
        "problems": problems,
        "seconds": round(time.monotonic() - started, 1),
    }
    path = common.write_result("ingest", payload)
    print()
    print(
        common.table(
            [
                [
                    name,
                    f"{entry['readings_per_s']:,.0f}",
                    f"{entry['copy_rows_per_s']:,.0f}",
                    f"{entry['vs_copy']:.3f}",
                    f"{entry['client_cpu_us']:.1f}",
                    f"{entry['postgres_cpu_us']:.1f}",
                    f"{entry['cpu_vs_copy']:.1f}",
                ]
                for name, entry in summary.items()
            ],
            [
                "phase",
                "readings/s",
                "COPY rows/s",
                "ratio",
                "client CPU us/r",
                "PG CPU us/r",
                "CPU x COPY",
            ],
        )
    )
    print(
        f"\n{spec.readings:,} readings per run, medians over {rounds} round(s); COPY: median "
        f"{payload['copy']['median_rows_per_s']:,.0f} rows/s, {copy_cpu:.1f} us of PostgreSQL "
        f"CPU per row; load {load_before:.1f} before, {load_after:.1f} after; "
        f"{payload['seconds']:.0f} s"
    )
    print(f"written: {path.relative_to(common.REPO)}")
    for problem in problems:
        print("PROBLEM: " + problem)
    return 1 if problems else 0


def mqtt_problems(name: str, got: dict[str, Any], expected: int) -> list[str]:
    problems = []
    worker = got["worker"]
    if not got["complete"]:
        problems.append(f"{name}: stalled at {got['stored_rows_seen']} readings")
    if worker["stored"] != expected or worker["duplicates"]:
        problems.append(
            f"{name}: worker stored {worker['stored']}, {worker['duplicates']} duplicates"
        )
    if worker["quarantined"] != worker["probe_messages"]:
        problems.append(f"{name}: the worker quarantined a benchmark message")
    if not got["publish"]["all_acked"] or got["publish"]["acked"] != got["messages"]:
        problems.append(f"{name}: the broker did not acknowledge every message")
    return problems


def summarize(runs: list[dict[str, Any]], copy_cpu_us: float) -> dict[str, Any]:
    """Medians over the rounds. `cpu_vs_copy`: CPU per reading of the ingest path (client process
    plus its PostgreSQL backend) over PostgreSQL's CPU per row for the COPY."""
    client = statistics.median(r["cpu_us_per_reading"]["client"] for r in runs)
    postgres = statistics.median(r["cpu_us_per_reading"]["postgres"] for r in runs)
    return {
        "readings": runs[0]["readings"],
        "readings_per_s": round(statistics.median(r["readings_per_s"] for r in runs), 1),
        "copy_rows_per_s": round(statistics.median(r["copy_rows_per_s"] for r in runs), 1),
        "vs_copy": round(statistics.median(r["vs_copy"] for r in runs), 3),
        "per_round_vs_copy": [r["vs_copy"] for r in runs],
        "client_cpu_us": round(client, 1),
        "postgres_cpu_us": round(postgres, 1),
        "cpu_vs_copy": round((client + postgres) / copy_cpu_us, 2) if copy_cpu_us else None,
    }


def _child_main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command")
    parser.add_argument("--spec", required=True)
    parser.add_argument("--per-message", type=int, required=True)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    raw = json.loads(Path(args.spec).read_text())
    raw["parameters"] = [tuple(x) for x in raw["parameters"]]
    spec = Spec(**raw)
    sys.path.insert(0, str(common.REPO / "src"))
    print(json.dumps(inprocess_child(spec, args.per_message, args.profile)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_inprocess":
        sys.exit(_child_main())
    sys.exit(main())
