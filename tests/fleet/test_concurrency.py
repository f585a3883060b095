"""Concurrent writers of one vehicle (MQTT worker and HTTP ingest at once) on PostgreSQL: every
fix is stored once, counted once, and the live state ends at the newest fix."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from terang.fleet import services
from terang.fleet.models import IdlePeriod, LatestPosition, Position

from .conftest import as_json, at, fix

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WRITERS = 4


def test_concurrent_overlapping_batches_of_one_vehicle(truck) -> None:  # type: ignore[no-untyped-def]
    # Every writer sends the same 40 standing fixes (an idle stop) in its own order.
    minutes = list(range(40))
    batches = [
        [fix(m, north=(m % 3) * 3, speed=0) for m in minutes[i::WRITERS] + minutes]
        for i in range(WRITERS)
    ]
    barrier = threading.Barrier(WRITERS)
    results = []
    errors: list[BaseException] = []

    def write(batch: list[dict]) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.ingest_positions(vehicle=truck, payload=as_json(batch)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sum(r.stored for r in results) == 40
    assert Position.objects.count() == 40
    latest = LatestPosition.objects.get(vehicle=truck)
    assert latest.ts == at(39)
    period = IdlePeriod.objects.get()
    assert (period.started_at, period.ended_at) == (at(0), None)
    assert latest.open_idle_id == period.pk
