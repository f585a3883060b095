"""The demo catalog: size, states, versions, usage, determinism and wipe."""

from __future__ import annotations

import pytest
from django.db.models import Count

from terang.core.audit import verify_audit_log
from terang.demo import opendata as demo_opendata
from terang.opendata.choices import DatasetState, VersionStatus
from terang.opendata.models import Dataset, DatastoreRow, Resource, ResourceVersion

from .demo_fixture import build_demo_catalog

pytestmark = pytest.mark.django_db


def test_demo_catalog_shape():
    built = build_demo_catalog()
    states = dict(Dataset.objects.values_list("state").annotate(n=Count("pk")))
    assert states == {
        DatasetState.PUBLISHED: 23,
        DatasetState.SUBMITTED: 2,
        DatasetState.RETURNED: 1,
        DatasetState.DRAFT: 1,
    }
    assert built["counts"]["datasets"] == 27
    assert Dataset.objects.values("organization").distinct().count() == 13
    per_dataset = Resource.objects.values("dataset").annotate(n=Count("pk"))
    assert {row["n"] for row in per_dataset} == {1, 2}
    assert set(Resource.objects.values_list("format", flat=True)) == {
        "CSV",
        "XLSX",
        "JSON",
        "TXT",
        "HTML",
    }
    statuses = dict(ResourceVersion.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses[VersionStatus.PENDING] == 1
    assert statuses[VersionStatus.REFUSED] == 1
    assert statuses[VersionStatus.SUPERSEDED] == 1
    refused = ResourceVersion.objects.get(status=VersionStatus.REFUSED)
    assert [e["line"] for e in refused.report["errors"]] == [4, 9]
    link = Resource.objects.exclude(url="").get()
    assert link.url.startswith("https://")
    published = Dataset.objects.filter(state=DatasetState.PUBLISHED)
    assert all(d.view_count > 0 for d in published)
    assert (
        not Dataset.objects.exclude(state=DatasetState.PUBLISHED).filter(view_count__gt=0).exists()
    )
    assert DatastoreRow.objects.count() > 500
    assert verify_audit_log().ok


def snapshot() -> tuple[list, list]:
    rows = DatastoreRow.objects.order_by(
        "resource__dataset__name", "resource__position", "row_number"
    ).values_list("resource__dataset__name", "row_number", "data")
    # XLSX files carry their save time (zip entries, document properties): compare the others.
    files = (
        ResourceVersion.objects.exclude(original_name__endswith=".xlsx")
        .order_by("resource__dataset__name", "resource__position", "number")
        .values_list("resource__dataset__name", "number", "sha256")
    )
    return list(rows), list(files)


def test_demo_catalog_is_deterministic():
    from terang.core.models import Agency, User

    build_demo_catalog()
    first = snapshot()
    demo_opendata.wipe()
    User.objects.all().delete()
    Agency.objects.all().delete()
    build_demo_catalog()
    assert snapshot() == first


def test_wipe_removes_everything():
    build_demo_catalog()
    deleted = demo_opendata.wipe()
    assert deleted["datasets"] == 27
    assert not Dataset.objects.exists() and not DatastoreRow.objects.exists()
