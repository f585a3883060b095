"""Provider adapters for SMS and WhatsApp. Each real provider implements `MessageAdapter`."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("terang.notifications")


class DeliveryError(Exception):
    """Raised by an adapter when a message could not be handed to the provider."""


class MessageAdapter(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> None: ...


class ConsoleAdapter:
    """Demo adapter: writes the message to the log instead of a provider."""

    sent: list[dict[str, str]] = []

    def send(self, *, to: str, subject: str, body: str) -> None:
        logger.warning("MESSAGE to %s: %s\n%s", to, subject, body)
        ConsoleAdapter.sent.append({"to": to, "subject": subject, "body": body})


def adapter_for(channel: str) -> MessageAdapter:
    path = settings.WHATSAPP_ADAPTER if channel == "whatsapp" else settings.SMS_ADAPTER
    return import_string(path)()
