"""Two modules (or two budget imports committing together) publish the same new official
dataset at the same moment (PostgreSQL): both succeed and there is one dataset."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from terang.core.publishing import OfficialDataset, OfficialFile, publish_official_dataset
from terang.opendata.models import Dataset
from terang.opendata.services import official


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_publishers_make_one_dataset(producer_agency, licence, monkeypatch):
    real = official._create_published
    barrier = threading.Barrier(2, timeout=10)

    def racing(**kwargs):  # type: ignore[no-untyped-def]
        barrier.wait()  # both found no dataset before either creates it
        return real(**kwargs)

    monkeypatch.setattr(official, "_create_published", racing)
    offered = OfficialDataset(
        name="apbd-2026",
        title="APBD 2026",
        notes="Uji",
        organization=producer_agency,
        licence="cc-by-4.0",
        source="uji",
        files=(
            OfficialFile(
                resource_name="Data",
                description="",
                file_name="apbd-2026.csv",
                content=b"kode,pagu\n1,100\n",
                media_type="text/csv",
            ),
        ),
    )
    errors: list[BaseException] = []

    def publish() -> None:
        try:
            publish_official_dataset(offered)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Dataset.objects.filter(name="apbd-2026").count() == 1
