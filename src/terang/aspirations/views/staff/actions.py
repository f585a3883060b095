"""One POST view per action on the detail page: validate the form, call one service, then
redirect (post/redirect/get). A refused action re-renders the detail page with the service's
message and HTTP status, and nothing changes (`terang.core.views.actions.DetailPage`).

Actions that route the item to an agency (verify, redisposition, assign) may take it out of the
actor's reach (an officer handing it to another agency): they go back to the inbox with the
confirmation instead of to a detail page that would now be a 404."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terang.core.errors import NotFound, ValidationFailed
from terang.core.models import User
from terang.core.views.actions import DetailPage

from ... import selectors, services
from ...models import Aspiration
from ...staff_forms import place_domain_error
from .access import get_or_404, staff_required, staff_user
from .detail import FORMS, render_detail


def _load(request: HttpRequest, code: str) -> Aspiration:
    return get_or_404(staff_user(request), code)


def _bound_form(name: str, request: HttpRequest, aspiration: Aspiration) -> forms.Form:
    return FORMS[name](request.POST, request.FILES, staff_user(request), aspiration)


PAGE: DetailPage[Aspiration] = DetailPage(
    guard=staff_required,
    load=_load,
    build_form=_bound_form,
    render=render_detail,
    place_error=place_domain_error,
    message_args=lambda _aspiration, result: {"code": result.code},
    success_url=lambda _aspiration, result: reverse(
        "aspirations:staff_detail", kwargs={"code": result.code}
    ),
)
_action = PAGE.action


@dataclasses.dataclass(frozen=True)
class Routed:
    """What a routing action did: the item, and whether its actor may still open it."""

    aspiration: Aspiration
    still_visible: bool


def _routed(user: User, aspiration: Aspiration) -> Routed:
    return Routed(aspiration, selectors.is_visible_to(user, aspiration))


def _after_routing(result: Routed) -> str:
    if result.still_visible:
        return reverse("aspirations:staff_detail", kwargs={"code": result.aspiration.code})
    return reverse("aspirations:staff_inbox")


ROUTING_PAGE = dataclasses.replace(
    PAGE,
    message_args=lambda _aspiration, result: {
        "code": result.aspiration.code,
        "agency": result.aspiration.agency.name,
    },
    success_url=lambda _aspiration, result: _after_routing(result),
)
_routing_action = ROUTING_PAGE.action


@_routing_action("verify", _("Laporan %(code)s diverifikasi dan diteruskan ke OPD."))
def verify(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Routed:
    verified = services.verify_aspiration(
        actor=user,
        aspiration=aspiration,
        agency=data.get("agency"),
        privacy=data.get("privacy") or None,
    )
    return _routed(user, verified)


@_action("reject", _("Laporan %(code)s ditolak."))
def reject(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.reject_aspiration(actor=user, aspiration=aspiration, reason=data["reason"])


@_action("start", _("Tindak lanjut laporan %(code)s dimulai."))
def start(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.start_progress(actor=user, aspiration=aspiration, note=data["note"])


@_action("answer", _("Jawaban untuk laporan %(code)s terkirim."))
def answer(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.answer_aspiration(actor=user, aspiration=aspiration, answer=data["answer"])


@_action("place", _("Lokasi laporan %(code)s tersimpan."))
def place(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    location = services.Location(
        latitude=data["latitude"], longitude=data["longitude"], address=data.get("address") or ""
    )
    return services.place_aspiration(actor=user, aspiration=aspiration, location=location)


@_action("note", _("Catatan internal pada %(code)s tersimpan."))
def note(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.add_internal_note(actor=user, aspiration=aspiration, note=data["note"])


@_action("resolve", _("Laporan %(code)s ditandai selesai ditangani."))
def resolve(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.resolve_aspiration(
        actor=user,
        aspiration=aspiration,
        answer=data["answer"],
        before_photos=data["before_photos"],
        after_photos=data["after_photos"],
    )


@_action("check", _("Pemeriksaan penyelesaian %(code)s tersimpan."))
def check(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    return services.check_resolution(
        actor=user,
        aspiration=aspiration,
        approve=data["decision"] == "approve",
        reason=data["reason"],
    )


@_routing_action("redisposition", _("Laporan %(code)s didisposisikan ke %(agency)s."))
def redisposition(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Routed:
    moved = services.redisposition_aspiration(
        actor=user, aspiration=aspiration, agency=data["agency"], reason=data["reason"]
    )
    return _routed(user, moved)


@_routing_action("assign", _("Laporan %(code)s ditetapkan ke OPD akhir."))
def assign(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Routed:
    assigned = services.assign_for_good(
        actor=user, aspiration=aspiration, agency=data["agency"], reason=data["reason"]
    )
    return _routed(user, assigned)


@_action("merge", _("Laporan digabung ke %(code)s."))
def merge(user: User, aspiration: Aspiration, data: dict[str, Any]) -> Aspiration:
    try:
        into = selectors.get_aspiration_for_staff(user=user, code=data["into"])
    except NotFound as exc:
        raise ValidationFailed(
            _("Laporan utama tidak ditemukan."), details={"field": "into"}
        ) from exc
    return services.merge_aspirations(
        actor=user, duplicate=aspiration, into=into, reason=data["reason"]
    )
