"""Throughput of POST /api/v1/aspirations on PostgreSQL, against baselines from the same run.

The scratch database is the 100k data set (`terang_bench_100k`, shared with bench_list.py),
served by the production gunicorn command; the Celery broker is set and no worker runs, so
notification delivery is off the request path as in production. wrk drives 64 connections from
2 threads:

    healthz       GET /healthz                   Django with no database work
    categories    GET /api/v1/categories         a trivial ninja endpoint, one query
    create        POST /api/v1/aspirations       anonymous JSON creates (64 body variants:
                                                 20 categories, points in 30 kelurahan,
                                                 public/anonymous/confidential)
    create_idem   the same with a unique Idempotency-Key per request
    raw_sql       pgbench running the very statements one create runs (captured from the
                  endpoint, with fresh codes and ids), 16 clients = the server's 2x8 threads

The cases run in rounds (3 by default, 5 s each) with the order rotated every round, and each
ratio is taken per round (its two runs were seconds apart) and then the median over rounds: a
shared machine's load drifts too much for runs minutes apart to be compared.

Every create is checked: non-2xx responses and socket errors must be 0, and the rows that
appeared in the database must match the requests wrk completed. The rows written here are
deleted afterwards so the cached data set stays at 100,000 rows.

    .venv/bin/python bench/bench_create.py [--duration 15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import common
from dataset import FIRST_NAMES, LAST_NAMES, MIDDLES, STREETS
from psycopg import sql

DB = "terang_bench_100k"
ROWS = 100_000
CONNECTIONS = 64
PG_CLIENTS = 16  # gunicorn --workers 2 --threads 8: at most 16 database sessions
TOUCHED_TABLES = (
    "aspirations_aspiration",
    "aspirations_aspirationevent",
    "core_auditentry",
    "core_idempotencyrecord",
    "core_notification",
)


# Request bodies ---------------------------------------------------------------------------------


def _city(db: str) -> tuple[list[tuple[str, str]], list[tuple[str, float, float, float, float]]]:
    with common.connect(db) as conn:
        categories = conn.execute(
            "SELECT code, name FROM aspirations_category WHERE is_active ORDER BY code"
        ).fetchall()
        areas = conn.execute(
            "SELECT name, min_lat, max_lat, min_lon, max_lon FROM core_administrativearea "
            "WHERE level = 'kelurahan' ORDER BY code"
        ).fetchall()
    return categories, areas


def make_bodies(db: str, count: int = 64) -> list[dict[str, Any]]:
    """Varied, valid create requests like the citizen app sends (no account)."""
    rng = random.Random(11)
    categories, areas = _city(db)
    bodies = []
    for i in range(count):
        code, name = categories[i % len(categories)]
        area, lat0, lat1, lon0, lon1 = rng.choice(areas)
        # Stay clear of the kelurahan edges so the point is unambiguous.
        lat = rng.uniform(lat0 + (lat1 - lat0) * 0.1, lat1 - (lat1 - lat0) * 0.1)
        lon = rng.uniform(lon0 + (lon1 - lon0) * 0.1, lon1 - (lon1 - lon0) * 0.1)
        privacy = rng.choices(["public", "anonymous", "confidential"], [72, 18, 10])[0]
        street = rng.choice(STREETS)
        body: dict[str, Any] = {
            "title": f"{name} di Jl. {street}, {area}",
            "text": f"Saya ingin melaporkan {name.lower()} di Jl. {street}, Kelurahan {area}. "
            + " ".join(rng.sample(MIDDLES, 2))
            + " Mohon segera ditindaklanjuti.",
            "category": code,
            "kind": rng.choices(["complaint", "suggestion", "question"], [75, 15, 10])[0],
            "privacy": privacy,
            "latitude": round(lat, 6),
            "longitude": round(lon, 6),
            "address": f"Jl. {street} No. {rng.randint(1, 200)}",
        }
        if privacy != "anonymous":
            body["reporter_name"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            body["reporter_contact"] = f"08{rng.randint(11, 59)}{rng.randint(10**7, 10**8 - 1)}"
        bodies.append(body)
    return bodies


def create_lua(bodies: list[dict[str, Any]], *, idempotency: bool, run_id: str) -> str:
    items = ",\n".join(f"[==[{json.dumps(b, ensure_ascii=False)}]==]" for b in bodies)
    return f"""
local bodies = {{
{items}
}}
local use_key = {"true" if idempotency else "false"}
local n = 0
request = function()
  n = n + 1
  local headers = {{["Content-Type"] = "application/json"}}
  if use_key then headers["Idempotency-Key"] = "{run_id}-" .. tid .. "-" .. n end
  return wrk.format("POST", "/api/v1/aspirations", headers, bodies[(n + tid * 17) % #bodies + 1])
end
"""


def python_create_maker(bodies: list[dict[str, Any]], *, idempotency: bool, run_id: str) -> Any:
    encoded = [json.dumps(b, ensure_ascii=False).encode() for b in bodies]

    def make(thread: int, i: int) -> common.RequestSpec:
        headers = [("Content-Type", "application/json")]
        if idempotency:
            headers.append(("Idempotency-Key", f"{run_id}-{thread}-{i}"))
        return common.RequestSpec(
            "POST", "/api/v1/aspirations", encoded[(i + thread * 17) % len(encoded)], tuple(headers)
        )

    return make


# Database bookkeeping ---------------------------------------------------------------------------


def high_water(db: str) -> dict[str, int]:
    with common.connect(db) as conn:
        return {
            t: conn.execute(
                sql.SQL("SELECT coalesce(max(id), 0) FROM {}").format(sql.Identifier(t))
            ).fetchone()[0]
            for t in TOUCHED_TABLES
        }


def rows_since(db: str, mark: dict[str, int]) -> int:
    with common.connect(db) as conn:
        return int(
            conn.execute(
                "SELECT count(*) FROM aspirations_aspiration WHERE id > %s",
                [mark["aspirations_aspiration"]],
            ).fetchone()[0]
        )


def settled_rows_since(db: str, mark: dict[str, int], timeout: float = 20.0) -> int:
    """Rows since `mark` once no new ones appear for a second.

    When wrk stops, gunicorn still works through requests queued on its sockets; counting at
    once would miss them and hand them to whatever runs next."""
    deadline = time.monotonic() + timeout
    count = rows_since(db, mark)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = rows_since(db, mark)
        if now == count:
            break
        count = now
    return count


def cleanup(db: str, mark: dict[str, int]) -> int:
    """Delete what the benchmark wrote (children first) so the cached data set stays exact."""
    with common.connect(db) as conn:
        removed = rows_since(db, mark)
        conn.execute(
            "DELETE FROM aspirations_aspirationevent WHERE aspiration_id > %s OR id > %s",
            [mark["aspirations_aspiration"], mark["aspirations_aspirationevent"]],
        )
        for table in (
            "core_auditentry",
            "core_idempotencyrecord",
            "core_notification",
            "aspirations_aspiration",
        ):
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE id > %s").format(sql.Identifier(table)), [mark[table]]
            )
        for table in TOUCHED_TABLES:
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
    return removed


def queued_tasks() -> int:
    import redis

    client = redis.Redis.from_url(common.REDIS_BROKER_URL)
    try:
        return sum(
            int(client.llen(key)) for key in client.scan_iter() if client.type(key) == b"list"
        )
    finally:
        client.close()


# Raw SQL baseline -------------------------------------------------------------------------------

ASPIRATION_INSERT = 'INSERT INTO "aspirations_aspiration" '
EVENT_INSERT = 'INSERT INTO "aspirations_aspirationevent" '
AUDIT_INSERT = 'INSERT INTO "core_auditentry" '
TIMESTAMP = re.compile(r"'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00:00'::timestamptz")


def pgbench_script(statements: list[str], code: str) -> str:
    """The create's statements with a fresh tracking code, aspiration id and audit hash."""
    found = next(
        (
            re.search(r'^INSERT INTO "aspirations_aspirationevent" .* VALUES \((\d+),', s)
            for s in statements
            if s.startswith(EVENT_INSERT)
        ),
        None,
    )
    if not found or not any(f"'{code}'" in s for s in statements):
        raise SystemExit("captured create statements are not in the expected shape")
    asp_id = found.group(1)
    out = ["\\set r random(1, 999999999999999)"]
    for statement in statements:
        text = TIMESTAMP.sub("now()", statement)
        if text.startswith(ASPIRATION_INSERT):
            out.append(text.replace(f"'{code}'", "('B' || :r)") + " \\gset")
            continue
        text = text.replace(
            f"'aspirations.aspiration:{asp_id}'", "('aspirations.aspiration:' || :id)"
        )
        text = re.sub(rf"\b{asp_id}\b", ":id", text)
        if text.startswith(EVENT_INSERT):
            out.append(text + " \\gset ev_")
        elif text.startswith(AUDIT_INSERT):
            entry_hash = re.findall(r"'([0-9a-f]{64})'", text)[-1]
            text = text.replace(
                f"'{entry_hash}'", "encode(sha256((:r || clock_timestamp()::text)::bytea), 'hex')"
            )
            out.append(text + " \\gset au_")
        else:
            out.append(text + ";")
    return "\n".join(out) + "\n"


def run_pgbench(db: str, script: str, duration: int) -> common.LoadResult:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "create.sql"
        path.write_text(script)
        proc = subprocess.run(
            [
                "pgbench",
                "-n",
                "-M",
                "simple",
                "-c",
                str(PG_CLIENTS),
                "-j",
                "2",
                "-T",
                str(duration),
                "-l",
                "--log-prefix",
                str(Path(tmp) / "tx"),
                "-f",
                str(path),
                common.database_url(db),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        latencies = [
            int(line.split()[2]) / 1000
            for log in Path(tmp).glob("tx*")
            for line in log.read_text().splitlines()
        ] or [0.0]
    if proc.returncode != 0:
        raise SystemExit(f"pgbench failed:\n{proc.stdout}\n{proc.stderr}")

    def grab(pattern: str) -> str:
        match = re.search(pattern, proc.stdout)
        return match.group(1) if match else "0"

    transactions = int(grab(r"actually processed: (\d+)"))
    tps = float(grab(r"tps = ([\d.]+) \(without initial connection time\)"))
    return common.LoadResult(
        label="raw_sql",
        requests=transactions,
        seconds=transactions / tps if tps else float(duration),
        non2xx=int(grab(r"number of failed transactions: (\d+)")),
        socket_errors=0,
        p50_ms=common.percentile(latencies, 50),
        p90_ms=common.percentile(latencies, 90),
        p99_ms=common.percentile(latencies, 99),
        mean_ms=statistics.fmean(latencies),
        max_ms=max(latencies),
        tool=f"pgbench -c{PG_CLIENTS}",
    )


# Main -------------------------------------------------------------------------------------------

CASES = ("healthz", "categories", "create", "create_idem", "raw_sql")
RATIOS = {  # name: (numerator, denominator)
    "create_vs_healthz": ("create", "healthz"),
    "create_vs_categories": ("create", "categories"),
    "create_vs_raw_sql": ("create", "raw_sql"),
    "create_idem_vs_create": ("create_idem", "create"),
}


def load(
    label: str, server: common.Server, path: str, duration: int, lua: str = "", maker: Any = None
) -> common.LoadResult:
    if common.have_wrk():
        return common.run_wrk(
            label, server.base_url + path, lua_body=lua, duration=duration, connections=CONNECTIONS
        )
    maker = maker or (lambda _t, _i: common.RequestSpec("GET", path))
    return common.run_threads(label, server.port, maker, duration=duration, connections=CONNECTIONS)


def checked_create(
    label: str,
    server: common.Server,
    bodies: list[dict[str, Any]],
    duration: int,
    *,
    idempotency: bool,
) -> common.LoadResult:
    run_id = f"{label}-{time.time_ns()}"
    before = high_water(DB)
    result = load(
        label,
        server,
        "/api/v1/aspirations",
        duration,
        lua=create_lua(bodies, idempotency=idempotency, run_id=run_id),
        maker=python_create_maker(bodies, idempotency=idempotency, run_id=run_id),
    )
    created = settled_rows_since(DB, before)
    completed_ok = result.requests - result.non2xx
    # wrk counts completed responses; up to one request per connection may still be in flight
    # when it stops, and the server finishes those too.
    consistent = completed_ok <= created <= completed_ok + CONNECTIONS
    result.extra.update(rows_created=created, rows_match_requests=consistent)
    return result


def run_case(
    case: str, server: common.Server, bodies: list[dict[str, Any]], script: str, seconds: int
) -> common.LoadResult:
    if case == "healthz":
        return load(case, server, "/healthz", seconds)
    if case == "categories":
        return load(case, server, "/api/v1/categories", seconds)
    if case in ("create", "create_idem"):
        return checked_create(case, server, bodies, seconds, idempotency=case == "create_idem")
    before = high_water(DB)
    result = run_pgbench(DB, script, seconds)
    created = rows_since(DB, before)
    # Like wrk, pgbench stops counting at the deadline while each client may still commit one.
    consistent = result.requests <= created <= result.requests + PG_CLIENTS
    result.extra.update(rows_created=created, rows_match_requests=consistent)
    return result


def merge(label: str, parts: list[common.LoadResult]) -> common.LoadResult:
    """Totals over the rounds; latency percentiles are the median round's."""
    extra: dict[str, Any] = {"rounds_req_per_s": [round(p.rps, 1) for p in parts]}
    if "rows_created" in parts[0].extra:
        extra["rows_created"] = sum(p.extra["rows_created"] for p in parts)
        extra["rows_match_requests"] = all(p.extra["rows_match_requests"] for p in parts)
    requests = sum(p.requests for p in parts)
    return common.LoadResult(
        label=label,
        requests=requests,
        seconds=sum(p.seconds for p in parts),
        non2xx=sum(p.non2xx for p in parts),
        socket_errors=sum(p.socket_errors for p in parts),
        p50_ms=statistics.median(p.p50_ms for p in parts),
        p90_ms=statistics.median(p.p90_ms for p in parts),
        p99_ms=statistics.median(p.p99_ms for p in parts),
        mean_ms=sum(p.mean_ms * p.requests for p in parts) / requests if requests else 0.0,
        max_ms=max(p.max_ms for p in parts),
        tool=parts[0].tool,
        extra=extra,
    )


def problems_of(runs: dict[str, common.LoadResult], server_log: str) -> list[str]:
    problems = [
        f"{name}: {r.non2xx} non-2xx or failed, {r.socket_errors} socket errors"
        for name, r in runs.items()
        if r.errors
    ] + [
        f"{name}: {r.extra['rows_created']} rows for {r.requests - r.non2xx} completed creates"
        for name, r in runs.items()
        if r.extra.get("rows_match_requests") is False
    ]
    if "Traceback" in server_log:
        problems.append("server log has a traceback:\n" + server_log[-3000:])
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per case in total")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="split each case's time into rounds, rotating the order",
    )
    args = parser.parse_args()
    seconds = max(2, args.duration // args.rounds)
    started = time.monotonic()
    dataset = common.ensure_dataset(DB, ROWS)
    print(
        f"data set: {DB} {'reused' if dataset['reused'] else 'generated'} "
        f"({ROWS} aspirations) in {dataset['seconds']} s"
    )
    common.flush_scratch_redis()
    bodies = make_bodies(DB)
    mark = high_water(DB)
    rounds: dict[str, list[common.LoadResult]] = {case: [] for case in CASES}
    try:
        captured = common.run_child(
            [
                str(common.BENCH_DIR / "dataset.py"),
                "capture-create",
                "--body",
                json.dumps(bodies[0]),
            ],
            DB,
        )
        if captured["status"] != 201:
            raise SystemExit(f"create returned {captured['status']}: {captured['body']}")
        statements = captured["queries"]
        script = pgbench_script(statements, captured["body"]["code"])
        load_before = common.machine()["load_avg_1m"]
        with common.gunicorn(DB) as server:
            load(
                "warmup",
                server,
                "/api/v1/aspirations",
                3,
                lua=create_lua(bodies, idempotency=False, run_id="warm"),
                maker=python_create_maker(bodies, idempotency=False, run_id="warm"),
            )
            for n in range(args.rounds):
                for case in CASES[n % len(CASES) :] + CASES[: n % len(CASES)]:
                    rounds[case].append(run_case(case, server, bodies, script, seconds))
            server_log = server.log_path.read_text(errors="replace")
        tasks = queued_tasks()
        load_after = common.machine()["load_avg_1m"]
    finally:
        removed = cleanup(DB, mark)
        common.flush_scratch_redis()

    runs = {case: merge(case, parts) for case, parts in rounds.items()}
    # Each ratio per round (its two runs were seconds apart), then the median over rounds.
    per_round = {
        name: [common.ratio(a.rps, b.rps) or 0.0 for a, b in zip(rounds[x], rounds[y], strict=True)]
        for name, (x, y) in RATIOS.items()
    }
    ratios = {name: round(statistics.median(values), 3) for name, values in per_round.items()}
    problems = problems_of(runs, server_log)

    rows = [
        [
            name,
            f"{r.rps:,.0f}",
            f"{r.p50_ms:.1f}",
            f"{r.p99_ms:.1f}",
            str(r.errors),
            str(r.extra.get("rows_created", "")),
            r.tool,
            " ".join(f"{x:,.0f}" for x in r.extra["rounds_req_per_s"]),
        ]
        for name, r in runs.items()
    ]
    print()
    print(
        f"Create throughput: {CONNECTIONS} connections (pgbench: {PG_CLIENTS}), {args.rounds} "
        f"rounds x {seconds} s per case (load avg {load_before} before, {load_after} after)"
    )
    print(
        common.table(
            rows, ["run", "req/s", "p50 ms", "p99 ms", "errors", "rows", "tool", "req/s per round"]
        )
    )
    print()
    print(
        f"create = {ratios['create_vs_healthz']:.3f} x healthz, "
        f"{ratios['create_vs_categories']:.3f} x categories GET, "
        f"{ratios['create_vs_raw_sql']:.3f} x raw SQL tps; "
        f"with Idempotency-Key: {ratios['create_idem_vs_create']:.3f} x create "
        "(medians of per-round ratios)"
    )
    work = [
        s
        for s in statements
        if s not in ("BEGIN", "COMMIT") and not s.startswith(("SAVEPOINT", "RELEASE"))
    ]
    print(
        f"one create runs {len(work)} queries ({len(statements)} statements with "
        f"transaction control); {tasks} task(s) left queued on the broker; "
        f"{removed} benchmark rows removed afterwards"
    )
    path = common.write_result(
        "create",
        {
            "rounds": args.rounds,
            "seconds_per_run": seconds,
            "connections": CONNECTIONS,
            "pgbench_clients": PG_CLIENTS,
            "load_avg": {"before": load_before, "after": load_after},
            "dataset": dataset,
            "runs": {name: r.as_dict() for name, r in runs.items()},
            "ratios": ratios,
            "ratios_per_round": per_round,
            "create_statements": statements,
            "queued_tasks": tasks,
            "problems": problems,
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    print(f"\nwritten {path.relative_to(common.REPO)} in {time.monotonic() - started:.0f} s")
    if problems:
        print("FAILED:\n" + "\n".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
