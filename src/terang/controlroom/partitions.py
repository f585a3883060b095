"""Monthly range partitions of the big time-series tables on PostgreSQL (sensor readings, fleet
positions). SQLite keeps plain tables.

A DEFAULT partition catches readings outside the prepared months, so an insert never fails;
`ensure_reading_partitions` (run by the ingest worker at start and by a periodic task) keeps
partitions ready ahead of time so the DEFAULT partition stays small."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

TABLE = "controlroom_reading"
#: Every table partitioned by month on its `ts`; the periodic task keeps all of them ahead.
PARTITIONED_TABLES = (TABLE, "fleet_position")


def _month_start(day: dt.date, offset: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date, table: str = TABLE) -> str:
    return f"{table}_p{month:%Y_%m}"


def create_partitioned_table(conn: BaseDatabaseWrapper) -> None:
    """Replace the table Django created with a partitioned one of the same columns and names."""
    with conn.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(
            f"""
            CREATE TABLE {TABLE} (
                id bigserial NOT NULL,
                station_id bigint NOT NULL REFERENCES controlroom_station (id)
                    DEFERRABLE INITIALLY DEFERRED,
                parameter_id bigint NOT NULL REFERENCES controlroom_parameter (id)
                    DEFERRABLE INITIALLY DEFERRED,
                ts timestamp with time zone NOT NULL,
                value double precision NOT NULL,
                received_at timestamp with time zone NOT NULL,
                CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, ts),
                CONSTRAINT ctrl_reading_station_param_ts UNIQUE (station_id, parameter_id, ts)
            ) PARTITION BY RANGE (ts)
            """
        )
        cursor.execute(f"CREATE INDEX ctrl_reading_param_ts ON {TABLE} (parameter_id, ts)")
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")


def ensure_reading_partitions(
    *, months_back: int = 0, months_ahead: int = 3, conn: BaseDatabaseWrapper | None = None
) -> list[str]:
    """Create the readings table's missing monthly partitions around the current month."""
    return ensure_monthly_partitions(
        TABLE, months_back=months_back, months_ahead=months_ahead, conn=conn
    )


def ensure_all_partitions(*, months_ahead: int = 3) -> list[str]:
    """Every partitioned table, `months_ahead` months ahead (the daily task)."""
    created: list[str] = []
    for table in PARTITIONED_TABLES:
        created += ensure_monthly_partitions(table, months_ahead=months_ahead)
    return created


def ensure_monthly_partitions(
    table: str,
    *,
    months_back: int = 0,
    months_ahead: int = 3,
    conn: BaseDatabaseWrapper | None = None,
) -> list[str]:
    """Create `table`'s missing monthly partitions around the current month; return their
    names. A table that is not partitioned (not yet migrated) is left alone."""
    conn = conn or connection
    if conn.vendor != "postgresql":
        return []
    today = timezone.now().date()
    created: list[str] = []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(%s)", [table]
        )
        if cursor.fetchone() is None:
            return []
        for offset in range(-months_back, months_ahead + 1):
            start = _month_start(today, offset)
            end = _month_start(start, 1)
            name = partition_name(start, table)
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                continue
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {table} "
                f"FOR VALUES FROM ('{start.isoformat()} 00:00:00+00') "
                f"TO ('{end.isoformat()} 00:00:00+00')"
            )
            created.append(name)
    return created
