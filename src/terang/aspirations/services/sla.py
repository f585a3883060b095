"""Deadline (SLA) sweeps: mark breaches and escalate, agency head first, then inspectorate."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from terang.core.calendar import working_days_between
from terang.core.choices import Role
from terang.core.selectors import get_city

from .. import reasons
from ..choices import Escalation, EventKind, Status
from ..models import Aspiration
from ._common import add_event, lock
from .handling import _notify_roles, auto_close_aspiration


def overdue_filter(now) -> Q:  # type: ignore[no-untyped-def]
    """Open items past the deadline of the stage they are in."""
    return (
        Q(status=Status.SUBMITTED, verify_due_at__lt=now)
        | Q(
            status__in=[Status.VERIFIED, Status.DISPOSITIONED, Status.IN_PROGRESS],
            first_response_at__isnull=True,
            response_due_at__lt=now,
        )
        | Q(
            status__in=[Status.VERIFIED, Status.DISPOSITIONED, Status.IN_PROGRESS],
            resolution_due_at__lt=now,
        )
    )


def _missed_since(aspiration: Aspiration):  # type: ignore[no-untyped-def]
    if aspiration.status == Status.SUBMITTED:
        return aspiration.verify_due_at
    if aspiration.first_response_at is None and aspiration.response_due_at:
        return aspiration.response_due_at
    return aspiration.resolution_due_at


def sweep_deadlines() -> dict[str, int]:
    """Mark newly overdue items and escalate. Safe to run repeatedly (idempotent)."""
    now = timezone.now()
    city = get_city()
    inspectorate_after = city.inspectorate_after_working_days if city else 5
    counts = {"breached": 0, "to_agency_head": 0, "to_inspectorate": 0}
    candidates = (
        Aspiration.objects.filter(overdue_filter(now))
        .filter(escalation__lt=Escalation.INSPECTORATE)
        .values_list("pk", flat=True)
    )
    for pk in list(candidates.iterator(chunk_size=500)):
        with transaction.atomic():
            aspiration = lock(pk)
            missed = _missed_since(aspiration)
            if missed is None or missed >= now:
                continue
            fields = []
            if not aspiration.breached:
                aspiration.breached = True
                fields.append("breached")
                counts["breached"] += 1
            target = Escalation.AGENCY_HEAD
            if working_days_between(missed, now) >= inspectorate_after:
                target = Escalation.INSPECTORATE
            if aspiration.escalation < target:
                aspiration.escalation = target
                fields.append("escalation")
                _escalate(aspiration, target)
                counts[
                    "to_inspectorate" if target == Escalation.INSPECTORATE else "to_agency_head"
                ] += 1
            if fields:
                aspiration.save(update_fields=fields)
    return counts


def _escalate(aspiration: Aspiration, level: int) -> None:
    if level == Escalation.INSPECTORATE:
        roles, agency_id = (Role.INSPECTORATE,), None
        reason_code = reasons.ESCALATED_INSPECTORATE
    else:
        roles, agency_id = (Role.AGENCY_HEAD,), aspiration.agency_id
        reason_code = reasons.ESCALATED_AGENCY_HEAD
    add_event(
        aspiration, kind=EventKind.ESCALATION, actor=None, reason_code=reason_code, is_public=False
    )
    reason = reasons.describe(reason_code)
    _notify_roles(
        roles=roles,
        agency_id=agency_id,
        subject=_("Eskalasi %(code)s") % {"code": aspiration.code},
        body=f"{aspiration.code}: {reason}",
    )


def auto_close_resolved() -> int:
    """Close resolved items the reporter did not rate within the city's working days."""
    from terang.core.calendar import working_days_deadline

    city = get_city()
    days = city.auto_close_working_days if city else 10
    now = timezone.now()
    closed = 0
    resolved = Aspiration.objects.filter(status=Status.RESOLVED, resolved_at__isnull=False)
    for pk, resolved_at in resolved.values_list("pk", "resolved_at").iterator(chunk_size=500):
        if resolved_at is not None and working_days_deadline(resolved_at, days) < now:
            closed += auto_close_aspiration(aspiration=Aspiration(pk=pk))
    return closed
