"""The 112 desk pages under /ruang-kendali/112/: active incidents, the call-taker form, the
incident detail with its dispatch, on-scene, close and cancel forms, and the units board.

Every action is a plain POST form calling one service, then a redirect (post/redirect/get); a
refused action re-renders the detail page with the service's message and status, and nothing
changes. No JavaScript is needed."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from terang.core.errors import DomainError, NotFound
from terang.core.idempotency import create_once
from terang.core.models import User
from terang.core.views.access import staff_required
from terang.core.views.actions import DetailPage

from . import permissions, selectors, services
from .choices import ACTIVE_STATUSES, IncidentStatus
from .forms import (
    CancelForm,
    CloseForm,
    DispatchForm,
    OnSceneForm,
    ReceiveCallForm,
    place_domain_error,
)
from .models import Incident

VIEWERS = staff_required(roles=permissions.VIEW_ROLES)
CALL_TAKERS = staff_required(roles=permissions.CALL_TAKER_ROLES)


@dataclass(frozen=True)
class Row:
    incident: Incident
    elapsed: int
    breach: selectors.Breach


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (the access decorators let no one else through)."""
    return cast(User, request.user)


def _rows(incidents: list[Incident]) -> list[Row]:
    now = timezone.now()
    return [
        Row(i, selectors.elapsed_minutes(i, now=now), selectors.incident_breach(i, now=now))
        for i in incidents
    ]


@VIEWERS
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    """Active incidents, the longest wait first, with minutes elapsed and target breaches."""
    user = _user(request)
    active = _rows(selectors.active_incidents(user))
    ended = _rows(selectors.recently_ended(user, now=timezone.now()))
    return render(
        request,
        "emergencies/list.html",
        {
            "rows": active,
            "ended": ended,
            "overdue": sum(
                selectors.StageState.OVERDUE
                in (row.breach.dispatch.state, row.breach.arrival.state)
                for row in active
            ),
            "is_call_taker": permissions.is_call_taker(user),
            "page": "list",
        },
    )


@CALL_TAKERS
@require_http_methods(["GET", "POST"])
def receive(request: HttpRequest) -> HttpResponse:
    """The call-taker's form: record a call, then go straight to its dispatch form."""
    key = request.POST.get("idempotency_key", "")[:64] or secrets.token_urlsafe(24)
    form = ReceiveCallForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                reference = _receive_once(_user(request), key, form.cleaned_data)
            except DomainError as exc:
                place_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("Panggilan %(ref)s tercatat. Kerahkan unit.") % {"ref": reference}
                )
                return redirect("emergencies:detail", reference=reference)
    return render(
        request,
        "emergencies/receive.html",
        {"form": form, "idempotency_key": key, "page": "receive"},
        status=status,
    )


def _receive_once(user: User, key: str, data: dict[str, Any]) -> str:
    """A double-clicked submit replays the first result instead of opening a second incident."""

    def create() -> tuple[int, dict[str, str]]:
        incident = services.receive_call(
            actor=user,
            incident_type=data["incident_type"],
            description=data["description"],
            caller_name=data["caller_name"],
            caller_phone=data["caller_phone"],
            location=services.Location(
                latitude=data["latitude"], longitude=data["longitude"], address=data["address"]
            ),
        )
        return 201, {"reference": incident.reference}

    outcome = create_once(
        scope=f"emergencies.receive:{user.pk}", key=key, request=data, create=create
    )
    return str(outcome.body["reference"])


def _get_or_404(user: User, reference: str) -> Incident:
    try:
        return selectors.get_incident_for_staff(user=user, reference=reference)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _pending_for(user: User, incident: Incident, dispatches: list[Any]) -> list[Any]:
    """Units still on their way that this user may report on scene."""
    if incident.status not in (IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE):
        return []
    return [
        d
        for d in dispatches
        if d.arrived_at is None
        and d.released_at is None
        and permissions.can_act_for_dispatch(user, d)
    ]


def render_detail(
    request: HttpRequest,
    incident: Incident,
    *,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    bound = bound or {}
    now = timezone.now()
    dispatches = selectors.incident_dispatches(incident)
    call_taker = permissions.is_call_taker(user)
    active = incident.status in ACTIVE_STATUSES
    choices = selectors.dispatch_choices(incident) if call_taker and active else []
    context = {
        "incident": incident,
        "page": "detail",
        "now": now,
        "elapsed": selectors.elapsed_minutes(incident, now=now),
        "breach": selectors.incident_breach(incident, now=now),
        "targets": selectors.target_minutes(incident),
        "dispatches": dispatches,
        "timeline": selectors.incident_timeline(incident),
        "earlier_calls": selectors.earlier_calls_from_same_number(incident),
        "action_error": error,
        "is_call_taker": call_taker,
        "can_dispatch": call_taker and active,
        "unit_choices": choices,
        "dispatch_form": bound.get("dispatch") or DispatchForm(choices=choices),
        "pending": _pending_for(user, incident, dispatches),
        "on_scene_form": bound.get("on_scene") or OnSceneForm(),
        "can_close": incident.status == IncidentStatus.ON_SCENE
        and permissions.can_close(user, incident),
        "close_form": bound.get("close") or CloseForm(),
        "can_cancel": call_taker and active,
        "cancel_form": bound.get("cancel") or CancelForm(),
    }
    return render(request, "emergencies/detail.html", context, status=status)


@VIEWERS
@require_GET
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return render_detail(request, _get_or_404(_user(request), reference))


FORMS: dict[str, Callable[[Any], forms.Form]] = {
    "on_scene": OnSceneForm,
    "close": CloseForm,
    "cancel": CancelForm,
}


def _bound_form(name: str, request: HttpRequest, incident: Incident) -> forms.Form:
    if name == "dispatch":
        return DispatchForm(request.POST, choices=selectors.dispatch_choices(incident))
    return FORMS[name](request.POST)


PAGE: DetailPage[Incident] = DetailPage(
    guard=VIEWERS,
    load=lambda request, reference: _get_or_404(_user(request), reference),
    build_form=_bound_form,
    render=render_detail,
    place_error=place_domain_error,
    message_args=lambda _incident, result: {"ref": result.reference},
    success_url=lambda _incident, result: reverse(
        "emergencies:detail", kwargs={"reference": result.reference}
    ),
)
_action = PAGE.action


@_action("dispatch", _("Unit dikerahkan ke %(ref)s."))
def dispatch(user: User, incident: Incident, data: dict[str, Any]) -> Incident:
    units = selectors.units_by_code(data["units"], field="units")
    return services.dispatch_units(actor=user, incident=incident, units=units)


@_action("on_scene", _("Kedatangan unit di lokasi %(ref)s tercatat."))
def on_scene(user: User, incident: Incident, data: dict[str, Any]) -> Incident:
    code = data["unit"]
    unit = selectors.units_by_code([code], field="unit")[0] if code else None
    return services.mark_on_scene(actor=user, incident=incident, unit=unit)


@_action("close", _("Kejadian %(ref)s ditutup."))
def close(user: User, incident: Incident, data: dict[str, Any]) -> Incident:
    return services.close_incident(actor=user, incident=incident, note=data["note"])


@_action("cancel", _("Kejadian %(ref)s dibatalkan."))
def cancel(user: User, incident: Incident, data: dict[str, Any]) -> Incident:
    return services.cancel_incident(
        actor=user, incident=incident, reason=data["reason"], false_call=data["false_call"]
    )


@VIEWERS
@require_GET
def units(request: HttpRequest) -> HttpResponse:
    """Every unit: in service or not, free or on which incident."""
    return render(
        request,
        "emergencies/units.html",
        {
            "units": selectors.units_overview(),
            "page": "units",
            "is_call_taker": permissions.is_call_taker(_user(request)),
        },
    )
