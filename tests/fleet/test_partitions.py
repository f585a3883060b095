"""PostgreSQL: fleet positions are partitioned by month like sensor readings, duplicates are
still stored once, and the daily task keeps both tables' months ahead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from terang.controlroom.partitions import ensure_all_partitions, partition_name
from terang.fleet.models import Position

from .conftest import fix, ingest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_positions_table_is_partitioned_by_month():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partstrat FROM pg_partitioned_table "
            "WHERE partrelid = 'fleet_position'::regclass"
        )
        assert cursor.fetchone() == ("r",)
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'fleet_position'::regclass"
        )
        assert cursor.fetchone()[0] >= 17  # 13 back + current + 3 ahead + DEFAULT


def test_a_position_lands_in_its_month_and_a_resend_is_stored_once(truck):
    recent = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
    payload = [
        {**fix(0), "ts": recent.isoformat()},
        {**fix(0), "ts": recent.isoformat()},
        {**fix(1), "ts": (recent + dt.timedelta(minutes=1)).isoformat()},
    ]
    result = ingest(truck, payload)
    assert (result.stored, result.duplicates) == (2, 1)
    assert Position.objects.filter(vehicle=truck).count() == 2
    first = Position.objects.filter(vehicle=truck).order_by("ts").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM fleet_position WHERE id = %s", [first.pk]
        )
        month = first.ts.astimezone(dt.UTC).date().replace(day=1)
        assert cursor.fetchone()[0] == partition_name(month, "fleet_position")


def test_the_daily_task_keeps_both_tables_ahead():
    assert ensure_all_partitions(months_ahead=3) == []
    created = ensure_all_partitions(months_ahead=4)
    assert sorted(name.rsplit("_p", 1)[0] for name in created) == [
        "controlroom_reading",
        "fleet_position",
    ]
