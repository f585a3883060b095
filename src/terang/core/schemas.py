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


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Document the error envelope for the statuses an endpoint can return (plus 500), as the
    `response={200: ..., **errors(404)}` mapping of a ninja route."""
    return {status: ErrorOut for status in (*statuses, 500)}
