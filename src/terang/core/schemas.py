"""API shapes shared by every app: the one error envelope of /api/v1, and the answer of every
batch ingest endpoint (sensor readings, vehicle positions)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ninja import Field, Schema

if TYPE_CHECKING:
    from .ingest import IngestResult


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


def batch_body_doc(description: str) -> dict[str, Any]:
    """The OpenAPI request body of a batch ingest endpoint (`openapi_extra`): the body is read
    raw, one object or a list of them, so ninja cannot describe it from a schema."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "description": description,
                        "oneOf": [
                            {"type": "object"},
                            {"type": "array", "items": {"type": "object"}},
                        ],
                    }
                }
            },
        }
    }


class RejectionOut(Schema):
    index: int
    reason: str
    detail: str


class IngestOut(Schema):
    stored: int
    duplicates: int
    quarantined: int
    rejected: list[RejectionOut]

    @classmethod
    def of(cls, result: IngestResult) -> IngestOut:
        return cls(
            stored=result.stored,
            duplicates=result.duplicates,
            quarantined=result.quarantined,
            rejected=[
                RejectionOut(index=r.index, reason=r.reason, detail=r.detail)
                for r in result.rejected
            ],
        )
