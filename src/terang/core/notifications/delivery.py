"""Deliver one stored notification through its channel."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import timezone

from ..choices import NotificationChannel, NotificationStatus
from ..crypto import UnreadableField, decrypt_field
from ..models import Notification
from .adapters import adapter_for

MAX_ATTEMPTS = 6


def deliver(notification: Notification) -> None:
    """Send and mark as sent; on failure record the error and re-raise for the task to retry.
    An address no configured key decrypts fails at once (retrying cannot help); it is logged."""
    notification.attempts += 1
    try:
        address = decrypt_field(notification, "address_encrypted")
    except UnreadableField:
        notification.status = NotificationStatus.FAILED
        notification.last_error = "address unreadable: no configured key decrypts it"
        notification.save(update_fields=["attempts", "last_error", "status"])
        raise
    try:
        if notification.channel == NotificationChannel.EMAIL:
            send_mail(notification.subject, notification.body, None, [address])
        else:
            adapter_for(notification.channel).send(
                to=address, subject=notification.subject, body=notification.body
            )
    except Exception as exc:
        notification.last_error = str(exc)[:500]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = NotificationStatus.FAILED
        notification.save(update_fields=["attempts", "last_error", "status"])
        raise
    notification.status = NotificationStatus.SENT
    notification.sent_at = timezone.now()
    notification.save(update_fields=["attempts", "status", "sent_at", "last_error"])
