"""Request and response shapes of the 112 JSON API (/api/v1/emergencies). Input schemas check
types and sizes only; the rules are the services' and come back as domain errors."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from .choices import IncidentType

IncidentTypeCode = Literal[tuple(IncidentType.values)]  # type: ignore[valid-type]


class IncidentIn(Schema):
    incident_type: IncidentTypeCode = Field(..., description="Jenis kejadian.")  # type: ignore[valid-type]
    description: str = Field(..., max_length=4000, description="Uraian kejadian.")
    caller_name: str = Field("", max_length=150)
    caller_phone: str = Field(
        "", max_length=30, description="Nomor penelepon (ponsel atau telepon rumah Indonesia)."
    )
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    address: str = Field("", max_length=300, description="Alamat atau patokan lokasi.")


class DispatchIn(Schema):
    units: list[str] = Field(..., min_length=1, max_length=20, description="Kode unit.")


class OnSceneIn(Schema):
    unit: str | None = Field(
        None,
        max_length=30,
        description="Kode unit yang tiba; kosong: semua unit dalam perjalanan yang menjadi "
        "wewenang pemanggil.",
    )


class CloseIn(Schema):
    note: str = Field(..., max_length=2000, description="Hasil penanganan.")


class CancelIn(Schema):
    reason: str = Field(..., max_length=2000)
    false_call: bool = Field(False, description="Ya: panggilan palsu; tidak: dibatalkan.")


class AreaRef(Schema):
    code: str
    name: str


class AgencyRef(Schema):
    code: str
    name: str


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    agency: AgencyRef | None
    base_name: str
    base_latitude: float | None
    base_longitude: float | None
    is_available: bool
    busy_on: str | None = Field(None, description="Referensi kejadian yang sedang ditangani.")


class UnitListOut(Schema):
    items: list[UnitOut]


class StageOut(Schema):
    target_minutes: int
    due_at: dt.datetime
    done_at: dt.datetime | None
    state: str = Field(
        ..., description="on_time, late, pending, overdue, skipped (tak diperlukan), missed."
    )
    breached: bool
    minutes: int = Field(..., description="Menit terlambat, atau sisa menit bila pending.")


class IncidentSummaryOut(Schema):
    reference: str
    incident_type: str
    incident_type_label: str
    status: str
    status_label: str
    kelurahan: AreaRef | None
    address: str
    latitude: float | None
    longitude: float | None
    received_at: dt.datetime
    dispatched_at: dt.datetime | None
    on_scene_at: dt.datetime | None
    closed_at: dt.datetime | None
    elapsed_minutes: int
    dispatch: StageOut
    arrival: StageOut
    units: list[str]


class IncidentListOut(Schema):
    items: list[IncidentSummaryOut]


class CallerOut(Schema):
    name: str
    phone: str
    phone_unreadable: bool = Field(
        False, description="Nomor tersimpan tetapi tidak dapat didekripsi (phone kosong)."
    )
    earlier_calls_30_days: int


class DispatchOut(Schema):
    unit: str
    unit_name: str
    dispatched_at: dt.datetime
    arrived_at: dt.datetime | None
    released_at: dt.datetime | None


class EventOut(Schema):
    kind: str
    at: dt.datetime
    actor: str
    unit: str | None
    from_status: str
    to_status: str
    note: str


class IncidentOut(IncidentSummaryOut):
    description: str
    caller: CallerOut
    closing_note: str
    received_by: str
    dispatches: list[DispatchOut]
    events: list[EventOut]
