"""The deadline sweep (Celery beat runs `ppid.tasks.sweep_deadlines`): marks requests and
objections past their statutory deadline without an answer, and closes answered requests once
the 30 working days for an objection have passed without one."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terang.core.errors import InvalidTransition

from .. import deadlines
from ..choices import OPEN_STATUSES, EventKind, ObjectionStatus, RequestStatus
from ..models import InformationRequest, Objection
from ._common import add_event, lock_objection, lock_request, notify_desk
from .requests import close_request

# 30 working days are never fewer than 30 calendar days: a cheap, indexed pre-filter.
CLOSE_PREFILTER = dt.timedelta(days=deadlines.OBJECTION_FILING_WORKING_DAYS)


def sweep_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Idempotent: an item is marked once; running it again changes nothing."""
    now = now or timezone.now()
    counts = {"requests_breached": 0, "objections_breached": 0, "closed": 0}
    late_requests = InformationRequest.objects.filter(
        status__in=OPEN_STATUSES, due_at__lt=now, breached=False
    ).values_list("pk", flat=True)
    for pk in list(late_requests):
        with transaction.atomic():
            request = lock_request(pk)
            if request.breached or request.status not in OPEN_STATUSES or request.due_at >= now:
                continue
            request.breached = True
            request.breached_at = now
            request.save(update_fields=["breached", "breached_at"])
            add_event(
                request,
                kind=EventKind.BREACH,
                actor=None,
                at=now,
                payload={"due_at": request.due_at.isoformat()},
            )
            notify_desk(
                subject=_("Permohonan %(number)s lewat batas waktu")
                % {"number": request.register_number},
                body=_(
                    "Permohonan informasi %(number)s belum dijawab dan sudah melewati batas "
                    "waktunya."
                )
                % {"number": request.register_number},
            )
            counts["requests_breached"] += 1
    late_objections = Objection.objects.filter(
        status=ObjectionStatus.FILED, due_at__lt=now, breached=False
    ).values_list("pk", flat=True)
    for pk in list(late_objections):
        with transaction.atomic():
            objection = lock_objection(pk)
            if objection.breached or objection.status != ObjectionStatus.FILED:
                continue
            objection.breached = True
            objection.save(update_fields=["breached"])
            add_event(
                objection.request,
                kind=EventKind.BREACH,
                actor=None,
                at=now,
                objection=objection,
                payload={"due_at": objection.due_at.isoformat()},
            )
            notify_desk(
                subject=_("Keberatan %(number)s lewat batas waktu")
                % {"number": objection.register_number},
                body=_(
                    "Keberatan %(number)s belum ditanggapi atasan PPID dan sudah melewati "
                    "batas waktunya."
                )
                % {"number": objection.register_number},
                superior=True,
            )
            counts["objections_breached"] += 1
    counts["closed"] = close_after_objection_window(now)
    return counts


def close_after_objection_window(now: dt.datetime) -> int:
    """Close answered requests with no pending objection once the objection window is over."""
    closed = 0
    answered = InformationRequest.objects.filter(
        status=RequestStatus.ANSWERED, answered_at__lt=now - CLOSE_PREFILTER
    ).exclude(objection__status=ObjectionStatus.FILED)
    for pk, answered_at in list(answered.values_list("pk", "answered_at")):
        if answered_at is None or deadlines.objection_filing_deadline(answered_at) >= now:
            continue
        try:
            close_request(actor=None, request=InformationRequest(pk=pk), at=now)
        except InvalidTransition:
            continue  # closed by the PPID meanwhile
        closed += 1
    return closed
