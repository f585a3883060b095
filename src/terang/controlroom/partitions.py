"""The readings table's partitioning (migration 0002) over core's monthly partitions.

The generic helpers live in `terang.core.ingest.partitions`; their names are re-exported here
only because existing migrations (controlroom 0002, fleet 0002) and the partition task import
them from this path."""

from __future__ import annotations

import datetime as dt

from django.db.backends.base.base import BaseDatabaseWrapper

from terang.core.ingest import partitions as _core
from terang.core.ingest.partitions import ensure_all_partitions, ensure_monthly_partitions

TABLE = "controlroom_reading"

__all__ = [
    "TABLE",
    "create_partitioned_table",
    "ensure_all_partitions",
    "ensure_monthly_partitions",
    "ensure_reading_partitions",
    "partition_name",
]


def partition_name(month: dt.date, table: str = TABLE) -> str:
    return _core.partition_name(month, table)


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
