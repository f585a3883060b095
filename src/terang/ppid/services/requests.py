"""Information requests: filing, processing, the one extension, the written answer, delivery of
documents, closing and withdrawal (UU 14/2008 Pasal 21-22, Perki 1/2021)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terang.core.crypto import encrypt
from terang.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from terang.core.models import User
from terang.core.privacy import mask_personal_data, normalize_phone
from terang.core.workflow import ensure_transition, transition

from .. import deadlines
from ..choices import (
    DELIVERING_OUTCOMES,
    EXEMPTION_OUTCOMES,
    Channel,
    Delivery,
    EventKind,
    Exemption,
    FileKind,
    Format,
    IdentityKind,
    Outcome,
    RequesterKind,
    RequestStatus,
)
from ..documents import Upload, read_upload
from ..identity import is_valid_nik, is_valid_other_id, normalise_identity_number
from ..models import InformationRequest
from ..permissions import (
    is_ppid_staff,
    is_requester,
    require_ppid_staff,
    require_verified_citizen,
)
from ..workflow import REQUEST_TRANSITIONS
from ._common import (
    REQUEST_REGISTER,
    add_event,
    city_year,
    lock_request,
    next_number,
    notify_desk,
    notify_requester,
    status_notice,
    store_file,
)

MIN_CONSEQUENCE_TEST = 30
MIN_REASON = 10
MAX_DOCUMENTS = 10


@dataclass
class RequestForm:
    """What the requester writes on the permohonan form (Perki 1/2021 SLIP)."""

    requester_name: str
    identity_number: str
    address: str
    occupation: str
    purpose: str
    information_requested: str
    preferred_format: str
    delivery: str
    identity_kind: str = IdentityKind.NIK
    phone: str = ""
    email: str = ""
    requester_kind: str = RequesterKind.INDIVIDUAL
    organisation_name: str = ""
    legal_entity_document: Any = None  # an uploaded file, required for organisations
    extra: dict[str, Any] = field(default_factory=dict)


def _clean_form(form: RequestForm) -> tuple[dict[str, Any], Upload | None]:
    """Check every field at once so the form shows all problems together."""
    errors: dict[str, Any] = {}
    name = " ".join((form.requester_name or "").split())
    if len(name) < 3:
        errors["requester_name"] = gettext_lazy("Tulis nama lengkap pemohon.")
    kind = form.identity_kind or IdentityKind.NIK
    number = normalise_identity_number(form.identity_number)
    if kind not in IdentityKind.values:
        errors["identity_kind"] = gettext_lazy("Pilih jenis identitas.")
    elif kind == IdentityKind.NIK and not is_valid_nik(number):
        errors["identity_number"] = gettext_lazy("NIK harus 16 angka yang sah.")
    elif kind != IdentityKind.NIK and not is_valid_other_id(number):
        errors["identity_number"] = gettext_lazy("Nomor identitas tidak valid.")
    address = (form.address or "").strip()
    if len(address) < 5:
        errors["address"] = gettext_lazy("Tulis alamat lengkap.")
    occupation = (form.occupation or "").strip()
    if len(occupation) < 2:
        errors["occupation"] = gettext_lazy("Tulis pekerjaan pemohon.")
    phone = ""
    if (form.phone or "").strip():
        try:
            phone = normalize_phone(form.phone)
        except ValueError:
            errors["phone"] = gettext_lazy("Nomor ponsel Indonesia tidak valid.")
    email = (form.email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = gettext_lazy("Alamat email tidak valid.")
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["email"] = gettext_lazy("Isi email atau nomor ponsel agar PPID dapat menghubungi.")
    if form.delivery == Delivery.EMAIL and not email and "email" not in errors:
        errors["email"] = gettext_lazy("Pengiriman lewat email memerlukan alamat email.")
    purpose = (form.purpose or "").strip()
    if len(purpose) < MIN_REASON:
        errors["purpose"] = gettext_lazy("Jelaskan tujuan penggunaan informasi.")
    information = (form.information_requested or "").strip()
    if len(information) < MIN_REASON:
        errors["information_requested"] = gettext_lazy("Jelaskan informasi yang diminta.")
    if form.preferred_format not in Format.values:
        errors["preferred_format"] = gettext_lazy("Pilih bentuk informasi.")
    if form.delivery not in Delivery.values:
        errors["delivery"] = gettext_lazy("Pilih cara mendapatkan salinan.")
    requester_kind = form.requester_kind or RequesterKind.INDIVIDUAL
    organisation = " ".join((form.organisation_name or "").split())
    document: Upload | None = None
    if requester_kind not in RequesterKind.values:
        errors["requester_kind"] = gettext_lazy("Pilih jenis pemohon.")
    elif requester_kind == RequesterKind.ORGANISATION:
        if len(organisation) < 3:
            errors["organisation_name"] = gettext_lazy("Tulis nama badan hukum.")
        if form.legal_entity_document is None:
            errors["legal_entity_document"] = gettext_lazy(
                "Lampirkan akta pendirian atau pengesahan badan hukum."
            )
        else:
            try:
                document = read_upload(
                    form.legal_entity_document, field="legal_entity_document", extract=False
                )
            except ValidationFailed as exc:
                errors["legal_entity_document"] = exc.message
    else:
        organisation = ""
    if errors:
        raise ValidationFailed(details={"fields": errors})
    return {
        "requester_name": name,
        "identity_kind": kind,
        "identity_number_encrypted": encrypt(number),
        "address_encrypted": encrypt(address),
        "phone_encrypted": encrypt(phone),
        "email_encrypted": encrypt(email),
        "occupation": occupation,
        "purpose": purpose,
        "information_requested": information,
        "information_public": mask_personal_data(information, names=[name, number]),
        "preferred_format": form.preferred_format,
        "delivery": form.delivery,
        "requester_kind": requester_kind,
        "organisation_name": organisation,
    }, document


@transaction.atomic
def submit_request(
    *,
    actor: User,
    form: RequestForm,
    channel: str = Channel.WEB,
    at: dt.datetime | None = None,
) -> InformationRequest:
    """File a request. A verified citizen files their own (web); PPID staff type in one received
    at the counter, by letter or by email. The answer is due in 10 working days."""
    at = at or timezone.now()
    if is_ppid_staff(actor) and channel != Channel.WEB:
        requester, entered_by = None, actor
    else:
        require_verified_citizen(actor)
        requester, entered_by, channel = actor, None, Channel.WEB
    if channel not in Channel.values:
        raise ValidationFailed(details={"field": "channel"})
    values, document = _clean_form(form)
    year = city_year(at)
    sequence, number = next_number(REQUEST_REGISTER, year)
    due = deadlines.answer_due(at)
    request = InformationRequest.objects.create(
        register_number=number,
        year=year,
        sequence=sequence,
        channel=channel,
        requester=requester,
        entered_by=entered_by,
        status=RequestStatus.RECEIVED,
        submitted_at=at,
        updated_at=at,
        original_due_at=due,
        due_at=due,
        **values,
    )
    if document is not None:
        store_file(request, document, kind=FileKind.LEGAL_ENTITY, actor=actor, at=at)
    add_event(
        request,
        kind=EventKind.TRANSITION,
        actor=actor,
        at=at,
        to_status=RequestStatus.RECEIVED,
        payload={
            "channel": channel,
            "requester_kind": request.requester_kind,
            "due_at": due.isoformat(),
        },
    )
    notify_requester(request, _received_notice)
    notify_desk(
        subject=_("Permohonan informasi baru %(number)s") % {"number": number},
        body=_("Permohonan %(number)s menunggu jawaban paling lambat %(due)s.")
        % {"number": number, "due": timezone.localtime(due).strftime("%d-%m-%Y")},
    )
    return request


def _received_notice(request: InformationRequest) -> tuple[str, str]:
    values = {
        "number": request.register_number,
        "due": timezone.localtime(request.due_at).strftime("%d-%m-%Y"),
    }
    return (
        _("Permohonan informasi %(number)s diterima") % values,
        _(
            "Permohonan informasi Anda tercatat dengan nomor %(number)s. PPID wajib menjawab "
            "paling lambat %(due)s (10 hari kerja)."
        )
        % values,
    )


def _move(
    request: InformationRequest,
    *,
    to: str,
    actor: User | None,
    at: dt.datetime,
    note: str = "",
    fields: tuple[str, ...] = (),
    payload: dict[str, Any] | None = None,
) -> InformationRequest:
    current = transition(request, REQUEST_TRANSITIONS, to, at=at, extra_fields=fields)
    add_event(
        request,
        kind=EventKind.TRANSITION,
        actor=actor,
        at=at,
        note=note,
        from_status=current,
        to_status=to,
        payload=payload,
    )
    return request


@transaction.atomic
def start_processing(
    *, actor: User, request: InformationRequest, note: str = "", at: dt.datetime | None = None
) -> InformationRequest:
    """The PPID takes the request up (and may ask the agencies holding the information)."""
    require_ppid_staff(actor)
    request = lock_request(request)
    _move(
        request,
        to=RequestStatus.IN_PROCESS,
        actor=actor,
        at=at or timezone.now(),
        note=note.strip(),
    )
    notify_requester(request, status_notice)
    return request


@transaction.atomic
def extend_request(
    *, actor: User, request: InformationRequest, reason: str, at: dt.datetime | None = None
) -> InformationRequest:
    """Extend once by 7 working days with written reasons, before the 10 days run out
    (Pasal 22(8))."""
    require_ppid_staff(actor)
    at = at or timezone.now()
    request = lock_request(request)
    reason = (reason or "").strip()
    if request.extended_at is not None:
        raise InvalidTransition(
            _("Batas waktu hanya dapat diperpanjang satu kali."),
            details={
                "from": request.status,
                "to": RequestStatus.EXTENDED,
                "reason": "already_extended",
            },
        )
    ensure_transition(REQUEST_TRANSITIONS, request.status, RequestStatus.EXTENDED)
    if len(reason) < MIN_REASON:
        raise ValidationFailed(_("Tuliskan alasan perpanjangan."), details={"field": "reason"})
    if at > request.original_due_at:
        raise ValidationFailed(
            _("Perpanjangan harus diberitahukan sebelum batas 10 hari kerja berakhir."),
            details={"field": "reason", "reason": "deadline_passed"},
        )
    request.extended_at = at
    request.extension_reason = reason
    request.due_at = deadlines.extended_due(request.original_due_at)
    _move(
        request,
        to=RequestStatus.EXTENDED,
        actor=actor,
        at=at,
        note=reason,
        fields=("extended_at", "extension_reason", "due_at"),
        payload={"due_at": request.due_at.isoformat()},
    )
    notify_requester(request, _extension_notice)
    return request


def _extension_notice(request: InformationRequest) -> tuple[str, str]:
    values = {
        "number": request.register_number,
        "due": timezone.localtime(request.due_at).strftime("%d-%m-%Y"),
        "reason": request.extension_reason,
    }
    return (
        _("Permohonan informasi %(number)s diperpanjang") % values,
        _("Waktu jawaban permohonan %(number)s diperpanjang sampai %(due)s. Alasan: %(reason)s")
        % values,
    )


@dataclass
class Answer:
    """The written notice (pemberitahuan tertulis) of the PPID."""

    outcome: str
    text: str
    exemption: str = ""
    legal_basis: str = ""
    consequence_test: str = ""
    forwarded_to: str = ""
    documents: list[Any] = field(default_factory=list)


def _clean_answer(answer: Answer) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    outcome = answer.outcome
    if outcome not in Outcome.values:
        errors["outcome"] = gettext_lazy("Pilih jenis jawaban.")
    text = (answer.text or "").strip()
    if len(text) < MIN_REASON:
        errors["text"] = gettext_lazy("Tulis isi pemberitahuan tertulis.")
    exemption = legal_basis = consequence_test = forwarded_to = ""
    if outcome in EXEMPTION_OUTCOMES:
        exemption = answer.exemption or ""
        legal_basis = (answer.legal_basis or "").strip()
        consequence_test = (answer.consequence_test or "").strip()
        if exemption not in Exemption.values:
            errors["exemption"] = gettext_lazy(
                "Penolakan memerlukan dasar pengecualian (Pasal 17 UU 14/2008)."
            )
        elif exemption == Exemption.OTHER_STATUTE and len(legal_basis) < 5:
            errors["legal_basis"] = gettext_lazy("Sebutkan undang-undang yang mengecualikan.")
        if len(consequence_test) < MIN_CONSEQUENCE_TEST:
            errors["consequence_test"] = gettext_lazy(
                "Penolakan memerlukan uji konsekuensi tertulis (Pasal 19 UU 14/2008)."
            )
    if outcome == Outcome.FORWARDED:
        forwarded_to = " ".join((answer.forwarded_to or "").split())
        if len(forwarded_to) < 3:
            errors["forwarded_to"] = gettext_lazy("Sebutkan badan publik tujuan.")
    if answer.documents and outcome not in DELIVERING_OUTCOMES:
        errors["documents"] = gettext_lazy("Dokumen hanya diserahkan bila permohonan dikabulkan.")
    if len(answer.documents) > MAX_DOCUMENTS:
        errors["documents"] = gettext_lazy("Paling banyak 10 dokumen.")
    if errors:
        raise ValidationFailed(details={"fields": errors})
    return {
        "outcome": outcome,
        "answer_text": text,
        "exemption": exemption,
        "legal_basis": legal_basis,
        "consequence_test": consequence_test,
        "forwarded_to": forwarded_to,
    }


def _read_documents(files: list[Any]) -> list[Upload]:
    uploads = []
    for file in files:
        uploads.append(read_upload(file, field="documents", extract=False))
    return uploads


@transaction.atomic
def answer_request(
    *, actor: User, request: InformationRequest, answer: Answer, at: dt.datetime | None = None
) -> InformationRequest:
    """Record the written answer: granted, partly granted, refused (with the Pasal 17 exemption
    and the consequence test), not held, or forwarded to the body that holds it."""
    require_ppid_staff(actor)
    at = at or timezone.now()
    request = lock_request(request)
    ensure_transition(REQUEST_TRANSITIONS, request.status, RequestStatus.ANSWERED)
    values = _clean_answer(answer)
    uploads = _read_documents(answer.documents)
    for name, value in values.items():
        setattr(request, name, value)
    request.answered_at = at
    request.answered_by = actor
    request.working_days_taken = deadlines.working_days_taken(request.submitted_at, at)
    request.answered_late = at > request.due_at
    fields = [*values, "answered_at", "answered_by", "working_days_taken", "answered_late"]
    if uploads:
        request.delivered_at = at
        fields.append("delivered_at")
    _move(
        request,
        to=RequestStatus.ANSWERED,
        actor=actor,
        at=at,
        note=values["answer_text"],
        fields=tuple(fields),
        payload={
            "outcome": values["outcome"],
            "exemption": values["exemption"],
            "legal_basis": values["legal_basis"],
            "consequence_test": values["consequence_test"],
            "forwarded_to": values["forwarded_to"],
            "late": request.answered_late,
        },
    )
    if uploads:
        _deliver(request, uploads, actor=actor, at=at, note="")
    notify_requester(request, _answer_notice)
    return request


def _answer_notice(request: InformationRequest) -> tuple[str, str]:
    values = {"number": request.register_number, "outcome": request.get_outcome_display()}
    return (
        _("Jawaban permohonan informasi %(number)s") % values,
        _(
            "Permohonan %(number)s telah dijawab: %(outcome)s. Bila tidak puas, Anda dapat "
            "mengajukan keberatan dalam 30 hari kerja."
        )
        % values,
    )


def _deliver(
    request: InformationRequest,
    uploads: list[Upload],
    *,
    actor: User,
    at: dt.datetime,
    note: str,
) -> None:
    stored = [
        store_file(request, upload, kind=FileKind.DELIVERED, actor=actor, at=at)
        for upload in uploads
    ]
    add_event(
        request,
        kind=EventKind.DOCUMENTS,
        actor=actor,
        at=at,
        note=note,
        payload={"files": [{"name": f.name, "sha256": f.sha256} for f in stored]},
    )


@transaction.atomic
def deliver_documents(
    *,
    actor: User,
    request: InformationRequest,
    files: list[Any],
    note: str = "",
    at: dt.datetime | None = None,
) -> InformationRequest:
    """Record the hand-over of the information: files sent, or (with a note and no file) a
    hardcopy picked up or viewed at the desk."""
    require_ppid_staff(actor)
    at = at or timezone.now()
    request = lock_request(request)
    if request.status not in (RequestStatus.ANSWERED, RequestStatus.CLOSED) or (
        request.outcome not in DELIVERING_OUTCOMES
    ):
        raise ValidationFailed(
            _("Dokumen hanya diserahkan untuk permohonan yang dikabulkan."),
            details={"reason": "not_granted"},
        )
    note = (note or "").strip()
    if not files and len(note) < 5:
        raise ValidationFailed(
            _("Unggah dokumen atau catat cara penyerahannya."), details={"field": "note"}
        )
    if len(files) > MAX_DOCUMENTS:
        raise ValidationFailed(_("Paling banyak 10 dokumen."), details={"field": "documents"})
    uploads = _read_documents(files)
    request.delivered_at = at
    request.updated_at = at
    request.save(update_fields=["delivered_at", "updated_at"])
    _deliver(request, uploads, actor=actor, at=at, note=note)
    return request


@transaction.atomic
def close_request(
    *,
    actor: User | None,
    request: InformationRequest,
    note: str = "",
    at: dt.datetime | None = None,
) -> InformationRequest:
    """Close an answered request: by the PPID, or by the sweep once the objection window has
    passed (actor None)."""
    if actor is not None:
        require_ppid_staff(actor)
    at = at or timezone.now()
    request = lock_request(request)
    request.closed_at = at
    _move(
        request,
        to=RequestStatus.CLOSED,
        actor=actor,
        at=at,
        note=(note or "").strip(),
        fields=("closed_at",),
    )
    return request


@transaction.atomic
def withdraw_request(
    *, actor: User, request: InformationRequest, reason: str = "", at: dt.datetime | None = None
) -> InformationRequest:
    """The requester withdraws an open request (or the PPID records a withdrawal on paper)."""
    if not (is_requester(actor, request) or is_ppid_staff(actor)):
        raise PermissionDenied()
    at = at or timezone.now()
    request = lock_request(request)
    request.withdrawn_at = at
    _move(
        request,
        to=RequestStatus.WITHDRAWN,
        actor=actor,
        at=at,
        note=(reason or "").strip(),
        fields=("withdrawn_at",),
    )
    notify_requester(request, status_notice)
    return request
