"""Periodic upkeep of the budget module."""

from __future__ import annotations

from celery import shared_task


@shared_task
def sync_budget_datasets() -> list[int]:
    """Publish every budget year's open dataset that is missing or out of date."""
    from terang.budget.publishing import sync_budget_datasets as sync

    return sync()
