"""Monthly range partitions of the big time-series tables on PostgreSQL (sensor readings, fleet
positions, any table an app partitions by month on `ts`). SQLite keeps plain tables.

A DEFAULT partition catches rows outside the prepared months, so an insert never fails;
`ensure_all_partitions` (a periodic task) and the ingest worker at start keep partitions ready
ahead of time so the DEFAULT partition stays small. The partitioned tables are found in the
database itself, so core names no app's table."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone


def month_start(day: dt.date, offset: int) -> dt.date:
    """The first day of the month `offset` months from `day`'s month."""
    index = day.year * 12 + (day.month - 1) + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date, table: str) -> str:
    return f"{table}_p{month:%Y_%m}"


def partitioned_tables(conn: BaseDatabaseWrapper | None = None) -> list[str]:
    """The tables partitioned by range in this database (none outside PostgreSQL)."""
    conn = conn or connection
    if conn.vendor != "postgresql":
        return []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE p.partstrat = 'r' AND n.nspname = current_schema() ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]


def ensure_all_partitions(*, months_ahead: int = 3) -> list[str]:
    """Every partitioned table, `months_ahead` months ahead (the daily task)."""
    created: list[str] = []
    for table in partitioned_tables():
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
            start = month_start(today, offset)
            end = month_start(start, 1)
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
