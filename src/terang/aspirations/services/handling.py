"""Handling an aspiration after intake: verification, routing, answers, resolution, closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terang.core.calendar import working_days_deadline
from terang.core.choices import Role
from terang.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from terang.core.models import Agency, AreaSubscription, User
from terang.core.notifications import notify_user
from terang.core.selectors import get_city

from .. import reasons
from ..choices import OPEN_STATUSES, EventKind, Kind, PhotoKind, Privacy, Status
from ..models import Aspiration
from ..permissions import (
    can_check_resolution,
    can_move_assigned,
    require_actor,
    require_city_wide,
)
from ..selectors import reopen_deadline
from ._common import add_event, lock, notify_status_change, refresh_public_copies, transition
from .intake import Location, save_photos, validate_location, validate_photos


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationFailed(
            _("Alasan wajib diisi (minimal 5 karakter)."), details={"field": field}
        )
    return reason


def _set_handling_deadlines(aspiration: Aspiration, start: dt.datetime) -> tuple[str, ...]:
    """Deadlines start when the item reaches its agency (SP4N-LAPOR!: 5 / 14 / 60 days)."""
    category = aspiration.category
    if category.is_emergency:
        minutes = dt.timedelta(minutes=category.emergency_response_minutes)
        aspiration.response_due_at = start + minutes
        aspiration.resolution_due_at = start + 4 * minutes
    else:
        aspiration.response_due_at = working_days_deadline(start, category.response_working_days)
        if aspiration.kind == Kind.COMPLAINT:
            days = 60 if category.needs_investigation else category.resolution_working_days
        else:
            days = category.response_working_days
        aspiration.resolution_due_at = working_days_deadline(start, days)
    return ("response_due_at", "resolution_due_at")


def _route(
    aspiration: Aspiration, *, agency: Agency, actor: User, reason: str = "", reason_code: str = ""
) -> None:
    """Move to `agency`; count moves and flag ping-pong after the city's allowed moves."""
    previous = aspiration.agency
    first_routing = aspiration.disposition_count == 0
    current = aspiration.status
    aspiration.agency = agency
    aspiration.disposition_count += 1
    fields = ["agency", "disposition_count"]
    if first_routing:
        fields += _set_handling_deadlines(aspiration, timezone.now())
    moves = aspiration.disposition_count - 1
    city = get_city()
    allowed_moves = city.ping_pong_moves if city else 2
    became_ping_pong = not aspiration.is_ping_pong and moves >= allowed_moves
    if became_ping_pong:
        aspiration.is_ping_pong = True
        fields.append("is_ping_pong")
    transition(
        aspiration,
        to=Status.DISPOSITIONED,
        actor=actor,
        reason=reason,
        reason_code=reason_code,
        extra_fields=tuple(fields),
    )
    add_event(
        aspiration,
        kind=EventKind.DISPOSITION,
        actor=actor,
        reason=reason,
        reason_code=reason_code,
        from_status=current,
        to_status=Status.DISPOSITIONED,
        from_agency=None if first_routing else previous,
        to_agency=agency,
    )
    if became_ping_pong:
        add_event(
            aspiration,
            kind=EventKind.ESCALATION,
            actor=None,
            reason_code=reasons.PING_PONG,
            reason_params={"moves": moves},
            is_public=False,
        )
        _notify_roles(
            roles=(Role.OPERATOR,),
            subject=_("Ping-pong: %(code)s") % {"code": aspiration.code},
            body=_("Laporan %(code)s sudah berpindah OPD %(moves)d kali; tetapkan OPD akhir.")
            % {"code": aspiration.code, "moves": moves},
        )


def _notify_roles(
    *, roles: Sequence[str], subject: str, body: str, agency_id: int | None = None
) -> None:
    staff = User.objects.filter(role__in=roles, is_active=True)
    if agency_id is not None:
        staff = staff.filter(agency_id=agency_id)
    for member in staff[:50]:
        notify_user(user=member, subject=subject, body=body)


@transaction.atomic
def verify_aspiration(
    *, actor: User, aspiration: Aspiration, agency: Agency | None = None, privacy: str | None = None
) -> Aspiration:
    """Verify and route to the category's agency (or `agency`). The verifier may tighten
    privacy (e.g. to rahasia when the report names third parties), never loosen it."""
    aspiration = lock(aspiration)
    if agency is not None:
        require_city_wide(actor)
    else:
        require_actor(actor, aspiration)
    fields: tuple[str, ...] = ()
    if privacy and privacy != aspiration.privacy:
        if privacy == Privacy.PUBLIC or aspiration.privacy == Privacy.ANONYMOUS:
            raise ValidationFailed(
                _("Mode privasi hanya dapat diperketat."), details={"field": "privacy"}
            )
        aspiration.privacy = privacy
        fields = ("privacy",)
    transition(aspiration, to=Status.VERIFIED, actor=actor, extra_fields=fields)
    _route(
        aspiration,
        agency=agency or aspiration.category.agency,
        actor=actor,
        reason_code=reasons.ROUTED,
    )
    _notify_area_subscribers(aspiration)
    return aspiration


@transaction.atomic
def reject_aspiration(*, actor: User, aspiration: Aspiration, reason: str) -> Aspiration:
    reason = _require_reason(reason)
    aspiration = lock(aspiration)
    require_actor(actor, aspiration)
    aspiration.closed_at = timezone.now()
    transition(
        aspiration, to=Status.REJECTED, actor=actor, reason=reason, extra_fields=("closed_at",)
    )
    return aspiration


@transaction.atomic
def redisposition_aspiration(
    *, actor: User, aspiration: Aspiration, agency: Agency, reason: str
) -> Aspiration:
    """Send the item to another agency. Officers may hand their own items on; after the
    control room assigns an item for good only the control room may move it."""
    reason = _require_reason(reason)
    aspiration = lock(aspiration)
    require_actor(actor, aspiration)
    if aspiration.assigned_for_good and not can_move_assigned(actor):
        raise PermissionDenied(_("Laporan ini sudah ditetapkan ruang kendali."))
    if agency.pk == aspiration.agency_id:
        raise ValidationFailed(_("Pilih OPD yang berbeda."), details={"field": "agency"})
    if not agency.is_active:
        raise ValidationFailed(_("OPD tidak aktif."), details={"field": "agency"})
    _route(aspiration, agency=agency, actor=actor, reason=reason)
    return aspiration


@transaction.atomic
def assign_for_good(
    *, actor: User, aspiration: Aspiration, agency: Agency, reason: str
) -> Aspiration:
    """Control room settles a ping-pong item: one final agency, no more hand-offs."""
    reason = _require_reason(reason)
    require_city_wide(actor)
    aspiration = lock(aspiration)
    if aspiration.status not in OPEN_STATUSES:
        raise InvalidTransition(details={"from": aspiration.status, "to": "assigned"})
    aspiration.assigned_for_good = True
    aspiration.save(update_fields=["assigned_for_good"])
    if agency.pk != aspiration.agency_id:
        _route(aspiration, agency=agency, actor=actor, reason=reason)
    else:
        add_event(
            aspiration,
            kind=EventKind.DISPOSITION,
            actor=actor,
            reason=reason,
            to_agency=agency,
            is_public=False,
        )
    return aspiration


def _mark_first_response(aspiration: Aspiration) -> tuple[str, ...]:
    if aspiration.first_response_at is None:
        aspiration.first_response_at = timezone.now()
        return ("first_response_at",)
    return ()


@transaction.atomic
def start_progress(*, actor: User, aspiration: Aspiration, note: str = "") -> Aspiration:
    aspiration = lock(aspiration)
    require_actor(actor, aspiration)
    fields = _mark_first_response(aspiration)
    transition(
        aspiration, to=Status.IN_PROGRESS, actor=actor, reason=note.strip(), extra_fields=fields
    )
    return aspiration


@transaction.atomic
def answer_aspiration(*, actor: User, aspiration: Aspiration, answer: str) -> Aspiration:
    """A public reply without a status change (e.g. to a question); counts as first response."""
    answer = _require_reason(answer, "answer")
    aspiration = lock(aspiration)
    require_actor(actor, aspiration)
    if aspiration.status not in OPEN_STATUSES - {Status.SUBMITTED}:
        raise InvalidTransition(details={"from": aspiration.status, "to": "answer"})
    fields = _mark_first_response(aspiration)
    aspiration.updated_at = timezone.now()
    aspiration.save(update_fields=["updated_at", *fields])
    add_event(aspiration, kind=EventKind.ANSWER, actor=actor, reason=answer)
    notify_status_change(aspiration)
    return aspiration


@transaction.atomic
def place_aspiration(*, actor: User, aspiration: Aspiration, location: Location) -> Aspiration:
    """Set or correct where an item is (e.g. a WhatsApp report that came without a point);
    the kelurahan follows the point and the change is in the trail."""
    aspiration = lock(aspiration)
    require_actor(actor, aspiration)
    if aspiration.status not in OPEN_STATUSES:
        raise InvalidTransition(details={"from": aspiration.status, "to": "placed"})
    kelurahan = validate_location(location, required=True)
    aspiration.latitude = location.latitude
    aspiration.longitude = location.longitude
    aspiration.address = location.address.strip()[:300] or aspiration.address
    aspiration.kelurahan = kelurahan
    aspiration.updated_at = timezone.now()
    aspiration.save(
        update_fields=[
            "latitude",
            "longitude",
            "address",
            "kelurahan",
            "updated_at",
            *refresh_public_copies(aspiration),
        ]
    )
    add_event(
        aspiration,
        kind=EventKind.NOTE,
        actor=actor,
        is_public=False,
        reason_code=reasons.PLACED,
        reason_params={"kelurahan": kelurahan.name if kelurahan else ""},
    )
    return aspiration


@transaction.atomic
def add_internal_note(*, actor: User, aspiration: Aspiration, note: str) -> Aspiration:
    note = _require_reason(note, "note")
    aspiration = lock(aspiration)
    require_actor(actor, aspiration)
    add_event(aspiration, kind=EventKind.NOTE, actor=actor, reason=note, is_public=False)
    return aspiration


def resolve_aspiration(
    *,
    actor: User,
    aspiration: Aspiration,
    answer: str,
    before_photos: Sequence[object] = (),
    after_photos: Sequence[object] = (),
) -> Aspiration:
    """Public answer with before/after evidence. Photos are validated before any write."""
    answer = _require_reason(answer, "answer")
    before = validate_photos(before_photos)
    after = validate_photos(after_photos)
    saved = []
    try:
        with transaction.atomic():
            aspiration = lock(aspiration)
            require_actor(actor, aspiration)
            now = timezone.now()
            aspiration.resolved_at = now
            aspiration.public_answer = answer
            fields = ("resolved_at", "public_answer", *_mark_first_response(aspiration))
            event = transition(
                aspiration, to=Status.RESOLVED, actor=actor, reason=answer, extra_fields=fields
            )
            saved += save_photos(aspiration, before, kind=PhotoKind.BEFORE, event=event)
            saved += save_photos(aspiration, after, kind=PhotoKind.AFTER, event=event)
    except Exception:
        for photo in saved:
            photo.image.delete(save=False)
        raise
    if aspiration.category.requires_resolution_check:
        transaction.on_commit(
            lambda: _notify_roles(
                roles=(Role.AGENCY_HEAD,),
                agency_id=aspiration.agency_id,
                subject=_("Periksa penyelesaian %(code)s") % {"code": aspiration.code},
                body=_("Penyelesaian laporan %(code)s menunggu pemeriksaan.")
                % {"code": aspiration.code},
            )
        )
    return aspiration


def needs_check(aspiration: Aspiration) -> bool:
    category = aspiration.category
    return category.requires_resolution_check and aspiration.resolution_checked_at is None


@transaction.atomic
def check_resolution(
    *, actor: User, aspiration: Aspiration, approve: bool, reason: str = ""
) -> Aspiration:
    """Control room or agency head accepts a resolution, or sends a poor one back."""
    aspiration = lock(aspiration)
    if not can_check_resolution(actor, aspiration):
        raise PermissionDenied()
    if aspiration.status != Status.RESOLVED:
        raise InvalidTransition(details={"from": aspiration.status, "to": "checked"})
    if approve:
        aspiration.resolution_checked_at = timezone.now()
        aspiration.save(update_fields=["resolution_checked_at"])
        add_event(
            aspiration,
            kind=EventKind.NOTE,
            actor=actor,
            is_public=True,
            reason=reason.strip(),
            reason_code="" if reason.strip() else reasons.RESOLUTION_ACCEPTED,
        )
        return aspiration
    reason = _require_reason(reason)
    aspiration.resolved_at = None
    transition(
        aspiration, to=Status.IN_PROGRESS, actor=actor, reason=reason, extra_fields=("resolved_at",)
    )
    return aspiration


def _close(aspiration: Aspiration, *, actor: User | None, reason_code: str) -> None:
    aspiration.closed_at = timezone.now()
    transition(
        aspiration,
        to=Status.CLOSED,
        actor=actor,
        reason_code=reason_code,
        extra_fields=("closed_at",),
    )


def _require_reporter(actor: User | None, aspiration: Aspiration) -> User:
    if not actor or not actor.is_authenticated or aspiration.reporter_id != actor.pk:
        raise PermissionDenied(_("Hanya pelapor yang dapat melakukan ini."))
    return actor


@transaction.atomic
def rate_aspiration(
    *, actor: User, aspiration: Aspiration, rating: int, comment: str = ""
) -> Aspiration:
    """The reporter rates 1-5; a rating closes a resolved (and, where required, checked) item."""
    aspiration = lock(aspiration)
    _require_reporter(actor, aspiration)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed(_("Nilai 1 sampai 5."), details={"field": "rating"})
    if aspiration.status != Status.RESOLVED:
        raise InvalidTransition(details={"from": aspiration.status, "to": "rated"})
    if needs_check(aspiration):
        raise InvalidTransition(
            _("Penyelesaian masih menunggu pemeriksaan."),
            details={"from": aspiration.status, "to": "rated", "reason": "awaiting_check"},
        )
    aspiration.rating = rating
    aspiration.rating_comment = comment.strip()[:2000]
    aspiration.save(update_fields=["rating", "rating_comment"])
    add_event(
        aspiration,
        kind=EventKind.RATING,
        actor=actor,
        reason=f"{rating}/5" + (f": {aspiration.rating_comment}" if comment else ""),
    )
    _close(aspiration, actor=actor, reason_code=reasons.CLOSED_AFTER_RATING)
    return aspiration


@transaction.atomic
def reopen_aspiration(*, actor: User, aspiration: Aspiration, reason: str) -> Aspiration:
    reason = _require_reason(reason)
    aspiration = lock(aspiration)
    _require_reporter(actor, aspiration)
    if aspiration.status not in (Status.RESOLVED, Status.CLOSED):
        raise InvalidTransition(details={"from": aspiration.status, "to": Status.IN_PROGRESS})
    deadline = reopen_deadline(aspiration)
    if deadline is not None and timezone.now() > deadline:
        raise InvalidTransition(
            _("Batas waktu membuka kembali laporan sudah lewat."),
            details={
                "from": aspiration.status,
                "to": Status.IN_PROGRESS,
                "reason": "reopen_window_passed",
            },
        )
    aspiration.reopen_count += 1
    aspiration.rating = None
    aspiration.resolved_at = None
    aspiration.closed_at = None
    aspiration.resolution_checked_at = None
    transition(
        aspiration,
        to=Status.IN_PROGRESS,
        actor=actor,
        reason=reason,
        extra_fields=(
            "reopen_count",
            "rating",
            "resolved_at",
            "closed_at",
            "resolution_checked_at",
        ),
    )
    return aspiration


@transaction.atomic
def auto_close_aspiration(*, aspiration: Aspiration) -> bool:
    aspiration = lock(aspiration)
    if aspiration.status != Status.RESOLVED or needs_check(aspiration):
        return False
    _close(aspiration, actor=None, reason_code=reasons.AUTO_CLOSED)
    return True


@transaction.atomic
def merge_aspirations(
    *, actor: User, duplicate: Aspiration, into: Aspiration, reason: str = ""
) -> Aspiration:
    """Fold a duplicate into the main item; its followers and reporter follow the main one."""
    from ..models import Follow

    if duplicate.pk == into.pk:
        raise ValidationFailed(_("Tidak dapat menggabung laporan dengan dirinya sendiri."))
    first, second = sorted([duplicate.pk, into.pk])
    locked = {pk: lock(pk) for pk in (first, second)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    require_actor(actor, duplicate)
    require_actor(actor, into)
    if into.status in (Status.MERGED, Status.REJECTED):
        raise InvalidTransition(details={"from": into.status, "to": "merge_target"})
    reason = reason.strip()
    duplicate.merged_into = into
    duplicate.closed_at = timezone.now()
    watchers = set(duplicate.follows.values_list("user_id", flat=True))
    if duplicate.reporter_id and duplicate.privacy != Privacy.ANONYMOUS:
        watchers.add(duplicate.reporter_id)
    transition(
        duplicate,
        to=Status.MERGED,
        actor=actor,
        reason=reason,
        reason_code="" if reason else reasons.MERGED_INTO,
        reason_params=None if reason else {"code": into.code},
        extra_fields=("merged_into", "closed_at"),
    )
    for user_id in watchers:
        Follow.objects.get_or_create(aspiration=into, user_id=user_id)
    add_event(
        into,
        kind=EventKind.NOTE,
        actor=actor,
        is_public=True,
        reason_code=reasons.MERGED_HERE,
        reason_params={"code": duplicate.code},
    )
    return into


BULK_ACTIONS = {"verify", "start", "reject", "note"}


def bulk_action(
    *, actor: User, aspirations: Sequence[Aspiration], action: str, reason: str = ""
) -> dict[str, list[str]]:
    """Apply one action to many items; each item is its own transaction and reports back."""
    if action not in BULK_ACTIONS:
        raise ValidationFailed(_("Aksi massal tidak dikenal."), details={"field": "action"})
    done: list[str] = []
    failed: list[str] = []
    for aspiration in aspirations:
        try:
            if action == "verify":
                verify_aspiration(actor=actor, aspiration=aspiration)
            elif action == "start":
                start_progress(actor=actor, aspiration=aspiration, note=reason)
            elif action == "reject":
                reject_aspiration(actor=actor, aspiration=aspiration, reason=reason)
            else:
                add_internal_note(actor=actor, aspiration=aspiration, note=reason)
            done.append(aspiration.code)
        except (InvalidTransition, PermissionDenied, ValidationFailed):
            failed.append(aspiration.code)
    return {"done": done, "failed": failed}


def _notify_area_subscribers(aspiration: Aspiration) -> None:
    """New public items reach people subscribed to the kelurahan once verified."""
    area = aspiration.kelurahan
    if area is None or aspiration.privacy == Privacy.CONFIDENTIAL:
        return
    subject = _("Laporan baru di %(area)s") % {"area": area.name}
    body = f"{aspiration.code}: {aspiration.public_title}"
    subscriptions = AreaSubscription.objects.filter(area_id=aspiration.kelurahan_id)
    for subscription in subscriptions.select_related("user"):
        notify_user(user=subscription.user, subject=subject, body=body)
