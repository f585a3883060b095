"""Each budget year is published in Satu Data by itself: after an import commits, and again only
when its table changed (a new file version; the old one stays)."""

from __future__ import annotations

import json

import pytest

from terang.budget.models import BudgetSettings
from terang.budget.publishing import publish_budget_year, sync_budget_datasets
from terang.budget.services import import_budget
from terang.core.models import AuditEntry
from terang.opendata.choices import DatasetState, VersionStatus
from terang.opendata.models import Dataset, DatastoreRow

from .conftest import NOW
from .helpers import budget_csv, small_budget

pytestmark = pytest.mark.django_db


def test_an_import_publishes_the_year_once_committed(
    agencies, finance, admin_user, django_capture_on_commit_callbacks
):
    BudgetSettings.objects.update_or_create(pk=1, defaults={"import_agency": finance})
    with django_capture_on_commit_callbacks(execute=True):
        result = import_budget(
            file=budget_csv(small_budget()),
            file_name="apbd-2026.csv",
            year=2026,
            kind="murni",
            actor=admin_user,
            now=NOW,
        )
    dataset = Dataset.objects.get(name="apbd-2026")
    assert dataset.state == DatasetState.PUBLISHED
    assert dataset.organization == finance  # the finance agency publishes its budget
    resource = dataset.resources.get()
    assert resource.datastore_active and resource.published_at is not None
    assert resource.row_count == result.version.line_count
    assert DatastoreRow.objects.filter(resource=resource).count() == result.version.line_count
    assert list(dataset.tags.values_list("name", flat=True).order_by("name")) == [
        "2026",
        "anggaran",
        "apbd",
        "realisasi",
    ]
    actions = list(
        AuditEntry.objects.filter(chain__endswith=str(dataset.pk)).values_list("action", flat=True)
    )
    assert "opendata.official_published" in actions


def test_publishing_again_without_a_change_adds_nothing(imported):
    first = publish_budget_year(2026)
    assert first is not None
    versions = list(first.resources.get().versions.values_list("number", "status"))
    assert versions == [(1, VersionStatus.CURRENT)]
    assert sync_budget_datasets() == [2026]
    assert list(first.resources.get().versions.values_list("number", "status")) == versions


def test_an_amended_budget_is_a_new_version_and_the_old_stays(imported, admin_user):
    publish_budget_year(2026)
    amended = small_budget()
    amended[3]["pagu"] = 1_300_000_000
    import_budget(
        file=budget_csv(amended),
        file_name="apbd-p-2026.csv",
        year=2026,
        kind="perubahan",
        actor=admin_user,
        now=NOW,
    )
    dataset = publish_budget_year(2026)
    resource = dataset.resources.get()
    assert list(resource.versions.order_by("number").values_list("number", "status")) == [
        (1, VersionStatus.SUPERSEDED),
        (2, VersionStatus.CURRENT),
    ]
    plans = {row.data.get("pagu") for row in DatastoreRow.objects.filter(resource=resource)}
    assert 1_300_000_000 in plans


def test_ckan_clients_find_the_budget_dataset(imported, client):
    publish_budget_year(2026)
    response = client.get("/api/3/action/package_show", {"id": "apbd-2026"})
    body = json.loads(response.content)
    assert body["success"] is True
    assert body["result"]["resources"][0]["datastore_active"] is True


def test_nothing_to_publish_for_an_unknown_year(db):
    assert publish_budget_year(1999) is None


def test_the_budget_reaches_satu_data_only_through_the_core_contract(imported, monkeypatch):
    """Budget imports nothing of opendata: what it publishes goes through the function the
    catalog offers in core's registry, as core's value types."""
    import ast
    from pathlib import Path

    import terang.budget
    from terang.core.publishing import OFFICIAL_DATASETS, OfficialDataset
    from terang.core.registry import registry

    for path in Path(terang.budget.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("terang.opendata"), path
    received: list[OfficialDataset] = []
    monkeypatch.setitem(registry["functions"], OFFICIAL_DATASETS, received.append)
    publish_budget_year(2026)
    [offered] = received
    assert offered.name == "apbd-2026" and offered.files[0].file_name == "apbd-2026.csv"
    assert [group.name for group in offered.groups] == ["keuangan-daerah"]


def test_without_a_catalog_publishing_is_an_error_not_a_silent_loss(imported, monkeypatch):
    from terang.core.publishing import OFFICIAL_DATASETS
    from terang.core.registry import registry

    monkeypatch.delitem(registry["functions"], OFFICIAL_DATASETS)
    with pytest.raises(LookupError):
        publish_budget_year(2026)


def test_a_budget_without_a_finance_agency_is_published_by_the_walidata(
    agencies, admin_user, django_capture_on_commit_callbacks
):
    from terang.core.models import Agency
    from terang.opendata.models import DataSettings

    walidata = Agency.objects.create(code="KOMINFO", name="Dinas Komunikasi dan Informatika")
    DataSettings.objects.update_or_create(pk=1, defaults={"walidata_agency": walidata})
    BudgetSettings.objects.filter(pk=1).update(import_agency=None)
    with django_capture_on_commit_callbacks(execute=True):
        import_budget(
            file=budget_csv(small_budget()),
            file_name="apbd-2026.csv",
            year=2026,
            kind="murni",
            actor=admin_user,
            now=NOW,
        )
    assert Dataset.objects.get(name="apbd-2026").organization == walidata
