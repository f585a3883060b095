"""Encryption at rest for personal data (phone numbers, NIK, contacts) and keyed digests for
lookups, with keys that rotate.

Keys (settings, from the environment):
- ``FIELD_ENCRYPTION_KEY``: the current Fernet key; every new value is encrypted with it.
- ``FIELD_ENCRYPTION_OLD_KEYS``: earlier keys, decrypt only, until ``terang reencrypt-fields``
  has rewritten every column with the current key.
- ``FIELD_DIGEST_KEY``: the HMAC key of lookup digests (phone sign-in, NIK and repeat-caller
  lookups, API and device tokens). It is separate so rotating the encryption key never breaks a
  lookup, and it cannot rotate itself: a digest cannot be recomputed without its clear text.

Backwards compatibility. Before rotation existed every value was encrypted with a key *derived*
from one secret, Fernet(urlsafe_b64(sha256(b"terang-field:" + material))), where material was
FIELD_ENCRYPTION_KEY or, when unset, SECRET_KEY; digests were HMAC-SHA256 keyed with the raw
material. So:
- every configured key, current or old, also decrypts through its derived key; an old key may be
  such legacy material rather than a Fernet key (it then only derives);
- without FIELD_DIGEST_KEY, digests keep the legacy material (FIELD_ENCRYPTION_KEY, else
  SECRET_KEY), so stored digests keep matching; production requires FIELD_DIGEST_KEY, which an
  existing installation pins to that same material;
- a current key that is not a Fernet key (development only: production refuses it) encrypts
  through its derived key, as before.

Encrypted columns are the model fields whose name ends in ``_encrypted``; each holds a token of
this module (or "" for no value). ``encrypted_columns()`` finds them all for re-encryption.

Reading: ``decrypt`` raises ``UnreadableField`` when no key opens a token. Pages and API
responses use ``decrypt_or_placeholder``, which logs the failure (model, field, primary key, never
the value) and shows "tidak terbaca" instead of failing the page; services that need the real
value (sending a message) call ``decrypt_field`` and fail that one operation cleanly.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

ENCRYPTED_SUFFIX = "_encrypted"


class UnreadableField(Exception):  # noqa: N818 - reads as the condition it reports
    """A stored token that no configured key decrypts: a key missing from the configuration
    (e.g. removed from FIELD_ENCRYPTION_OLD_KEYS too early) or a corrupted value."""


class Unreadable(str):
    """What a page shows instead of a value that cannot be decrypted. Templates tell it apart
    from a real value with ``{% if value.unreadable %}``."""

    __slots__ = ()
    unreadable = True


def _legacy_fernet(material: str) -> Fernet:
    key = base64.urlsafe_b64encode(hashlib.sha256(b"terang-field:" + material.encode()).digest())
    return Fernet(key)


def _fernets_for(material: str) -> list[Fernet]:
    """The key itself when it is a Fernet key, then its legacy derived key."""
    try:
        direct = [Fernet(material)]
    except ValueError:
        direct = []
    return [*direct, _legacy_fernet(material)]


@lru_cache(maxsize=8)
def _keyring(current: str, old: tuple[str, ...]) -> tuple[Fernet, MultiFernet]:
    """(the encrypting key, every key that decrypts, the encrypting one first)."""
    fernets = _fernets_for(current)
    for material in old:
        fernets.extend(_fernets_for(material))
    return fernets[0], MultiFernet(fernets)


def _current_keyring() -> tuple[Fernet, MultiFernet]:
    current = settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    old = tuple(settings.FIELD_ENCRYPTION_OLD_KEYS)
    return _keyring(current, old)


def encrypt(value: str) -> str:
    if not value:
        return ""
    primary, _ = _current_keyring()
    return primary.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The clear text of `token`, trying the current key, then the old ones (and the legacy
    derived form of each); ``UnreadableField`` when none opens it."""
    if not token:
        return ""
    _, keyring = _current_keyring()
    try:
        return keyring.decrypt(token.encode()).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise UnreadableField from exc


def is_current(token: str) -> bool:
    """Whether the current key alone opens `token` (nothing left to re-encrypt)."""
    if not token:
        return True
    primary, _ = _current_keyring()
    try:
        primary.decrypt(token.encode())
    except (InvalidToken, UnicodeError):
        return False
    return True


def reencrypt(token: str) -> str:
    """`token` encrypted again with the current key; ``UnreadableField`` if no key opens it."""
    if not token:
        return ""
    _, keyring = _current_keyring()
    try:
        return keyring.rotate(token.encode()).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise UnreadableField from exc


def log_unreadable(obj: Any, field: str) -> None:
    """Record which stored value could not be decrypted, never the value itself."""
    logger.warning(
        "Cannot decrypt %s.%s of pk=%s: no configured key opens it (a key missing from "
        "FIELD_ENCRYPTION_KEY / FIELD_ENCRYPTION_OLD_KEYS, or a corrupted value)",
        obj._meta.label,
        field,
        obj.pk,
    )


def decrypt_field(obj: Any, field: str) -> str:
    """The clear text of `obj.<field>` for a service that needs the real value; logs and raises
    ``UnreadableField`` when it cannot be decrypted."""
    try:
        return decrypt(getattr(obj, field))
    except UnreadableField:
        log_unreadable(obj, field)
        raise


def placeholder() -> Unreadable:
    return Unreadable(gettext("tidak terbaca"))


def decrypt_or_placeholder(obj: Any, field: str) -> str:
    """The clear text of `obj.<field>` for display, or the "tidak terbaca" placeholder (logged)
    when it cannot be decrypted, so one bad value never fails a page."""
    try:
        return decrypt_field(obj, field)
    except UnreadableField:
        return placeholder()


def is_unreadable(value: object) -> bool:
    return isinstance(value, Unreadable)


def _digest_key() -> bytes:
    return (
        settings.FIELD_DIGEST_KEY or settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY
    ).encode()


def digest(value: str) -> str:
    """Keyed digest so an identifier can be looked up without storing it in clear text."""
    return hmac.new(_digest_key(), value.strip().lower().encode(), hashlib.sha256).hexdigest()


def generate_keys() -> dict[str, str]:
    """Fresh SECRET_KEY, FIELD_ENCRYPTION_KEY and FIELD_DIGEST_KEY, safe in an env file
    (urlsafe characters only, nothing a shell or a .env parser would interpret)."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "FIELD_DIGEST_KEY": secrets.token_urlsafe(48),
    }


def encrypted_columns() -> list[tuple[Any, list[str]]]:
    """Every installed model with its encrypted fields (named ``*_encrypted``), in a stable
    order."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if f.name.endswith(ENCRYPTED_SUFFIX)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda item: item[0]._meta.label)
