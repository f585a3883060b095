# ruff: noqa: F811 - fixtures from conftest are used by name
"""Concurrent call-takers on PostgreSQL: references never repeat or skip, and a unit is never
sent to two incidents at once."""

from __future__ import annotations

import pytest
from django.db import connection

from terang.core.audit import verify_audit_log
from terang.emergencies import services
from terang.emergencies.models import Dispatch, Incident
from tests.core.test_audit_concurrency import run_in_threads

from .conftest import receive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_calls_get_consecutive_references(operator, kelurahan):
    def work(index: int) -> None:
        for _ in range(5):
            receive(operator)

    run_in_threads(work, count=6)

    references = sorted(Incident.objects.values_list("reference", flat=True))
    assert references == [f"112-2026-{n:06d}" for n in range(1, 31)]


def test_one_unit_raced_to_two_incidents_goes_to_one(operator, kelurahan, fire_unit):
    incidents = [receive(operator) for _ in range(6)]
    outcomes: list[str] = []

    def work(index: int) -> None:
        try:
            services.dispatch_units(actor=operator, incident=incidents[index], units=[fire_unit])
            outcomes.append("sent")
        except services.UnitBusy:
            outcomes.append("busy")
        finally:
            connection.close()

    run_in_threads(work, count=6)

    assert sorted(outcomes) == ["busy"] * 5 + ["sent"]
    assert Dispatch.objects.filter(unit=fire_unit, released_at__isnull=True).count() == 1
    assert Incident.objects.filter(status="dispatched").count() == 1
    assert verify_audit_log().ok
