"""Every write of the 112 desk: receive a call, dispatch units, report them on scene, close or
cancel. Each service runs in one transaction under the incident's row lock, appends an event row
(the timeline and the wall feed) and an audit entry, and raises a domain error with nothing saved
when the step is not allowed.

`now` exists for the demo seed and tests that need a fixed clock; adapters never pass it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.crypto import digest, encrypt
from terang.core.errors import Conflict, PermissionDenied, ValidationFailed
from terang.core.geo import Location, validate_location
from terang.core.models import AdministrativeArea, User
from terang.core.selectors import get_city
from terang.core.workflow import ensure_transition

from . import permissions
from .choices import DEFAULT_TARGETS, EventKind, IncidentStatus, IncidentType
from .models import (
    Dispatch,
    Incident,
    IncidentEvent,
    ReferenceCounter,
    ResponseTarget,
    ResponseUnit,
)
from .workflow import TRANSITIONS

MAX_DESCRIPTION = 4000
MAX_NOTE = 2000


class UnitBusy(Conflict):
    code = "unit_busy"
    default_message = _("Unit sedang menangani kejadian lain.")


class UnitUnavailable(Conflict):
    code = "unit_unavailable"
    default_message = _("Unit sedang tidak siap operasi.")


def city_zone() -> ZoneInfo:
    city = get_city()
    return ZoneInfo(city.timezone if city else settings.TIME_ZONE)


def _clock(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def normalize_caller_phone(value: str) -> str:
    """An Indonesian mobile or landline number in E.164 (+62...); ValidationFailed otherwise.
    Landlines count here (unlike account phones): many 112 calls come from fixed lines."""
    digits = re.sub(r"[\s().-]", "", value or "")
    if digits.startswith("+62"):
        digits = digits[3:]
    elif digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    else:
        digits = ""
    if not digits.isdigit() or not 7 <= len(digits) <= 12 or digits.startswith("0"):
        raise ValidationFailed(
            _("Nomor telepon penelepon tidak valid."), details={"field": "caller_phone"}
        )
    return "+62" + digits


def _place(location: Location) -> AdministrativeArea | None:
    """Check the location (a point, an address, or both) and find its kelurahan."""
    return validate_location(
        location,
        required=True,
        missing_message=_("Lokasi wajib diisi: titik koordinat atau alamat/patokan."),
        outside_message=_(
            "Lokasi berada di luar wilayah kota; teruskan panggilan ke 112 daerah tetangga."
        ),
    )


def response_target(incident_type: str) -> tuple[int, int]:
    """(dispatch minutes, arrival minutes) for a type: the city's row, else the default."""
    row = ResponseTarget.objects.filter(incident_type=incident_type).first()
    if row is not None:
        return row.dispatch_minutes, row.arrival_minutes
    return DEFAULT_TARGETS[incident_type]


def _next_reference(at: dt.datetime) -> str:
    """112-<year>-<6 digits>, numbered per city-local year under the counter row's lock."""
    year = at.astimezone(city_zone()).year
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"112-{year}-{counter.last_number:06d}"


def _payload(incident: Incident, **extra: Any) -> dict[str, Any]:
    """What the audit chain keeps: never the caller's name or number."""
    return {
        "reference": incident.reference,
        "type": incident.incident_type,
        "status": incident.status,
        **extra,
    }


def _event(
    incident: Incident,
    kind: str,
    *,
    at: dt.datetime,
    actor: User | None,
    from_status: str = "",
    unit: ResponseUnit | None = None,
    note: str = "",
) -> IncidentEvent:
    return IncidentEvent.objects.create(
        incident=incident,
        kind=kind,
        at=at,
        actor=actor,
        unit=unit,
        from_status=from_status,
        to_status=incident.status if from_status != incident.status else "",
        note=note,
    )


def _ensure_call_taker(actor: User) -> None:
    if not permissions.is_call_taker(actor):
        raise PermissionDenied(_("Hanya petugas penerima panggilan 112 yang dapat melakukan ini."))


def _required_text(value: str, *, field: str, limit: int, message: Any) -> str:
    text = (value or "").strip()
    if len(text) < 3:
        raise ValidationFailed(message, details={"field": field, "reason": "required"})
    if len(text) > limit:
        raise ValidationFailed(
            _("Teks terlalu panjang."), details={"field": field, "reason": "too_long"}
        )
    return text


def receive_call(
    *,
    actor: User,
    incident_type: str,
    description: str,
    location: Location,
    caller_name: str = "",
    caller_phone: str = "",
    now: dt.datetime | None = None,
) -> Incident:
    """A call-taker records an incoming 112 call; its dispatch and arrival targets start now."""
    _ensure_call_taker(actor)
    if incident_type not in IncidentType.values:
        raise ValidationFailed(
            _("Jenis kejadian tidak dikenal."), details={"field": "incident_type"}
        )
    text = _required_text(
        description,
        field="description",
        limit=MAX_DESCRIPTION,
        message=_("Uraian kejadian wajib diisi."),
    )
    name = (caller_name or "").strip()
    if len(name) > 150:
        raise ValidationFailed(_("Nama terlalu panjang."), details={"field": "caller_name"})
    phone = normalize_caller_phone(caller_phone) if (caller_phone or "").strip() else ""
    kelurahan = _place(location)
    at = _clock(now)
    dispatch_minutes, arrival_minutes = response_target(incident_type)
    with transaction.atomic():
        incident = Incident.objects.create(
            reference=_next_reference(at),
            incident_type=incident_type,
            status=IncidentStatus.RECEIVED,
            caller_name=name,
            caller_phone_encrypted=encrypt(phone),
            caller_phone_digest=digest(phone) if phone else "",
            latitude=location.latitude,
            longitude=location.longitude,
            address=location.address.strip()[:300],
            kelurahan=kelurahan,
            description=text,
            received_at=at,
            dispatch_due_at=at + dt.timedelta(minutes=dispatch_minutes),
            arrival_due_at=at + dt.timedelta(minutes=arrival_minutes),
            created_by=actor,
        )
        _event(incident, EventKind.RECEIVED, at=at, actor=actor)
        record_audit(
            actor=actor,
            action="emergency.received",
            subject=incident,
            payload=_payload(
                incident,
                kelurahan=kelurahan.code if kelurahan else None,
                dispatch_minutes=dispatch_minutes,
                arrival_minutes=arrival_minutes,
                has_caller_phone=bool(phone),
            ),
        )
    return incident


def _lock(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _release_units(incident: Incident, at: dt.datetime) -> list[str]:
    active = Dispatch.objects.filter(incident=incident, released_at__isnull=True)
    codes = list(active.values_list("unit__code", flat=True))
    active.update(released_at=at)
    return codes


def dispatch_units(
    *,
    actor: User,
    incident: Incident,
    units: Sequence[ResponseUnit],
    now: dt.datetime | None = None,
) -> Incident:
    """Send one or more units. The first dispatch moves the incident to `dispatched`; later ones
    reinforce it. A unit that is out of service or busy elsewhere is refused, and then none of
    the units in the request is sent."""
    _ensure_call_taker(actor)
    if not units:
        raise ValidationFailed(_("Pilih minimal satu unit."), details={"field": "units"})
    at = _clock(now)
    with transaction.atomic():
        locked = _lock(incident)
        before = locked.status
        if before not in (IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE):
            ensure_transition(TRANSITIONS, before, IncidentStatus.DISPATCHED)
        ids = sorted({unit.pk for unit in units})
        chosen = list(ResponseUnit.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        unavailable = [unit.code for unit in chosen if not unit.is_available]
        if unavailable:
            raise UnitUnavailable(details={"field": "units", "units": unavailable})
        busy = list(
            Dispatch.objects.filter(unit_id__in=ids, released_at__isnull=True)
            .select_related("unit", "incident")
            .order_by("unit__code")
        )
        if busy:
            raise UnitBusy(
                _("Unit %(units)s sedang menangani kejadian lain.")
                % {"units": ", ".join(d.unit.code for d in busy)},
                details={
                    "field": "units",
                    "units": [d.unit.code for d in busy],
                    "incidents": [d.incident.reference for d in busy],
                },
            )
        try:
            with transaction.atomic():
                Dispatch.objects.bulk_create(
                    [
                        Dispatch(incident=locked, unit=unit, dispatched_at=at, dispatched_by=actor)
                        for unit in chosen
                    ]
                )
        except IntegrityError as exc:  # another call-taker sent one of them a moment ago
            raise UnitBusy(details={"field": "units"}) from exc
        if before == IncidentStatus.RECEIVED:
            locked.status = IncidentStatus.DISPATCHED
            locked.dispatched_at = at
            locked.save(update_fields=["status", "dispatched_at", "updated_at"])
        for unit in chosen:
            _event(locked, EventKind.DISPATCHED, at=at, actor=actor, from_status=before, unit=unit)
        record_audit(
            actor=actor,
            action="emergency.dispatched",
            subject=locked,
            payload=_payload(locked, units=[unit.code for unit in chosen]),
        )
    return locked


def mark_on_scene(
    *,
    actor: User,
    incident: Incident,
    unit: ResponseUnit | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """Report a dispatched unit at the scene (without `unit`: every pending unit the actor
    answers for). The first arrival moves the incident to `on_scene` and stops its arrival
    clock."""
    at = _clock(now)
    with transaction.atomic():
        locked = _lock(incident)
        before = locked.status
        if before not in (IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE):
            ensure_transition(TRANSITIONS, before, IncidentStatus.ON_SCENE)
        active = list(
            Dispatch.objects.select_for_update()
            .filter(incident=locked, released_at__isnull=True)
            .select_related("unit")
            .order_by("pk")
        )
        if unit is not None:
            active = [d for d in active if d.unit_id == unit.pk]
            if not active:
                raise ValidationFailed(
                    _("Unit ini tidak dikerahkan ke kejadian ini."),
                    details={"field": "unit", "reason": "unit_not_dispatched"},
                )
        mine = [d for d in active if permissions.can_act_for_dispatch(actor, d)]
        if not mine:
            raise PermissionDenied(
                _("Hanya petugas dari unit yang dikerahkan yang dapat melaporkan tiba.")
            )
        pending = [d for d in mine if d.arrived_at is None]
        if not pending:
            raise ValidationFailed(
                _("Unit sudah tercatat tiba di lokasi."),
                details={"field": "unit", "reason": "already_on_scene"},
            )
        Dispatch.objects.filter(pk__in=[d.pk for d in pending]).update(arrived_at=at)
        if before == IncidentStatus.DISPATCHED:
            locked.status = IncidentStatus.ON_SCENE
            locked.on_scene_at = at
            locked.save(update_fields=["status", "on_scene_at", "updated_at"])
        for dispatch in pending:
            _event(
                locked,
                EventKind.UNIT_ON_SCENE,
                at=at,
                actor=actor,
                from_status=before,
                unit=dispatch.unit,
            )
        record_audit(
            actor=actor,
            action="emergency.on_scene",
            subject=locked,
            payload=_payload(locked, units=[d.unit.code for d in pending]),
        )
    return locked


def close_incident(
    *, actor: User, incident: Incident, note: str, now: dt.datetime | None = None
) -> Incident:
    """End the handling of an incident whose units are on scene, with an outcome note; the units
    become free for other incidents."""
    if not permissions.can_close(actor, incident):
        raise PermissionDenied(
            _("Hanya penerima panggilan atau petugas unit yang dikerahkan yang dapat menutup.")
        )
    text = _required_text(
        note, field="note", limit=MAX_NOTE, message=_("Catatan hasil penanganan wajib diisi.")
    )
    at = _clock(now)
    with transaction.atomic():
        locked = _lock(incident)
        before = locked.status
        ensure_transition(TRANSITIONS, before, IncidentStatus.CLOSED)
        released = _release_units(locked, at)
        locked.status = IncidentStatus.CLOSED
        locked.closed_at = at
        locked.closed_by = actor
        locked.closing_note = text
        locked.save(
            update_fields=["status", "closed_at", "closed_by", "closing_note", "updated_at"]
        )
        _event(locked, EventKind.CLOSED, at=at, actor=actor, from_status=before, note=text)
        record_audit(
            actor=actor,
            action="emergency.closed",
            subject=locked,
            payload=_payload(locked, note=text, released_units=released),
        )
    return locked


def cancel_incident(
    *,
    actor: User,
    incident: Incident,
    reason: str,
    false_call: bool = False,
    now: dt.datetime | None = None,
) -> Incident:
    """A call-taker withdraws an incident (caller withdrew, duplicate of another call) or marks
    it a false call; any units sent become free."""
    _ensure_call_taker(actor)
    text = _required_text(
        reason, field="reason", limit=MAX_NOTE, message=_("Alasan pembatalan wajib diisi.")
    )
    target = IncidentStatus.FALSE_CALL if false_call else IncidentStatus.CANCELLED
    at = _clock(now)
    with transaction.atomic():
        locked = _lock(incident)
        before = locked.status
        ensure_transition(TRANSITIONS, before, target)
        released = _release_units(locked, at)
        locked.status = target
        locked.closed_at = at
        locked.closed_by = actor
        locked.closing_note = text
        locked.save(
            update_fields=["status", "closed_at", "closed_by", "closing_note", "updated_at"]
        )
        kind = EventKind.FALSE_CALL if false_call else EventKind.CANCELLED
        _event(locked, kind, at=at, actor=actor, from_status=before, note=text)
        record_audit(
            actor=actor,
            action="emergency.false_call" if false_call else "emergency.cancelled",
            subject=locked,
            payload=_payload(locked, reason=text, released_units=released),
        )
    return locked
