"""JSON API of the ppid app, mounted under /api/v1/ppid.

Public (anonymous): the register of requests (no personal data), the yearly statistics, and
the DIP with full-text search. Citizens (session, verified contact, CSRF): file a request,
follow their own, withdraw it, file an objection. PPID staff (session with two-factor): the
queue and every step of a request; the atasan PPID answers objections. Errors have the shape
`{"error": {"code", "message", "details"}}`; the same services as the HTML pages run behind
every write."""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Header, Query, Router, Status, UploadedFile

from terang.core.api_auth import require_staff, require_user, session_auth
from terang.core.errors import NotFound, PermissionDenied
from terang.core.files import file_url
from terang.core.idempotency import create_once
from terang.core.models import User
from terang.core.ratelimit import RateLimitAction, enforce
from terang.core.schemas import errors

from . import deadlines, selectors, services
from .choices import DipCategory
from .models import DipEntry, InformationRequest, Objection
from .permissions import can_view_desk
from .schemas import (
    AnswerIn,
    DipEntryOut,
    DipListOut,
    DipParams,
    DisputeIn,
    MyRequestPageOut,
    NoteIn,
    ObjectionAnswerIn,
    ObjectionIn,
    ObjectionOut,
    PageParams,
    QueueItemOut,
    ReasonIn,
    RegisterPageOut,
    RegisterParams,
    RequestCreatedOut,
    RequestIn,
    RequestOut,
    StaffRequestIn,
    StatisticsOut,
    StatusOut,
)

router = Router(tags=["ppid"])

IDEMPOTENCY_HEADER = Header(
    None,
    alias="Idempotency-Key",
    description="Kunci unik per permintaan; pengulangan mengembalikan hasil pertama.",
)


# Public reads ----------------------------------------------------------------------------------


@router.get(
    "/register",
    response={200: RegisterPageOut, **errors(422)},
    summary="Register permohonan informasi",
    description="Register publik permohonan informasi, terbaru dulu: nomor, tanggal, rincian "
    "informasi (data pribadi disamarkan), status, jawaban dan lama jawaban dalam hari kerja. "
    "Halaman berbasis kursor: kirim `next_cursor` sebagai `cursor`.",
)
def register(request: HttpRequest, params: Query[RegisterParams]) -> dict[str, Any]:
    filters = selectors.RegisterFilters(
        year=params.year, status=params.status, outcome=params.outcome, q=params.q
    )
    page = selectors.register_page(filters, cursor=params.cursor, size=params.limit)
    return {
        "items": [selectors.register_item(item) for item in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/statistics/{year}",
    response={200: StatisticsOut, **errors(404)},
    summary="Statistik tahunan layanan informasi",
    description="Angka laporan tahunan PPID untuk satu tahun: permohonan, jawaban, alasan "
    "pengecualian, waktu jawaban, keberatan dan sengketa.",
)
def statistics(request: HttpRequest, year: int) -> dict[str, Any]:
    if not 2000 <= year <= 2100:
        raise NotFound()
    stats = selectors.annual_statistics(year)
    return {
        "year": year,
        "rows": [
            {"key": key, "label": label, "value": value}
            for key, label, value in selectors.statistics_rows(stats)
        ],
        "monthly_received": stats.monthly,
    }


def _entry_body(request: HttpRequest, entry: DipEntry) -> dict[str, Any]:
    exempt = entry.category == DipCategory.EXEMPT
    formats = [
        name
        for name, flag in (("softcopy", entry.has_softcopy), ("hardcopy", entry.has_hardcopy))
        if flag
    ]
    return {
        "id": entry.pk,
        "category": entry.category,
        "category_label": str(entry.get_category_display()),
        "title": entry.title,
        "summary": entry.summary,
        "agency": {"code": entry.agency.code, "name": entry.agency.name},
        "official": entry.official,
        "person_in_charge": entry.person_in_charge,
        "produced_when": entry.produced_when,
        "produced_where": entry.produced_where,
        "formats": formats,
        "retention": entry.retention,
        "exemption": entry.exemption or None,
        "legal_basis": entry.legal_basis or None,
        "consequence_test": entry.consequence_test or None,
        "exempt_until": entry.exempt_until,
        "documents": []
        if exempt
        else [
            {
                "title": document.title,
                "kind": document.kind,
                "name": document.name,
                "content_type": document.content_type,
                "size": document.size,
                "pages": document.pages,
                "url": request.build_absolute_uri(file_url(document, "file")),
            }
            for document in entry.documents.all()
        ],
    }


@router.get(
    "/dip",
    response={200: DipListOut, **errors(422)},
    summary="Daftar Informasi Publik (DIP)",
    description="Entri DIP per jenis (berkala, serta-merta, setiap saat, dikecualikan) dengan "
    "kolom yang diminta Perki SLIP. `q` mencari di judul, ringkasan, dan teks dokumen "
    "(termasuk teks yang diambil dari PDF).",
)
def dip(request: HttpRequest, params: Query[DipParams]) -> dict[str, Any]:
    entries = selectors.search_dip(
        selectors.DipFilters(q=params.q, category=params.category, agency=params.agency)
    )
    items = list(entries[: params.limit])
    return {"count": len(items), "items": [_entry_body(request, entry) for entry in items]}


@router.get(
    "/dip/{entry_id}",
    response={200: DipEntryOut, **errors(404)},
    summary="Satu entri DIP",
    description="Satu entri DIP beserta dokumennya.",
)
def dip_entry(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    return _entry_body(request, selectors.get_public_entry(entry_id))


# Citizens -------------------------------------------------------------------------------------


def _form(payload: RequestIn, document: UploadedFile | None) -> services.RequestForm:
    return services.RequestForm(
        requester_name=payload.requester_name,
        identity_kind=payload.identity_kind,
        identity_number=payload.identity_number,
        address=payload.address,
        phone=payload.phone,
        email=payload.email,
        occupation=payload.occupation,
        requester_kind=payload.requester_kind,
        organisation_name=payload.organisation_name,
        purpose=payload.purpose,
        information_requested=payload.information_requested,
        preferred_format=payload.preferred_format,
        delivery=payload.delivery,
        legal_entity_document=document,
    )


def _created(request: HttpRequest, item: InformationRequest) -> dict[str, Any]:
    return {
        "register_number": item.register_number,
        "status": item.status,
        "submitted_at": item.submitted_at.isoformat(),
        "due_at": item.due_at.isoformat(),
        "url": request.build_absolute_uri(reverse("ppid:my_request", args=[item.register_number])),
    }


def _submit_once(
    request: HttpRequest,
    payload: RequestIn,
    document: UploadedFile | None,
    key: str | None,
    *,
    channel: str = "web",
) -> tuple[int, Any]:
    user = require_user(request)
    enforce(request, RateLimitAction.PPID_REQUEST)  # staff (counter entry) are exempt
    digest_input: dict[str, Any] = {"data": payload.model_dump()}
    if document is not None:
        digest_input["document"] = hashlib.sha256(document.read()).hexdigest()
        document.seek(0)

    def create() -> tuple[int, dict[str, Any]]:
        item = services.submit_request(actor=user, form=_form(payload, document), channel=channel)
        return 201, _created(request, item)

    outcome = create_once(
        scope=f"ppid.submit:{user.pk}", key=key, request=digest_input, create=create
    )
    return outcome.status, outcome.body


SUBMIT_DESCRIPTION = (
    "Warga yang masuk dan kontaknya terverifikasi mengajukan permohonan informasi dengan "
    "identitas sesuai Perki 1/2021. Jawaban paling lambat 10 hari kerja. Kirim "
    "`Idempotency-Key` agar pengulangan tidak membuat permohonan ganda."
)


@router.post(
    "/requests",
    auth=session_auth,
    response={201: RequestCreatedOut, **errors(401, 403, 409, 422, 429)},
    tags=["citizen"],
    summary="Ajukan permohonan informasi (JSON)",
    description=SUBMIT_DESCRIPTION,
)
def submit(
    request: HttpRequest, payload: RequestIn, idempotency_key: str | None = IDEMPOTENCY_HEADER
) -> Status[dict[str, Any]]:
    return Status(*_submit_once(request, payload, None, idempotency_key))


@router.post(
    "/requests/with-document",
    auth=session_auth,
    response={201: RequestCreatedOut, **errors(401, 403, 409, 413, 422, 429)},
    tags=["citizen"],
    summary="Ajukan permohonan informasi dengan dokumen badan hukum (multipart)",
    description=SUBMIT_DESCRIPTION + " Badan hukum melampirkan akta/pengesahan pada kolom "
    "`legal_entity_document` (PDF, JPG, PNG, DOCX; hingga 10 MB).",
)
def submit_with_document(
    request: HttpRequest,
    payload: Form[RequestIn],
    legal_entity_document: File[UploadedFile] = None,  # type: ignore[assignment]
    idempotency_key: str | None = IDEMPOTENCY_HEADER,
) -> Status[dict[str, Any]]:
    return Status(*_submit_once(request, payload, legal_entity_document, idempotency_key))


@router.get(
    "/me/requests",
    auth=session_auth,
    response={200: MyRequestPageOut, **errors(401, 422)},
    tags=["citizen"],
    summary="Permohonan informasi saya",
    description="Permohonan yang saya ajukan, terbaru dulu.",
)
def my_requests(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    user = require_user(request)
    result = selectors.page_by_submission(
        selectors.my_requests(user), cursor=page.cursor, size=page.limit
    )
    return {
        "items": [
            {
                "register_number": item.register_number,
                "status": item.status,
                "status_label": str(item.get_status_display()),
                "submitted_at": item.submitted_at,
                "due_at": item.due_at,
                "outcome": item.outcome or None,
                "has_objection": hasattr(item, "objection"),
            }
            for item in result.items
        ],
        "next_cursor": result.next_cursor,
    }


def _objection_body(objection: Objection | None) -> dict[str, Any] | None:
    if objection is None:
        return None
    return {
        "register_number": objection.register_number,
        "status": objection.status,
        "status_label": str(objection.get_status_display()),
        "grounds": objection.grounds,
        "statement": objection.statement,
        "filed_at": objection.filed_at,
        "due_at": objection.due_at,
        "outcome": objection.outcome or None,
        "outcome_label": str(objection.get_outcome_display()) if objection.outcome else None,
        "answer_text": objection.answer_text or None,
        "answered_at": objection.answered_at,
        "dispute_deadline": objection.dispute_deadline,
        "dispute_reference": objection.dispute_reference or None,
    }


def _request_body(request: HttpRequest, user: User, item: InformationRequest) -> dict[str, Any]:
    now = timezone.now()
    return {
        "register_number": item.register_number,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "channel": item.channel,
        "submitted_at": item.submitted_at,
        "due_at": item.due_at,
        "working_days_left": (
            deadlines.working_days_left(now, item.due_at) if item.is_open else None
        ),
        "extended": item.extended_at is not None,
        "extension_reason": item.extension_reason,
        "breached": item.breached,
        "requester": selectors.identity_view(user, item),
        "purpose": item.purpose,
        "information_requested": item.information_requested,
        "preferred_format": item.preferred_format,
        "delivery": item.delivery,
        "outcome": item.outcome or None,
        "outcome_label": str(item.get_outcome_display()) if item.outcome else None,
        "answer_text": item.answer_text,
        "exemption": item.exemption or None,
        "legal_basis": item.legal_basis,
        "consequence_test": item.consequence_test,
        "forwarded_to": item.forwarded_to,
        "answered_at": item.answered_at,
        "working_days_taken": item.working_days_taken,
        "answered_late": item.answered_late,
        "delivered_at": item.delivered_at,
        "files": [
            {
                "kind": record.kind,
                "name": record.name,
                "size": record.size,
                "url": request.build_absolute_uri(file_url(record, "file")),
            }
            for record in selectors.files_of(item)
        ],
        "objection": _objection_body(selectors.objection_of(item)),
        "events": [
            {
                "at": event.created_at,
                "kind": event.kind,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "note": event.note,
            }
            for event in selectors.timeline(item)
        ],
    }


def _viewer_request(request: HttpRequest, number: str) -> tuple[User, InformationRequest]:
    user = require_user(request)
    return user, selectors.get_request_for_viewer(user=user, number=number)


@router.get(
    "/requests/{number}",
    auth=session_auth,
    response={200: RequestOut, **errors(401, 404)},
    tags=["citizen"],
    summary="Satu permohonan informasi",
    description="Pemohon melihat permohonannya sendiri; PPID melihat semua. Identitas pemohon "
    "tersamar bagi peran pengawas.",
)
def request_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    user, item = _viewer_request(request, number)
    return _request_body(request, user, item)


def _status(item: InformationRequest) -> dict[str, str]:
    return {"register_number": item.register_number, "status": item.status}


@router.post(
    "/requests/{number}/withdraw",
    auth=session_auth,
    response={200: StatusOut, **errors(401, 403, 404, 409)},
    tags=["citizen"],
    summary="Cabut permohonan",
    description="Pemohon mencabut permohonan yang belum dijawab.",
)
def withdraw(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, str]:
    user, item = _viewer_request(request, number)
    return _status(services.withdraw_request(actor=user, request=item, reason=payload.reason))


@router.post(
    "/requests/{number}/objection",
    auth=session_auth,
    response={201: ObjectionOut, **errors(401, 403, 404, 409, 422)},
    tags=["citizen"],
    summary="Ajukan keberatan",
    description="Keberatan kepada atasan PPID (Pasal 35 UU 14/2008) dalam 30 hari kerja sejak "
    "jawaban, atau sejak batas waktu jawaban lewat. `grounds`: huruf a-g Pasal 35(1).",
)
def objection(request: HttpRequest, number: str, payload: ObjectionIn) -> Status[Any]:
    user, item = _viewer_request(request, number)
    filed = services.file_objection(
        actor=user, request=item, grounds=payload.grounds, statement=payload.statement
    )
    return Status(201, _objection_body(filed))


# PPID staff -----------------------------------------------------------------------------------


def _desk_user(request: HttpRequest) -> User:
    user = require_staff(request)
    if not can_view_desk(user):
        raise PermissionDenied()
    return user


def _staff_request(request: HttpRequest, number: str) -> tuple[User, InformationRequest]:
    user = _desk_user(request)
    return user, selectors.get_request_for_staff(user=user, number=number)


@router.get(
    "/staff/queue",
    auth=session_auth,
    response={200: list[QueueItemOut], **errors(401, 403)},
    tags=["staff"],
    summary="Antrean PPID",
    description="Permohonan yang belum dijawab, batas waktu terdekat dulu, dengan sisa hari "
    "kerja (negatif bila lewat).",
)
def queue(request: HttpRequest) -> list[dict[str, Any]]:
    user = _desk_user(request)
    return [
        {
            "register_number": row.request.register_number,
            "status": row.request.status,
            "submitted_at": row.request.submitted_at,
            "due_at": row.request.due_at,
            "working_days_left": row.working_days_left,
            "overdue": row.overdue,
            "extended": row.request.extended_at is not None,
        }
        for row in selectors.desk_queue(user)
    ]


@router.post(
    "/staff/requests",
    auth=session_auth,
    response={201: RequestCreatedOut, **errors(401, 403, 409, 422)},
    tags=["staff"],
    summary="Catat permohonan dari loket, surat atau email",
    description="Petugas PPID mencatat permohonan yang diterima di luar situs. Badan hukum "
    "dicatat lewat halaman staf (dengan unggahan dokumennya).",
)
def staff_submit(
    request: HttpRequest,
    payload: StaffRequestIn,
    idempotency_key: str | None = IDEMPOTENCY_HEADER,
) -> Status[dict[str, Any]]:
    _desk_user(request)
    return Status(*_submit_once(request, payload, None, idempotency_key, channel=payload.channel))


@router.post(
    "/requests/{number}/process",
    auth=session_auth,
    response={200: StatusOut, **errors(401, 403, 404, 409)},
    tags=["staff"],
    summary="Proses permohonan",
    description="Petugas PPID mulai memproses permohonan yang diterima (status `in_process`).",
)
def process(request: HttpRequest, number: str, payload: NoteIn) -> dict[str, str]:
    user, item = _staff_request(request, number)
    return _status(services.start_processing(actor=user, request=item, note=payload.note))


@router.post(
    "/requests/{number}/extend",
    auth=session_auth,
    response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
    tags=["staff"],
    summary="Perpanjang batas waktu (sekali, 7 hari kerja)",
    description="Perpanjangan sekali, paling lama 7 hari kerja setelah batas 10 hari kerja, "
    "dengan alasan tertulis (Pasal 22 ayat 8); harus diberitahukan sebelum batas awal lewat.",
)
def extend(request: HttpRequest, number: str, payload: ReasonIn) -> dict[str, str]:
    user, item = _staff_request(request, number)
    return _status(services.extend_request(actor=user, request=item, reason=payload.reason))


@router.post(
    "/requests/{number}/answer",
    auth=session_auth,
    response={200: StatusOut, **errors(401, 403, 404, 409, 422)},
    tags=["staff"],
    summary="Jawab permohonan",
    description="Pemberitahuan tertulis: `granted`, `partly_granted`, `refused`, `not_held`, "
    "`forwarded`. Penolakan dan pengabulan sebagian wajib menyebut `exemption` (huruf Pasal 17) "
    "dan `consequence_test`; `forwarded` wajib `forwarded_to`. Dokumen diserahkan lewat "
    "`/documents`.",
)
def answer(request: HttpRequest, number: str, payload: AnswerIn) -> dict[str, str]:
    user, item = _staff_request(request, number)
    result = services.answer_request(
        actor=user,
        request=item,
        answer=services.Answer(
            outcome=payload.outcome,
            text=payload.text,
            exemption=payload.exemption,
            legal_basis=payload.legal_basis,
            consequence_test=payload.consequence_test,
            forwarded_to=payload.forwarded_to,
        ),
    )
    return _status(result)


@router.post(
    "/requests/{number}/documents",
    auth=session_auth,
    response={200: StatusOut, **errors(401, 403, 404, 413, 422)},
    tags=["staff"],
    summary="Serahkan dokumen informasi (multipart)",
    description="Unggah dokumen yang diserahkan kepada pemohon, atau catat penyerahan cetak.",
)
def documents(
    request: HttpRequest,
    number: str,
    note: Form[str] = "",
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, str]:
    user, item = _staff_request(request, number)
    result = services.deliver_documents(
        actor=user, request=item, files=list(files or []), note=note
    )
    return _status(result)


@router.post(
    "/requests/{number}/close",
    auth=session_auth,
    response={200: StatusOut, **errors(401, 403, 404, 409)},
    tags=["staff"],
    summary="Tutup permohonan yang sudah dijawab",
    description="Permohonan yang dijawab ditutup; bila tidak, sistem menutupnya setelah masa "
    "keberatan 30 hari kerja lewat.",
)
def close(request: HttpRequest, number: str, payload: NoteIn) -> dict[str, str]:
    user, item = _staff_request(request, number)
    return _status(services.close_request(actor=user, request=item, note=payload.note))


@router.post(
    "/objections/{number}/answer",
    auth=session_auth,
    response={200: ObjectionOut, **errors(401, 403, 404, 409, 422)},
    tags=["staff"],
    summary="Tanggapan atasan PPID atas keberatan",
    description="Atasan PPID memutus keberatan (`upheld`, `partly_upheld`, `rejected`) dalam 30 "
    "hari kerja (Pasal 36 ayat 2); tanggapan membuka 14 hari kerja untuk sengketa.",
)
def answer_objection(request: HttpRequest, number: str, payload: ObjectionAnswerIn) -> Any:
    user = _desk_user(request)
    found = selectors.get_objection_for_staff(user=user, number=number)
    result = services.answer_objection(
        actor=user, objection=found, outcome=payload.outcome, text=payload.text
    )
    return _objection_body(result)


@router.post(
    "/objections/{number}/dispute",
    auth=session_auth,
    response={200: ObjectionOut, **errors(401, 403, 404, 409, 422)},
    tags=["staff"],
    summary="Catat sengketa di Komisi Informasi",
    description="PPID mencatat nomor register dan tanggal sengketa informasi yang diajukan "
    "pemohon ke Komisi Informasi (Pasal 37), setelah tanggapan atasan atau lewatnya batas "
    "tanggapan.",
)
def dispute(request: HttpRequest, number: str, payload: DisputeIn) -> Any:
    user = _desk_user(request)
    found = selectors.get_objection_for_staff(user=user, number=number)
    result = services.record_dispute(
        actor=user,
        objection=found,
        reference=payload.reference,
        filed_on=payload.filed_on,
        note=payload.note,
    )
    return _objection_body(result)
