"""Inbound messages from messaging gateways (WhatsApp, SMS, email, Instagram, Facebook, X).

A gateway POSTs one message per request to /api/v1/webhooks/<provider>. The request is trusted
only when it carries an HMAC-SHA256 of the raw body made with that provider's shared secret
(`settings.WEBHOOK_SECRETS[provider]`), as `X-Terang-Signature: sha256=<hex>`; for WhatsApp
Meta's own `X-Hub-Signature-256: sha256=<hex>` is accepted too. Each message becomes a public
aspiration on the provider's channel, once per (provider, message_id), so a gateway's retries
never create duplicates.

Messages name no category, usually. The fallback is a rule administrators steer with data:
the active category whose code is the city profile's `webhook_fallback_category` (default
``umum-lainnya``, "general / other"), else the first active category created.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from pydantic import ValidationError

from terang.core.api_auth import NotAuthenticated
from terang.core.errors import NotFound, ValidationFailed
from terang.core.idempotency import derived_key
from terang.core.selectors import get_city

from .choices import Channel, Privacy
from .models import Category
from .schemas import WebhookMessageIn
from .services import Location, Once, Submission, submit_aspiration_once

PROVIDER_CHANNELS: dict[str, str] = {
    "whatsapp": Channel.WHATSAPP,
    "sms": Channel.SMS,
    "email": Channel.EMAIL,
    "instagram": Channel.INSTAGRAM,
    "facebook": Channel.FACEBOOK,
    "x": Channel.X,
}
SIGNATURE_HEADER = "X-Terang-Signature"
META_SIGNATURE_HEADER = "X-Hub-Signature-256"
DEFAULT_FALLBACK_CATEGORY = "umum-lainnya"
TITLE_LENGTH = 80


def fallback_category() -> Category | None:
    """The category for messages that name none (see the module docstring for the rule)."""
    city = get_city()
    code = city.webhook_fallback_category if city else DEFAULT_FALLBACK_CATEGORY
    active = Category.objects.filter(is_active=True).select_related("agency")
    return active.filter(code=code).first() or active.order_by("pk").first()


def _signatures(provider: str, headers: Mapping[str, str]) -> list[str]:
    names = [SIGNATURE_HEADER]
    if provider == "whatsapp":
        names.append(META_SIGNATURE_HEADER)
    found = []
    for name in names:
        value = (headers.get(name) or "").strip()
        if value.startswith("sha256="):
            found.append(value.removeprefix("sha256=").lower())
    return found


def verify_signature(provider: str, body: bytes, headers: Mapping[str, str]) -> None:
    """Raise `NotAuthenticated` unless a signature header matches the body (constant time)."""
    secret = settings.WEBHOOK_SECRETS.get(provider, "")
    candidates = _signatures(provider, headers)
    if not secret or not candidates:
        raise NotAuthenticated(
            _("Tanda tangan webhook tidak ada."), details={"reason": "missing_signature"}
        )
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    matched = False
    for candidate in candidates:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise NotAuthenticated(
            _("Tanda tangan webhook tidak valid."), details={"reason": "invalid_signature"}
        )


def parse_message(body: bytes) -> WebhookMessageIn:
    try:
        return WebhookMessageIn.model_validate(json.loads(body or b"null"))
    except (ValueError, ValidationError) as exc:
        errors = (
            exc.errors(include_url=False, include_context=False, include_input=False)
            if isinstance(exc, ValidationError)
            else [{"msg": "invalid JSON"}]
        )
        raise ValidationFailed(details={"errors": errors}) from exc


def _title_from(text: str) -> str:
    words = " ".join(text.split())
    if len(words) <= TITLE_LENGTH:
        return words
    cut = words[:TITLE_LENGTH]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut[: TITLE_LENGTH - 1]
    return head + "…"


def receive_message(
    *, provider: str, body: bytes, headers: Mapping[str, str]
) -> tuple[int, dict[str, str]]:
    """Verify, parse and submit one inbound message. Returns (HTTP status, {"code"})."""
    channel = PROVIDER_CHANNELS.get(provider)
    if channel is None:
        raise NotFound(details={"reason": "unknown_provider"})
    verify_signature(provider, body, headers)
    message = parse_message(body)

    category = message.category or fallback_category()
    if category is None:
        raise ValidationFailed(
            _("Belum ada kategori aktif."),
            details={"field": "category", "reason": "unknown_category"},
        )
    submission = Submission(
        title=_title_from(message.text),
        text=message.text,
        category=category,
        channel=channel,
        privacy=Privacy.PUBLIC,
        location=Location(latitude=message.lat, longitude=message.lon, address=message.address),
        location_required=False,
        reporter_name=message.name,
        reporter_contact=message.sender,
    )
    outcome = submit_aspiration_once(
        submission,
        once=Once(
            "webhook", derived_key(message.message_id) if message.message_id else None, provider
        ),
        respond=lambda aspiration: (201, {"code": aspiration.code}),
    )
    return outcome.status, outcome.body
