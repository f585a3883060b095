"""Deadline sweeps: breaches are marked once and escalate agency head first, then inspectorate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terang.aspirations import services
from terang.aspirations.choices import Escalation, EventKind, Status
from terang.aspirations.models import Aspiration
from terang.core.models import Notification

from .test_services import submit, walk_to_resolved

pytestmark = pytest.mark.django_db


def age(aspiration, **delta):
    """Pretend every deadline of the item passed `delta` ago."""
    past = timezone.now() - dt.timedelta(**delta)
    Aspiration.objects.filter(pk=aspiration.pk).update(
        verify_due_at=past, response_due_at=past, resolution_due_at=past
    )


def test_unverified_item_past_due_is_breached_and_goes_to_agency_head(
    city, kelurahan, category, agency_head, inspector
):
    aspiration = submit(category)
    age(aspiration, hours=2)

    counts = services.sweep_deadlines()

    aspiration.refresh_from_db()
    assert counts == {"breached": 1, "to_agency_head": 1, "to_inspectorate": 0}
    assert aspiration.breached and aspiration.escalation == Escalation.AGENCY_HEAD
    assert Notification.objects.filter(recipient=agency_head).count() == 1
    assert not Notification.objects.filter(recipient=inspector).exists()
    assert aspiration.events.filter(kind=EventKind.ESCALATION, is_public=False).count() == 1


def test_sweep_is_idempotent(city, kelurahan, category, agency_head):
    aspiration = submit(category)
    age(aspiration, hours=2)
    services.sweep_deadlines()
    assert services.sweep_deadlines() == {"breached": 0, "to_agency_head": 0, "to_inspectorate": 0}
    assert aspiration.events.filter(kind=EventKind.ESCALATION).count() == 1


def test_long_overdue_item_goes_to_the_inspectorate(city, kelurahan, category, officer, inspector):
    aspiration = submit(category)
    services.verify_aspiration(actor=officer, aspiration=aspiration)
    age(aspiration, days=14)

    services.sweep_deadlines()

    aspiration.refresh_from_db()
    assert aspiration.escalation == Escalation.INSPECTORATE
    assert Notification.objects.filter(recipient=inspector).count() == 1


def test_items_within_deadline_are_left_alone(city, kelurahan, category, officer):
    aspiration = submit(category)
    services.verify_aspiration(actor=officer, aspiration=aspiration)
    services.sweep_deadlines()
    aspiration.refresh_from_db()
    assert not aspiration.breached and aspiration.escalation == Escalation.NONE


def test_deadlines_follow_sp4n_lapor_defaults(city, kelurahan, category, officer):
    from terang.core.calendar import working_days_between

    aspiration = submit(category)
    assert working_days_between(aspiration.created_at, aspiration.verify_due_at) == 3
    services.verify_aspiration(actor=officer, aspiration=aspiration)
    aspiration.refresh_from_db()
    now = timezone.now()
    assert working_days_between(now, aspiration.response_due_at) == 5
    assert working_days_between(now, aspiration.resolution_due_at) == 14


def test_complaint_needing_investigation_gets_sixty_working_days(
    city, kelurahan, category, officer
):
    from terang.core.calendar import working_days_between

    category.needs_investigation = True
    category.save()
    aspiration = submit(category)
    services.verify_aspiration(actor=officer, aspiration=aspiration)
    aspiration.refresh_from_db()
    assert working_days_between(timezone.now(), aspiration.resolution_due_at) == 60


def test_emergency_deadlines_are_in_minutes(city, kelurahan, category):
    category.is_emergency = True
    category.emergency_response_minutes = 10
    category.save()
    aspiration = submit(category, channel="112")
    assert aspiration.verify_due_at - aspiration.created_at == dt.timedelta(minutes=10)


def test_auto_close_after_city_working_days_without_rating(
    city, kelurahan, category, citizen, officer
):
    aspiration = submit(category, citizen)
    walk_to_resolved(aspiration, officer)
    assert services.auto_close_resolved() == 0
    Aspiration.objects.filter(pk=aspiration.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=30)
    )

    assert services.auto_close_resolved() == 1

    aspiration.refresh_from_db()
    assert aspiration.status == Status.CLOSED and aspiration.rating is None
    assert aspiration.events.last().actor is None


def test_periodic_tasks_run_through_celery(city, kelurahan, category, agency_head):
    from terang.aspirations import tasks

    aspiration = submit(category)
    age(aspiration, hours=1)
    result = tasks.sweep_deadlines.delay()
    assert result.get()["breached"] == 1
