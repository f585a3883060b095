# ruff: noqa: F811 - fixtures imported from other test modules are used by name
"""End to end on PostgreSQL: the wall served by the stream process (uvicorn running
`terang.asgi_streams`) with WALL_STREAM_URL set, in Chromium: the page opens the event stream and
a new report appears within 2 seconds. PostgreSQL only, because the uvicorn process must reach
the test database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from terang.aspirations.services import submit_aspiration
from tests.aspirations.conftest import INSIDE_A, login_staff
from tests.aspirations.test_browser import browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

UVICORN = Path(sys.executable).with_name("uvicorn")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{params['NAME']}"


@pytest.fixture
def stream_server():
    # The postgres marker makes tests/conftest.py skip this locally without PostgreSQL and fail
    # it when CI=true.
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "WALL_STREAM_URL": "/ruang-kendali/stream",
        "SECRET_KEY": settings.SECRET_KEY,
        "TERANG_SERVE_STATIC": "1",
    }
    env.pop("REDIS_URL", None)  # the stream process and this test share no cache
    process = subprocess.Popen(  # noqa: S603 - our own venv's uvicorn
        [
            str(UVICORN),
            "terang.asgi_streams:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "on",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"uvicorn did not start: {process.stdout.read().decode()[-2000:]}")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_wall_streams_a_new_report_within_two_seconds(
    stream_server, browser, kelurahan, category, operator
):
    client = Client()
    login_staff(client, operator)
    context = browser.new_context(locale="id-ID")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": stream_server,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{stream_server}/ruang-kendali/", timeout=20000)
    assert page.locator("#wall[data-stream]").count() == 1
    stats_url = f"{stream_server}/ruang-kendali/stream/stats"
    deadline = time.monotonic() + 10
    while json.load(urllib.request.urlopen(stats_url))["subscribers"] != 1:  # noqa: S310
        assert time.monotonic() < deadline, "the page did not open the event stream"
        time.sleep(0.1)

    item = submit_aspiration(
        title="Pohon tumbang di Jl. Melati",
        text="Menutup separuh jalan sejak pagi.",
        category=category,
        reporter_contact="warga@contoh.id",
        location=INSIDE_A,
    )
    committed = time.monotonic()
    page.wait_for_selector(f'#wall-events li[data-key="aspiration:{item.code}:new"]', timeout=2000)
    assert time.monotonic() - committed < 2.0
    context.close()
