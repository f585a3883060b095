"""Periodic aspiration jobs (Celery beat): deadline sweeps and automatic closing."""

from celery import shared_task

from . import services


@shared_task
def sweep_deadlines() -> dict[str, int]:
    return services.sweep_deadlines()


@shared_task
def auto_close_resolved() -> int:
    return services.auto_close_resolved()
