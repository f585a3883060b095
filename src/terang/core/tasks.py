"""Celery tasks of the platform layer."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .choices import NotificationStatus
from .models import Notification
from .notifications.delivery import MAX_ATTEMPTS, deliver


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1, acks_late=True)
def deliver_notification(self, notification_id: int) -> str:  # type: ignore[no-untyped-def]
    notification = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.PENDING
    ).first()
    if notification is None:
        return "skipped"
    try:
        deliver(notification)
    except Exception as exc:
        if notification.status == NotificationStatus.FAILED:
            return "failed"
        # Exponential backoff: 30 s, 60 s, 120 s, ...
        raise self.retry(exc=exc, countdown=30 * 2 ** (notification.attempts - 1)) from exc
    return "sent"


@shared_task
def deliver_pending_notifications() -> int:
    """Safety net: pick up pending messages whose task was lost (e.g. broker restart)."""
    cutoff = timezone.now() - dt.timedelta(minutes=2)
    ids = list(
        Notification.objects.filter(
            status=NotificationStatus.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        deliver_notification.delay(pk)
    return len(ids)


@shared_task
def checkpoint_audit_chain() -> int | None:
    from .audit import checkpoint

    entry = checkpoint()
    return entry.seq if entry else None


@shared_task
def purge_idempotency_records() -> int:
    """Idempotency records older than their 24-hour retention go (see `core.idempotency`)."""
    from .idempotency import purge_expired

    return purge_expired()
