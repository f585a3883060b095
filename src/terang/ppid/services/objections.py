"""Objections (keberatan, UU 14/2008 Pasal 35-37): filed with the atasan PPID within 30 working
days of the grounds arising, answered within 30 working days, and the dispute (sengketa) the
requester may then take to the Komisi Informasi within 14 working days."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terang.core.calendar import city_timezone
from terang.core.errors import Conflict, PermissionDenied, ValidationFailed
from terang.core.models import User
from terang.core.workflow import ensure_transition, transition

from .. import deadlines
from ..choices import EventKind, ObjectionGround, ObjectionOutcome, ObjectionStatus, RequestStatus
from ..models import InformationRequest, Objection
from ..permissions import (
    is_ppid_staff,
    is_requester,
    is_superior,
    require_superior,
)
from ..workflow import OBJECTION_TRANSITIONS
from ._common import (
    OBJECTION_REGISTER,
    add_event,
    city_year,
    lock_objection,
    lock_request,
    next_number,
    notify_desk,
    notify_requester,
)

MIN_STATEMENT = 10


def objection_window(
    request: InformationRequest, now: dt.datetime
) -> tuple[dt.datetime, dt.datetime] | None:
    """(start, filing deadline) of the objection window, or None while it has not opened.

    The grounds arise with the written answer, or when the answer deadline lapses without one
    (Pasal 35(1) c and g). A withdrawn request has nothing to object to."""
    if request.status == RequestStatus.WITHDRAWN:
        return None
    if request.answered_at is not None:
        start = request.answered_at
    elif request.due_at < now:
        start = request.due_at
    else:
        return None
    return start, deadlines.objection_filing_deadline(start)


@transaction.atomic
def file_objection(
    *,
    actor: User,
    request: InformationRequest,
    grounds: list[str],
    statement: str,
    at: dt.datetime | None = None,
) -> Objection:
    """The requester files a keberatan (PPID staff may type in one received on paper)."""
    if not (is_requester(actor, request) or is_ppid_staff(actor)):
        raise PermissionDenied()
    at = at or timezone.now()
    request = lock_request(request)
    if Objection.objects.filter(request=request).exists():
        raise Conflict(
            _("Keberatan atas permohonan ini sudah diajukan."),
            details={"reason": "objection_exists"},
        )
    window = objection_window(request, at)
    if window is None:
        raise ValidationFailed(
            _("Keberatan dapat diajukan setelah PPID menjawab atau batas waktu jawaban lewat."),
            details={"reason": "objection_too_early"},
        )
    start, filing_deadline = window
    if at > filing_deadline:
        raise ValidationFailed(
            _("Batas 30 hari kerja untuk mengajukan keberatan sudah lewat."),
            details={"reason": "objection_too_late", "deadline": filing_deadline.isoformat()},
        )
    chosen = sorted(set(grounds or []))
    statement = (statement or "").strip()
    errors = {}
    if not chosen or any(code not in ObjectionGround.values for code in chosen):
        errors["grounds"] = _("Pilih sekurangnya satu alasan keberatan (Pasal 35).")
    if len(statement) < MIN_STATEMENT:
        errors["statement"] = _("Uraikan alasan keberatan Anda.")
    if errors:
        raise ValidationFailed(details={"fields": errors})
    _sequence, number = next_number(OBJECTION_REGISTER, city_year(at))
    objection = Objection.objects.create(
        register_number=number,
        request=request,
        grounds=chosen,
        statement=statement,
        status=ObjectionStatus.FILED,
        filed_by=actor,
        filed_at=at,
        filing_deadline=filing_deadline,
        due_at=deadlines.objection_due(at),
        updated_at=at,
    )
    add_event(
        request,
        kind=EventKind.OBJECTION,
        actor=actor,
        at=at,
        note=statement,
        to_status=ObjectionStatus.FILED,
        objection=objection,
        payload={
            "grounds": chosen,
            "request": request.register_number,
            "due_at": objection.due_at.isoformat(),
        },
    )
    notify_desk(
        subject=_("Keberatan baru %(number)s") % {"number": number},
        body=_("Keberatan %(number)s atas permohonan %(request)s menunggu tanggapan atasan PPID.")
        % {"number": number, "request": request.register_number},
        superior=True,
    )
    return objection


def _move(
    objection: Objection,
    *,
    to: str,
    actor: User | None,
    at: dt.datetime,
    note: str = "",
    kind: str = EventKind.OBJECTION,
    fields: tuple[str, ...] = (),
    payload: dict[str, object] | None = None,
) -> Objection:
    current = transition(objection, OBJECTION_TRANSITIONS, to, at=at, extra_fields=fields)
    add_event(
        objection.request,
        kind=kind,
        actor=actor,
        at=at,
        note=note,
        from_status=current,
        to_status=to,
        objection=objection,
        payload=payload,
    )
    return objection


@transaction.atomic
def answer_objection(
    *,
    actor: User,
    objection: Objection,
    outcome: str,
    text: str,
    at: dt.datetime | None = None,
) -> Objection:
    """The atasan PPID's written answer (Pasal 36(2)); it opens the 14 working days in which the
    requester may go to the Komisi Informasi."""
    require_superior(actor)
    at = at or timezone.now()
    objection = lock_objection(objection)
    ensure_transition(OBJECTION_TRANSITIONS, objection.status, ObjectionStatus.ANSWERED)
    text = (text or "").strip()
    errors = {}
    if outcome not in ObjectionOutcome.values:
        errors["outcome"] = _("Pilih putusan atas keberatan.")
    if len(text) < MIN_STATEMENT:
        errors["text"] = _("Tulis tanggapan atasan PPID.")
    if errors:
        raise ValidationFailed(details={"fields": errors})
    objection.outcome = outcome
    objection.answer_text = text
    objection.answered_by = actor
    objection.answered_at = at
    objection.answered_late = at > objection.due_at
    objection.dispute_deadline = deadlines.dispute_filing_deadline(at)
    _move(
        objection,
        to=ObjectionStatus.ANSWERED,
        actor=actor,
        at=at,
        note=text,
        fields=(
            "outcome",
            "answer_text",
            "answered_by",
            "answered_at",
            "answered_late",
            "dispute_deadline",
        ),
        payload={"outcome": outcome, "late": objection.answered_late},
    )
    notify_requester(objection.request, lambda request: _answer_notice(objection))
    return objection


def _answer_notice(objection: Objection) -> tuple[str, str]:
    values = {"number": objection.register_number, "outcome": objection.get_outcome_display()}
    return (
        _("Tanggapan atas keberatan %(number)s") % values,
        _(
            "Atasan PPID telah menanggapi keberatan %(number)s: %(outcome)s. Bila tidak puas, "
            "Anda dapat mengajukan sengketa ke Komisi Informasi dalam 14 hari kerja."
        )
        % values,
    )


@transaction.atomic
def record_dispute(
    *,
    actor: User,
    objection: Objection,
    reference: str,
    filed_on: dt.date,
    note: str = "",
    at: dt.datetime | None = None,
) -> Objection:
    """Record that the requester took the matter to the Komisi Informasi (sengketa informasi).

    The Komisi decides whether the petition came in time (Pasal 37(2): 14 working days after the
    atasan's answer, or after its deadline lapsed unanswered); this record keeps the deadline
    beside the date so the dispute record shows it."""
    if not (is_ppid_staff(actor) or is_superior(actor)):
        raise PermissionDenied()
    at = at or timezone.now()
    objection = lock_objection(objection)
    if objection.status == ObjectionStatus.FILED and objection.due_at >= at:
        raise ValidationFailed(
            _("Keberatan masih dalam masa tanggapan atasan PPID."),
            details={"reason": "objection_pending"},
        )
    ensure_transition(OBJECTION_TRANSITIONS, objection.status, ObjectionStatus.DISPUTED)
    reference = " ".join((reference or "").split())
    errors = {}
    if len(reference) < 3:
        errors["reference"] = _("Tulis nomor register sengketa di Komisi Informasi.")
    if filed_on is None or filed_on > timezone.localtime(at, city_timezone()).date():
        errors["filed_on"] = _("Tanggal pengajuan sengketa tidak valid.")
    if errors:
        raise ValidationFailed(details={"fields": errors})
    if objection.dispute_deadline is None:
        objection.dispute_deadline = deadlines.dispute_filing_deadline(objection.due_at)
    objection.dispute_reference = reference
    objection.dispute_filed_on = filed_on
    objection.dispute_recorded_at = at
    objection.dispute_note = (note or "").strip()
    _move(
        objection,
        to=ObjectionStatus.DISPUTED,
        actor=actor,
        at=at,
        note=objection.dispute_note or reference,
        kind=EventKind.DISPUTE,
        fields=(
            "dispute_reference",
            "dispute_filed_on",
            "dispute_recorded_at",
            "dispute_note",
            "dispute_deadline",
        ),
        payload={"reference": reference, "filed_on": filed_on.isoformat()},
    )
    return objection


@transaction.atomic
def withdraw_objection(
    *, actor: User, objection: Objection, reason: str = "", at: dt.datetime | None = None
) -> Objection:
    if not (is_requester(actor, objection.request) or is_ppid_staff(actor)):
        raise PermissionDenied()
    at = at or timezone.now()
    objection = lock_objection(objection)
    objection.withdrawn_at = at
    return _move(
        objection,
        to=ObjectionStatus.WITHDRAWN,
        actor=actor,
        at=at,
        note=(reason or "").strip(),
        fields=("withdrawn_at",),
    )
