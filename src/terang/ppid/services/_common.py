"""Shared steps of every PPID write: row locks, register numbers, the event row with its audit
entry, stored files and notices."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from terang.core.audit import record_audit
from terang.core.calendar import city_timezone
from terang.core.choices import Role
from terang.core.models import User
from terang.core.notifications import notify_user

from ..choices import FileKind
from ..documents import Upload
from ..models import InformationRequest, Objection, RegisterCounter, RequestEvent, RequestFile
from ..permissions import ppid_settings

REQUEST_REGISTER = "PPID"
OBJECTION_REGISTER = "KEB"


def lock_request(request: InformationRequest | int) -> InformationRequest:
    """Re-read the row under a lock: steps on one request are serialised."""
    pk = request.pk if isinstance(request, InformationRequest) else request
    return InformationRequest.objects.select_for_update().get(pk=pk)


def lock_objection(objection: Objection | int) -> Objection:
    pk = objection.pk if isinstance(objection, Objection) else objection
    return Objection.objects.select_for_update().select_related("request").get(pk=pk)


def city_year(at: dt.datetime) -> int:
    return timezone.localtime(at, city_timezone()).year


def next_number(register: str, year: int) -> tuple[int, str]:
    """The next number of `register` in `year`, e.g. (123, "PPID-2026-000123").

    Taken under the counter row's lock inside the caller's transaction, so two requests never
    share a number and a rolled-back request gives its number back: the register has no gaps."""
    for _attempt in range(5):
        counter = (
            RegisterCounter.objects.select_for_update().filter(register=register, year=year).first()
        )
        if counter is None:
            try:
                with transaction.atomic():
                    counter = RegisterCounter.objects.create(register=register, year=year)
            except IntegrityError:
                continue  # another writer created the row first: lock theirs
            counter = RegisterCounter.objects.select_for_update().get(pk=counter.pk)
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last, f"{register}-{year}-{counter.last:06d}"
    raise RuntimeError("register counter could not be locked")


def add_event(
    request: InformationRequest,
    *,
    kind: str,
    actor: User | None,
    at: dt.datetime,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    objection: Objection | None = None,
    payload: dict[str, Any] | None = None,
) -> RequestEvent:
    """The trail row and its audit entry, in the caller's transaction. The audit chain is the
    objection's own when the step is one of the objection's."""
    event = RequestEvent.objects.create(
        request=request,
        objection=objection,
        kind=kind,
        actor=actor,
        actor_role=actor.role if actor else "",
        note=note,
        from_status=from_status,
        to_status=to_status,
        created_at=at,
    )
    subject: InformationRequest | Objection = objection or request
    action = ("ppid.objection." if objection else "ppid.request.") + kind
    record_audit(
        actor=actor,
        action=action + (f".{to_status}" if to_status else ""),
        subject=subject,
        payload={
            "event": event.pk,
            "register_number": subject.register_number,
            "from": from_status,
            "to": to_status,
            "at": at.isoformat(),
            "note": note,
            **(payload or {}),
        },
    )
    return event


def store_file(
    request: InformationRequest,
    upload: Upload,
    *,
    kind: FileKind,
    actor: User | None,
    at: dt.datetime,
) -> RequestFile:
    record = RequestFile(
        request=request,
        kind=kind,
        token=secrets.token_hex(16),
        name=upload.name,
        content_type=upload.content_type,
        size=len(upload.data),
        sha256=upload.sha256,
        uploaded_by=actor,
        created_at=at,
    )
    record.file.save(upload.name, ContentFile(upload.data), save=False)
    record.save()
    return record


def notify_requester(
    request: InformationRequest, build: Callable[[InformationRequest], tuple[str, str]]
) -> None:
    """Tell the requester, in their own language; requests typed in at the counter have no
    account to tell (the desk answers those in writing)."""
    user = request.requester
    if user is None:
        return
    with translation.override(user.preferred_language or "id"):
        subject, body = build(request)
        notify_user(user=user, subject=subject, body=body)


def notify_desk(*, subject: str, body: str, superior: bool = False) -> None:
    """Tell the PPID staff (or the atasan PPID) that something waits for them."""
    policy = ppid_settings()
    recipients: list[User] = []
    if superior and policy.superior is not None:
        recipients = [policy.superior]
    elif policy.agency_id is not None:
        roles = [Role.AGENCY_HEAD] if superior else [Role.OFFICER, Role.AGENCY_HEAD]
        recipients = list(
            User.objects.filter(role__in=roles, agency_id=policy.agency_id, is_active=True)
        )
    for user in recipients:
        notify_user(user=user, subject=subject, body=body)


def status_notice(request: InformationRequest) -> tuple[str, str]:
    """The plain "your request is now X" notice."""
    values = {"number": request.register_number, "status": request.get_status_display()}
    return (
        _("Permohonan informasi %(number)s: %(status)s") % values,
        _("Status permohonan informasi Anda %(number)s kini: %(status)s.") % values,
    )
