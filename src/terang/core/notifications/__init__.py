"""Notification outbox: a message is stored in the writer's transaction and delivered after
commit by a Celery task with retries, so delivery never blocks or breaks the request.

When the broker is refused or hung, the enqueue gives up quickly (broker timeouts in
settings) and the row stays pending: the `deliver_pending_notifications` sweep sends it
once the broker is back."""

from __future__ import annotations

import logging

from django.db import transaction

from ..choices import NotificationChannel
from ..crypto import UnreadableField, decrypt_field, encrypt
from ..degrade import guarded
from ..models import Notification, User

logger = logging.getLogger(__name__)


def enqueue_delivery(notification_id: int) -> None:
    """Hand the notification to a worker; on any failure leave it pending for the sweep."""
    from ..tasks import deliver_notification

    try:
        guarded("broker", lambda: deliver_notification.delay(notification_id), lambda: None)
    except Exception:
        logger.exception("enqueueing notification %s failed; the sweep retries", notification_id)


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
    transaction.on_commit(lambda: enqueue_delivery(notification.pk))
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
