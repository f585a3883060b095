"""Decoding what devices send (sensor stations, vehicles, any registered topic): JSON text, one
item or a batch, ISO-8601 timestamps with a time zone. A problem raises `PayloadRejected` with a
quarantine reason code; the caller stores the message in its quarantine and goes on."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

MAX_FUTURE = dt.timedelta(minutes=5)  # clock skew tolerated on a device's timestamp
PAYLOAD_LIMIT = 4000  # characters of a rejected payload kept for inspection

MALFORMED_JSON = "malformed_json"
MISSING_FIELD = "missing_field"
BAD_TIMESTAMP = "bad_timestamp"


class PayloadRejected(Exception):  # noqa: N818 - control flow inside the ingest services
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def payload_text(payload: Any) -> str:
    """The payload as text, cut to PAYLOAD_LIMIT, for the quarantine row."""
    if isinstance(payload, bytes):
        text = payload.decode("utf-8", errors="replace")
    elif isinstance(payload, str):
        text = payload
    else:
        text = json.dumps(payload, default=str, ensure_ascii=False)
    return text[:PAYLOAD_LIMIT]


def payload_items(payload: Any, batch_key: str) -> list[Any]:
    """One object, a list of them, or {batch_key: [...]} -> the list of items."""
    if isinstance(payload, bytes | str):
        try:
            payload = json.loads(payload)
        except (ValueError, UnicodeDecodeError) as exc:
            raise PayloadRejected(MALFORMED_JSON, str(exc)[:200]) from exc
    if isinstance(payload, dict) and isinstance(payload.get(batch_key), list):
        payload = payload[batch_key]
    if isinstance(payload, list):
        if not payload:
            raise PayloadRejected(MISSING_FIELD, "empty batch")
        return payload
    if isinstance(payload, dict):
        return [payload]
    raise PayloadRejected(MALFORMED_JSON, "payload must be an object or a list")


def parse_timestamp(raw: Any, now: dt.datetime) -> dt.datetime:
    """An aware ISO-8601 string -> UTC; naive, malformed or future (beyond skew) is rejected."""
    if not isinstance(raw, str):
        raise PayloadRejected(BAD_TIMESTAMP, "ts must be an ISO-8601 string")
    try:
        ts = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise PayloadRejected(BAD_TIMESTAMP, "ts is not ISO-8601") from exc
    if ts.tzinfo is None or ts.utcoffset() is None:
        raise PayloadRejected(BAD_TIMESTAMP, "ts has no time zone")
    ts = ts.astimezone(dt.UTC)
    if ts > now + MAX_FUTURE:
        raise PayloadRejected(BAD_TIMESTAMP, "ts is in the future")
    return ts
