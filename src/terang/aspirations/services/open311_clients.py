"""API keys of external Open311 clients (apps, aggregators) that may post service requests.

Only a keyed digest of each key is stored, with its first characters so administrators can tell
keys apart; the key itself is shown once, when it is issued.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.crypto import digest
from terang.core.errors import ValidationFailed
from terang.core.models import User

from ..models import Open311Client

KEY_PREFIX_LENGTH = 8


@transaction.atomic
def issue_open311_key(*, name: str, actor: User | None = None) -> tuple[Open311Client, str]:
    """Register a client and return it with its new key, which is never stored in clear."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 150:
        raise ValidationFailed(
            _("Nama klien 1-150 karakter."), details={"field": "name", "reason": "length"}
        )
    key = secrets.token_urlsafe(32)
    client = Open311Client.objects.create(
        name=name, key_prefix=key[:KEY_PREFIX_LENGTH], key_digest=digest(key)
    )
    record_audit(
        actor=actor,
        action="open311.key_issued",
        subject=client,
        payload={"name": name, "key_prefix": client.key_prefix},
    )
    return client, key


def authenticate_open311_key(key: str | None) -> Open311Client | None:
    """The active client holding `key`, or None for a missing, unknown or revoked key."""
    key = (key or "").strip()
    if not key or len(key) > 200:
        return None
    return Open311Client.objects.filter(key_digest=digest(key), is_active=True).first()


@transaction.atomic
def revoke_open311_client(*, client: Open311Client, actor: User | None = None) -> bool:
    """Stop a client's key from working; False when it was already revoked."""
    updated = Open311Client.objects.filter(pk=client.pk, is_active=True).update(is_active=False)
    if not updated:
        return False
    client.is_active = False
    record_audit(
        actor=actor,
        action="open311.key_revoked",
        subject=client,
        payload={"key_prefix": client.key_prefix},
    )
    return True
