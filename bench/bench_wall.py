"""Wall summary latency with 100k vs 10M sensor readings: the wall must not grow with history.

Two scratch databases hold the same city of sensors and differ only in the readings table:

    terang_bench_readings_100k   ~100,000 readings
    terang_bench_readings_10m    ~10,000,000 readings (--quick: terang_bench_readings_1m, ~1M)

30 active stations (12 air-quality stations x 6 parameters, 10 river gauges, 8 rain gauges: 90
series) with readings on one regular grid per series over the last 390 days, so the monthly
partitions of migration controlroom.0002 all hold data. One grid of 10M points: the small set
is every 100th point; the large set is a copy of the small database grown in place with
`INSERT ... SELECT generate_series` (all the other points; every 10th of them with --quick, so
both modes share the small database), so all sets end on the same newest reading and
`LatestReading` and `Station.last_seen_at` are the same in all. Both also hold 13
months of published hourly ISPU (IspuHourly, IspuStationHourly), 3,000 resolved alerts and 3
active ones, and a few hundred quarantined messages: only the readings differ.

Two long-lived children (one per database) are driven in alternation, in a shuffled order per
round, so both sizes see the same machine noise. Each round times, in-process:

    healthz           GET /healthz through Django's test Client: the baseline
    snapshot_fresh    wall.snapshot(fresh=True): every source recomputed (6 h of events)
    http_recomputing  GET /api/v1/wall as an OTP-verified operator, with the one-second cache of
                      the slow parts cleared first: the one poll per second that recomputes
    source:<name>     the four wall parts of each registered wall source (core.wall)

It prints p50/p95 per case and size, the large/small ratio of each p50 (about 1.0: the wall
does not read history), the same ratio normalised by /healthz, and the EXPLAIN (ANALYZE) of every
query of one `wall.snapshot(fresh=True)` on the large set, flagging any scan of the readings
table (or its partitions) and any sequential scan.

    .venv/bin/python bench/bench_wall.py [--quick] [--rounds 60] [--rebuild]

The databases are reused between runs when their contents match (`--reuse`, the default; the
first build of 10M rows takes a few minutes); `--rebuild` builds them again. Their clock is the
build time: reused days later, stations look silent and the ISPU old, which does not change what
the queries read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

VERSION = 2
META_TABLE = "bench_readings_dataset"
SMALL_DB = "terang_bench_readings_100k"
SMALL_ROWS = 100_000
GRID_ROWS = 10_000_000  # the grid every set is a part of
GRID_FACTOR = GRID_ROWS // SMALL_ROWS  # the small set: every 100th grid point
# large database, its size, and which grid points it holds beyond the small set's (every n-th)
BIG = {
    False: ("terang_bench_readings_10m", 10_000_000, 1),
    True: ("terang_bench_readings_1m", 1_000_000, 10),
}
SPAN_DAYS = 390
AIR_PARAMETERS = ("pm25", "pm10", "o3", "no2", "co", "so2")
STATIONS = [
    ("air", 12, AIR_PARAMETERS),
    ("water_level", 10, ("water_level",)),
    ("rainfall", 8, ("rainfall",)),
]
KINDS = {"air": "air_quality", "water_level": "water_level", "rainfall": "rainfall"}
# base, amplitude of a slow wave; a deterministic wobble is added (no random(): both sizes
# must end on the same newest values)
VALUES = {
    "pm25": (35, 20),
    "pm10": (60, 30),
    "o3": (80, 40),
    "no2": (40, 20),
    "co": (1500, 600),
    "so2": (30, 15),
    "water_level": (150, 80),
    "rainfall": (2, 3),
}
READINGS_RE = re.compile(r" on (controlroom_reading(?:_p\d{4}_\d{2}|_default)?)\b")
SEQ_RE = re.compile(r"Seq Scan on (\w+)")
SLOW_KEY = "controlroom:wall:slow:id"  # wall.slow_parts' cache key for Bahasa Indonesia


# Children (Django, one database each) ------------------------------------------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(BENCH.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terang.settings")
    import django

    django.setup()


def grid(total: int, series: int, factor: int) -> int:
    """Points per series of the full grid, chosen so its newest point (index per - 1) is in
    every set (index % factor == 0)."""
    return -(-(total // series - 1) // factor) * factor + 1


def build() -> dict[str, Any]:
    """The city of sensors with the small set of readings (every GRID_FACTOR-th grid point)."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from terang.controlroom.air import ispu
    from terang.controlroom.models import (
        Alert,
        AlertRule,
        Parameter,
        QuarantinedMessage,
        Station,
        StationParameter,
    )
    from terang.controlroom.partitions import ensure_reading_partitions
    from terang.controlroom.sensors.services import ensure_standard_parameters
    from terang.core.models import User

    started = time.monotonic()
    now = timezone.now().replace(microsecond=0)
    rng = random.Random(5)
    ensure_standard_parameters()
    ensure_reading_partitions(months_back=14, months_ahead=3)
    params = {p.code: p for p in Parameter.objects.all()}
    with transaction.atomic():
        user, _ = User.objects.get_or_create(
            username="bench_wall_operator",
            defaults={
                "role": "operator",
                "email": "bench_wall_operator@bench.invalid",
                "full_name": "Operator Bench",
            },
        )
        TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        stations: list[Station] = []
        for prefix, count, codes in STATIONS:
            for n in range(count):
                station = Station.objects.create(
                    code=f"{prefix}-{n + 1:02d}",
                    name=f"Stasiun {prefix} {n + 1}",
                    kind=KINDS[prefix],
                    latitude=-6.3 + rng.random() * 0.2,
                    longitude=106.55 + rng.random() * 0.24,
                    is_active=True,
                )
                StationParameter.objects.bulk_create(
                    [StationParameter(station=station, parameter=params[c]) for c in codes]
                )
                stations.append(station)
        rules = [
            AlertRule.objects.create(
                name=f"Tinggi muka air {sev}",
                kind="threshold",
                parameter=params["water_level"],
                threshold=level,
                severity=sev,
            )
            for sev, level in (("info", 200), ("warning", 260), ("danger", 330))
        ]
        rules.append(
            AlertRule.objects.create(
                name="PM2.5 tinggi",
                kind="threshold",
                parameter=params["pm25"],
                threshold=150,
                severity="warning",
            )
        )
        gauges = [s for s in stations if s.kind == "water_level"]
        airs = [s for s in stations if s.kind == "air_quality"]
        history = []
        for _ in range(3000):
            rule = rng.choice(rules)
            station = rng.choice(airs if rule.parameter_id == params["pm25"].pk else gauges)
            first = now - dt.timedelta(days=rng.uniform(1, SPAN_DAYS - 1))
            history.append(
                Alert(
                    rule=rule,
                    station=station,
                    status="resolved",
                    severity=rule.severity,
                    first_seen_at=first,
                    last_seen_at=first + dt.timedelta(hours=2),
                    value=rule.threshold + 5,
                    message="Melewati ambang batas",
                    occurrences=3,
                    acknowledged_at=first + dt.timedelta(minutes=20),
                    resolved_at=first + dt.timedelta(hours=3),
                    resolution_note="Kembali normal",
                )
            )
        Alert.objects.bulk_create(history)
        for rule, station, status in (
            (rules[2], gauges[0], "open"),
            (rules[1], gauges[1], "acknowledged"),
            (rules[3], airs[0], "open"),
        ):
            Alert.objects.create(
                rule=rule,
                station=station,
                status=status,
                severity=rule.severity,
                first_seen_at=now - dt.timedelta(minutes=40),
                last_seen_at=now,
                value=rule.threshold + 10,
                message="Melewati ambang batas",
                occurrences=4,
                acknowledged_at=now - dt.timedelta(minutes=10) if status != "open" else None,
            )
        QuarantinedMessage.objects.bulk_create(
            [
                QuarantinedMessage(
                    received_at=now - dt.timedelta(minutes=rng.uniform(0, 72 * 60)),
                    topic="terang/sensors/x",
                    station_code="air-01",
                    payload="{}",
                    reason="out_of_range",
                    detail="nilai di luar rentang",
                )
                for _ in range(300)
            ]
        )
    series = [
        (s.pk, params[c].pk, c)
        for s in stations
        for c in next(codes for prefix, _n, codes in STATIONS if s.code.startswith(prefix))
    ]
    factor = GRID_FACTOR
    per = grid(GRID_ROWS, len(series), factor)
    step = SPAN_DAYS * 86400 / (per - 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_series (station_id bigint, parameter_id bigint, "
            "base float, amp float)"
        )
        for station_id, parameter_id, code in series:
            base, amp = VALUES[code]
            cursor.execute(
                "INSERT INTO bench_series VALUES (%s, %s, %s, %s)",
                [station_id, parameter_id, base, amp],
            )
        cursor.execute(
            "CREATE TABLE bench_grid (t_end timestamptz, per int, step_s float, factor int)"
        )
        cursor.execute("INSERT INTO bench_grid VALUES (%s, %s, %s, %s)", [now, per, step, factor])
    readings = insert_readings(small_set=True, every=1)
    hours = SPAN_DAYS * 24
    with connection.cursor() as cursor:
        # 13 months of published ISPU per air station and parameter, and per station (the
        # highest parameter). Values are arbitrary but valid; categories follow the ISPU bands.
        specs = [
            (p.value, s.averaging_hours)
            for p, s in ispu.PARAMETERS.items()
            if p.value in AIR_PARAMETERS
        ]
        cursor.execute(
            """
            INSERT INTO controlroom_ispuhourly (station_id, hour_end, parameter, concentration,
                averaging_hours, hours_with_data, ispu, category, published_at)
            SELECT s.id, date_trunc('hour', %s::timestamptz) - h * interval '1 hour', p.code,
                   v.ispu * 0.4, p.hours, p.hours, v.ispu,
                   CASE WHEN v.ispu <= 50 THEN 'baik' WHEN v.ispu <= 100 THEN 'sedang'
                        WHEN v.ispu <= 200 THEN 'tidak_sehat'
                        WHEN v.ispu <= 300 THEN 'sangat_tidak_sehat' ELSE 'berbahaya' END,
                   date_trunc('hour', %s::timestamptz) - h * interval '1 hour'
                       + interval '5 minutes'
            FROM controlroom_station s
            CROSS JOIN generate_series(0, %s) h
            CROSS JOIN unnest(%s::text[], %s::int[], %s::int[]) AS p(code, hours, k)
            CROSS JOIN LATERAL (SELECT 10 + (h * 37 + s.id * 11 + p.k * 23) %% 160 AS ispu) v
            WHERE s.kind = 'air_quality'
            """,
            [
                now,
                now,
                hours - 1,
                [c for c, _h in specs],
                [h for _c, h in specs],
                list(range(len(specs))),
            ],
        )
        cursor.execute(
            """
            INSERT INTO controlroom_ispustationhourly (station_id, hour_end, ispu, category,
                critical_parameter, published_at)
            SELECT DISTINCT ON (station_id, hour_end) station_id, hour_end, ispu, category,
                   parameter, published_at
            FROM controlroom_ispuhourly ORDER BY station_id, hour_end, ispu DESC, parameter
            """
        )
        cursor.execute(
            f"CREATE TABLE {META_TABLE} (version int, readings bigint, built_at timestamptz)"
        )
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES (%s, %s, %s)",  # noqa: S608
            [VERSION, readings, now],
        )
        cursor.execute("VACUUM ANALYZE")
    return {
        "readings": readings,
        "series": len(series),
        "per_series_large": per,
        "factor": factor,
        "seconds": round(time.monotonic() - started, 1),
    }


def insert_readings(*, small_set: bool, every: int) -> int:
    """Insert the small set's grid points (or every `every`-th of the others), then bring
    LatestReading and Station.last_seen_at up to date. Returns the table's row count."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            """
            INSERT INTO controlroom_reading (station_id, parameter_id, ts, value, received_at)
            SELECT s.station_id, s.parameter_id,
                   g.t_end - (g.per - 1 - i) * g.step_s * interval '1 second',
                   greatest(0, s.base + s.amp * sin(i / 500.0 + s.station_id)
                               + ((i * 7919 + s.parameter_id * 31) %% 97) / 10.0),
                   g.t_end - (g.per - 1 - i) * g.step_s * interval '1 second'
                       + interval '3 seconds'
            FROM bench_series s CROSS JOIN bench_grid g
            CROSS JOIN generate_series(0, g.per - 1) AS i
            WHERE (i %% g.factor = 0) = %s AND i %% %s = 0
            """,
            [small_set, every],
        )
        # The newest reading per series through the unique (station, parameter, ts) index.
        cursor.execute("DELETE FROM controlroom_latestreading")
        cursor.execute(
            """
            INSERT INTO controlroom_latestreading (station_id, parameter_id, ts, value)
            SELECT s.station_id, s.parameter_id, r.ts, r.value FROM bench_series s
            CROSS JOIN LATERAL (SELECT ts, value FROM controlroom_reading r
                                WHERE r.station_id = s.station_id
                                  AND r.parameter_id = s.parameter_id
                                ORDER BY ts DESC LIMIT 1) r
            """
        )
        cursor.execute(
            "UPDATE controlroom_station st SET last_seen_at = l.ts FROM (SELECT station_id, "
            "max(ts) AS ts FROM controlroom_latestreading GROUP BY station_id) l "
            "WHERE l.station_id = st.id"
        )
        cursor.execute("SELECT count(*) FROM controlroom_reading")
        return int(cursor.fetchone()[0])


def grow(every: int) -> dict[str, Any]:
    """Insert every `every`-th grid point the small set left out, then ANALYZE."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT station_id, parameter_id, ts, value FROM "
            "controlroom_latestreading ORDER BY 1, 2"
        )
        latest_before = cursor.fetchall()
    readings = insert_readings(small_set=False, every=every)
    inserted = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT station_id, parameter_id, ts, value FROM "
            "controlroom_latestreading ORDER BY 1, 2"
        )
        if cursor.fetchall() != latest_before:
            raise SystemExit("LatestReading changed while growing: the grids do not line up")
        cursor.execute(f"UPDATE {META_TABLE} SET readings = %s", [readings])  # noqa: S608
        cursor.execute("VACUUM ANALYZE")
    return {
        "readings": readings,
        "insert_seconds": round(inserted, 1),
        "seconds": round(time.monotonic() - started, 1),
    }


class Prober:
    """The measured calls, in one process bound to one database."""

    def __init__(self) -> None:

        from django.conf import settings
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from terang.controlroom.wall import composer as wall
        from terang.core.models import User
        from terang.core.wall import wall_sources

        user = User.objects.get(username="bench_wall_operator")
        device = TOTPDevice.objects.get(user=user, name="bench")
        login = Client()
        login.force_login(user)
        session = login.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        self.client = Client(HTTP_ACCEPT="application/json")
        self.client.cookies[settings.SESSION_COOKIE_NAME] = login.cookies[
            settings.SESSION_COOKIE_NAME
        ].value
        self.wall = wall
        self.sources = {source.name: source for source in wall_sources()}
        response = self.client.get("/api/v1/wall")
        if response.status_code != 200:
            raise SystemExit(f"GET /api/v1/wall answered {response.status_code}")
        self.payload = response.json()

    def _source(self, source: Any) -> None:
        from django.utils import timezone

        now = timezone.now()
        source.counters(now)
        source.events(now - self.wall.FIRST_LOAD_WINDOW, now, self.wall.EVENT_LIMIT)
        source.map_points(now)
        source.breaches(now)

    def _http(self) -> None:
        from django.core.cache import cache

        cache.delete(SLOW_KEY)
        response = self.client.get("/api/v1/wall")
        if response.status_code != 200:
            raise SystemExit(f"GET /api/v1/wall answered {response.status_code}")

    def cases(self) -> dict[str, Any]:
        cases: dict[str, Any] = {
            "healthz": lambda: self.client.get("/healthz"),
            "snapshot_fresh": lambda: self.wall.snapshot(fresh=True),
            "http_recomputing": self._http,
        }
        for name, source in self.sources.items():
            cases[f"source:{name}"] = lambda source=source: self._source(source)
        return cases

    def round(self, seed: int) -> dict[str, float]:
        cases = list(self.cases().items())
        random.Random(seed).shuffle(cases)
        timings = {}
        for name, call in cases:
            began = time.perf_counter()
            call()
            timings[name] = time.perf_counter() - began
        return timings

    def explain(self) -> dict[str, Any]:
        """EXPLAIN (ANALYZE, BUFFERS) of every query one fresh snapshot runs."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.wall.snapshot(fresh=True)
        plans = []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            execution = next((line for line in plan.splitlines() if "Execution Time" in line), "")
            plans.append(
                {
                    "sql": sql,
                    "tables": sorted(set(re.findall(r'FROM "(\w+)"', sql))),
                    "reads_readings": sorted(set(READINGS_RE.findall(plan))),
                    "seq_scans": sorted(set(SEQ_RE.findall(plan))),
                    "execution_ms": float(execution.split(":")[1].split("ms")[0])
                    if execution
                    else None,
                    "plan": plan,
                }
            )
        seq_tables = sorted({t for p in plans for t in p["seq_scans"]})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
                [seq_tables],
            )
            seq_rows = dict(cursor.fetchall())
        return {
            "queries": len(captured.captured_queries),
            "plans": plans,
            "seq_scan_table_rows": seq_rows,
        }

    def facts(self) -> dict[str, Any]:
        from django.db import connection

        counts = {}
        with connection.cursor() as cursor:
            for table in (
                "controlroom_reading",
                "controlroom_latestreading",
                "controlroom_station",
                "controlroom_ispuhourly",
                "controlroom_ispustationhourly",
                "controlroom_alert",
            ):
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
                counts[table] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) "
                "FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
                "WHERE p.relname = 'controlroom_reading'"
            )
            size = int(cursor.fetchone()[0])
            cursor.execute(f"SELECT built_at FROM {META_TABLE}")  # noqa: S608
            built = cursor.fetchone()[0]
        return {
            "rows": counts,
            "readings_mb": round(size / 1e6),
            "built_at": built.isoformat(),
            "wall_sources": list(self.sources),
            "payload_counts": {k: len(v) for k, v in self.payload.items() if isinstance(v, list)},
        }


def serve() -> None:
    """Answer the parent's commands on stdin, one JSON line each."""
    prober = Prober()
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "round":
            result: Any = prober.round(int(arg or 0))
        elif command == "explain":
            result = prober.explain()
        elif command == "facts":
            result = prober.facts()
        else:
            return
        print(json.dumps(result, default=str), flush=True)


# Parent ------------------------------------------------------------------------------------------


def _built(db: str, readings: int) -> Any:
    """The build time of the database's sensor city when it holds this version and about
    `readings` readings (exactly as recorded), else None."""
    import common

    if not common.database_exists(db):
        return None
    with common.connect(db) as conn:
        if conn.execute("SELECT to_regclass(%s)", [META_TABLE]).fetchone()[0] is None:
            return None
        meta = conn.execute(
            f"SELECT version, readings, built_at FROM {META_TABLE}"  # noqa: S608
        ).fetchone()
        if meta is None or meta[0] != VERSION:
            return None
        count = conn.execute("SELECT count(*) FROM controlroom_reading").fetchone()[0]
    return meta[2] if count == meta[1] and abs(count - readings) < readings / 50 else None


def ensure_databases(big_db: str, big_rows: int, every: int, rebuild: bool) -> dict[str, Any]:
    """Reuse both databases when they match (the large one grown from this very small one,
    the same for --quick and full runs); otherwise build the small one and grow a copy."""
    import common
    import psycopg

    info: dict[str, Any] = {}
    started = time.monotonic()
    small_built = None if rebuild else _built(SMALL_DB, SMALL_ROWS)
    if small_built is None:
        common._clone_migrated_template(SMALL_DB)
        info["build"] = common.run_child([str(Path(__file__)), "build"], SMALL_DB)
        small_built = _built(SMALL_DB, SMALL_ROWS)
        print(
            f"built {SMALL_DB}: {info['build']['readings']:,} readings in "
            f"{info['build']['seconds']} s",
            flush=True,
        )
    if "build" not in info and _built(big_db, big_rows) == small_built:
        info["reused"] = True
    else:
        common.drop_database(big_db)  # also refuses anything but a scratch database
        with psycopg.connect(common.PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{big_db}" TEMPLATE "{SMALL_DB}"')
        print(f"growing {big_db} to ~{big_rows:,} readings ...", flush=True)
        info["grow"] = common.run_child(
            [str(Path(__file__)), "grow", "--every", str(every)], big_db
        )
        print(
            f"grown {big_db}: {info['grow']['readings']:,} readings in {info['grow']['seconds']} s",
            flush=True,
        )
        info["reused"] = False
    for db in (SMALL_DB, big_db):
        common.migrate(db)  # picks up migrations added since the build
    if "build" in info or "grow" in info:
        # Write the build's dirty pages out now: measured right after a build, every source
        # (even those whose tables are empty in both sets) came out 1.2-1.3x slower on the
        # large set while the server was still flushing them.
        with psycopg.connect(common.PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute("CHECKPOINT")
    info["seconds"] = round(time.monotonic() - started, 1)
    return info


class Child:
    def __init__(self, db: str) -> None:
        import common

        self.proc = subprocess.Popen(
            [str(common.PYTHON), str(Path(__file__)), "serve"],
            cwd=common.REPO,
            env=common.bench_env(db),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.read()

    def ask(self, command: str) -> Any:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.read()

    def read(self) -> Any:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"child exited ({self.proc.wait()})")
        return json.loads(line)

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("build")
    g = sub.add_parser("grow")
    g.add_argument("--every", type=int, required=True)
    sub.add_parser("serve")
    parser.add_argument("--quick", action="store_true", help="100k vs 1M, 20 rounds")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument(
        "--reuse", action="store_true", default=True, help="reuse matching databases (the default)"
    )
    parser.add_argument("--rebuild", action="store_true", help="build both databases again")
    args = parser.parse_args()
    if args.command in ("build", "grow"):
        _setup_django()
        print(json.dumps(build() if args.command == "build" else grow(args.every)))
        return 0
    if args.command == "serve":
        _setup_django()
        serve()
        return 0
    return orchestrate(args)


def orchestrate(args: argparse.Namespace) -> int:
    import common

    started = time.monotonic()
    big_db, big_rows, every = BIG[args.quick]
    rounds = 20 if args.quick else args.rounds
    sizes = {"small": SMALL_DB, "big": big_db}
    datasets = ensure_databases(big_db, big_rows, every, args.rebuild)
    common.flush_scratch_redis()
    children = {size: Child(db) for size, db in sizes.items()}
    try:
        facts = {size: child.ask("facts") for size, child in children.items()}
        for size, fact in facts.items():
            print(
                f"{sizes[size]}: {fact['rows']['controlroom_reading']:,} readings "
                f"({fact['readings_mb']:,} MB with indexes), built {fact['built_at']}"
            )
        print(f"wall sources: {', '.join(facts['big']['source_modules'])}")
        for child in children.values():  # warm-up
            for _ in range(3):
                child.ask("round 0")
        load_before = common.machine()["load_avg_1m"]
        samples: dict[str, dict[str, list[float]]] = {size: {} for size in sizes}
        rng = random.Random(3)
        order = list(sizes)
        for n in range(rounds):
            rng.shuffle(order)
            for size in order:
                for case, seconds in children[size].ask(f"round {n}").items():
                    samples[size].setdefault(case, []).append(seconds)
        load_after = common.machine()["load_avg_1m"]
        explain = children["big"].ask("explain")
        explain_small = children["small"].ask("explain")
    finally:
        for child in children.values():
            child.close()

    latency = {
        size: {case: common.summarize_ms(values) for case, values in per.items()}
        for size, per in samples.items()
    }
    base = {size: latency[size]["healthz"]["p50_ms"] for size in sizes}
    rows = []
    ratios = {}
    for case in latency["small"]:
        small, big = latency["small"][case], latency["big"][case]
        raw = common.ratio(big["p50_ms"], small["p50_ms"])
        norm = common.ratio(big["p50_ms"] / base["big"], small["p50_ms"] / base["small"])
        ratios[case] = {"big_vs_small_p50": raw, "big_vs_small_p50_per_healthz": norm}
        rows.append(
            [
                case,
                f"{small['p50_ms']:.1f}",
                f"{small['p95_ms']:.1f}",
                f"{big['p50_ms']:.1f}",
                f"{big['p95_ms']:.1f}",
                f"{raw:.2f}",
                f"{norm:.2f}",
            ]
        )
    small_n = facts["small"]["rows"]["controlroom_reading"]
    big_n = facts["big"]["rows"]["controlroom_reading"]
    label = f"{big_n / 1e6:.0f}M" if big_n >= 950_000 else f"{big_n // 1000}k"
    print()
    print(
        f"Wall latency, {rounds} rounds, ms; {small_n:,} vs {big_n:,} readings "
        f"(load avg {load_before} before, {load_after} after)"
    )
    print(
        common.table(
            rows,
            [
                "case",
                "100k p50",
                "100k p95",
                f"{label} p50",
                f"{label} p95",
                f"{label}/100k",
                "same / healthz",
            ],
        )
    )
    touched = [p for p in explain["plans"] if p["reads_readings"]]
    seqs = sorted({t for p in explain["plans"] for t in p["seq_scans"]})
    seq_rows = {t: max(0, explain["seq_scan_table_rows"].get(t, 0)) for t in seqs}
    print(
        f"\nEXPLAIN ANALYZE of the {len(explain['plans'])} SELECTs of one fresh snapshot at "
        f"{label}: readings table read by {len(touched)} "
        f"({', '.join(sorted({t for p in touched for t in p['reads_readings']})) or 'none'});"
        f" sequential scans only on tables of at most {max(seq_rows.values(), default=0):,}"
        f" rows; total execution "
        f"{sum(p['execution_ms'] or 0 for p in explain['plans']):.1f} ms at {label}, "
        f"{sum(p['execution_ms'] or 0 for p in explain_small['plans']):.1f} ms at 100k"
    )
    plan_rows = [
        [
            ", ".join(p["tables"])[:60],
            f"{p['execution_ms']:.2f}",
            "YES" if p["reads_readings"] else "no",
            ", ".join(f"{t} ({seq_rows[t]})" for t in p["seq_scans"])[:70] or "-",
        ]
        for p in explain["plans"]
    ]
    print(
        common.table(
            plan_rows, ["tables in FROM", "exec ms", "reads readings", "seq scans (table rows)"]
        )
    )
    path = common.write_result(
        "wall",
        {
            "quick": args.quick,
            "rounds": rounds,
            "load_avg": {"before": load_before, "after": load_after},
            "datasets": {"small": SMALL_DB, "big": big_db, **datasets},
            "facts": facts,
            "latency": latency,
            "ratios": ratios,
            "explain": {
                "readings_read_by": len(touched),
                "seq_scans_on": seq_rows,
                "queries": explain["queries"],
                "plans": [{k: v for k, v in p.items() if k != "plan"} for p in explain["plans"]],
                "plans_text": [p["plan"] for p in explain["plans"]],
            },
            "seconds": round(time.monotonic() - started, 1),
        },
    )
    print(f"\nwritten {path.relative_to(common.REPO)} in {time.monotonic() - started:.0f} s")
    return 1 if touched else 0


if __name__ == "__main__":
    sys.exit(main())
