"""Encryption at rest for personal data (phone numbers, NIK) and keyed digests for lookups."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


def _key_material() -> bytes:
    return (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()


@lru_cache(maxsize=4)
def _fernet(material: bytes) -> Fernet:
    key = base64.urlsafe_b64encode(hashlib.sha256(b"terang-field:" + material).digest())
    return Fernet(key)


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(_key_material()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    return _fernet(_key_material()).decrypt(token.encode()).decode()


def digest(value: str) -> str:
    """Keyed digest so an identifier can be looked up without storing it in clear text."""
    return hmac.new(_key_material(), value.strip().lower().encode(), hashlib.sha256).hexdigest()
