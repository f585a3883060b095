"""API shapes of the fleet app."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class AgencyRef(Schema):
    code: str
    short_name: str


class LastPositionOut(Schema):
    vehicle: str = Field(..., description="Kode kendaraan.")
    plate: str
    kind: str
    agency: AgencyRef | None
    state: str = Field(
        ..., description="moving, stopped, in_depot, idle, silent atau never (belum pernah)."
    )
    ts: dt.datetime | None
    age_seconds: int | None
    lat: float | None
    lon: float | None
    speed: float | None
    heading: float | None
    idle_since: dt.datetime | None = Field(
        None, description="Awal berhenti, bila kendaraan sedang diam terlalu lama."
    )


class LastPositionsOut(Schema):
    items: list[LastPositionOut]


class FixOut(Schema):
    ts: dt.datetime
    lat: float
    lon: float
    speed: float | None
    heading: float | None


class StopOut(Schema):
    started_at: dt.datetime
    ended_at: dt.datetime
    minutes: float
    lat: float
    lon: float


class TrailOut(Schema):
    vehicle: str
    day: dt.date
    positions: list[FixOut]
    idle_periods: list[StopOut]


class CoveragePointOut(Schema):
    lat: float
    lon: float
    covered: bool


class CoverageOut(Schema):
    route: str
    name: str
    day: dt.date
    vehicle: str | None
    total: int
    passed: int
    percent: float
    points: list[CoveragePointOut]


class DayQuery(Schema):
    day: dt.date | None = Field(
        None, description="Tanggal kota (zona waktu kota); bawaan hari ini."
    )
