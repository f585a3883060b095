"""A citizen's PPID pages: the request form, their requests, one request with its answer and
documents, withdrawal and the objection form. The request page, its files and its dispute
record are also open to the PPID desk (the same selectors decide)."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terang.core.errors import DomainError, NotFound
from terang.core.files import file_url
from terang.core.idempotency import create_once
from terang.core.models import User
from terang.core.ratelimit import RateLimitAction, refuse_if_limited

from .. import deadlines, selectors, services
from ..choices import ObjectionStatus
from ..forms import ObjectionForm, ReasonForm, RequestForm, place_domain_error
from ..models import InformationRequest
from ..permissions import can_view_desk, is_citizen, is_requester


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def form_data(data: dict[str, Any]) -> services.RequestForm:
    """The service's input from a bound request form (citizen or counter)."""
    return services.RequestForm(
        requester_name=data["requester_name"],
        identity_kind=data["identity_kind"],
        identity_number=data["identity_number"],
        address=data["address"],
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        occupation=data["occupation"],
        requester_kind=data["requester_kind"],
        organisation_name=data.get("organisation_name", ""),
        legal_entity_document=data.get("legal_entity_document"),
        purpose=data["purpose"],
        information_requested=data["information_requested"],
        preferred_format=data["preferred_format"],
        delivery=data["delivery"],
    )


def submit_once(
    request: HttpRequest, form: RequestForm, *, scope: str, channel: str
) -> InformationRequest | None:
    """Run the submission once per form key (a double click files one request); on a refusal
    put the service's message on the form and return None."""
    data = form.cleaned_data
    key = request.POST.get("idempotency_key", "")[:64]
    document = data.get("legal_entity_document")
    asked = {
        "fields": {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"},
        "document": (document.name, document.size) if document else None,
        "user": request.user.pk,
    }

    def create() -> tuple[int, dict[str, str]]:
        item = services.submit_request(actor=_user(request), form=form_data(data), channel=channel)
        return 201, {"number": item.register_number}

    try:
        outcome = create_once(scope=scope, key=key or None, request=asked, create=create)
    except DomainError as exc:
        place_domain_error(form, exc)
        return None
    return InformationRequest.objects.get(register_number=outcome.body["number"])


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not is_citizen(user):
        messages.info(request, _("Petugas mencatat permohonan dari loket lewat halaman staf PPID."))
        return redirect("ppid:staff_new_request")
    if not user.contact_verified:
        return render(request, "ppid/citizen/verify_first.html", status=403)
    if request.method == "POST":
        if refused := refuse_if_limited(request, RateLimitAction.PPID_REQUEST):
            return refused
        form = RequestForm(request.POST, request.FILES)
        if form.is_valid():
            item = submit_once(request, form, scope=f"ppid.web:{user.pk}", channel="web")
            if item is not None:
                messages.success(
                    request,
                    _("Permohonan tercatat dengan nomor %(number)s.")
                    % {"number": item.register_number},
                )
                return redirect("ppid:my_request", number=item.register_number)
        return render(
            request,
            "ppid/citizen/submit.html",
            {"form": form, "idempotency_key": request.POST.get("idempotency_key", "")},
            status=422,
        )
    form = RequestForm(initial={"requester_name": user.full_name, "email": user.email or ""})
    return render(
        request,
        "ppid/citizen/submit.html",
        {"form": form, "idempotency_key": secrets.token_urlsafe(24)},
    )


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    items = list(selectors.my_requests(_user(request)).order_by("-submitted_at", "-id")[:200])
    return render(request, "ppid/citizen/my_requests.html", {"items": items, "page": "mine"})


def _viewable(request: HttpRequest, number: str) -> InformationRequest:
    try:
        return selectors.get_request_for_viewer(user=_user(request), number=number)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def render_request(
    request: HttpRequest,
    item: InformationRequest,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    bound = bound or {}
    now = timezone.now()
    objection = selectors.objection_of(item)
    window = services.objection_window(item, now)
    can_object = (
        is_requester(user, item) and objection is None and window is not None and now <= window[1]
    )
    return render(
        request,
        "ppid/citizen/request.html",
        {
            "item": item,
            "identity": selectors.identity_view(user, item),
            "events": selectors.timeline(item),
            "files": selectors.files_of(item),
            "objection": objection,
            "objection_window": window,
            "working_days_left": (
                deadlines.working_days_left(now, item.due_at) if item.is_open else None
            ),
            "overdue": item.is_open and item.due_at < now,
            "is_requester": is_requester(user, item),
            "is_desk": can_view_desk(user),
            "can_withdraw": is_requester(user, item) and item.is_open,
            "can_object": can_object,
            "can_withdraw_objection": (
                is_requester(user, item)
                and objection is not None
                and objection.status == ObjectionStatus.FILED
            ),
            "withdraw_form": bound.get("withdraw") or ReasonForm(),
            "objection_form": bound.get("objection") or ObjectionForm(),
        },
        status=status,
    )


@login_required
@require_GET
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    return render_request(request, _viewable(request, number))


@login_required
@require_POST
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    item = _viewable(request, number)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_request(
                actor=_user(request), request=item, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            place_domain_error(form, exc)
            return render_request(request, item, bound={"withdraw": form}, status=exc.status)
        messages.success(request, _("Permohonan %(number)s dicabut.") % {"number": number})
        return redirect("ppid:my_request", number=item.register_number)
    return render_request(request, item, bound={"withdraw": form}, status=422)


@login_required
@require_POST
def object_to(request: HttpRequest, number: str) -> HttpResponse:
    item = _viewable(request, number)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            objection = services.file_objection(
                actor=_user(request),
                request=item,
                grounds=form.cleaned_data["grounds"],
                statement=form.cleaned_data["statement"],
            )
        except DomainError as exc:
            place_domain_error(form, exc)
            return render_request(request, item, bound={"objection": form}, status=exc.status)
        messages.success(
            request,
            _("Keberatan tercatat dengan nomor %(number)s.")
            % {"number": objection.register_number},
        )
        return redirect("ppid:my_request", number=item.register_number)
    return render_request(request, item, bound={"objection": form}, status=422)


@login_required
@require_POST
def withdraw_objection(request: HttpRequest, number: str) -> HttpResponse:
    item = _viewable(request, number)
    objection = selectors.objection_of(item)
    if objection is None:
        raise Http404()
    try:
        services.withdraw_objection(actor=_user(request), objection=objection)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Keberatan dicabut."))
    return redirect("ppid:my_request", number=item.register_number)


@login_required
@require_GET
def request_file(request: HttpRequest, token: str) -> HttpResponseRedirect:
    """The old address of a request's file: the bytes are served by the file view of core."""
    try:
        record = selectors.get_request_file(user=_user(request), token=token)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    return HttpResponseRedirect(file_url(record, "file"))


@login_required
@require_GET
def dispute_record(request: HttpRequest, number: str) -> HttpResponse:
    """One printable page with every timestamp, document and decision of a request and its
    objection: what the requester or the PPID brings to the Komisi Informasi."""
    item = _viewable(request, number)
    user = _user(request)
    return render(
        request,
        "ppid/dispute_record.html",
        {
            "item": item,
            "identity": selectors.identity_view(user, item),
            "events": selectors.timeline(item),
            "files": selectors.files_of(item),
            "objection": selectors.objection_of(item),
            "printed_at": timezone.now(),
        },
    )
