"""Usage counts: per day and in total, by single UPDATE statements, never lost under
concurrent requests."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections

from terang.opendata.models import Dataset, DatasetUsage
from terang.opendata.services import record_usage

DAY = dt.date(2026, 3, 14)


@pytest.mark.django_db
def test_counts_per_day_and_total(catalog):
    dataset, _resource = catalog.published()
    record_usage(dataset_id=dataset.pk, kind="views", day=DAY)
    record_usage(dataset_id=dataset.pk, kind="views", day=DAY)
    record_usage(dataset_id=dataset.pk, kind="downloads", day=DAY)
    record_usage(dataset_id=dataset.pk, kind="api_calls", day=DAY + dt.timedelta(days=1))
    rows = list(
        DatasetUsage.objects.order_by("day").values_list("day", "views", "downloads", "api_calls")
    )
    assert rows == [(DAY, 2, 1, 0), (DAY + dt.timedelta(days=1), 0, 0, 1)]
    dataset.refresh_from_db()
    assert (dataset.view_count, dataset.download_count, dataset.api_count) == (2, 1, 1)


@pytest.mark.django_db
def test_counting_does_not_touch_modified_at(catalog):
    dataset, _resource = catalog.published()
    before = Dataset.objects.get(pk=dataset.pk).modified_at
    record_usage(dataset_id=dataset.pk, kind="views")
    assert Dataset.objects.get(pk=dataset.pk).modified_at == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_counts_are_not_lost(catalog):
    dataset, _resource = catalog.published()
    workers, each = 8, 10
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def hit() -> None:
        try:
            barrier.wait()
            for _ in range(each):
                record_usage(dataset_id=dataset.pk, kind="views", day=DAY)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=hit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert DatasetUsage.objects.get(dataset=dataset, day=DAY).views == workers * each
    assert Dataset.objects.get(pk=dataset.pk).view_count == workers * each
