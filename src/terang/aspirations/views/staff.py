"""Staff pages: inbox, detail with one POST URL per action, control room, assisted intake.

Every page needs a signed-in city staff member whose session passed TOTP; reads go through the
scoped selectors (an officer never sees another agency's item, not even as a 403), writes go
through exactly one service each, and a refused action re-renders the detail page with the
service's message and HTTP status while nothing changes.

Inbox paging: the inbox shows the 50 most urgent items for the chosen filters (the selector's
deadline order) and says how many match in total; staff narrow the list with filters instead
of paging deep. No OFFSET is ever issued.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terang.core.errors import DomainError, NotFound, ValidationFailed
from terang.core.idempotency import request_digest, run_once
from terang.core.middleware import is_otp_verified
from terang.core.models import User

from .. import selectors, services
from ..choices import OPEN_STATUSES, Escalation, PhotoKind, Status
from ..models import Aspiration
from ..permissions import (
    AGENCY_ACTORS,
    CITY_WIDE_ACTORS,
    can_act_on,
    can_check_resolution,
    can_read_all,
    is_staff_member,
)
from ..services.intake import STAFF_INTAKE_ROLES
from ..staff_forms import (
    AgencyReasonForm,
    AnswerForm,
    BulkActionForm,
    CheckForm,
    InboxFilterForm,
    IntakeForm,
    MergeForm,
    NoteForm,
    ReasonForm,
    ResolveForm,
    StartForm,
    VerifyForm,
    place_domain_error,
)
from ..workflow import can_transition

INBOX_LIMIT = 50
CONTROL_ROOM_LIMIT = 50
INTAKE_SESSION_KEY = "aspirations_staff_intake_code"

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Signed-in city staff with a TOTP-verified session; safe even without the middleware."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(user):
            raise DjangoPermissionDenied
        if not is_otp_verified(user):
            try:
                target = reverse("core:two_factor")
            except NoReverseMatch:
                target = reverse("core:login")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def _get_or_404(user: User, code: str) -> Aspiration:
    try:
        return selectors.get_aspiration_for_staff(user=user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _filters(form: InboxFilterForm) -> selectors.AspirationFilters:
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    category, kelurahan = data.get("category"), data.get("kelurahan")
    return selectors.AspirationFilters(
        status=data.get("status") or None,
        category=category.code if category else None,
        kelurahan=kelurahan.code if kelurahan else None,
        ping_pong=True if data.get("ping_pong") else None,
        breached=True if data.get("breached") else None,
        q=data.get("q") or None,
    )


def _can_act_somewhere(user: User) -> bool:
    return user.role in CITY_WIDE_ACTORS or (user.role in AGENCY_ACTORS and bool(user.agency_id))


@staff_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    queryset = selectors.inbox_for(request.user, _filters(form))
    items = list(queryset[:INBOX_LIMIT])
    total = queryset.count() if len(items) == INBOX_LIMIT else len(items)
    rows = [(item, selectors.next_deadline(item)) for item in items]
    return render(request, "aspirations/staff/inbox.html", {
        "filter_form": form,
        "rows": rows,
        "total": total,
        "limit": INBOX_LIMIT,
        "bulk_form": BulkActionForm() if _can_act_somewhere(request.user) else None,
        "query": request.GET.urlencode(),
    })


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Apply one action to the ticked items; each item succeeds or fails on its own."""
    target = _inbox_url(request.POST.get("query", ""))
    form = BulkActionForm(request.POST)
    codes = [code.strip().upper() for code in request.POST.getlist("codes")][:INBOX_LIMIT]
    if not codes:
        messages.error(request, _("Pilih minimal satu laporan."))
        return redirect(target)
    if not form.is_valid():
        messages.error(request, _("Pilih aksi massal yang valid."))
        return redirect(target)
    found = {
        item.code: item
        for item in selectors.aspirations_visible_to(request.user).filter(code__in=codes)
    }
    try:
        result = services.bulk_action(
            actor=request.user,
            aspirations=[found[code] for code in codes if code in found],
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(target)
    failed = result["failed"] + [code for code in codes if code not in found]
    if result["done"]:
        messages.success(request, _("Berhasil (%(n)d): %(codes)s") % {
            "n": len(result["done"]), "codes": ", ".join(result["done"])})
    if failed:
        messages.warning(request, _("Gagal (%(n)d): %(codes)s") % {
            "n": len(failed), "codes": ", ".join(failed)})
    return redirect(target)


def _inbox_url(raw_query: str) -> str:
    """Back to the inbox with the same filters; only known filter keys survive."""
    query = QueryDict(raw_query[:1000])
    kept = {name: query[name] for name in InboxFilterForm.base_fields if query.get(name)}
    url = reverse("aspirations:staff_inbox")
    return f"{url}?{urlencode(kept)}" if kept else url


def allowed_actions(user: User, aspiration: Aspiration) -> set[str]:
    """Which action forms to show. Only hides buttons: the services decide for real."""
    status = aspiration.status
    allowed: set[str] = set()
    city_wide = user.role in CITY_WIDE_ACTORS
    if can_act_on(user, aspiration):
        allowed.add("note")
        if status == Status.SUBMITTED and can_transition(status, Status.VERIFIED):
            allowed.add("verify")
        if can_transition(status, Status.REJECTED):
            allowed.add("reject")
        if status in OPEN_STATUSES and can_transition(status, Status.IN_PROGRESS):
            allowed.add("start")
        if status in OPEN_STATUSES - {Status.SUBMITTED}:
            allowed.add("answer")
        if can_transition(status, Status.RESOLVED):
            allowed.add("resolve")
        if (status in OPEN_STATUSES - {Status.SUBMITTED}
                and can_transition(status, Status.DISPOSITIONED)
                and (city_wide or not aspiration.assigned_for_good)):
            allowed.add("redisposition")
        if can_transition(status, Status.MERGED):
            allowed.add("merge")
    if (city_wide and aspiration.is_ping_pong and not aspiration.assigned_for_good
            and status in OPEN_STATUSES):
        allowed.add("assign")
    if (status == Status.RESOLVED and aspiration.category.requires_resolution_check
            and aspiration.resolution_checked_at is None
            and can_check_resolution(user, aspiration)):
        allowed.add("check")
    return allowed


ACTION_LABELS: dict[str, tuple[Any, Any]] = {
    "verify": (_("Verifikasi dan teruskan"), _("Verifikasi")),
    "start": (_("Mulai tindak lanjut"), _("Mulai")),
    "answer": (_("Jawab (publik)"), _("Kirim jawaban")),
    "resolve": (_("Selesaikan"), _("Tandai selesai")),
    "check": (_("Periksa penyelesaian"), ""),
    "note": (_("Catatan internal"), _("Simpan catatan")),
    "reject": (_("Tolak laporan"), _("Tolak")),
    "redisposition": (_("Disposisi ulang ke OPD lain"), _("Disposisikan")),
    "assign": (_("Tetapkan OPD akhir"), _("Tetapkan")),
    "merge": (_("Gabungkan dengan laporan lain"), _("Gabungkan")),
}


def _blank_form(name: str, user: User, aspiration: Aspiration) -> forms.Form:
    return FORMS[name](None, None, user, aspiration)


def _render_detail(
    request: HttpRequest,
    aspiration: Aspiration,
    *,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    allowed = allowed_actions(user, aspiration)
    actions = [
        {
            "name": name,
            "heading": heading,
            "submit": submit,
            "url": reverse(f"aspirations:staff_{name}", args=[aspiration.code]),
            "form": (bound or {}).get(name) or _blank_form(name, user, aspiration),
        }
        for name, (heading, submit) in ACTION_LABELS.items()
        if name in allowed
    ]
    photos = list(aspiration.photos.all())
    photo_groups = [
        (label, [photo for photo in photos if photo.kind == kind])
        for kind, label in PhotoKind.choices
        if any(photo.kind == kind for photo in photos)
    ]
    current = selectors.next_deadline(aspiration)
    deadlines = [
        (label, due, due == current)
        for label, due in (
            (_("Batas verifikasi"), aspiration.verify_due_at),
            (_("Batas tanggapan pertama"), aspiration.response_due_at),
            (_("Batas penyelesaian"), aspiration.resolution_due_at),
        )
        if due is not None
    ]
    timeline = aspiration.events.select_related("actor", "from_agency", "to_agency")
    return render(request, "aspirations/staff/detail.html", {
        "aspiration": aspiration,
        "timeline": timeline,
        "photo_groups": photo_groups,
        "deadlines": deadlines,
        "next_deadline": current,
        "reporter": selectors.reporter_view(user, aspiration),
        "actions": actions,
        "action_error": error,
        "read_only": not allowed,
    }, status=status)


@staff_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_detail(request, _get_or_404(request.user, code))


FormFactory = Callable[[Any, Any, User, Aspiration], forms.Form]


def _prefixed(form_class: type[forms.Form], prefix: str) -> FormFactory:
    def make(data: Any, files: Any, user: User, aspiration: Aspiration) -> forms.Form:
        return form_class(data, files, prefix=prefix)

    return make


def _verify_form(data: Any, files: Any, user: User, aspiration: Aspiration) -> forms.Form:
    return VerifyForm(data, files, prefix="verify",
                      choose_agency=user.role in CITY_WIDE_ACTORS)


def _redisposition_form(data: Any, files: Any, user: User, aspiration: Aspiration) -> forms.Form:
    return AgencyReasonForm(data, files, prefix="redisposition",
                            exclude_agency_id=aspiration.agency_id)


def _assign_form(data: Any, files: Any, user: User, aspiration: Aspiration) -> forms.Form:
    return AgencyReasonForm(data, files, prefix="assign",
                            initial={"agency": aspiration.agency_id})


FORMS: dict[str, FormFactory] = {
    "verify": _verify_form,
    "reject": _prefixed(ReasonForm, "reject"),
    "start": _prefixed(StartForm, "start"),
    "answer": _prefixed(AnswerForm, "answer"),
    "note": _prefixed(NoteForm, "note"),
    "resolve": _prefixed(ResolveForm, "resolve"),
    "check": _prefixed(CheckForm, "check"),
    "redisposition": _redisposition_form,
    "assign": _assign_form,
    "merge": _prefixed(MergeForm, "merge"),
}

Perform = Callable[[User, Aspiration, dict[str, Any]], Aspiration]


def _action(name: str, success: str) -> Callable[[Perform], View]:
    """Build the POST view of one detail-page form: validate, call one service, PRG."""

    def decorator(perform: Perform) -> View:
        @staff_required
        @require_POST
        @wraps(perform)
        def view(request: HttpRequest, code: str) -> HttpResponse:
            aspiration = _get_or_404(request.user, code)
            form = FORMS[name](request.POST, request.FILES, request.user, aspiration)
            if not form.is_valid():
                return _render_detail(request, aspiration, bound={name: form},
                                      error=_("Periksa kembali isian formulir."), status=422)
            try:
                result = perform(request.user, aspiration, form.cleaned_data)
            except DomainError as exc:
                place_domain_error(form, exc)
                return _render_detail(request, aspiration, bound={name: form},
                                      error=str(exc.message), status=exc.status)
            messages.success(request, success % {"code": result.code})
            return redirect("aspirations:staff_detail", code=result.code)

        return view

    return decorator


@_action("verify", _("Laporan %(code)s diverifikasi dan diteruskan ke OPD."))
def verify(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.verify_aspiration(actor=user, aspiration=aspiration,
                                      agency=data.get("agency"),
                                      privacy=data.get("privacy") or None)


@_action("reject", _("Laporan %(code)s ditolak."))
def reject(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.reject_aspiration(actor=user, aspiration=aspiration, reason=data["reason"])


@_action("start", _("Tindak lanjut laporan %(code)s dimulai."))
def start(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.start_progress(actor=user, aspiration=aspiration, note=data["note"])


@_action("answer", _("Jawaban untuk laporan %(code)s terkirim."))
def answer(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.answer_aspiration(actor=user, aspiration=aspiration, answer=data["answer"])


@_action("note", _("Catatan internal pada %(code)s tersimpan."))
def note(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.add_internal_note(actor=user, aspiration=aspiration, note=data["note"])


@_action("resolve", _("Laporan %(code)s ditandai selesai ditangani."))
def resolve(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.resolve_aspiration(
        actor=user, aspiration=aspiration, answer=data["answer"],
        before_photos=data["before_photos"], after_photos=data["after_photos"],
    )


@_action("check", _("Pemeriksaan penyelesaian %(code)s tersimpan."))
def check(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.check_resolution(actor=user, aspiration=aspiration,
                                     approve=data["decision"] == "approve",
                                     reason=data["reason"])


@_action("redisposition", _("Laporan %(code)s didisposisikan ke OPD lain."))
def redisposition(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.redisposition_aspiration(actor=user, aspiration=aspiration,
                                             agency=data["agency"], reason=data["reason"])


@_action("assign", _("Laporan %(code)s ditetapkan ke OPD akhir."))
def assign(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.assign_for_good(actor=user, aspiration=aspiration,
                                    agency=data["agency"], reason=data["reason"])


@_action("merge", _("Laporan digabung ke %(code)s."))
def merge(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    try:
        into = selectors.get_aspiration_for_staff(user=user, code=data["into"])
    except NotFound as exc:
        raise ValidationFailed(_("Laporan utama tidak ditemukan."),
                               details={"field": "into"}) from exc
    return services.merge_aspirations(actor=user, duplicate=aspiration, into=into,
                                      reason=data["reason"])


@staff_required
@require_GET
def control_room(request: HttpRequest) -> HttpResponse:
    """Operators, administrators and the inspectorate: what needs the city's attention."""
    user = request.user
    if not can_read_all(user):
        raise DjangoPermissionDenied
    now = timezone.now()
    visible = selectors.aspirations_visible_to(user)
    open_items = selectors.apply_filters(
        visible, selectors.AspirationFilters(status="open")
    ).select_related("category", "agency")
    ping_pong = list(
        open_items.filter(is_ping_pong=True, assigned_for_good=False)
        .order_by("resolution_due_at", "id")[:CONTROL_ROOM_LIMIT]
    )
    breached = list(
        open_items.filter(breached=True)
        .order_by("-escalation", "resolution_due_at", "id")[:CONTROL_ROOM_LIMIT]
    )
    overdue = list(
        open_items.filter(status=Status.SUBMITTED, verify_due_at__lt=now)
        .order_by("verify_due_at", "id")[:CONTROL_ROOM_LIMIT]
    )
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    breached_groups = [
        (label, [(item, selectors.next_deadline(item))
                 for item in breached if item.escalation == level])
        for level, label in reversed(Escalation.choices)
    ]
    return render(request, "aspirations/staff/control_room.html", {
        "ping_pong": [(item, selectors.next_deadline(item)) for item in ping_pong],
        "breached_groups": [group for group in breached_groups if group[1]],
        "overdue": [(item, item.verify_due_at) for item in overdue],
        "status_counts": [(label, counts.get(value, 0)) for value, label in Status.choices],
        "limit": CONTROL_ROOM_LIMIT,
    })


@staff_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Assisted intake: a report taken at the counter, by phone, SMS or social media."""
    user = request.user
    if user.role not in STAFF_INTAKE_ROLES:
        raise DjangoPermissionDenied
    key = request.POST.get("idempotency_key", "")[:64] or secrets.token_urlsafe(24)
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
    return render(request, "aspirations/staff/intake.html",
                  {"form": form, "idempotency_key": key}, status=status)


def _submit_intake(user: User, key: str, data: dict[str, Any]) -> str:
    """One service call; a double-clicked submit replays the first result."""
    fields = {name: value for name, value in data.items() if name != "photos"}
    fields["category"] = data["category"].code

    def create() -> tuple[int, dict[str, str]]:
        aspiration = services.submit_aspiration(
            title=data["title"],
            text=data["text"],
            category=data["category"],
            kind=data["kind"],
            channel=data["channel"],
            privacy=data["privacy"],
            location=services.Location(latitude=data["latitude"],
                                       longitude=data["longitude"],
                                       address=data["address"]),
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
            share_contact_with_agency=data["share_contact_with_agency"],
            photos=data["photos"],
            entered_by=user,
        )
        return 201, {"code": aspiration.code}

    _status, body, _replayed = run_once(scope=f"aspirations.staff_intake:{user.pk}", key=key,
                                        digest=request_digest(fields), create=create)
    return str(body["code"])


@staff_required
@require_GET
def intake_done(request: HttpRequest) -> HttpResponse:
    code = request.session.get(INTAKE_SESSION_KEY)
    if not code:
        return redirect("aspirations:staff_intake")
    visible = selectors.aspirations_visible_to(request.user).filter(code=code).exists()
    return render(request, "aspirations/staff/intake_done.html",
                  {"code": code, "visible": visible})
