"""CKAN API tokens: only a keyed digest is stored (core.crypto), with the first characters so
people can tell tokens apart; the token itself is shown once when issued. A token acts with its
user's rights (a producer creates datasets for their own agency only)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terang.core.audit import record_audit
from terang.core.crypto import digest
from terang.core.errors import ValidationFailed
from terang.core.models import User

from ..models import ApiToken

TOKEN_PREFIX = "trg_"  # noqa: S105 - a marker, not a secret
PREFIX_LENGTH = 8


@transaction.atomic
def issue_api_token(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token (never stored in clear)."""
    name = (name or "").strip()
    if not 1 <= len(name) <= 150:
        message = _("Nama token 1-150 karakter.")
        raise ValidationFailed(message, details={"name": [message]})
    if not user.is_active:
        message = _("Akun tidak aktif.")
        raise ValidationFailed(message, details={"user": [message]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:PREFIX_LENGTH], digest=digest(secret)
    )
    record_audit(
        actor=actor,
        action="opendata.token_issued",
        subject=token,
        payload={"user": user.username, "name": name, "prefix": token.prefix},
    )
    return token, secret


def authenticate_api_token(secret: str | None) -> User | None:
    """The active user holding this unrevoked, unexpired token, or None."""
    secret = (secret or "").strip()
    if secret.lower().startswith("bearer "):
        secret = secret[7:].strip()
    if not secret or len(secret) > 200:
        return None
    moment = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(digest=digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.expires_at and token.expires_at <= moment):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or (moment - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
    return token.user


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User | None = None) -> bool:
    """Stop a token from working; False when it already was revoked."""
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        return False
    record_audit(
        actor=actor,
        action="opendata.token_revoked",
        subject=token,
        payload={"prefix": token.prefix},
    )
    return True
