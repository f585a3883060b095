"""Request and response shapes of the aspirations JSON API (/api/v1).

Input schemas only check types and sizes; the business rules (lengths, known category, point in
the city, photo types) are the services' and come back as domain errors. Output schemas for the
public carry masked text only and never a reporter's identity.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from .choices import Channel, Kind, Privacy

KindCode = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
PrivacyCode = Literal[tuple(Privacy.values)]  # type: ignore[valid-type]
ChannelCode = Literal[tuple(Channel.values)]  # type: ignore[valid-type]

STAFF_ACTIONS = (
    "verify",
    "reject",
    "start",
    "answer",
    "resolve",
    "redisposition",
    "assign",
    "check_approve",
    "check_send_back",
    "note",
    "place",
)
StaffAction = Literal[STAFF_ACTIONS]  # type: ignore[valid-type]
BulkAction = Literal["verify", "start", "reject", "note"]


# Errors -------------------------------------------------------------------------------------


# Reference data -----------------------------------------------------------------------------


class AgencyRef(Schema):
    code: str
    name: str
    short_name: str = ""


class AgencyOut(AgencyRef):
    parent: str | None = Field(None, description="Kode OPD induk.")


class Deadlines(Schema):
    verify_working_days: int
    response_working_days: int
    resolution_working_days: int
    needs_investigation: bool = Field(..., description="Jika ya, batas penyelesaian 60 hari kerja.")
    is_emergency: bool
    emergency_response_minutes: int | None


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    group: str
    description: str
    agency: AgencyRef
    deadlines: Deadlines


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    parent_name: str | None
    bbox: list[float] = Field(..., description="[min_lon, min_lat, max_lon, max_lat]")


class AreaRef(Schema):
    code: str
    name: str


class CategoryRef(Schema):
    code: str
    name: str


# Intake ---------------------------------------------------------------------------------------


class AspirationIn(Schema):
    """A new aspiration from a citizen's app or site (JSON or multipart form fields)."""

    title: str = Field(..., max_length=300)
    text: str = Field(..., max_length=8000)
    category: str = Field(..., max_length=60, description="Kode kategori, lihat /categories.")
    kind: KindCode = "complaint"  # type: ignore[valid-type]
    privacy: PrivacyCode = Field(  # type: ignore[valid-type]
        "public",
        description="public: tampil tersamar; confidential: hanya pelapor dan petugas; "
        "anonymous: tanpa identitas sama sekali.",
    )
    latitude: float | None = None
    longitude: float | None = None
    address: str = Field("", max_length=300)
    reporter_name: str = Field("", max_length=150)
    reporter_contact: str = Field(
        "",
        max_length=200,
        description="Email atau nomor HP; wajib bagi pelapor tanpa akun kecuali mode anonim.",
    )
    share_contact_with_agency: bool = False


class IntakeIn(AspirationIn):
    """A walk-in or phone report entered by staff on the reporter's behalf."""

    channel: ChannelCode = "counter"  # type: ignore[valid-type]


class AspirationCreatedOut(Schema):
    code: str = Field(..., description="Kode pelacakan.")
    status: str
    privacy: str
    photos: int
    tracking_url: str
    api_url: str


# Public reads ---------------------------------------------------------------------------------


class AspirationListFilters(Schema):
    category: str | None = Field(None, description="Kode kategori.")
    agency: str | None = Field(None, description="Kode OPD.")
    kelurahan: str | None = Field(None, description="Kode kelurahan.")
    status: str | None = Field(None, description="Status, atau `open` untuk semua yang terbuka.")
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = Field(None, max_length=200, description="Pencarian teks.")
    cursor: str | None = Field(None, description="`next_cursor` dari halaman sebelumnya.")
    limit: int = Field(20, ge=1, le=100)


class StaffInboxFilters(Schema):
    category: str | None = None
    agency: str | None = None
    kelurahan: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = Field(None, max_length=200)
    ping_pong: bool | None = None
    breached: bool | None = None
    limit: int = Field(50, ge=1, le=200)


class PhotoOut(Schema):
    url: str
    kind: str
    width: int
    height: int


class AspirationSummaryOut(Schema):
    """A public list row: masked title and text, no reporter."""

    code: str
    kind: str
    title: str
    text: str
    status: str
    status_label: str
    category: CategoryRef
    agency: AgencyRef
    kelurahan: AreaRef | None
    latitude: float | None
    longitude: float | None
    address: str
    created_at: dt.datetime
    updated_at: dt.datetime


class AspirationPage(Schema):
    items: list[AspirationSummaryOut]
    next_cursor: str | None


class DuplicateOut(Schema):
    code: str
    title: str
    status: str
    created_at: dt.datetime


class ActorOut(Schema):
    kind: str = Field(..., description="system, staff, reporter atau citizen.")
    label: str = Field(..., description="Nama hanya bila pembaca boleh tahu; selain itu peran.")


class TimelineEventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    reason: str
    actor_role: str
    actor: ActorOut
    to_agency: AgencyRef | None
    at: dt.datetime


class TrackingOut(Schema):
    """The tracking view. `content_visible` is false for a confidential item seen by someone
    other than its reporter or authorised staff: then title, text, location and photos are
    withheld."""

    code: str
    kind: str
    status: str
    status_label: str
    privacy: str
    content_visible: bool
    is_reporter: bool
    title: str | None
    text: str | None
    latitude: float | None
    longitude: float | None
    address: str | None
    kelurahan: AreaRef | None
    category: CategoryRef
    agency: AgencyRef
    public_answer: str
    rating: int | None
    merged_into: str | None
    due_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    photos: list[PhotoOut]
    timeline: list[TimelineEventOut]


# Citizen actions ------------------------------------------------------------------------------


class MyAspirationOut(Schema):
    code: str
    kind: str
    title: str
    status: str
    status_label: str
    privacy: str
    category: CategoryRef
    agency: AgencyRef
    created_at: dt.datetime
    updated_at: dt.datetime


class MyAspirationPage(Schema):
    items: list[MyAspirationOut]
    next_cursor: str | None


class PageParams(Schema):
    cursor: str | None = None
    limit: int = Field(20, ge=1, le=100)


class RatingIn(Schema):
    rating: int = Field(..., description="1 sampai 5.")
    comment: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=4000)


class StatusOut(Schema):
    code: str
    status: str
    agency: str = Field(..., description="Kode OPD yang kini menangani.")


class FollowOut(Schema):
    code: str
    following: bool


class SubscriptionOut(Schema):
    area: str
    subscribed: bool


# Staff ----------------------------------------------------------------------------------------


class InboxItemOut(Schema):
    code: str
    kind: str
    title: str
    status: str
    status_label: str
    privacy: str
    category: CategoryRef
    agency: AgencyRef
    kelurahan: AreaRef | None
    created_at: dt.datetime
    due_at: dt.datetime | None
    seconds_left: int | None = Field(..., description="Negatif bila tenggat terlewati.")
    breached: bool
    escalation: int
    is_ping_pong: bool


class InboxOut(Schema):
    items: list[InboxItemOut]
    has_more: bool


class ReporterOut(Schema):
    name: str
    contact: str
    note: str = Field(..., description="`anonymous`, `withheld`, atau kosong.")


class StaffEventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    reason: str
    is_public: bool
    actor_role: str
    actor: ActorOut
    actor_name: str = Field(
        ...,
        description="Nama pelaku bila pembaca boleh tahu, selain itu "
        "kosong; pelapor yang tidak berbagi identitas tidak dinamai.",
    )
    from_agency: AgencyRef | None
    to_agency: AgencyRef | None
    at: dt.datetime


class StaffAspirationOut(Schema):
    code: str
    kind: str
    channel: str
    title: str
    text: str
    status: str
    status_label: str
    privacy: str
    category: CategoryRef
    agency: AgencyRef
    kelurahan: AreaRef | None
    latitude: float | None
    longitude: float | None
    address: str
    reporter: ReporterOut
    entered_by_staff: bool
    can_act: bool
    allowed_statuses: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
    verify_due_at: dt.datetime | None
    response_due_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    due_at: dt.datetime | None
    seconds_left: int | None
    breached: bool
    escalation: int
    disposition_count: int
    is_ping_pong: bool
    assigned_for_good: bool
    reopen_count: int
    rating: int | None
    rating_comment: str
    public_answer: str
    merged_into: str | None
    photos: list[PhotoOut]
    events: list[StaffEventOut]


class TransitionIn(Schema):
    action: StaffAction  # type: ignore[valid-type]
    reason: str = Field("", max_length=4000)
    answer: str = Field("", max_length=8000)
    agency: str | None = Field(
        None,
        description="Kode OPD tujuan: wajib untuk redisposition dan assign; pada verify "
        "hanya ruang kendali yang boleh memilih OPD selain OPD kategori.",
    )
    privacy: PrivacyCode | None = Field(  # type: ignore[valid-type]
        None, description="Pada verify: memperketat mode privasi (mis. ke confidential)."
    )
    latitude: float | None = Field(None, ge=-90, le=90, description="Pada place: lintang.")
    longitude: float | None = Field(None, ge=-180, le=180, description="Pada place: bujur.")
    address: str = Field("", max_length=300, description="Pada place: alamat.")


class BulkIn(Schema):
    codes: list[str] = Field(..., min_length=1, max_length=100)
    action: BulkAction
    reason: str = Field("", max_length=4000)


class BulkOut(Schema):
    done: list[str]
    failed: list[str]
    not_found: list[str]


class MergeIn(Schema):
    into: str = Field(..., description="Kode laporan utama.")
    reason: str = Field("", max_length=4000)


# Performance ----------------------------------------------------------------------------------


class PerformanceFilters(Schema):
    since: dt.date | None = None
    until: dt.date | None = None


class AgencyPerformanceOut(Schema):
    agency_code: str
    agency_name: str
    received: int
    resolved: int
    median_first_response_hours: float | None
    median_resolution_hours: float | None
    within_deadline_share: float | None
    average_rating: float | None
    reopened_share: float | None
    ping_pong: int


# Messaging webhooks ---------------------------------------------------------------------------


class WebhookMessageIn(Schema):
    """One inbound message as relayed by a messaging gateway."""

    message_id: str = Field(..., min_length=1, max_length=128)
    sender: str = Field(
        ..., alias="from", min_length=3, max_length=200, description="Nomor HP atau akun pengirim."
    )
    name: str = Field("", max_length=150)
    text: str = Field(..., max_length=8000)
    category: str | None = Field(None, max_length=60)
    lat: float | None = None
    lon: float | None = None
    address: str = Field("", max_length=300)


class WebhookOut(Schema):
    code: str
