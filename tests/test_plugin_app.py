"""A new app joins the platform by registering in its own `ready()`, with no other app or core
edited: `tests.plugin_app` registers a wall source, an MQTT topic and a periodic job, and they
appear on the wall, in the ingest worker, in Celery beat's schedule and in the in-process
scheduler."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command

from terang.core import periodic
from terang.core.ingest.worker import IngestWorker, consume
from terang.core.wall import wall_sources
from tests.plugin_app import ingest, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def plugin_installed(settings):  # type: ignore[no-untyped-def]
    """The registry stores are restored after every test (tests/conftest.py)."""
    ingest.RECEIVED.clear()
    tasks.RUNS.clear()
    cache.clear()
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "tests.plugin_app"]
    yield
    ingest.RECEIVED.clear()
    tasks.RUNS.clear()
    cache.clear()


def test_nothing_of_the_plugin_is_registered_until_it_is_installed():
    assert "plugin_app" not in [source.name for source in wall_sources()]
    assert "plugin-app-tick" not in periodic.beat_schedule()
    worker = IngestWorker(url="mqtt://127.0.0.1:1", client_id="t", topic_root="kota")
    assert "kota/plugin-app/+" not in worker.subscriptions


def test_the_plugin_reaches_the_wall_the_worker_and_both_schedulers(plugin_installed):
    assert "plugin_app" in [source.name for source in wall_sources()]

    worker = IngestWorker(url="mqtt://127.0.0.1:1", client_id="t", topic_root="kota")
    assert "kota/plugin-app/+" in worker.subscriptions
    outcome = consume([("kota/plugin-app/sungai-1", b"3.2")], root="kota")
    assert outcome.results["plugin_app"].stored == 1
    assert ingest.RECEIVED == [(("sungai-1",), b"3.2")]

    entry = periodic.beat_schedule()["plugin-app-tick"]
    assert entry["task"] == "tests.plugin_app.tasks.tick"
    assert entry["schedule"].run_every == dt.timedelta(seconds=60)
    out = StringIO()
    call_command("run-periodic", "--job", "plugin-app-tick", stdout=out)
    assert tasks.RUNS == ["tick"]
    assert "plugin-app-tick" in out.getvalue()
