"""Public and citizen pages for aspirations: report, track, browse, map, performance, my reports.

Thin adapters: each view parses input with a form, calls one selector or service and renders.
Domain errors are shown next to the form with their own HTTP status. Every page works without
JavaScript; `static/terang/map.js` only adds maps and a live duplicate hint.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terang.core.errors import Conflict, DomainError, ValidationFailed
from terang.core.models import AdministrativeArea, User
from terang.core.pagination import paginate_newest_first
from terang.core.ratelimit import RateLimitAction, rate_limited_page, refuse_if_limited
from terang.core.selectors import get_city, kelurahan_list

from .. import selectors, services
from ..choices import PhotoKind, Status
from ..forms import (
    AreaForm,
    FilterForm,
    PeriodForm,
    RatingForm,
    ReopenForm,
    SubmitForm,
    TrackForm,
    add_domain_error,
    new_idempotency_key,
)
from ..models import Aspiration
from ..permissions import can_view_content

PAGE_SIZE = 20
MAP_LIMIT = 2000
TEMPLATES = "aspirations/public/"


def _citizen(request: HttpRequest) -> User:
    """The signed-in user of a `login_required` view (it lets no one else through)."""
    return cast(User, request.user)


def _viewer(request: HttpRequest) -> User | None:
    """The signed-in user, or None for an anonymous visitor."""
    return cast(User, request.user) if request.user.is_authenticated else None


def _error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, TEMPLATES + "error.html", {"error": error}, status=error.status)


# --- Submit ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """Report form. `action=check` lists similar open reports nearby before the real submit."""
    if request.method == "GET":
        form = SubmitForm(user=request.user, initial={"idempotency_key": new_idempotency_key()})
        return _render_submit(request, form)
    if request.POST.get("action") == "check":
        return _check_duplicates(request)
    # Counted before the form is read, so refused floods cost no photo decoding either.
    refused = refuse_if_limited(request, RateLimitAction.ASPIRATION_SUBMIT) or refuse_if_limited(
        request, RateLimitAction.PHOTO_UPLOAD, amount=len(request.FILES.getlist("photos"))
    )
    if refused is not None:
        return refused
    form = SubmitForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _render_submit(request, form, status=422)
    data = form.cleaned_data
    submission = services.Submission(
        title=data["title"],
        text=data["text"],
        category=data["category"],
        kind=data["kind"],
        privacy=data["privacy"],
        location=services.Location(
            latitude=data["latitude"], longitude=data["longitude"], address=data["address"]
        ),
        reporter=_viewer(request),
        reporter_name=data.get("reporter_name", ""),
        reporter_contact=data.get("reporter_contact", ""),
        share_contact_with_agency=data["share_contact_with_agency"],
        photos=data["photos"],
    )
    try:
        outcome = services.submit_aspiration_once(
            submission,
            once=services.Once("web:submit", data["idempotency_key"] or None, request.user.pk),
            respond=lambda aspiration: (201, {"code": aspiration.code}),
        )
    except DomainError as exc:
        if isinstance(exc, Conflict):
            # The key already produced another report: a fresh key lets this one go through.
            # form.data is request.POST, which is immutable: give the form an edited copy.
            fresh = request.POST.copy()
            fresh["idempotency_key"] = new_idempotency_key()
            form.data = fresh
            form.add_error(
                None,
                _(
                    "Formulir ini sudah pernah dikirim dengan isi berbeda. "
                    "Periksa kembali, lalu kirim lagi bila ini laporan baru."
                ),
            )
        else:
            add_domain_error(form, exc)
        return _render_submit(request, form, status=exc.status)
    return redirect("aspirations:submitted", code=outcome.body["code"])


def _check_duplicates(request: HttpRequest) -> HttpResponse:
    """Re-show the form, values kept, with open reports of the same category near the point."""
    parsed = SubmitForm(request.POST, user=request.user)
    parsed.is_valid()
    data = parsed.cleaned_data
    form = SubmitForm(user=request.user, initial=request.POST.dict())
    candidates = None
    if (
        data.get("category")
        and data.get("latitude") is not None
        and data.get("longitude") is not None
    ):
        found = selectors.duplicate_candidates(
            category=data["category"],
            lat=data["latitude"],
            lon=data["longitude"],
            text=f"{data.get('title', '')} {data.get('text', '')}",
        )
        candidates = [{"aspiration": a, "title": selectors.public_title(a)} for a in found]
    return _render_submit(request, form, candidates=candidates, checked=True)


def _render_submit(
    request: HttpRequest,
    form: SubmitForm,
    *,
    status: int = 200,
    candidates: list[dict[str, Any]] | None = None,
    checked: bool = False,
) -> HttpResponse:
    context = {"form": form, "candidates": candidates, "checked": checked, "city": get_city()}
    return render(request, TEMPLATES + "submit.html", context, status=status)


@require_GET
@rate_limited_page(RateLimitAction.TRACKING_LOOKUP, methods=("GET", "HEAD"))
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    try:
        aspiration = selectors.get_by_tracking_code(code)
    except DomainError as exc:
        return _error_page(request, exc)
    return render(request, TEMPLATES + "submitted.html", {"aspiration": aspiration})


# --- Tracking and public detail ---------------------------------------------------------------


@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """Enter a tracking code; a valid code redirects to its page (GET: works as a plain link)."""
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"].strip().upper()
        return redirect("aspirations:track", code=code)
    return render(
        request,
        TEMPLATES + "track_lookup.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )


@require_GET
@rate_limited_page(RateLimitAction.TRACKING_LOOKUP, methods=("GET", "HEAD"))
def track(request: HttpRequest, code: str) -> HttpResponse:
    try:
        aspiration = selectors.get_by_tracking_code(code)
    except DomainError as exc:
        return _error_page(request, exc)
    return _render_track(request, aspiration)


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """Public detail: only verified public items; otherwise the same page as tracking."""
    try:
        aspiration = selectors.get_public_aspiration(code)
    except DomainError as exc:
        return _error_page(request, exc)
    return _render_track(request, aspiration)


def _is_reporter(request: HttpRequest, aspiration: Aspiration) -> bool:
    user = request.user
    return bool(user.is_authenticated and aspiration.reporter_id == user.pk)


def _render_track(
    request: HttpRequest,
    aspiration: Aspiration,
    *,
    rating_form: RatingForm | None = None,
    reopen_form: ReopenForm | None = None,
    error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    is_reporter = _is_reporter(request, aspiration)
    show_content = can_view_content(_viewer(request), aspiration)

    def public(text: str) -> str:
        return text if is_reporter else selectors.masked(aspiration, text)

    timeline = [
        {
            "event": event,
            "reason": public(event.display_reason),
            "actor": selectors.actor_label(event, None),
        }
        for event in selectors.public_timeline(aspiration)
    ]
    photos: dict[str, list[Any]] = {kind: [] for kind in PhotoKind.values}
    if show_content:
        for photo in aspiration.photos.all():
            photos[photo.kind].append(photo)
    reopen_until = selectors.reopen_deadline(aspiration) if is_reporter else None
    public_item = selectors.is_public(aspiration)
    context = {
        "aspiration": aspiration,
        "is_reporter": is_reporter,
        "show_content": show_content,
        "title": aspiration.title if is_reporter else selectors.public_title(aspiration),
        "text": aspiration.text if is_reporter else selectors.public_text(aspiration),
        "address": aspiration.address if is_reporter else selectors.public_address(aspiration),
        "public_answer": public(aspiration.public_answer),
        "timeline": timeline,
        "photos": photos,
        "deadline": selectors.next_deadline(aspiration),
        "can_rate": is_reporter
        and aspiration.status == Status.RESOLVED
        and not services.needs_check(aspiration),
        "awaiting_check": aspiration.status == Status.RESOLVED and services.needs_check(aspiration),
        "can_reopen": reopen_until is not None and timezone.now() <= reopen_until,
        "reopen_until": reopen_until,
        "rating_form": rating_form or RatingForm(),
        "reopen_form": reopen_form or ReopenForm(),
        "public_item": public_item,
        "can_follow": public_item and request.user.is_authenticated and not is_reporter,
        "is_following": public_item
        and request.user.is_authenticated
        and aspiration.follows.filter(user=request.user).exists(),
        "error": error,
    }
    return render(request, TEMPLATES + "track.html", context, status=status)


def _reporter_action(
    request: HttpRequest,
    code: str,
    *,
    form_class: type[forms.Form],
    form_slot: str,
    perform: Callable[[Aspiration, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """The reporter's forms on the tracking page: validate, call one service, PRG; a refusal
    re-renders the page with the form in `form_slot` and the service's status."""
    try:
        aspiration = selectors.get_by_tracking_code(code)
    except DomainError as exc:
        return _error_page(request, exc)
    form = form_class(request.POST)
    slot: dict[str, Any] = {form_slot: form}
    if not form.is_valid():
        return _render_track(request, aspiration, **slot, status=422)
    try:
        perform(aspiration, form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_track(request, aspiration, **slot, error=exc, status=exc.status)
    messages.success(request, success)
    return redirect("aspirations:track", code=aspiration.code)


@login_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    return _reporter_action(
        request,
        code,
        form_class=RatingForm,
        form_slot="rating_form",
        perform=lambda aspiration, data: services.rate_aspiration(
            actor=_citizen(request),
            aspiration=aspiration,
            rating=data["rating"],
            comment=data["comment"],
        ),
        success=_("Terima kasih atas penilaian Anda. Laporan ditutup."),
    )


@login_required
@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _reporter_action(
        request,
        code,
        form_class=ReopenForm,
        form_slot="reopen_form",
        perform=lambda aspiration, data: services.reopen_aspiration(
            actor=_citizen(request), aspiration=aspiration, reason=data["reason"]
        ),
        success=_("Laporan dibuka kembali dan diteruskan ke petugas."),
    )


@login_required
@require_POST
def follow(request: HttpRequest, code: str) -> HttpResponse:
    """Follow or (with action=unfollow) stop following a public item."""
    try:
        aspiration = selectors.get_public_aspiration(code)
        if request.POST.get("action") == "unfollow":
            services.unfollow_aspiration(user=_citizen(request), aspiration=aspiration)
            messages.success(request, _("Anda tidak lagi mengikuti laporan ini."))
        elif refused := refuse_if_limited(request, RateLimitAction.FOLLOW):
            return refused
        else:
            services.follow_aspiration(user=_citizen(request), aspiration=aspiration)
            messages.success(request, _("Anda akan diberi kabar setiap status berubah."))
    except DomainError as exc:
        return _error_page(request, exc)
    return redirect("aspirations:detail", code=aspiration.code)


# --- Public list, map, GeoJSON ------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[FilterForm, Any]:
    """The filter form and the public queryset it selects (None when the form is invalid)."""
    form = FilterForm(request.GET or None, kelurahan=kelurahan_list())
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    filters = selectors.AspirationFilters(
        category=data.get("category") or None,
        agency=data.get("agency") or None,
        kelurahan=data.get("kelurahan") or None,
        status=data.get("status") or None,
        since=data.get("since"),
        until=data.get("until"),
        q=data.get("q") or None,
    )
    queryset = selectors.apply_filters(selectors.public_aspirations(), filters)
    return form, queryset.select_related("category", "agency", "kelurahan")


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    form, queryset = _filtered(request)
    rows: list[dict[str, Any]] = []
    next_url = None
    status = 200
    if queryset is None:
        status = 422
    else:
        try:
            page = paginate_newest_first(
                queryset, cursor=request.GET.get("cursor") or None, size=PAGE_SIZE
            )
        except ValidationFailed as exc:
            form.add_error(None, str(exc.message))
            return render(
                request, TEMPLATES + "list.html", {"form": form, "rows": []}, status=exc.status
            )
        rows = [
            {
                "aspiration": item,
                "title": selectors.public_title(item),
                "text": selectors.public_text(item),
                "deadline": selectors.next_deadline(item),
            }
            for item in page.items
        ]
        if page.next_cursor:
            query = request.GET.copy()
            query["cursor"] = page.next_cursor
            next_url = f"{request.path}?{query.urlencode()}"
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "rows": rows,
        "next_url": next_url,
        "query": query.urlencode(),
        "is_later_page": bool(request.GET.get("cursor")),
    }
    return render(request, TEMPLATES + "list.html", context, status=status)


@require_GET
def public_map(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, kelurahan=kelurahan_list())
    form.is_valid()
    context = {
        "form": form,
        "query": request.GET.urlencode(),
        "city": get_city(),
        "limit": MAP_LIMIT,
    }
    return render(request, TEMPLATES + "map.html", context)


@require_GET
def map_geojson(request: HttpRequest) -> HttpResponse:
    """Newest public items with a point, as a GeoJSON FeatureCollection (masked titles)."""
    form, queryset = _filtered(request)
    if queryset is None:
        return JsonResponse(
            {"error": {"code": "validation_error", "details": form.errors}}, status=422
        )
    items = (
        queryset.filter(latitude__isnull=False, longitude__isnull=False)
        .defer(
            "text", "public_text", "public_answer", "rating_comment", "reporter_contact_encrypted"
        )
        .order_by("-created_at", "-id")[:MAP_LIMIT]
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [item.longitude, item.latitude]},
            "properties": {
                "code": item.code,
                "title": selectors.public_title(item),
                "status": item.status,
                "status_label": item.get_status_display(),
                "category": item.category.display_name,
                "created_at": item.created_at.isoformat(),
                "url": reverse("aspirations:detail", kwargs={"code": item.code}),
            },
        }
        for item in items
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


# --- Agency performance -------------------------------------------------------------------------


def _performance_rows(request: HttpRequest) -> tuple[PeriodForm, list[Any] | None]:
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    return form, selectors.agency_performance(since=data.get("since"), until=data.get("until"))


@require_GET
def performance(request: HttpRequest) -> HttpResponse:
    form, rows = _performance_rows(request)
    period = form.cleaned_data if rows is not None and form.is_bound else {}
    context = {
        "form": form,
        "rows": rows or [],
        "query": request.GET.urlencode(),
        "since": period.get("since"),
        "until": period.get("until"),
    }
    return render(
        request, TEMPLATES + "performance.html", context, status=422 if rows is None else 200
    )


PERFORMANCE_FIELDS = [field.name for field in dataclasses.fields(selectors.AgencyPerformance)]


@require_GET
def performance_csv(request: HttpRequest) -> HttpResponse:
    """Open data: one row per agency, machine-readable numbers (dot decimals), UTF-8."""
    form, rows = _performance_rows(request)
    if rows is None:
        return HttpResponse(
            form.errors.as_text(), status=422, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kinerja-opd.csv"'
    writer = csv.writer(response)
    writer.writerow(PERFORMANCE_FIELDS)
    for row in rows:
        values = dataclasses.asdict(row)
        writer.writerow(
            ["" if values[name] is None else values[name] for name in PERFORMANCE_FIELDS]
        )
    return response


@require_GET
def performance_json(request: HttpRequest) -> HttpResponse:
    form, rows = _performance_rows(request)
    if rows is None:
        return JsonResponse(
            {"error": {"code": "validation_error", "details": form.errors}}, status=422
        )
    data = form.cleaned_data if form.is_bound else {}
    return JsonResponse(
        {
            "since": data.get("since"),
            "until": data.get("until"),
            "agencies": [dataclasses.asdict(row) for row in rows],
        },
        json_dumps_params={"ensure_ascii": False},
    )


# --- Citizen pages ----------------------------------------------------------------------------


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    try:
        page = paginate_newest_first(
            selectors.my_aspirations(_citizen(request)),
            cursor=request.GET.get("cursor") or None,
            size=PAGE_SIZE,
        )
    except DomainError as exc:
        return _error_page(request, exc)
    rows = [{"aspiration": a, "deadline": selectors.next_deadline(a)} for a in page.items]
    next_url = f"{request.path}?cursor={page.next_cursor}" if page.next_cursor else None
    return render(request, TEMPLATES + "my_reports.html", {"rows": rows, "next_url": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    """Subscribe to new public reports in a kelurahan, or (action=unsubscribe) stop."""
    areas = kelurahan_list()
    form = AreaForm(request.POST or None, kelurahan=areas)
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "unsubscribe":
            area = AdministrativeArea.objects.filter(code=request.POST.get("area", "")).first()
            if area is not None:
                services.unsubscribe_area(user=_citizen(request), area=area)
                messages.success(request, _("Langganan %(area)s dihentikan.") % {"area": area})
            return redirect("aspirations:subscriptions")
        if refused := refuse_if_limited(request, RateLimitAction.FOLLOW):
            return refused
        if form.is_valid():
            area = AdministrativeArea.objects.get(code=form.cleaned_data["area"])
            try:
                services.subscribe_area(user=_citizen(request), area=area)
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("Anda berlangganan laporan baru di %(area)s.") % {"area": area}
                )
                return redirect("aspirations:subscriptions")
        else:
            status = 422
    current = _citizen(request).area_subscriptions.select_related("area", "area__parent")
    return render(
        request,
        TEMPLATES + "subscriptions.html",
        {"form": AreaForm(kelurahan=areas) if status == 200 else form, "subscriptions": current},
        status=status,
    )
