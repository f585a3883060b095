"""API shapes shared by every app: the one error envelope of /api/v1."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ErrorBody(Schema):
    code: str = Field(..., description="Kode galat yang stabil, mis. `validation_error`.")
    message: str = Field(..., description="Pesan yang dapat ditampilkan ke pengguna.")
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorOut(Schema):
    error: ErrorBody
