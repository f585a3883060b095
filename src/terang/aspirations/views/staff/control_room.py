"""The control room page: what needs the city's attention across agencies."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ... import selectors
from ...choices import Escalation, Status
from ...permissions import can_read_all
from .access import staff_required, staff_user

CONTROL_ROOM_LIMIT = 50


@staff_required
@require_GET
def control_room(request: HttpRequest) -> HttpResponse:
    """Operators, administrators and the inspectorate: what needs the city's attention."""
    user = staff_user(request)
    if not can_read_all(user):
        raise DjangoPermissionDenied
    now = timezone.now()
    visible = selectors.aspirations_visible_to(user)
    open_items = selectors.apply_filters(
        visible, selectors.AspirationFilters(status="open")
    ).select_related("category", "agency")
    ping_pong = list(
        open_items.filter(is_ping_pong=True, assigned_for_good=False).order_by(
            "resolution_due_at", "id"
        )[:CONTROL_ROOM_LIMIT]
    )
    breached = list(
        open_items.filter(breached=True).order_by("-escalation", "resolution_due_at", "id")[
            :CONTROL_ROOM_LIMIT
        ]
    )
    overdue = list(
        open_items.filter(status=Status.SUBMITTED, verify_due_at__lt=now).order_by(
            "verify_due_at", "id"
        )[:CONTROL_ROOM_LIMIT]
    )
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    breached_groups = [
        (
            label,
            [
                (item, selectors.next_deadline(item))
                for item in breached
                if item.escalation == level
            ],
        )
        for level, label in reversed(Escalation.choices)
    ]
    return render(
        request,
        "aspirations/staff/control_room.html",
        {
            "ping_pong": [(item, selectors.next_deadline(item)) for item in ping_pong],
            "breached_groups": [group for group in breached_groups if group[1]],
            "overdue": [(item, item.verify_due_at) for item in overdue],
            "status_counts": [(label, counts.get(value, 0)) for value, label in Status.choices],
            "limit": CONTROL_ROOM_LIMIT,
        },
    )
