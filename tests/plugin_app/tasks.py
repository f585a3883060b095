"""The test plugin's periodic job: a Celery task like any app's."""

from __future__ import annotations

from celery import shared_task

#: Each run of the job, for the test to see.
RUNS: list[str] = []


@shared_task
def tick() -> str:
    RUNS.append("tick")
    return "plugin tick"
