"""The PPID desk under /staf/ppid/: the queue by deadline with working days left and breaches
highlighted, objections waiting for the atasan PPID, one request with its action forms, and
the counter entry form.

Every action is a plain POST form calling one service, then a redirect (post/redirect/get); a
refused action re-renders the request page with the service's message and status, and
nothing changes. No JavaScript is needed."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from terang.core.errors import DomainError, NotFound
from terang.core.models import User
from terang.core.views.access import staff_required
from terang.core.views.actions import DetailPage
from terang.core.workflow import can_transition

from .. import deadlines, selectors, services
from ..choices import DELIVERING_OUTCOMES, ObjectionStatus, RequestStatus
from ..forms import (
    AnswerForm,
    DeliverForm,
    DisputeForm,
    NoteForm,
    ObjectionAnswerForm,
    ReasonForm,
    StaffRequestForm,
    place_domain_error,
)
from ..models import InformationRequest
from ..permissions import can_view_desk, is_ppid_staff, is_superior, ppid_settings
from ..workflow import REQUEST_TRANSITIONS
from .citizen import submit_once

FORMS: dict[str, type[forms.Form]] = {
    "process": NoteForm,
    "extend": ReasonForm,
    "answer": AnswerForm,
    "deliver": DeliverForm,
    "close": NoteForm,
    "withdraw": ReasonForm,
    "objection_answer": ObjectionAnswerForm,
    "dispute": DisputeForm,
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def desk_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff with a verified session who may see the PPID desk; 403 for other staff."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_view_desk(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@desk_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    now = timezone.now()
    queue = selectors.desk_queue(user, now=now)
    objections = selectors.objection_queue(user, now=now)
    return render(
        request,
        "ppid/staff/dashboard.html",
        {
            "queue": queue,
            "overdue": sum(row.overdue for row in queue),
            "due_soon": sum(not row.overdue and row.working_days_left <= 2 for row in queue),
            "objections": objections,
            "objections_overdue": sum(row.overdue for row in objections),
            "answered": selectors.recently_answered(user),
            "policy": ppid_settings(),
            "is_ppid_staff": is_ppid_staff(user),
            "page": "desk",
        },
    )


def _get(request: HttpRequest, number: str) -> InformationRequest:
    try:
        return selectors.get_request_for_staff(user=_user(request), number=number)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def render_request(
    request: HttpRequest,
    item: InformationRequest,
    *,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    now = timezone.now()
    staff = is_ppid_staff(user)
    objection = selectors.objection_of(item)
    bound = bound or {}
    allowed = REQUEST_TRANSITIONS.get(item.status, frozenset())
    actions = {
        "process": staff and RequestStatus.IN_PROCESS in allowed,
        "extend": staff
        and RequestStatus.EXTENDED in allowed
        and item.extended_at is None
        and now <= item.original_due_at,
        "answer": staff and RequestStatus.ANSWERED in allowed,
        "deliver": staff
        and item.status in (RequestStatus.ANSWERED, RequestStatus.CLOSED)
        and item.outcome in DELIVERING_OUTCOMES,
        "close": staff and can_transition(REQUEST_TRANSITIONS, item.status, RequestStatus.CLOSED),
        "withdraw": staff and RequestStatus.WITHDRAWN in allowed,
        "objection_answer": objection is not None
        and objection.status == ObjectionStatus.FILED
        and is_superior(user),
        "dispute": objection is not None
        and (staff or is_superior(user))
        and (
            objection.status == ObjectionStatus.ANSWERED
            or (objection.status == ObjectionStatus.FILED and objection.due_at < now)
        ),
    }
    forms_ = {name: bound.get(name) or form_class() for name, form_class in FORMS.items()}
    return render(
        request,
        "ppid/staff/request.html",
        {
            "item": item,
            "identity": selectors.identity_view(user, item),
            "events": selectors.timeline(item),
            "files": selectors.files_of(item),
            "objection": objection,
            "working_days_left": (
                deadlines.working_days_left(now, item.due_at) if item.is_open else None
            ),
            "overdue": item.is_open and item.due_at < now,
            "actions": actions,
            "forms": forms_,
            "error": error,
            "page": "desk",
        },
        status=status,
    )


@desk_required
@require_GET
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    return render_request(request, _get(request, number))


def _bound_form(name: str, request: HttpRequest, item: InformationRequest) -> forms.Form:
    return FORMS[name](request.POST, request.FILES)


PAGE: DetailPage[InformationRequest] = DetailPage(
    guard=desk_required,
    load=_get,
    build_form=_bound_form,
    render=render_request,
    place_error=place_domain_error,
    message_args=lambda item, _result: {"number": item.register_number},
    success_url=lambda item, _result: reverse(
        "ppid:staff_request", kwargs={"number": item.register_number}
    ),
)
_action = PAGE.action


@_action("process", _("Permohonan %(number)s diproses."))
def process(user: User, item: InformationRequest, data: dict[str, Any]) -> Any:
    return services.start_processing(actor=user, request=item, note=data["note"])


@_action("extend", _("Batas waktu permohonan %(number)s diperpanjang 7 hari kerja."))
def extend(user: User, item: InformationRequest, data: dict[str, Any]) -> Any:
    return services.extend_request(actor=user, request=item, reason=data["reason"])


@_action("answer", _("Jawaban permohonan %(number)s tercatat dan dikirim ke pemohon."))
def answer(user: User, item: InformationRequest, data: dict[str, Any]) -> Any:
    return services.answer_request(
        actor=user,
        request=item,
        answer=services.Answer(
            outcome=data["outcome"],
            text=data["text"],
            exemption=data["exemption"],
            legal_basis=data["legal_basis"],
            consequence_test=data["consequence_test"],
            forwarded_to=data["forwarded_to"],
            documents=data["documents"],
        ),
    )


@_action("deliver", _("Penyerahan dokumen permohonan %(number)s tercatat."))
def deliver(user: User, item: InformationRequest, data: dict[str, Any]) -> Any:
    return services.deliver_documents(
        actor=user, request=item, files=data["documents"], note=data["note"]
    )


@_action("close", _("Permohonan %(number)s ditutup."))
def close(user: User, item: InformationRequest, data: dict[str, Any]) -> Any:
    return services.close_request(actor=user, request=item, note=data["note"])


@_action("withdraw", _("Pencabutan permohonan %(number)s tercatat."))
def withdraw(user: User, item: InformationRequest, data: dict[str, Any]) -> Any:
    return services.withdraw_request(actor=user, request=item, reason=data["reason"])


def _objection(item: InformationRequest) -> Any:
    objection = selectors.objection_of(item)
    if objection is None:
        raise DomainError(_("Permohonan ini tidak memiliki keberatan."))
    return objection


@_action("objection_answer", _("Tanggapan atas keberatan permohonan %(number)s tercatat."))
def objection_answer(user: User, item: InformationRequest, data: dict[str, Any]) -> Any:
    return services.answer_objection(
        actor=user, objection=_objection(item), outcome=data["outcome"], text=data["text"]
    )


@_action("dispute", _("Sengketa permohonan %(number)s di Komisi Informasi tercatat."))
def dispute(user: User, item: InformationRequest, data: dict[str, Any]) -> Any:
    return services.record_dispute(
        actor=user,
        objection=_objection(item),
        reference=data["reference"],
        filed_on=data["filed_on"],
        note=data["note"],
    )


@desk_required
@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest) -> HttpResponse:
    """A request received at the counter, by letter or by email, typed in by PPID staff."""
    user = _user(request)
    if not is_ppid_staff(user):
        raise PermissionDenied
    if request.method == "POST":
        form = StaffRequestForm(request.POST, request.FILES)
        if form.is_valid():
            item = submit_once(
                request, form, scope=f"ppid.counter:{user.pk}", channel=form.cleaned_data["channel"]
            )
            if item is not None:
                messages.success(
                    request,
                    _("Permohonan tercatat dengan nomor %(number)s.")
                    % {"number": item.register_number},
                )
                return redirect("ppid:staff_request", number=item.register_number)
        return render(
            request,
            "ppid/staff/new_request.html",
            {
                "form": form,
                "idempotency_key": request.POST.get("idempotency_key", ""),
                "page": "new",
            },
            status=422,
        )
    return render(
        request,
        "ppid/staff/new_request.html",
        {"form": StaffRequestForm(), "idempotency_key": secrets.token_urlsafe(24), "page": "new"},
    )
