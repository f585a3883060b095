"""fleet 0003 gives idle periods core's alert lifecycle in their own table: rows recorded before
it are kept, an ended period becomes resolved at its end (by nobody), a running one open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from terang.fleet.models import IdlePeriod

BEFORE = [("fleet", "0002_partition_positions")]
AFTER = [("fleet", "0003_idle_period_alert_lifecycle")]
START = dt.datetime(2025, 3, 10, 1, 0, tzinfo=dt.UTC)


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _period(model, vehicle, minutes: int, ended: bool):  # type: ignore[no-untyped-def]
    started = START + dt.timedelta(minutes=minutes)
    return model.objects.create(
        vehicle=vehicle,
        started_at=started,
        idle_at=started + dt.timedelta(minutes=15),
        last_seen_at=started + dt.timedelta(minutes=25),
        ended_at=started + dt.timedelta(minutes=25) if ended else None,
        latitude=-6.2,
        longitude=106.63,
        detected_at=started + dt.timedelta(minutes=16),
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_idle_periods_recorded_before_become_alerts():
    old = _migrate(BEFORE)
    assert "status" not in {f.name for f in old.get_model("fleet", "IdlePeriod")._meta.fields}
    vehicle = old.get_model("fleet", "Vehicle").objects.create(code="truk-lama", kind="pickup")
    model = old.get_model("fleet", "IdlePeriod")
    ended = _period(model, vehicle, 0, ended=True)
    running = _period(model, vehicle, 60, ended=False)

    new = _migrate(AFTER)
    rows = {row.pk: row for row in new.get_model("fleet", "IdlePeriod").objects.all()}
    assert set(rows) == {ended.pk, running.pk}
    was_ended, still_running = rows[ended.pk], rows[running.pk]
    assert (was_ended.started_at, was_ended.ended_at, was_ended.last_seen_at) == (
        ended.started_at,
        ended.ended_at,
        ended.last_seen_at,
    )
    assert (was_ended.status, was_ended.resolved_at, was_ended.resolved_by_id) == (
        "resolved",
        ended.ended_at,
        None,
    )
    assert (still_running.status, still_running.resolved_at, still_running.ended_at) == (
        "open",
        None,
        None,
    )
    assert {row.occurrences for row in rows.values()} == {1}
    assert {row.acknowledged_by_id for row in rows.values()} == {None}

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert IdlePeriod.objects.get(pk=running.pk).status == "open"
    assert IdlePeriod.objects.filter(status="resolved").count() == 1
