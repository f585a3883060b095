"""Audit chain under concurrent writers: forks and throughput, all measured in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_audit.py

Creates (dropping it first) a scratch database `terang_bench` on the server of DATABASE_URL,
migrates it, then runs K concurrent writers for a fixed time per variant:

  naive        one global chain, "read the last hash, insert the next", no lock, no constraint:
               reproduces the fork (entries that share a predecessor)
  global-lock  one global chain behind select_for_update on one row: no fork, one line for the city
  per-subject  Terang: each transaction locks its subject's row (as services do) and appends to
               that subject's chain
  per-subject+checkpointer  the same while a checkpointer runs every 0.2 s
  hot-no-lock  one chain, no row lock: record_audit's unique (chain, seq) + retry + queue

Every transaction of the last four does the same work: lock a row, update it, record_audit. The
naive writer does less (raw SQL, no row work), so only its forks are compared. Ratios are against
global-lock from the same run and the same kind of writers. Writers are K threads in this process
(GIL-bound: see "py cpu") and then K processes, as gunicorn workers would be. Variants run in
rounds that rotate their order, because a shared machine's load drifts; rates are totals over the
rounds. Then `verify_audit_log()` over everything. Results are printed and written to
bench/results/audit.json. Knobs: BENCH_WORKERS (8), BENCH_ROUNDS (3), BENCH_SECONDS per variant
and round (2.5), BENCH_SUBJECTS (2000).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import platform
import random
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "terang_bench"
WORKERS = int(os.environ.get("BENCH_WORKERS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "2.5"))
SUBJECTS = int(os.environ.get("BENCH_SUBJECTS", "2000"))
MODES = ("threads", "processes")


def scratch_database() -> str:
    parsed = urlparse(os.environ.get("DATABASE_URL", ""))
    if parsed.scheme not in {"postgres", "postgresql"}:
        sys.exit("bench_audit needs DATABASE_URL=postgres://... (it creates terang_bench there)")
    admin = urlunparse(parsed._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlunparse(parsed._replace(path=f"/{BENCH_DB}"))


os.environ["DATABASE_URL"] = scratch_database()
os.environ["DJANGO_SETTINGS_MODULE"] = "terang.settings"
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from terang.core.audit import GENESIS, checkpoint, record_audit, verify_audit_log  # noqa: E402

Append = Callable[[random.Random, int, str], None]


def prepare() -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_naive (id bigserial PRIMARY KEY, mode text NOT NULL,"
            " prev_hash text NOT NULL, hash text NOT NULL, payload jsonb NOT NULL)"
        )
        cursor.execute("CREATE TABLE bench_subject (id integer PRIMARY KEY, n integer NOT NULL)")
        cursor.execute(
            "INSERT INTO bench_subject SELECT g, 0 FROM generate_series(0, %s) g", [SUBJECTS]
        )


def naive(_rng: random.Random, n: int, mode: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT hash FROM bench_naive WHERE mode = %s ORDER BY id DESC LIMIT 1", [mode]
        )
        row = cursor.fetchone()
        prev = row[0] if row else GENESIS
        digest = hashlib.sha256(f"{prev}|{n}|{time.time_ns()}".encode()).hexdigest()
        cursor.execute(
            "INSERT INTO bench_naive (mode, prev_hash, hash, payload) VALUES (%s, %s, %s, %s)",
            [mode, prev, digest, json.dumps({"n": n})],
        )


def service_append(subject: int, chain: str, *, lock: bool = True) -> None:
    """What a service transaction does: lock and update its subject, then audit it."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            if lock:
                cursor.execute("SELECT n FROM bench_subject WHERE id = %s FOR UPDATE", [subject])
            cursor.execute("UPDATE bench_subject SET n = n + 1 WHERE id = %s", [subject])
        record_audit(actor=None, action="bench.step", subject=chain, payload={"s": subject})


def global_lock(_rng: random.Random, _n: int, mode: str) -> None:
    service_append(0, f"bench.{mode}.global-lock:0")


def per_subject(rng: random.Random, _n: int, mode: str) -> None:
    subject = rng.randint(1, SUBJECTS)
    service_append(subject, f"bench.{mode}.per-subject:{subject}")


def per_subject_checkpointed(rng: random.Random, _n: int, mode: str) -> None:
    subject = rng.randint(1, SUBJECTS)
    service_append(subject, f"bench.{mode}.per-subject+checkpointer:{subject}")


def hot_no_lock(_rng: random.Random, _n: int, mode: str) -> None:
    service_append(0, f"bench.{mode}.hot-no-lock:0", lock=False)


VARIANTS: list[tuple[str, Append]] = [
    ("naive", naive),
    ("global-lock", global_lock),
    ("per-subject", per_subject),
    ("per-subject+checkpointer", per_subject_checkpointed),
    ("hot-no-lock", hot_no_lock),
]


def write_for(append: Append, index: int, mode: str, start: Any) -> int:
    """One writer: wait for the others, append for SECONDS, return how many it appended."""
    rng, count = random.Random(index), 0
    try:
        start.wait()
        stop = time.monotonic() + SECONDS
        while time.monotonic() < stop:
            append(rng, count, mode)
            count += 1
    finally:
        connections.close_all()
    return count


def fold_for(start: Any) -> int:
    made = 0
    try:
        start.wait()
        stop = time.monotonic() + SECONDS
        while time.monotonic() < stop:
            made += checkpoint() is not None
            time.sleep(0.2)
    finally:
        connections.close_all()
    return made


def run(append: Append, mode: str, *, checkpointer: bool) -> dict[str, Any]:
    """Entries appended, wall seconds and CPU seconds (this process and its children)."""
    connections.close_all()  # nothing open may be shared with forked workers
    parties = WORKERS + checkpointer
    cpu = time.process_time() + _children_cpu()
    if mode == "threads":
        results: list[int] = [0] * parties
        errors: list[BaseException] = []
        start_t = threading.Barrier(parties + 1)

        def work(i: int) -> None:
            try:
                results[i] = (
                    write_for(append, i, mode, start_t) if i < WORKERS else fold_for(start_t)
                )
            except BaseException as exc:
                errors.append(exc)

        workers: list[Any] = [threading.Thread(target=work, args=(i,)) for i in range(parties)]
        start: Any = start_t
    else:
        ctx = multiprocessing.get_context("fork")
        shared = ctx.Array("q", parties)
        start = ctx.Barrier(parties + 1)

        def work_in_process(i: int) -> None:
            shared[i] = write_for(append, i, mode, start) if i < WORKERS else fold_for(start)

        workers = [ctx.Process(target=work_in_process, args=(i,)) for i in range(parties)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.monotonic()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - began
    if mode == "threads":
        if errors:
            raise errors[0]
    else:
        if any(worker.exitcode for worker in workers):
            raise RuntimeError(f"a {mode} writer failed in {append.__name__}")
        results = list(shared)
    return {
        "entries": sum(results[:WORKERS]),
        "seconds": elapsed,
        "cpu_seconds": time.process_time() + _children_cpu() - cpu,
        "checkpoints_written": sum(results[WORKERS:]),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def forks(name: str, mode: str) -> dict[str, int]:
    """Entries, distinct (chain, predecessor) pairs, and the difference: entries whose
    predecessor another entry of the same chain also claims."""
    with connection.cursor() as cursor:
        if name == "naive":
            cursor.execute(
                "SELECT count(*), count(DISTINCT prev_hash), 1 FROM bench_naive WHERE mode = %s",
                [mode],
            )
        else:
            cursor.execute(
                "SELECT count(*), count(DISTINCT (chain, prev_hash)), count(DISTINCT chain)"
                " FROM core_auditentry WHERE chain LIKE %s",
                [f"bench.{mode}.{name}:%"],
            )
        entries, predecessors, chains = cursor.fetchone()
    return {
        "stored_entries": entries,
        "distinct_predecessors": predecessors,
        "forks": entries - predecessors,
        "chains": chains,
    }


def measure(mode: str) -> dict[str, dict[str, Any]]:
    totals = {name: {"entries": 0, "seconds": 0.0, "cpu": 0.0, "ckpt": 0} for name, _ in VARIANTS}
    for round_ in range(ROUNDS):
        shift = round_ % len(VARIANTS)
        for name, append in VARIANTS[shift:] + VARIANTS[:shift]:
            got = run(append, mode, checkpointer=name.endswith("checkpointer"))
            total = totals[name]
            total["entries"] += got["entries"]
            total["seconds"] += got["seconds"]
            total["cpu"] += got["cpu_seconds"]
            total["ckpt"] += got["checkpoints_written"]
    results: dict[str, dict[str, Any]] = {}
    for name, _append in VARIANTS:
        total = totals[name]
        results[name] = {
            "entries": total["entries"],
            "seconds": round(total["seconds"], 2),
            "entries_per_s": round(total["entries"] / total["seconds"], 1),
            # Python CPU per wall second; in threads mode, near 1.0 means bound by the GIL.
            "python_cpu_share": round(total["cpu"] / total["seconds"], 2),
        } | forks(name, mode)
        if name.endswith("checkpointer"):
            results[name]["checkpoints_written"] = total["ckpt"]
    baseline = results["global-lock"]["entries_per_s"]
    for name, result in results.items():
        comparable = name != "naive"  # it skips the row work and the ORM: only its forks count
        result["vs_global_lock"] = (
            round(result["entries_per_s"] / baseline, 2) if comparable else None
        )
    return results


def report(mode: str, results: dict[str, dict[str, Any]]) -> None:
    print(f"\n{WORKERS} {mode}:")
    print(
        f"{'variant':<26}{'entries':>9}{'entries/s':>11}{'vs global':>11}{'forks':>8}"
        f"{'predecessors':>14}{'py cpu':>8}"
    )
    for name, r in results.items():
        ratio = "n/a" if r["vs_global_lock"] is None else f"{r['vs_global_lock']:.2f}x"
        print(
            f"{name:<26}{r['entries']:>9}{r['entries_per_s']:>11.1f}{ratio:>11}"
            f"{r['forks']:>8}{r['distinct_predecessors']:>14}{r['python_cpu_share']:>8.2f}"
        )


def main() -> None:
    prepare()
    load_before = os.getloadavg()[0]
    print(
        f"audit chain: {WORKERS} writers, {ROUNDS} rounds x {SECONDS:g} s per variant,"
        f" {SUBJECTS} subjects, PostgreSQL, {os.cpu_count()} CPUs, load {load_before:.1f}"
    )
    results = {}
    for mode in MODES:
        results[mode] = measure(mode)
        report(mode, results[mode])

    began = time.monotonic()
    made = checkpoint()
    checkpoint_s = time.monotonic() - began
    began = time.monotonic()
    verified = verify_audit_log()
    verify_s = time.monotonic() - began
    print(
        f"\nfinal checkpoint: {len(made.heads) if made else 0} chains in"
        f" {checkpoint_s * 1000:.0f} ms"
    )
    print(
        f"verify: {'OK' if verified.ok else verified.first_problem}: {verified.entries} entries"
        f" in {verified.chains} chains, {verified.checkpoints} checkpoints in {verify_s:.2f} s"
        f" ({verified.entries / verify_s:.0f} entries/s)"
    )

    load_after = os.getloadavg()[0]
    print(f"load average (1 min) {load_before:.1f} before, {load_after:.1f} after")
    out = ROOT / "bench" / "results" / "audit.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = {
        "benchmark": "audit_chain",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1min": {"before": load_before, "after": load_after},
        },
        "workers": WORKERS,
        "rounds": ROUNDS,
        "seconds_per_variant_and_round": SECONDS,
        "subjects": SUBJECTS,
        "results": results,
        "final_checkpoint": {
            "chains": len(made.heads) if made else 0,
            "seconds": round(checkpoint_s, 3),
        },
        "verify": {
            "ok": verified.ok,
            "entries": verified.entries,
            "chains": verified.chains,
            "checkpoints": verified.checkpoints,
            "seconds": round(verify_s, 2),
        },
    }
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"written: {out.relative_to(ROOT)}")
    connections.close_all()
    naive_forked = all(results[mode]["naive"]["forks"] for mode in MODES)
    terang_forked = any(
        r["forks"] for mode in MODES for name, r in results[mode].items() if name != "naive"
    )
    if not naive_forked or terang_forked or not verified.ok:
        sys.exit("unexpected: the naive chain did not fork, a Terang chain did, or verify failed")


if __name__ == "__main__":
    main()
