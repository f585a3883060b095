"""The deadline sweep and what the PPID puts on the control-room wall."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terang.core.models import AuditEntry
from terang.ppid import services, tasks, wall_selectors
from terang.ppid.models import InformationRequest, RequestEvent

from .conftest import NAME, NIK, T0, request_form, wib

pytestmark = pytest.mark.django_db

AFTER_DEADLINE = wib(2026, 2, 19, 8)  # the answer was due at the end of Wed 18 Feb


def test_sweep_marks_a_request_past_its_deadline_once(filed, ppid_officer):
    assert services.sweep_deadlines(now=wib(2026, 2, 18, 23)) == {
        "requests_breached": 0,
        "objections_breached": 0,
        "closed": 0,
    }
    counts = services.sweep_deadlines(now=AFTER_DEADLINE)
    assert counts["requests_breached"] == 1
    filed.refresh_from_db()
    assert (filed.breached, filed.breached_at) == (True, AFTER_DEADLINE)
    assert RequestEvent.objects.filter(request=filed, kind="breach").count() == 1
    assert AuditEntry.objects.filter(action="ppid.request.breach").count() == 1
    assert services.sweep_deadlines(now=AFTER_DEADLINE + dt.timedelta(hours=1)) == {
        "requests_breached": 0,
        "objections_breached": 0,
        "closed": 0,
    }
    assert RequestEvent.objects.filter(request=filed, kind="breach").count() == 1


def test_sweep_marks_an_unanswered_objection(filed, ppid_officer):
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(outcome="not_held", text="Tidak dikuasai."),
        at=wib(2026, 2, 6),
    )
    objection = services.file_objection(
        actor=filed.requester,
        request=filed,
        grounds=["d"],
        statement="Jawaban tidak sesuai.",
        at=wib(2026, 2, 9),
    )
    counts = services.sweep_deadlines(now=wib(2026, 4, 2))  # due end of Wed 1 Apr
    assert counts["objections_breached"] == 1
    objection.refresh_from_db()
    assert objection.breached is True


def test_sweep_closes_answered_requests_once_the_objection_window_passed(filed, ppid_officer):
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(outcome="granted", text="Terlampir."),
        at=wib(2026, 2, 6),
    )
    assert services.sweep_deadlines(now=wib(2026, 3, 31, 20))["closed"] == 0
    assert services.sweep_deadlines(now=wib(2026, 4, 1, 8))["closed"] == 1
    filed.refresh_from_db()
    assert (filed.status, filed.closed_at) == ("closed", wib(2026, 4, 1, 8))
    assert filed.events.last().actor is None


def test_sweep_keeps_a_request_with_a_pending_objection_open(filed, ppid_officer):
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(outcome="not_held", text="Tidak dikuasai."),
        at=wib(2026, 2, 6),
    )
    services.file_objection(
        actor=filed.requester,
        request=filed,
        grounds=["d"],
        statement="Jawaban tidak sesuai.",
        at=wib(2026, 2, 9),
    )
    assert services.sweep_deadlines(now=wib(2026, 4, 1, 8))["closed"] == 0
    filed.refresh_from_db()
    assert filed.status == "answered"


def test_the_celery_task_runs_the_sweep(citizen, ppid_officer):
    overdue = services.submit_request(
        actor=citizen, form=request_form(), at=timezone.now() - dt.timedelta(days=40)
    )
    services.submit_request(actor=citizen, form=request_form())
    assert tasks.sweep_deadlines.apply().get() == {
        "requests_breached": 1,
        "objections_breached": 0,
        "closed": 0,
    }
    overdue.refresh_from_db()
    assert overdue.breached is True


def test_a_breached_request_appears_in_wall_breaches(filed, ppid_officer):
    services.sweep_deadlines(now=AFTER_DEADLINE)
    breaches = wall_selectors.wall_breaches(wib(2026, 2, 20, 9))
    assert [(b.key, b.severity, b.source) for b in breaches] == [
        ("ppid:PPID-2026-000001:breach", "danger", "ppid"),
    ]
    assert breaches[0].title == "Permohonan PPID-2026-000001 belum dijawab, lewat 2 hari kerja"
    assert breaches[0].url == "/staf/ppid/permohonan/PPID-2026-000001/"
    assert NAME not in breaches[0].title


def test_an_overdue_request_is_a_wall_breach_even_before_the_sweep(filed):
    assert wall_selectors.wall_breaches(wib(2026, 2, 18, 20)) == []
    assert [b.key for b in wall_selectors.wall_breaches(AFTER_DEADLINE)] == [
        "ppid:PPID-2026-000001:breach"
    ]


def test_answered_requests_leave_the_wall_breaches(filed, ppid_officer):
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(outcome="granted", text="Terlampir."),
        at=wib(2026, 2, 20),
    )
    assert wall_selectors.wall_breaches(wib(2026, 2, 21)) == []


def test_wall_counters(filed, citizen):
    services.submit_request(actor=citizen, form=request_form(), at=wib(2026, 2, 17))
    counters = {c.key: (c.value, c.severity) for c in wall_selectors.wall_counters(AFTER_DEADLINE)}
    assert counters == {
        "ppid_open": (2, "info"),
        "ppid_breached": (1, "danger"),
        "ppid_objections": (0, "info"),
    }


def test_wall_events_name_numbers_and_statuses_only(filed, ppid_officer):
    services.start_processing(actor=ppid_officer, request=filed, at=wib(2026, 2, 3))
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(outcome="granted", text=f"Untuk {NAME}"),
        at=wib(2026, 2, 4),
    )
    events = wall_selectors.wall_events(T0 - dt.timedelta(minutes=1), wib(2026, 2, 5), 10)
    assert [e.title for e in events] == [
        "Permohonan PPID-2026-000001 dijawab: Dikabulkan seluruhnya",
        "Permohonan PPID-2026-000001: Diproses",
        "Permohonan informasi baru PPID-2026-000001",
    ]
    assert all(NAME not in e.title and NIK not in e.title for e in events)
    assert wall_selectors.wall_events(wib(2026, 2, 3, 12), wib(2026, 2, 5), 10)[0].key == (
        f"ppid-event:{filed.events.last().pk}"
    )
    assert wall_selectors.wall_map_points(wib(2026, 2, 5)) == []


def test_daily_figures(filed, ppid_officer, citizen):
    late = services.submit_request(actor=citizen, form=request_form(), at=wib(2026, 1, 5))
    services.answer_request(
        actor=ppid_officer,
        request=late,
        answer=services.Answer(outcome="granted", text="Terlampir."),
        at=wib(2026, 2, 2, 10),
    )
    figures = {
        f.key: f.value for f in wall_selectors.daily_figures(wib(2026, 2, 2, 0), wib(2026, 2, 3, 0))
    }
    assert figures == {
        "ppid_received": 1,
        "ppid_answered": 1,
        "ppid_answered_late": 1,
        "ppid_objections": 0,
    }


def test_the_wall_api_merges_ppid_when_listed(filed, operator):
    from terang.controlroom.wall import composer as wall

    snapshot = wall._compute_slow_parts(AFTER_DEADLINE)
    assert "ppid:PPID-2026-000001:breach" in [b.key for b in snapshot.breaches]
    assert InformationRequest.objects.count() == 1
