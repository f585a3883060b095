"""A database that accepts connections and never answers, against the production server
(gunicorn gthread running terang.wsgi): pages and the API answer 503 with Retry-After within
5 s, /healthz answers at once even while other requests are stuck, /readyz answers 503 within
2 s. A fake TCP server stands in for the hung PostgreSQL."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .outages import SilentServer, free_port

# Starts gunicorn (about 15 s): `make test-slow`. One worker runs the module, so one server.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("degraded-database")]

THREADS = 4
SLOTS = 2
CONNECT_TIMEOUT = 3  # seconds a request is stuck on the hung database
# A probe that queued behind a stuck request would wait for its connect timeout to run out:
# the probes start 1 s after the crowd, so at least 2 s. Answered "at once" means well under
# that, with room for a loaded machine's scheduling.
PROBE_BOUND = 1.0


class Server:
    def __init__(self, port: int) -> None:
        self.port = port

    def get(self, path: str, *, timeout: float = 15.0, accept: str = "text/html"):  # type: ignore[no-untyped-def]
        """(status, headers, body, seconds) of one GET."""
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers={"Accept": accept})
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        return response.status, dict(response.getheaders()), body, time.monotonic() - started


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    database = SilentServer()
    port = free_port()
    home: Path = tmp_path_factory.mktemp("hung-db")
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER",)},
        "DATABASE_URL": f"postgres://terang@127.0.0.1:{database.port}/terang",
        "DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "TERANG_HOME": str(home),
        "TERANG_REQUEST_SLOTS": str(SLOTS),
    }
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [
            sys.executable,
            "-m",
            "gunicorn",
            "terang.wsgi",
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            str(THREADS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    live = Server(port)
    deadline = time.monotonic() + 30
    while True:
        try:
            if live.get("/healthz", timeout=1)[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            database.close()
            pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
        time.sleep(0.2)
    try:
        yield live
    finally:
        process.terminate()
        process.wait(30)
        database.close()


def test_a_page_answers_503_with_retry_after_within_5_seconds(server):
    status, headers, body, seconds = server.get("/")

    assert status == 503
    assert seconds < 5
    assert headers["Retry-After"] == "30"
    assert "Layanan sedang tidak tersedia" in body.decode()


def test_the_api_answers_its_json_error_within_5_seconds(server):
    status, headers, body, seconds = server.get("/api/v1/aspirations", accept="application/json")

    assert status == 503
    assert seconds < 5
    assert headers["Retry-After"] == "30"
    assert json.loads(body)["error"]["code"] == "service_unavailable"


def test_readiness_answers_503_within_2_seconds(server):
    status, _, body, seconds = server.get("/readyz", accept="application/json")

    assert status == 503
    assert seconds < 2
    data = json.loads(body)
    assert data["status"] == "unavailable"
    assert data["checks"]["database"] == "error: timeout"


def test_liveness_stays_fast_while_every_slot_is_stuck_on_the_database(server):
    # The server has met the outage (whatever ran before on it): from then on a request that
    # finds every slot held by one waiting on the database is refused, not queued (wsgi.py).
    assert server.get("/")[0] == 503
    outcomes: list[tuple[int, float]] = []

    def stuck_request() -> None:
        status, _, _, seconds = server.get("/")
        outcomes.append((status, seconds))

    crowd = [threading.Thread(target=stuck_request) for _ in range(THREADS * 2)]
    for thread in crowd:
        thread.start()
    time.sleep(1.0)  # the first SLOTS requests now wait on the database

    probes = [server.get("/healthz", timeout=5) for _ in range(5)]

    for thread in crowd:
        thread.join(20)
    assert [status for status, *_ in probes] == [200] * 5
    assert max(seconds for *_, seconds in probes) < PROBE_BOUND
    assert json.loads(probes[0][2]) == {"status": "ok"}
    assert sorted(status for status, _ in outcomes) == [503] * len(crowd)
    assert max(seconds for _, seconds in outcomes) < 5
