"""The Perpres 39/2019 workflow through the services: producers draft and submit, only the
walidata publishes, every step is on the dataset's audit chain, denials change nothing."""

from __future__ import annotations

import pytest

from terang.core.audit import verify_audit_log
from terang.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from terang.core.models import AuditEntry
from terang.opendata import services
from terang.opendata.choices import DatasetState, VersionStatus
from terang.opendata.models import Dataset, DatastoreRow, Resource, ResourceVersion

from .conftest import csv_upload

pytestmark = pytest.mark.django_db


def chain(dataset: Dataset) -> list[str]:
    return list(
        AuditEntry.objects.filter(chain=f"opendata.dataset:{dataset.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_draft_submit_verify_publishes_with_the_whole_audit_chain(catalog, producer, walidata):
    dataset, resource = catalog.with_csv()
    assert dataset.state == DatasetState.DRAFT
    assert dataset.organization.code == "DINKES"
    assert resource.datastore_active and resource.row_count == 5

    services.submit_dataset(actor=producer, dataset=dataset)
    services.verify_dataset(actor=walidata, dataset=dataset, note="Lengkap.")

    dataset.refresh_from_db()
    resource.refresh_from_db()
    assert dataset.state == DatasetState.PUBLISHED
    assert dataset.verified_by == walidata
    assert dataset.published_at is not None
    assert dataset.review_note == "Lengkap."
    assert resource.published_at is not None
    assert chain(dataset) == [
        "opendata.dataset_created",
        "opendata.resource_added",
        "opendata.version_uploaded",
        "opendata.dataset_submitted",
        "opendata.dataset_published",
    ]
    assert verify_audit_log().ok


def test_producer_of_another_agency_cannot_touch_the_dataset(catalog, other_producer):
    dataset, resource = catalog.with_csv()
    before = chain(dataset)

    with pytest.raises(PermissionDenied):
        services.update_dataset(actor=other_producer, dataset=dataset, title="Dibajak")
    with pytest.raises(PermissionDenied):
        services.submit_dataset(actor=other_producer, dataset=dataset)
    with pytest.raises(PermissionDenied):
        services.upload_version(actor=other_producer, resource=resource, upload=csv_upload())
    with pytest.raises(PermissionDenied):
        services.add_resource(
            actor=other_producer, dataset=dataset, name="x", url="https://contoh.id/x"
        )

    dataset.refresh_from_db()
    assert dataset.title == "Jumlah Penduduk per Kelurahan"
    assert dataset.state == DatasetState.DRAFT
    assert resource.versions.count() == 1
    assert Resource.objects.count() == 1
    assert chain(dataset) == before


def test_producer_cannot_create_for_another_agency(catalog, producer, other_producer):
    with pytest.raises(PermissionDenied):
        services.create_dataset(
            actor=producer,
            organization=other_producer.agency,
            title="Data lain",
            licence="cc-by-4.0",
        )
    assert Dataset.objects.count() == 0


def test_only_the_walidata_publishes(catalog, producer, producer_head, other_producer):
    dataset, _resource = catalog.with_csv()
    services.submit_dataset(actor=producer, dataset=dataset)
    before = chain(dataset)

    for actor in (producer, producer_head, other_producer):
        with pytest.raises(PermissionDenied):
            services.verify_dataset(actor=actor, dataset=dataset)
        with pytest.raises(PermissionDenied):
            services.return_dataset(actor=actor, dataset=dataset, note="x")

    dataset.refresh_from_db()
    assert dataset.state == DatasetState.SUBMITTED
    assert dataset.published_at is None
    assert chain(dataset) == before


def test_admin_may_verify(catalog, producer, admin):
    dataset, _resource = catalog.with_csv()
    services.submit_dataset(actor=producer, dataset=dataset)
    services.verify_dataset(actor=admin, dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.PUBLISHED


def test_draft_cannot_be_published_without_submission(catalog, walidata):
    dataset, _resource = catalog.with_csv()
    with pytest.raises(InvalidTransition):
        services.verify_dataset(actor=walidata, dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.DRAFT


def test_submit_needs_a_usable_resource(catalog, producer):
    dataset = catalog.draft()
    with pytest.raises(ValidationFailed) as raised:
        services.submit_dataset(actor=producer, dataset=dataset)
    assert "resources" in raised.value.details
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.DRAFT


def test_return_needs_a_note_then_producer_fixes_and_resubmits(catalog, producer, walidata):
    dataset, _resource = catalog.with_csv()
    services.submit_dataset(actor=producer, dataset=dataset)
    with pytest.raises(ValidationFailed):
        services.return_dataset(actor=walidata, dataset=dataset, note="  ")

    services.return_dataset(actor=walidata, dataset=dataset, note="Lengkapi narahubung.")
    dataset.refresh_from_db()
    assert (dataset.state, dataset.review_note) == (DatasetState.RETURNED, "Lengkapi narahubung.")

    services.update_dataset(
        actor=producer, dataset=dataset, contact_name="Bu Sari", contact_email="sari@contoh.go.id"
    )
    services.submit_dataset(actor=producer, dataset=dataset)
    services.verify_dataset(actor=walidata, dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.PUBLISHED
    assert chain(dataset)[-5:] == [
        "opendata.dataset_submitted",
        "opendata.dataset_returned",
        "opendata.dataset_updated",
        "opendata.dataset_submitted",
        "opendata.dataset_published",
    ]


def test_submitted_dataset_is_frozen_for_the_producer(catalog, producer):
    dataset, resource = catalog.with_csv()
    services.submit_dataset(actor=producer, dataset=dataset)
    with pytest.raises(InvalidTransition):
        services.update_dataset(actor=producer, dataset=dataset, title="Baru")
    with pytest.raises(InvalidTransition):
        services.upload_version(actor=producer, resource=resource, upload=csv_upload())
    assert resource.versions.count() == 1


def test_withdraw_takes_it_off_and_keeps_files(catalog, producer, walidata):
    dataset, resource = catalog.published()
    with pytest.raises(ValidationFailed):
        services.withdraw_dataset(actor=producer, dataset=dataset, reason="")
    services.withdraw_dataset(actor=producer, dataset=dataset, reason="Angka salah.")
    dataset.refresh_from_db()
    assert dataset.state == DatasetState.WITHDRAWN
    assert resource.versions.get().status == VersionStatus.CURRENT
    assert DatastoreRow.objects.filter(resource=resource).count() == 5
    assert chain(dataset)[-1] == "opendata.dataset_withdrawn"


def test_new_version_of_a_published_dataset_waits_for_the_walidata(catalog, producer, walidata):
    dataset, resource = catalog.published()
    text = (
        "kelurahan,kecamatan,tahun,jumlah_penduduk,luas_km2\n"
        "Melati,Kecamatan Utara,2025,13000,1.25\n"
    )

    version = services.upload_version(
        actor=producer, resource=resource, upload=csv_upload(text, "penduduk-2025.csv")
    )

    assert version.status == VersionStatus.PENDING
    assert version.number == 2
    assert DatastoreRow.objects.filter(resource=resource).count() == 5  # public data unchanged
    with pytest.raises(PermissionDenied):
        services.verify_pending_changes(actor=producer, dataset=dataset)

    services.verify_pending_changes(actor=walidata, dataset=dataset)

    statuses = dict(resource.versions.values_list("number", "status"))
    assert statuses == {1: VersionStatus.SUPERSEDED, 2: VersionStatus.CURRENT}
    rows = list(DatastoreRow.objects.filter(resource=resource).values_list("data", flat=True))
    assert rows == [
        {
            "kelurahan": "Melati",
            "kecamatan": "Kecamatan Utara",
            "tahun": 2025,
            "jumlah_penduduk": 13000,
            "luas_km2": 1.25,
        }
    ]
    assert chain(dataset)[-2:] == ["opendata.version_uploaded", "opendata.changes_verified"]


def test_walidata_returns_a_pending_version_and_the_old_stays(catalog, producer, walidata):
    dataset, resource = catalog.published()
    services.upload_version(actor=producer, resource=resource, upload=csv_upload())
    services.return_pending_changes(actor=walidata, dataset=dataset, note="Sumber tidak jelas.")
    statuses = dict(resource.versions.values_list("number", "status"))
    assert statuses == {1: VersionStatus.CURRENT, 2: VersionStatus.REFUSED}
    assert resource.versions.get(number=2).report["review_note"] == "Sumber tidak jelas."


def test_versions_are_kept_in_a_draft(catalog, producer):
    dataset, resource = catalog.with_csv()
    second = services.upload_version(
        actor=producer, resource=resource, upload=csv_upload(name="penduduk-v2.csv")
    )
    assert second.status == VersionStatus.CURRENT
    versions = list(
        resource.versions.order_by("number").values_list("number", "status", "original_name")
    )
    assert versions == [
        (1, VersionStatus.SUPERSEDED, "penduduk.csv"),
        (2, VersionStatus.CURRENT, "penduduk-v2.csv"),
    ]
    first = resource.versions.get(number=1)
    with first.file.open("rb") as handle:
        assert handle.read().startswith(b"kelurahan,")


def test_link_resource_on_a_published_dataset_waits(catalog, producer, walidata):
    dataset, _resource = catalog.published()
    link = services.add_resource(
        actor=producer, dataset=dataset, name="Portal BPS", url="https://bps.go.id/data"
    )
    assert link.published_at is None
    services.verify_pending_changes(actor=walidata, dataset=dataset)
    link.refresh_from_db()
    assert link.published_at is not None


def test_unpublished_resource_can_be_deleted_published_cannot(catalog, producer):
    dataset, resource = catalog.published()
    link = services.add_resource(
        actor=producer, dataset=dataset, name="Tautan", url="https://contoh.id/data"
    )
    services.delete_resource(actor=producer, resource=link)
    assert not Resource.objects.filter(pk=link.pk).exists()
    from terang.core.errors import Conflict

    with pytest.raises(Conflict):
        services.delete_resource(actor=producer, resource=resource)
    assert ResourceVersion.objects.filter(resource=resource).count() == 1
