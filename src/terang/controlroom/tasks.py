"""Periodic upkeep of the control room."""

from __future__ import annotations

from celery import shared_task

from terang.controlroom.partitions import ensure_all_partitions


@shared_task
def ensure_partitions() -> list[str]:
    """Keep the monthly partitions of readings and fleet positions three months ahead."""
    return ensure_all_partitions(months_ahead=3)


@shared_task
def check_silent_stations() -> int:
    """Raise device alerts for stations silent longer than a silent rule allows."""
    from terang.controlroom.alerts.services import check_silent_stations as check

    return len(check())


@shared_task
def publish_ispu() -> dict[str, int]:
    """Publish the hourly ISPU of every air station (run a few minutes past each hour): the hour
    that just ended, and a few before it again for readings that arrived late."""
    from terang.controlroom.air.publication import publish_recent

    results = publish_recent()
    return {
        "hours": len(results),
        "values": sum(r.values for r in results),
        "written": sum(r.written for r in results),
        "removed": sum(r.removed for r in results),
    }
