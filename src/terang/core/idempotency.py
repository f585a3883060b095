"""`Idempotency-Key` support for create endpoints: a retried request gets the first result."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .errors import Conflict
from .models import IdempotencyRecord


def request_digest(payload: Any) -> str:
    blob = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def run_once(
    *, scope: str, key: str | None, digest: str, create: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """Run `create` once per (scope, key). Returns (status, body, replayed).

    `create` runs in the same transaction as the record, so a failed create stores nothing and
    a retry runs it again. A key reused with a different request is a conflict.
    """
    if not key:
        status, body = create()
        return status, body, False
    key = key[:128]
    existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                status, body = create()
                IdempotencyRecord.objects.create(
                    scope=scope,
                    key=key,
                    request_digest=digest,
                    response_status=status,
                    response_body=body,
                )
                return status, body, False
        except IntegrityError:
            # A concurrent request with the same key won the race; fall through to replay it.
            for _attempt in range(50):
                existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
                if existing:
                    break
                time.sleep(0.05)
            if existing is None:
                raise
    if existing.request_digest != digest:
        raise Conflict(
            _("Idempotency-Key sudah dipakai untuk permintaan lain."),
            details={"reason": "idempotency_key_reused"},
        )
    return existing.response_status, existing.response_body, True
