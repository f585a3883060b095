"""`Idempotency-Key` support for create endpoints: a retried request gets the first result.

Records live for `RETENTION` (24 hours): long enough for any client retry, short enough that
the table is no lasting register of who filed what. Expired records are ignored on lookup and
removed by the `purge-idempotency` beat job. A scope names the endpoint and, for identified
callers, the caller; a scope for an anonymous report never names anybody (see
`caller_scope`), so the record cannot link the report to an account.

Create endpoints call `create_once`: it digests what the request asks for, so a retry with the
same key and the same request replays the first answer, and the same key with another request
is a 409 Conflict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import Conflict, ValidationFailed
from .models import IdempotencyRecord

RETENTION = dt.timedelta(hours=24)
KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,128}")
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Outcome:
    """What a create answered: its HTTP status and body, and whether this was a replay."""

    status: int
    body: Any
    replayed: bool


def request_digest(payload: Any) -> str:
    blob = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def caller_scope(endpoint: str, caller_id: object | None, *, anonymous: bool = False) -> str:
    """The scope of a create: per caller, except an anonymous report's, which names nobody
    whoever is signed in (`endpoint:anonymous`); callers without an account share `:guest`."""
    if anonymous:
        return f"{endpoint}:{ANONYMOUS}"
    return f"{endpoint}:{caller_id if caller_id is not None else 'guest'}"


def derived_key(external_id: str) -> str:
    """A valid key for an id chosen by someone else (e.g. a messaging provider's message id)."""
    return hashlib.sha256(external_id.encode()).hexdigest()


def validate_key(key: str | None) -> str | None:
    """None for no key; a key that is not 16-128 characters of [A-Za-z0-9_-] is refused, never
    cut or rewritten (two different keys must not become one)."""
    if key is None or key == "":
        return None
    if not KEY_RE.fullmatch(key):
        raise ValidationFailed(
            _("Idempotency-Key harus 16-128 karakter huruf, angka, '-' atau '_'."),
            details={"field": "Idempotency-Key", "reason": "invalid_idempotency_key"},
        )
    return key


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete records past their retention; returns how many went."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _live(scope: str, key: str) -> IdempotencyRecord | None:
    cutoff = timezone.now() - RETENTION
    return IdempotencyRecord.objects.filter(scope=scope, key=key, created_at__gte=cutoff).first()


def run_once(
    *, scope: str, key: str | None, digest: str, create: Callable[[], tuple[int, Any]]
) -> tuple[int, Any, bool]:
    """Run `create` once per (scope, key) within the retention. Returns (status, body, replayed).

    `create` runs in the same transaction as the record, so a failed create stores nothing and
    a retry runs it again. A key reused with a different request is a conflict.
    """
    key = validate_key(key)
    if key is None:
        status, body = create()
        return status, body, False
    existing = _live(scope, key)
    if existing is None:
        try:
            with transaction.atomic():
                # An expired record of the same key would block the unique (scope, key).
                IdempotencyRecord.objects.filter(
                    scope=scope, key=key, created_at__lt=timezone.now() - RETENTION
                ).delete()
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
                existing = _live(scope, key)
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


def create_once(
    *, scope: str, key: str | None, request: Any, create: Callable[[], tuple[int, Any]]
) -> Outcome:
    """The idempotent create every create endpoint goes through.

    `request` is what the caller asks for, reduced to JSON-able values (normalised fields,
    digests of uploaded files): two requests that mean the same thing must give the same value,
    so a retry is recognised however it was written. `create` returns (status, body); the body
    is stored and a retry with the same key gets it back unchanged.
    """
    status, body, replayed = run_once(
        scope=scope, key=key, digest=request_digest(request), create=create
    )
    return Outcome(status=status, body=body, replayed=replayed)
