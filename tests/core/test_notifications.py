"""The outbox: stored in the writer's transaction, delivered after commit, retried on failure."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from terang.core.choices import NotificationStatus
from terang.core.models import Notification, User
from terang.core.notifications import notify_user, queue_notification
from terang.core.notifications.adapters import ConsoleAdapter, DeliveryError
from terang.core.tasks import deliver_notification, deliver_pending_notifications

pytestmark = pytest.mark.django_db(transaction=True)


class FlakyAdapter:
    failures_left = 0

    def send(self, *, to: str, subject: str, body: str) -> None:
        if FlakyAdapter.failures_left:
            FlakyAdapter.failures_left -= 1
            raise DeliveryError("provider timeout")


def test_email_is_delivered_after_commit_only():
    user = User.objects.create_user(username="a", email="a@contoh.id", password="x-Y-z-123456")
    with transaction.atomic():
        notification = notify_user(user=user, subject="Halo", body="Isi")
        assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert mail.outbox[0].to == ["a@contoh.id"]


def test_rolled_back_writer_sends_nothing():
    user = User.objects.create_user(username="b", email="b@contoh.id", password="x-Y-z-123456")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_user(user=user, subject="Halo", body="Isi")
        raise RuntimeError("service failed")
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_sms_goes_through_the_adapter_and_address_is_encrypted(settings):
    settings.SMS_ADAPTER = "terang.core.notifications.adapters.ConsoleAdapter"
    ConsoleAdapter.sent.clear()
    notification = queue_notification(
        channel="sms", address="+6281234567890", subject="S", body="B"
    )
    raw = (
        Notification.objects.filter(pk=notification.pk)
        .values_list("address_encrypted", flat=True)
        .get()
    )
    assert "81234567890" not in raw
    assert ConsoleAdapter.sent[-1]["to"] == "+6281234567890"


def test_failed_delivery_is_retried_until_sent(settings):
    settings.SMS_ADAPTER = "tests.core.test_notifications.FlakyAdapter"
    FlakyAdapter.failures_left = 1
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    notification = queue_notification(
        channel="sms", address="+6281234567890", subject="S", body="B"
    )
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 2)
    assert notification.last_error == "provider timeout"
    assert deliver_pending_notifications() == 0


def test_gives_up_after_max_attempts(settings):
    settings.SMS_ADAPTER = "tests.core.test_notifications.FlakyAdapter"
    FlakyAdapter.failures_left = 100
    notification = queue_notification(
        channel="sms", address="+6281234567890", subject="S", body="B"
    )
    for _ in range(10):
        deliver_notification.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 6
    assert notification.last_error == "provider timeout"
    FlakyAdapter.failures_left = 0
