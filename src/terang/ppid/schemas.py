"""Shapes of the PPID JSON API (/api/v1/ppid)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from .choices import Channel, Delivery, Format, IdentityKind, RequesterKind


class PageParams(Schema):
    cursor: str | None = Field(None, description="`next_cursor` dari halaman sebelumnya.")
    limit: int = Field(50, ge=1, le=200)


class RegisterParams(PageParams):
    year: int | None = Field(None, ge=2000, le=2100, description="Tahun register.")
    status: str | None = Field(None, description="Status, atau `open` untuk yang masih berjalan.")
    outcome: str | None = Field(None, description="Jenis jawaban, mis. `refused`.")
    q: str | None = Field(None, max_length=200, description="Kata dalam rincian informasi.")


class RegisterItemOut(Schema):
    register_number: str
    submitted_on: dt.date
    information: str = Field(..., description="Rincian informasi, data pribadi disamarkan.")
    status: str
    status_label: str
    outcome: str | None
    outcome_label: str | None
    working_days_taken: int | None
    answered_late: bool | None


class RegisterPageOut(Schema):
    items: list[RegisterItemOut]
    next_cursor: str | None


class StatisticOut(Schema):
    key: str
    label: str
    value: float | int | None


class StatisticsOut(Schema):
    year: int
    rows: list[StatisticOut]
    monthly_received: list[int]


class DipParams(Schema):
    q: str | None = Field(None, max_length=200, description="Kata di entri atau di dokumennya.")
    category: str | None = Field(
        None, description="berkala | serta_merta | setiap_saat | dikecualikan"
    )
    agency: str | None = Field(None, description="Kode OPD yang menguasai informasi.")
    limit: int = Field(100, ge=1, le=500)


class DipDocumentOut(Schema):
    title: str
    kind: str
    name: str
    content_type: str
    size: int
    pages: int | None
    url: str


class DipEntryOut(Schema):
    id: int
    category: str
    category_label: str
    title: str
    summary: str
    agency: dict[str, str]
    official: str
    person_in_charge: str
    produced_when: str
    produced_where: str
    formats: list[str]
    retention: str
    exemption: str | None
    legal_basis: str | None
    consequence_test: str | None
    exempt_until: dt.date | None
    documents: list[DipDocumentOut]


class DipListOut(Schema):
    count: int
    items: list[DipEntryOut]


class RequestIn(Schema):
    requester_name: str = Field(..., max_length=150)
    identity_kind: IdentityKind = IdentityKind.NIK
    identity_number: str = Field(..., max_length=40)
    address: str = Field(..., max_length=300)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    occupation: str = Field(..., max_length=100)
    requester_kind: RequesterKind = RequesterKind.INDIVIDUAL
    organisation_name: str = Field("", max_length=200)
    purpose: str = Field(..., max_length=4000)
    information_requested: str = Field(..., max_length=8000)
    preferred_format: Format
    delivery: Delivery


class StaffRequestIn(RequestIn):
    channel: Channel = Field(Channel.COUNTER, description="counter | letter | email")


class RequestCreatedOut(Schema):
    register_number: str
    status: str
    submitted_at: dt.datetime
    due_at: dt.datetime
    url: str


class ObjectionOut(Schema):
    register_number: str
    status: str
    status_label: str
    grounds: list[str]
    statement: str
    filed_at: dt.datetime
    due_at: dt.datetime
    outcome: str | None
    outcome_label: str | None
    answer_text: str | None
    answered_at: dt.datetime | None
    dispute_deadline: dt.datetime | None
    dispute_reference: str | None


class EventOut(Schema):
    at: dt.datetime
    kind: str
    from_status: str
    to_status: str
    note: str


class FileOut(Schema):
    kind: str
    name: str
    size: int
    url: str


class RequestOut(Schema):
    register_number: str
    status: str
    status_label: str
    channel: str
    submitted_at: dt.datetime
    due_at: dt.datetime
    working_days_left: int | None
    extended: bool
    extension_reason: str
    breached: bool
    requester: dict[str, Any]
    purpose: str
    information_requested: str
    preferred_format: str
    delivery: str
    outcome: str | None
    outcome_label: str | None
    answer_text: str
    exemption: str | None
    legal_basis: str
    consequence_test: str
    forwarded_to: str
    answered_at: dt.datetime | None
    working_days_taken: int | None
    answered_late: bool
    delivered_at: dt.datetime | None
    files: list[FileOut]
    objection: ObjectionOut | None
    events: list[EventOut]


class MyRequestOut(Schema):
    register_number: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    due_at: dt.datetime
    outcome: str | None
    has_objection: bool


class MyRequestPageOut(Schema):
    items: list[MyRequestOut]
    next_cursor: str | None


class QueueItemOut(Schema):
    register_number: str
    status: str
    submitted_at: dt.datetime
    due_at: dt.datetime
    working_days_left: int
    overdue: bool
    extended: bool


class StatusOut(Schema):
    register_number: str
    status: str


class NoteIn(Schema):
    note: str = Field("", max_length=4000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=4000)


class AnswerIn(Schema):
    outcome: str
    text: str = Field(..., max_length=8000)
    exemption: str = ""
    legal_basis: str = Field("", max_length=2000)
    consequence_test: str = Field("", max_length=8000)
    forwarded_to: str = Field("", max_length=200)


class ObjectionIn(Schema):
    grounds: list[str] = Field(..., min_length=1)
    statement: str = Field(..., max_length=8000)


class ObjectionAnswerIn(Schema):
    outcome: str
    text: str = Field(..., max_length=8000)


class DisputeIn(Schema):
    reference: str = Field(..., max_length=60)
    filed_on: dt.date
    note: str = Field("", max_length=4000)
