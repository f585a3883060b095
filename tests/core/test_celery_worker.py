"""The production path for background work: a real Celery worker on the Redis broker
delivers an outbox message that a committed transaction queued."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection

from terang.core.choices import NotificationStatus
from terang.core.models import Notification

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings, tmp_path):
    """A worker process bound to this test's database and a scratch Redis broker database."""
    broker = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/12"
    db = connection.settings_dict
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "SMS_ADAPTER": "terang.core.notifications.adapters.ConsoleAdapter",
        "TERANG_HOME": str(tmp_path),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    queue = f"test-{uuid.uuid4().hex[:12]}"  # other test sessions on this broker stay apart
    process = subprocess.Popen(  # noqa: S603 - fixed argv, queue name is ours
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "terang",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    settings.CELERY_BROKER_URL = broker
    from terang.celery import app

    def use_broker(url: str, *, eager: bool, queue: str) -> None:
        # Producer pools built earlier in this process would still point at the old broker.
        app.conf.broker_url = url
        app.conf.task_always_eager = eager
        app.conf.task_default_queue = queue
        app._pool = None
        app.amqp._producer_pool = None

    previous = (app.conf.broker_url, app.conf.task_default_queue)
    use_broker(broker, eager=False, queue=queue)
    try:
        yield process
    finally:
        use_broker(previous[0], eager=True, queue=previous[1])
        process.terminate()
        process.wait(timeout=30)


def test_worker_delivers_a_queued_notification(worker):
    from terang.core.notifications import queue_notification

    notification = queue_notification(
        channel="sms", address="+6281234567890", subject="Uji", body="Pesan uji dari antrean"
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.status == NotificationStatus.SENT:
            break
        time.sleep(0.5)
    assert notification.status == NotificationStatus.SENT, worker.stderr.read1().decode()
    assert notification.attempts == 1
    assert Notification.objects.count() == 1
