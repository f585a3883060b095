"""Assisted intake: staff record a report taken at the counter, by phone, SMS or social media,
on behalf of the citizen."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from terang.core.errors import DomainError
from terang.core.models import User

from ... import selectors, services
from ...permissions import can_take_intake
from ...staff_forms import IntakeForm, place_domain_error
from .access import staff_required, staff_user

INTAKE_SESSION_KEY = "aspirations_staff_intake_code"


@staff_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Assisted intake: a report taken at the counter, by phone, SMS or social media."""
    user = staff_user(request)
    if not can_take_intake(user):
        raise DjangoPermissionDenied
    key = request.POST.get("idempotency_key", "") or secrets.token_urlsafe(24)
    form = IntakeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                code = _submit_intake(user, key, form.cleaned_data)
            except DomainError as exc:
                place_domain_error(form, exc)
                status = exc.status
            else:
                request.session[INTAKE_SESSION_KEY] = code
                return redirect("aspirations:staff_intake_done")
    return render(
        request,
        "aspirations/staff/intake.html",
        {"form": form, "idempotency_key": key},
        status=status,
    )


def _submit_intake(user: User, key: str, data: dict[str, Any]) -> str:
    """One service call; a double-clicked submit replays the first result."""
    submission = services.Submission(
        title=data["title"],
        text=data["text"],
        category=data["category"],
        kind=data["kind"],
        channel=data["channel"],
        privacy=data["privacy"],
        location=services.Location(
            latitude=data["latitude"], longitude=data["longitude"], address=data["address"]
        ),
        reporter_name=data["reporter_name"],
        reporter_contact=data["reporter_contact"],
        share_contact_with_agency=data["share_contact_with_agency"],
        photos=data["photos"],
        entered_by=user,
    )
    outcome = services.submit_aspiration_once(
        submission,
        once=services.Once("aspirations.staff_intake", key, user.pk),
        respond=lambda aspiration: (201, {"code": aspiration.code}),
    )
    return str(outcome.body["code"])


@staff_required
@require_GET
def intake_done(request: HttpRequest) -> HttpResponse:
    code = request.session.get(INTAKE_SESSION_KEY)
    if not code:
        return redirect("aspirations:staff_intake")
    visible = selectors.aspirations_visible_to(staff_user(request)).filter(code=code).exists()
    return render(request, "aspirations/staff/intake_done.html", {"code": code, "visible": visible})
