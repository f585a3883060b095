"""The demo PPID: built on the demo city and accounts (without the aspiration history)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from terang.core import audit
from terang.core.models import Notification
from terang.demo import ppid as demo_ppid
from terang.demo.accounts import create_accounts
from terang.demo.city import build_city
from terang.ppid import selectors, wall_selectors
from terang.ppid.models import DipEntry, InformationRequest, Objection, PpidSettings

# One worker runs the module, so the demo PPID is built once (`--dist loadgroup`).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("ppid-demo")]

TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime(2026, 3, 15, tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(dt.UTC)


def build_demo() -> dict[str, int]:
    """The demo PPID on a demo city and accounts (papers go to the current MEDIA_ROOT)."""
    with translation.override("id"):
        city = build_city(random.Random(1), TODAY)
        accounts = create_accounts(random.Random(2), city.agencies, pool_size=40, anchor=NOW)
        return demo_ppid.create(city, accounts, now=NOW, rng=random.Random(3))


@pytest.fixture(scope="module")
def created(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """One demo PPID for the module, rolled back at the end (its papers go to a temporary
    MEDIA_ROOT); the wipe test's deletions roll back with its own transaction."""
    media = tmp_path_factory.mktemp("ppid-demo-media")
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(MEDIA_ROOT=media):
            counts = build_demo()
        yield counts
        transaction.set_rollback(True)


def test_demo_requests_cover_every_state_and_answer(created):
    assert created["information requests"] == InformationRequest.objects.count() >= 55
    assert PpidSettings.objects.get().agency.code == "DISKOMINFO"
    statuses = Counter(InformationRequest.objects.values_list("status", flat=True))
    assert set(statuses) == {
        "received",
        "in_process",
        "extended",
        "answered",
        "closed",
        "withdrawn",
    }
    outcomes = set(InformationRequest.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert outcomes == {"granted", "partly_granted", "refused", "not_held", "forwarded"}
    assert InformationRequest.objects.filter(answered_late=True).exists()
    assert InformationRequest.objects.filter(
        extended_at__isnull=False, answered_at__isnull=False
    ).exists()
    refused = InformationRequest.objects.filter(outcome="refused")
    assert all(r.exemption and len(r.consequence_test) > 30 for r in refused)
    assert InformationRequest.objects.filter(files__kind="delivered").exists()
    assert not Notification.objects.exists()


def test_demo_register_numbers_are_gap_free_per_year(created):
    for year in set(InformationRequest.objects.values_list("year", flat=True)):
        sequences = list(
            InformationRequest.objects.filter(year=year)
            .order_by("sequence")
            .values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, len(sequences) + 1))
    ordered = list(
        InformationRequest.objects.order_by("submitted_at").values_list("year", "sequence")
    )
    assert ordered == sorted(ordered)


def test_demo_objections_and_the_dispute(created):
    objections = Counter(Objection.objects.values_list("status", "outcome"))
    assert objections[("filed", "")] == 1
    assert objections[("disputed", "rejected")] == 1
    assert objections[("answered", "upheld")] == 2
    assert objections[("answered", "rejected")] == 2


def test_demo_breaches_show_on_the_desk_and_the_wall(created):
    breached = InformationRequest.objects.filter(breached=True)
    assert breached.count() == 2
    keys = {event.key for event in wall_selectors.wall_breaches(NOW)}
    assert {f"ppid:{r.register_number}:breach" for r in breached} <= keys


def test_demo_dip_has_every_category_and_searchable_pdf_text(created):
    assert created["DIP entries"] == DipEntry.objects.count() >= 20
    assert set(DipEntry.objects.values_list("category", flat=True)) == {
        "berkala",
        "serta_merta",
        "setiap_saat",
        "dikecualikan",
    }
    found = selectors.search_dip(selectors.DipFilters(q="stunting"))
    assert [entry.title for entry in found] == [
        "Laporan Kinerja Instansi Pemerintah Dinas Kesehatan 2025"
    ]
    assert not DipEntry.objects.filter(category="dikecualikan", documents__isnull=False).exists()


def test_demo_audit_log_verifies_and_wipe_removes_everything(created):
    assert audit.verify_audit_log().ok
    deleted = demo_ppid.wipe()
    assert deleted["information requests"] == created["information requests"]
    assert InformationRequest.objects.count() == DipEntry.objects.count() == 0
