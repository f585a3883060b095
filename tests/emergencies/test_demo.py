"""The demo 112 data: created through the services inside a small demo city, deterministic."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import translation

from terang.core.audit import verify_audit_log
from terang.demo import catalog
from terang.demo import emergencies as demo
from terang.demo.accounts import create_accounts
from terang.demo.city import build_city
from terang.emergencies import selectors, wall_selectors
from terang.emergencies.choices import ACTIVE_STATUSES, IncidentStatus
from terang.emergencies.models import Dispatch, Incident, ResponseUnit

# One worker runs the module, so the demo 112 data is built once (`--dist loadgroup`).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("emergencies-demo")]

TODAY = dt.date(2026, 3, 15)
NOW = dt.datetime(2026, 3, 15, tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(dt.UTC)


def city_and_accounts():  # type: ignore[no-untyped-def]
    master = random.Random(catalog.SEED)
    city = build_city(random.Random(master.getrandbits(64)), TODAY)
    accounts = create_accounts(
        random.Random(master.getrandbits(64)), city.agencies, pool_size=0, anchor=NOW
    )
    return city, accounts


def seed(city, accounts) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with translation.override("id"):
        return demo.create(city, accounts, now=NOW, rng=random.Random(7))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """One demo city with its 112 data for the module, rolled back at the end; a test's own
    writes (a wipe, a second seed) roll back with its transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        city, accounts = city_and_accounts()
        yield city, accounts, seed(city, accounts)
        transaction.set_rollback(True)


def test_demo_creates_units_history_and_active_calls(seeded):
    counts = seeded[2]

    assert counts["112 units"] == 12
    assert counts["112 incidents"] == demo.HISTORY_CALLS + 6
    statuses = {s: Incident.objects.filter(status=s).count() for s in IncidentStatus.values}
    assert all(statuses.values()), statuses  # every state is represented
    active = Incident.objects.filter(status__in=ACTIVE_STATUSES)
    assert active.count() == 6
    assert Incident.objects.filter(received_at__lt=NOW - dt.timedelta(days=30)).count() == 0
    assert Incident.objects.filter(received_at__gt=NOW).count() == 0
    assert [e.key.split(":")[-1] for e in wall_selectors.wall_breaches(NOW)] == ["dispatch"]
    kinds = set(ResponseUnit.objects.values_list("kind", flat=True))
    assert kinds == {"fire_brigade", "ambulance", "police", "bpbd_rescue"}
    assert ResponseUnit.objects.filter(kind="police", agency__isnull=True).count() == 2
    assert ResponseUnit.objects.filter(is_available=False).count() == 1
    busy = Dispatch.objects.filter(released_at__isnull=True)
    assert busy.count() == 7
    assert not busy.exclude(incident__status__in=ACTIVE_STATUSES).exists()
    late = [i for i in Incident.objects.all() if selectors.incident_breach(i, now=NOW).any]
    assert 0 < len(late) < counts["112 incidents"] / 2
    assert verify_audit_log().ok


def test_demo_is_deterministic_and_wipes_clean(seeded):
    city, accounts, _counts = seeded
    fields = ("reference", "incident_type", "status", "received_at", "closed_at", "caller_name")
    first = list(Incident.objects.order_by("reference").values_list(*fields))

    demo.wipe()
    assert (Incident.objects.count(), ResponseUnit.objects.count()) == (0, 0)
    seed(city, accounts)

    assert list(Incident.objects.order_by("reference").values_list(*fields)) == first
    assert first[0][0] == "112-2026-000001"


def test_active_calls_follow_the_clock_when_seeding_today():
    from django.utils import timezone

    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)

    live = demo._live_anchor(midnight)

    assert midnight <= live <= timezone.now()
    assert demo._live_anchor(NOW) == NOW
