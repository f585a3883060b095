"""Reads of requests and objections for the PPID desk and for requesters, scoped by who asks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from terang.core.crypto import decrypt_or_placeholder, is_unreadable
from terang.core.errors import NotFound
from terang.core.models import User
from terang.core.privacy import mask_contact

from .. import deadlines
from ..choices import OPEN_STATUSES, ObjectionStatus, RequestStatus
from ..identity import mask_identity_number
from ..models import InformationRequest, Objection, RequestEvent, RequestFile
from ..permissions import can_see_identity, can_view_desk, can_view_request, can_view_request_file


def _number(value: str) -> str:
    return (value or "").strip().upper()


def requests_for_desk(user: User | None) -> QuerySet[InformationRequest]:
    """Every request, for those who may see the desk; nothing for anyone else."""
    if not can_view_desk(user):
        return InformationRequest.objects.none()
    return InformationRequest.objects.all()


def get_request_for_staff(*, user: User, number: str) -> InformationRequest:
    request = (
        requests_for_desk(user)
        .select_related("requester", "entered_by", "answered_by")
        .filter(register_number=_number(number))
        .first()
    )
    if request is None:
        raise NotFound()
    return request


def get_request_for_viewer(*, user: User | None, number: str) -> InformationRequest:
    """The requester's own request, or any request for the desk; NotFound otherwise (a stranger
    learns nothing, not even that the number exists)."""
    request = (
        InformationRequest.objects.select_related("requester", "answered_by")
        .filter(register_number=_number(number))
        .first()
    )
    if request is None or not can_view_request(user, request):
        raise NotFound()
    return request


def my_requests(user: User) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(requester=user).select_related("objection")


@dataclass(frozen=True)
class QueueRow:
    request: InformationRequest
    working_days_left: int
    overdue: bool

    @property
    def days_overdue(self) -> int:
        return max(-self.working_days_left, 0)


def desk_queue(user: User, *, now: dt.datetime | None = None) -> list[QueueRow]:
    """Open requests, the nearest deadline first, with the working days left."""
    now = now or timezone.now()
    requests = requests_for_desk(user).filter(status__in=OPEN_STATUSES).order_by("due_at", "id")
    return [
        QueueRow(
            request=request,
            working_days_left=deadlines.working_days_left(now, request.due_at),
            overdue=request.due_at < now,
        )
        for request in requests
    ]


@dataclass(frozen=True)
class ObjectionRow:
    objection: Objection
    working_days_left: int
    overdue: bool


def objection_queue(user: User, *, now: dt.datetime | None = None) -> list[ObjectionRow]:
    """Objections waiting for the atasan PPID, the nearest deadline first."""
    now = now or timezone.now()
    if not can_view_desk(user):
        return []
    objections = (
        Objection.objects.filter(status=ObjectionStatus.FILED)
        .select_related("request")
        .order_by("due_at", "id")
    )
    return [
        ObjectionRow(
            objection=objection,
            working_days_left=deadlines.working_days_left(now, objection.due_at),
            overdue=objection.due_at < now,
        )
        for objection in objections
    ]


def recently_answered(user: User, *, limit: int = 20) -> list[InformationRequest]:
    return list(
        requests_for_desk(user)
        .filter(status__in=[RequestStatus.ANSWERED, RequestStatus.CLOSED])
        .order_by("-answered_at", "-id")[:limit]
    )


def get_objection_for_staff(*, user: User, number: str) -> Objection:
    if not can_view_desk(user):
        raise NotFound()
    objection = (
        Objection.objects.select_related("request", "answered_by", "filed_by")
        .filter(register_number=_number(number))
        .first()
    )
    if objection is None:
        raise NotFound()
    return objection


def objection_of(request: InformationRequest) -> Objection | None:
    return Objection.objects.filter(request=request).select_related("answered_by").first()


def timeline(request: InformationRequest) -> list[RequestEvent]:
    return list(request.events.select_related("actor", "objection"))


def files_of(request: InformationRequest) -> list[RequestFile]:
    return list(request.files.all())


def get_request_file(*, user: User | None, token: str) -> RequestFile:
    """A request's file for its requester or the desk; NotFound for anyone else."""
    record = RequestFile.objects.select_related("request").filter(token=token).first()
    if record is None or not can_view_request_file(user, record):
        raise NotFound()
    return record


def identity_view(user: User | None, request: InformationRequest) -> dict[str, Any]:
    """The requester's identity as this reader may see it: in clear for the PPID (need to know)
    and for the requester, masked for oversight roles."""
    clear = can_see_identity(user) or (
        user is not None and request.requester_id is not None and request.requester_id == user.pk
    )
    number = decrypt_or_placeholder(request, "identity_number_encrypted")
    phone = decrypt_or_placeholder(request, "phone_encrypted")
    email = decrypt_or_placeholder(request, "email_encrypted")
    address = decrypt_or_placeholder(request, "address_encrypted")
    return {
        "name": request.requester_name,
        "kind": request.get_requester_kind_display(),
        "organisation": request.organisation_name,
        "identity_kind": request.get_identity_kind_display(),
        "identity_number": (
            number if clear or is_unreadable(number) else mask_identity_number(number)
        ),
        "address": address if clear else "",
        "phone": phone if clear else mask_contact(phone),
        "email": email if clear else mask_contact(email),
        "occupation": request.occupation,
        "masked": not clear,
    }
