"""`make bench`: every benchmark in bench/, one after another, each in its own process.

    .venv/bin/python bench/run_all.py [--quick]

--quick shortens every run (a smoke test of the scripts, not numbers to quote). The summary at
the end repeats the headline figures from bench/results/*.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

import common

# (script, required, arguments for --quick)
SCRIPTS: list[tuple[str, bool, list[str]]] = [
    ("bench_list.py", True, ["--rounds", "40"]),
    ("bench_create.py", True, ["--duration", "5"]),
    ("bench_audit.py", False, []),  # another engineer's; run when present
    ("bench_ingest.py", True, ["--quick"]),
    ("bench_wall.py", True, ["--quick"]),
    ("bench_wall_transport.py", True, ["--quick"]),
    ("bench_catalog.py", True, ["--quick", "--reuse"]),
    ("bench_safety.py", True, ["--quick"]),
]


def _load(name: str) -> dict[str, Any] | None:
    path = common.RESULTS_DIR / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def headlines() -> list[str]:
    lines = []
    create = _load("create")
    if create:
        run, ratios = create["runs"]["create"], create["ratios"]
        lines.append(
            f"create (POST /api/v1/aspirations, PostgreSQL, 100k rows): "
            f"{run['req_per_s']:,.0f} req/s, p50 {run['p50_ms']:.0f} ms, p99 "
            f"{run['p99_ms']:.0f} ms, {run['non2xx'] + run['socket_errors']} errors; "
            f"= {ratios['create_vs_healthz']:.2f} x /healthz, "
            f"{ratios['create_vs_categories']:.2f} x GET /api/v1/categories, "
            f"{ratios['create_vs_raw_sql']:.2f} x the same SQL through pgbench"
        )
    ingest = _load("ingest")
    if ingest:
        for name, entry in ingest["headline"].items():
            lines.append(
                f"ingest {name} (PostgreSQL, {entry['readings']:,} readings): "
                f"{entry['readings_per_s']:,.0f} readings/s = {entry['vs_copy']:.3f} x COPY"
            )
    wall = _load("wall")
    if wall:
        snap = wall["latency"]["big"]["snapshot_fresh"]
        lines.append(
            f"wall snapshot (fresh) with {wall['facts']['big']['rows']['controlroom_reading']:,} "
            f"readings: p50 {snap['p50_ms']:.0f} ms = "
            f"{wall['ratios']['snapshot_fresh']['big_vs_small_p50']:.2f} x with "
            f"{wall['facts']['small']['rows']['controlroom_reading']:,}; readings table read by "
            f"{wall['explain']['readings_read_by']} of its queries"
        )
    transport = _load("wall_transport")
    if transport:
        for case in transport["cases"]:
            d = case["delivery"]
            lines.append(
                f"wall {case['transport']} x{case['screens']} screens: delivery p50 "
                f"{d.get('p50_ms', 0):.0f} ms, p95 {d.get('p95_ms', 0):.0f} ms, "
                f"{d['undelivered']} undelivered; server+db CPU "
                f"{case['cpu_per_s']['server_plus_db']:.2f} s/s"
            )
    listing = _load("list")
    if listing:
        big = listing["latency"]["100k"]
        for case in (
            "api_first_page",
            "api_deep_page",
            "api_kelurahan",
            "api_fulltext",
            "html_list",
        ):
            entry = big.get(case, {})
            if "p50_ms" in entry:
                lines.append(
                    f"list at 100k, {case}: p50 {entry['p50_ms']:.1f} ms, p95 "
                    f"{entry['p95_ms']:.1f} ms = {entry['p50_vs_healthz']:.1f} x /healthz, "
                    f"{entry.get('p50_100k_vs_10k') or 0:.2f} x the same at 10k"
                )
        seq = [
            case
            for case, plan in listing["plans"]["100k"].items()
            if plan.get("seq_scan_on_aspirations")
        ]
        lines.append(
            "seq scan on aspirations_aspiration at 100k: " + (", ".join(seq) if seq else "none")
        )
    catalog = _load("catalog")
    if catalog:
        size = "10k" if "10k" in catalog["latency"] else "1k"
        sizes = catalog["sizes"][size]
        for case in (
            "search_q_common",
            "search_q_facets",
            "search_facets",
            "ds_first",
            "ds_filter",
            "ds_sort",
        ):
            entry = catalog["latency"][size][case]
            growth = catalog["ratios_10k_vs_1k"].get(case, {}).get("p50_10k_vs_1k")
            lines.append(
                f"catalog at {sizes['datasets']:,} datasets / {sizes['rows']:,} rows, {case}: "
                f"p50 {entry['p50_ms']:.0f} ms = {entry['p50_vs_show']:.1f} x package_show"
                + (f", {growth:.2f} x the same at 1k / 100k" if growth else "")
            )
    lines += safety_headlines()
    return lines


def safety_headlines() -> list[str]:
    safety = _load("safety")
    if not safety:
        return []
    lines = []
    rate = safety.get("rate_limit")
    if rate:
        on = rate["runs"]["on"]
        lines.append(
            f"rate limits on (policy raised, every create counted in Redis): create "
            f"{on['req_per_s']:,.0f} req/s = {rate['ratio_on_vs_off']['median']:.3f} x limits off "
            f"(load avg {rate['load_avg']['before']})"
        )
    down = safety.get("redis_down")
    if down:
        ratios = down["ratios_req_per_s"]
        errors = sum(r["non2xx"] + r["socket_errors"] for r in down["runs"].values())
        lines.append(
            "Redis frozen / stopped vs up (req/s): page "
            f"{ratios['page_frozen_vs_up']['median']:.2f} / "
            f"{ratios['page_stopped_vs_up']['median']:.2f}, create "
            f"{ratios['create_frozen_vs_up']['median']:.2f} / "
            f"{ratios['create_stopped_vs_up']['median']:.2f}; {errors} errors"
        )
    hung = safety.get("db_hung")
    if hung:
        with_slots, without = hung["cases"]["slots_6"][0], hung["cases"]["slots_0"][0]
        lines.append(
            f"database hung, {hung['burst']} pages at once: answered (503) within "
            f"{with_slots['time_to_answer_s']['max']} s with the bulkhead vs "
            f"{without['time_to_answer_s']['max']} s without; /healthz max "
            f"{with_slots['healthz']['max_ms']:.0f} ms vs {without['healthz']['max_ms']:.0f} ms"
        )
    bomb = safety.get("image_bomb")
    if bomb:
        medians = bomb["medians"]
        lines.append(
            f"image bomb (4 x {bomb['bomb']['side']} px PNG): worker peak RSS "
            f"{medians['bomb']['peak_mb']:.0f} MB = {bomb['ratios']['peak_bomb_vs_ordinary']:.2f} "
            f"x 4 ordinary photos ({medians['ordinary']['peak_mb']:.0f} MB)"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs (smoke test)")
    args = parser.parse_args()
    started = time.monotonic()
    outcomes = []
    for script, required, quick_args in SCRIPTS:
        path = common.BENCH_DIR / script
        if not path.exists():
            if required:
                outcomes.append((script, "missing", 0.0))
            continue
        print(f"\n=== {script} " + "=" * (60 - len(script)), flush=True)
        began = time.monotonic()
        extra = quick_args if args.quick else []
        env = dict(os.environ)
        if script == "bench_audit.py":
            # It only reads the server from DATABASE_URL and creates its own terang_bench there.
            env["DATABASE_URL"] = common.PG_ADMIN_URL
        code = subprocess.run(
            [str(common.PYTHON), str(path), *extra], cwd=common.REPO, env=env, check=False
        ).returncode
        outcomes.append(
            (script, "ok" if code == 0 else f"failed ({code})", time.monotonic() - began)
        )
    print("\n=== summary " + "=" * 50)
    print(
        common.table(
            [[s, status, f"{sec:.0f} s"] for s, status, sec in outcomes],
            ["script", "result", "time"],
        )
    )
    for line in headlines():
        print("- " + line)
    print(f"total {time.monotonic() - started:.0f} s")
    return 0 if all(status == "ok" for _, status, _ in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
