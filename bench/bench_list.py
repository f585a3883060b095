"""Public list latency at 10k and 100k aspirations, against /healthz in the same run.

Two scratch databases (terang_bench_10k and terang_bench_100k: the same generator, 10,000 and
100,000 aspirations; cached between runs) are served at once by two production gunicorn
servers. One client sends requests one at a time, in a shuffled order per round, so both sizes
and every case see the same machine noise:

    healthz          GET /healthz: no database, no template (the baseline)
    api_first_page   GET /api/v1/aspirations
    api_deep_page    GET /api/v1/aspirations?cursor=...   (a cursor 90% down the public list)
    api_kelurahan    GET /api/v1/aspirations?kelurahan=<a median kelurahan>
    api_fulltext     GET /api/v1/aspirations?q=banjir     (a common word: ~1 row in 10)
    api_fulltext_rare  GET /api/v1/aspirations?q=Hasibuan (a surname: ~1 row in 300)
    html_list        GET /aspirasi/                        (the HTML public list)

It prints p50/p95 per case, each p50 as a multiple of /healthz on the same server, the
100k/10k ratio per case, and the EXPLAIN (ANALYZE) of each case's list query with a flag for a
sequential scan on aspirations_aspiration.

    .venv/bin/python bench/bench_list.py [--rounds 150]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from contextlib import ExitStack
from typing import Any

import common

SIZES = {"10k": ("terang_bench_10k", 10_000), "100k": ("terang_bench_100k", 100_000)}
WARMUP = 15


def _check_body(case: str, status: int, body: bytes) -> str | None:
    """A reason the response is wrong, or None."""
    if status != 200:
        return f"HTTP {status}"
    if case.startswith("api_"):
        items = json.loads(body).get("items", [])
        if not items:
            return "empty page"
        if not case.startswith("api_fulltext") and len(items) != 20:
            return f"{len(items)} items, expected 20"
    return None


def measure(probes: dict[str, dict[str, Any]], rounds: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with ExitStack() as stack:
        servers = {
            size: stack.enter_context(common.gunicorn(db)) for size, (db, _rows) in SIZES.items()
        }
        clients = {size: common.KeepAliveClient(s.port) for size, s in servers.items()}
        cases = {size: {"healthz": "/healthz", **probes[size]["cases"]} for size in SIZES}
        work = [(size, case) for size in SIZES for case in cases[size]]
        skipped: dict[tuple[str, str], str] = {}
        for size, case in work:
            for _ in range(WARMUP):
                status, body, _ = clients[size].get(cases[size][case])
            problem = _check_body(case, status, body)
            if problem:
                skipped[(size, case)] = problem
        samples: dict[tuple[str, str], list[float]] = {key: [] for key in work}
        errors: dict[tuple[str, str], int] = {key: 0 for key in work}
        rng = random.Random(7)
        live = [key for key in work if key not in skipped]
        for _ in range(rounds):
            rng.shuffle(live)
            for size, case in live:
                status, body, seconds = clients[size].get(cases[size][case])
                if status != 200:
                    errors[(size, case)] += 1
                samples[(size, case)].append(seconds)
        for client in clients.values():
            client.close()
    for size in SIZES:
        per_case: dict[str, Any] = {}
        for case in cases[size]:
            key = (size, case)
            if key in skipped:
                per_case[case] = {"skipped": skipped[key], "path": cases[size][case]}
                continue
            per_case[case] = {
                "path": cases[size][case],
                "errors": errors[key],
                **common.summarize_ms(samples[key]),
            }
        base = per_case["healthz"]["p50_ms"]
        for entry in per_case.values():
            if "p50_ms" in entry:
                entry["p50_vs_healthz"] = common.ratio(entry["p50_ms"], base)
        results[size] = per_case
    return results


def _plan_summary(plan: dict[str, Any]) -> dict[str, Any]:
    return {
        k: plan.get(k)
        for k in ("status", "queries", "seq_scan_on_aspirations", "indexes", "execution_ms")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=150)
    args = parser.parse_args()
    started = time.monotonic()
    datasets = {size: common.ensure_dataset(db, rows) for size, (db, rows) in SIZES.items()}
    for size, info in datasets.items():
        verb = "reused" if info["reused"] else "generated"
        print(f"data set {size}: {info['db']} {verb} in {info['seconds']} s")
    common.flush_scratch_redis()
    probes = {
        size: common.run_child([str(common.BENCH_DIR / "dataset.py"), "probe"], db)
        for size, (db, _rows) in SIZES.items()
    }
    load_before = common.machine()["load_avg_1m"]
    latency = measure(probes, args.rounds)
    load_after = common.machine()["load_avg_1m"]
    failed = any(entry.get("errors") for per in latency.values() for entry in per.values())

    cases = list(latency["100k"])
    rows = []
    for case in cases:
        small, big = latency["10k"][case], latency["100k"][case]
        if "p50_ms" not in big:
            rows.append([case, "skipped", "", "", "", "", "", big.get("skipped", "")])
            continue
        rows.append(
            [
                case,
                f"{small['p50_ms']:.1f}",
                f"{small['p95_ms']:.1f}",
                f"{big['p50_ms']:.1f}",
                f"{big['p95_ms']:.1f}",
                f"{small['p50_vs_healthz']:.1f}x",
                f"{big['p50_vs_healthz']:.1f}x",
                f"{common.ratio(big['p50_ms'], small['p50_ms']):.2f}",
            ]
        )
        big["p50_100k_vs_10k"] = common.ratio(big["p50_ms"], small["p50_ms"])
    print()
    print(
        f"Public list latency, sequential, {args.rounds} requests per case, ms "
        f"(load avg {load_before} before, {load_after} after)"
    )
    print(
        common.table(
            rows,
            [
                "case",
                "10k p50",
                "10k p95",
                "100k p50",
                "100k p95",
                "10k/healthz",
                "100k/healthz",
                "100k/10k",
            ],
        )
    )
    print()
    print("EXPLAIN ANALYZE of each case's list query (100k | 10k):")
    plan_rows = []
    for case in probes["100k"]["plans"]:
        big = probes["100k"]["plans"][case]
        small = probes["10k"]["plans"].get(case, {})
        if "plan" not in big:
            plan_rows.append([case, f"HTTP {big['status']}", "", "", ""])
            continue
        plan_rows.append(
            [
                case,
                "YES" if big["seq_scan_on_aspirations"] else "no",
                f"{big['execution_ms']:.2f} | {small.get('execution_ms') or 0:.2f}",
                str(big["queries"]),
                ", ".join(big["indexes"]),
            ]
        )
    print(
        common.table(
            plan_rows, ["case", "seq scan", "exec ms", "queries", "aspiration indexes used (100k)"]
        )
    )
    facts = probes["100k"]
    print(
        f"\n100k: {facts['public_rows']} public rows; kelurahan {facts['kelurahan']} has "
        f"{facts['kelurahan_public_rows']}; q={facts['q']!r} matches {facts['q_public_rows']}, "
        f"q={facts['rare_q']!r} {facts['rare_q_public_rows']}; "
        f"deep page starts after row {facts['deep_page_depth']}."
    )
    path = common.write_result(
        "list",
        {
            "rounds": args.rounds,
            "load_avg": {"before": load_before, "after": load_after},
            "datasets": datasets,
            "latency": latency,
            "facts": {
                size: {k: v for k, v in p.items() if k != "plans"} for size, p in probes.items()
            },
            "plans": {
                size: {case: _plan_summary(plan) for case, plan in p["plans"].items()}
                for size, p in probes.items()
            },
            "plans_text": {
                size: {case: plan.get("plan", "") for case, plan in p["plans"].items()}
                for size, p in probes.items()
            },
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    print(f"\nwritten {path.relative_to(common.REPO)} in {time.monotonic() - started:.0f} s")
    if failed:
        print("FAILED: some requests did not return 200", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
