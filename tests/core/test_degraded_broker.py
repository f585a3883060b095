# ruff: noqa: F811 - fixtures imported from other test modules are used by name
"""A broker that is refused or hung (accepts TCP, never answers) does not hold a request that
queues a message: the request answers within 2 s, the outbox row stays pending, and the
deliver-pending sweep hands it to the broker once it is back."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import signal
import time
from collections.abc import Iterator

import pytest
import redis
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from terang.core.choices import NotificationStatus
from terang.core.models import Notification
from terang.core.tasks import deliver_notification, deliver_pending_notifications

from .outages import (  # noqa: F401 - fixtures
    PrivateRedis,
    SilentServer,
    fresh_circuits,
    private_redis,
    refused_url,
    silent_server,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Kata-Sandi-Uji-2026"


@contextlib.contextmanager
def hard_deadline(seconds: float) -> Iterator[None]:
    """Fail instead of hanging the suite when a call blocks (the bug this file guards)."""

    def expired(signum, frame):  # type: ignore[no-untyped-def]
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def use_broker() -> Iterator:
    """Point the Celery app (configured from settings.py) at a broker, not eager."""
    from terang.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)

    def point(url: str | None, *, eager: bool = False) -> None:
        app.conf.broker_url = url
        app.conf.task_always_eager = eager
        # Pools built earlier in this process would still point at the old broker.
        app._pool = None
        app.amqp._producer_pool = None

    Client().get("/healthz")  # the first request of a process imports every URL module
    yield point
    point(previous[0], eager=previous[1])


def register(client):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    with hard_deadline(15):
        response = client.post(
            reverse("core:register"),
            {
                "full_name": "Siti Aminah",
                "login": "siti@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    return response, time.monotonic() - started


@pytest.mark.parametrize("outage", ["hung", "refused"])
def test_registration_is_not_held_by_a_broken_broker(
    outage, client, use_broker, silent_server, caplog
):
    use_broker(silent_server.url("redis") if outage == "hung" else refused_url())

    with caplog.at_level(logging.WARNING, logger="terang.degrade"):
        response, seconds = register(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:verify")
    assert seconds < 2
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 0)
    assert [r.getMessage().split(",")[0] for r in caplog.records] == ["broker unavailable"]


def test_pending_message_is_delivered_by_the_sweep_once_the_broker_is_back(
    client,
    use_broker,
    silent_server,
    private_redis,
):
    use_broker(silent_server.url("redis"))
    assert register(client)[0].status_code == 302
    notification = Notification.objects.get()
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))

    use_broker(private_redis.url)  # recovered
    assert deliver_pending_notifications() == 1  # run by beat on a worker

    queued = redis.Redis.from_url(private_redis.url).lrange("celery", 0, -1)
    assert len(queued) == 1
    message = json.loads(queued[0])
    assert message["headers"]["task"] == "terang.core.tasks.deliver_notification"
    assert message["headers"]["argsrepr"] == f"({notification.pk},)"
    deliver_notification.apply(args=[notification.pk])  # what the worker does with it
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert mail.outbox[0].to == ["siti@example.com"]


def test_a_broken_broker_is_tried_once_per_retry_window(
    client, use_broker, silent_server, monkeypatch
):
    """While the broker is known to be down, requests skip it instead of each waiting."""
    use_broker(silent_server.url("redis"))
    calls = []
    original = deliver_notification.delay
    monkeypatch.setattr(deliver_notification, "delay", lambda *a: calls.append(a) or original(*a))

    register(client)
    client.logout()
    from terang.core.notifications import enqueue_delivery

    started = time.monotonic()
    enqueue_delivery(Notification.objects.get().pk)

    assert time.monotonic() - started < 0.1
    assert len(calls) == 1


def test_readiness_reports_a_hung_broker_as_degraded_within_2_seconds(
    client, settings, silent_server
):
    settings.CELERY_BROKER_URL = silent_server.url("redis")
    client.get("/healthz")  # the first request of a process loads every URL module

    started = time.monotonic()
    response = client.get("/readyz")

    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "degraded"
    assert response.json()["checks"]["database"] == "ok"
