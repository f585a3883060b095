"""Notification outbox: a message is stored in the writer's transaction and delivered after
commit by a Celery task with retries, so delivery never blocks or breaks the request."""

from __future__ import annotations

from django.db import transaction

from ..choices import NotificationChannel
from ..crypto import UnreadableField, decrypt_field, encrypt
from ..models import Notification, User


def queue_notification(
    *, channel: str, address: str, subject: str, body: str, recipient: User | None = None
) -> Notification | None:
    if not address:
        return None
    notification = Notification.objects.create(
        recipient=recipient,
        channel=channel,
        address_encrypted=encrypt(address),
        subject=subject[:200],
        body=body,
    )
    from ..tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return notification


def notify_user(*, user: User, subject: str, body: str) -> Notification | None:
    """Send to the user's verified contact: email first, else their mobile number by SMS."""
    if user.email:
        return queue_notification(
            channel=NotificationChannel.EMAIL,
            address=user.email,
            subject=subject,
            body=body,
            recipient=user,
        )
    if user.phone_encrypted:
        try:
            phone = decrypt_field(user, "phone_encrypted")
        except UnreadableField:
            return None  # logged; only this message is lost, not the caller's transaction
        return queue_notification(
            channel=NotificationChannel.SMS,
            address=phone,
            subject=subject,
            body=body,
            recipient=user,
        )
    return None
