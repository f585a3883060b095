"""The staff detail page of one item: full content, deadlines, timeline, and the action forms
this staff member may use (each form posts to its own view in `actions`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from terang.core.models import User

from ... import selectors
from ...choices import OPEN_STATUSES, PhotoKind, Status
from ...models import Aspiration
from ...permissions import CITY_WIDE_ACTORS, can_act_on, can_check_resolution
from ...staff_forms import (
    AgencyReasonForm,
    AnswerForm,
    CheckForm,
    MergeForm,
    NoteForm,
    PlaceForm,
    ReasonForm,
    ResolveForm,
    StartForm,
    VerifyForm,
)
from ...workflow import can_transition
from .access import get_or_404, staff_required, staff_user

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def allowed_actions(user: User, aspiration: Aspiration) -> set[str]:
    """Which action forms to show. Only hides buttons: the services decide for real."""
    status = aspiration.status
    allowed: set[str] = set()
    city_wide = user.role in CITY_WIDE_ACTORS
    if can_act_on(user, aspiration):
        allowed.add("note")
        if status in OPEN_STATUSES:
            allowed.add("place")
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
        if (
            status in OPEN_STATUSES - {Status.SUBMITTED}
            and can_transition(status, Status.DISPOSITIONED)
            and (city_wide or not aspiration.assigned_for_good)
        ):
            allowed.add("redisposition")
        if can_transition(status, Status.MERGED):
            allowed.add("merge")
    if (
        city_wide
        and aspiration.is_ping_pong
        and not aspiration.assigned_for_good
        and status in OPEN_STATUSES
    ):
        allowed.add("assign")
    if (
        status == Status.RESOLVED
        and aspiration.category.requires_resolution_check
        and aspiration.resolution_checked_at is None
        and can_check_resolution(user, aspiration)
    ):
        allowed.add("check")
    return allowed


ACTION_LABELS: dict[str, tuple[Any, Any]] = {
    "verify": (_("Verifikasi dan teruskan"), _("Verifikasi")),
    "start": (_("Mulai tindak lanjut"), _("Mulai")),
    "answer": (_("Jawab (publik)"), _("Kirim jawaban")),
    "resolve": (_("Selesaikan"), _("Tandai selesai")),
    "check": (_("Periksa penyelesaian"), ""),
    "note": (_("Catatan internal"), _("Simpan catatan")),
    "place": (_("Tetapkan atau koreksi lokasi"), _("Simpan lokasi")),
    "reject": (_("Tolak laporan"), _("Tolak")),
    "redisposition": (_("Disposisi ulang ke OPD lain"), _("Disposisikan")),
    "assign": (_("Tetapkan OPD akhir"), _("Tetapkan")),
    "merge": (_("Gabungkan dengan laporan lain"), _("Gabungkan")),
}

FormFactory = Callable[[Any, Any, User, Aspiration], forms.Form]


def _prefixed(form_class: type[forms.Form], prefix: str) -> FormFactory:
    def make(data: Any, files: Any, user: User, aspiration: Aspiration) -> forms.Form:
        return form_class(data, files, prefix=prefix)

    return make


def _verify_form(data: Any, files: Any, user: User, aspiration: Aspiration) -> forms.Form:
    return VerifyForm(data, files, prefix="verify", choose_agency=user.role in CITY_WIDE_ACTORS)


def _redisposition_form(data: Any, files: Any, user: User, aspiration: Aspiration) -> forms.Form:
    return AgencyReasonForm(
        data, files, prefix="redisposition", exclude_agency_id=aspiration.agency_id
    )


def _assign_form(data: Any, files: Any, user: User, aspiration: Aspiration) -> forms.Form:
    return AgencyReasonForm(data, files, prefix="assign", initial={"agency": aspiration.agency_id})


FORMS: dict[str, FormFactory] = {
    "verify": _verify_form,
    "reject": _prefixed(ReasonForm, "reject"),
    "start": _prefixed(StartForm, "start"),
    "answer": _prefixed(AnswerForm, "answer"),
    "note": _prefixed(NoteForm, "note"),
    "place": _prefixed(PlaceForm, "place"),
    "resolve": _prefixed(ResolveForm, "resolve"),
    "check": _prefixed(CheckForm, "check"),
    "redisposition": _redisposition_form,
    "assign": _assign_form,
    "merge": _prefixed(MergeForm, "merge"),
}


def _blank_form(name: str, user: User, aspiration: Aspiration) -> forms.Form:
    return FORMS[name](None, None, user, aspiration)


def render_detail(
    request: HttpRequest,
    aspiration: Aspiration,
    *,
    bound: dict[str, forms.Form] | None = None,
    error: StrOrPromise = "",
    status: int = 200,
) -> HttpResponse:
    """The page, with `bound` forms (and `error`) in place of blank ones after a refused POST."""
    user = staff_user(request)
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
    timeline = [
        {"event": event, "actor": selectors.actor_label(event, user)}
        for event in aspiration.events.select_related("actor", "from_agency", "to_agency")
    ]
    return render(
        request,
        "aspirations/staff/detail.html",
        {
            "aspiration": aspiration,
            "timeline": timeline,
            "photo_groups": photo_groups,
            "deadlines": deadlines,
            "next_deadline": current,
            "reporter": selectors.reporter_view(user, aspiration),
            "actions": actions,
            "action_error": error,
            "read_only": not allowed,
        },
        status=status,
    )


@staff_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    return render_detail(request, get_or_404(staff_user(request), code))
