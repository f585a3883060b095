"""Periodic PPID job (Celery beat): the deadline sweep."""

from celery import shared_task

from . import services


@shared_task
def sweep_deadlines() -> dict[str, int]:
    return services.sweep_deadlines()
