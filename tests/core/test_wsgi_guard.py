"""The WSGI guard in front of Django: /healthz never reaches Django, and the bulkhead refuses
requests only while every slot is held and the database is known to be down, never because
the process is busy or another dependency (a hung Redis) is slow."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError

from terang import wsgi
from terang.core import degrade
from terang.wsgi import Bulkhead, Guard


@pytest.fixture(autouse=True)
def _closed_circuits():  # type: ignore[no-untyped-def]
    degrade.reset()
    yield
    degrade.reset()


def call(app, path="/"):  # type: ignore[no-untyped-def]
    seen = {}

    def start_response(status, headers):  # type: ignore[no-untyped-def]
        seen["status"], seen["headers"] = status, dict(headers)

    result = app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    return seen["status"], seen["headers"], body


def test_healthz_is_answered_without_django():
    def django(environ, start_response):  # type: ignore[no-untyped-def]
        raise AssertionError("/healthz reached Django")

    status, headers, body = call(Guard(django, slots=1), "/healthz")

    assert (status, body) == ("200 OK", b'{"status": "ok"}')
    assert "no-store" in headers["Cache-Control"]


def test_a_slot_comes_back_after_the_response_and_after_an_error():
    def ok(environ, start_response):  # type: ignore[no-untyped-def]
        start_response("200 OK", [])
        return [b"ok"]

    def broken(environ, start_response):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    guard = Guard(ok, slots=1)
    for _ in range(3):
        assert call(guard)[0] == "200 OK"
    guard.app = broken
    with pytest.raises(RuntimeError):
        call(guard)
    guard.app = ok
    assert call(guard)[0] == "200 OK"


def test_requests_behind_holders_stuck_on_a_dead_database_are_refused_quickly(monkeypatch):
    monkeypatch.setattr(wsgi, "STUCK_SECONDS", 0.2)
    degrade.circuit("database").failed(OperationalError("connection timeout expired"))
    release = threading.Event()

    def hung(environ, start_response):  # type: ignore[no-untyped-def]
        release.wait(5)
        start_response("200 OK", [])
        return [b"late"]

    guard = Guard(hung, slots=1)
    holder = threading.Thread(target=call, args=(guard,))
    holder.start()
    time.sleep(0.05)

    started = time.monotonic()
    status, headers, body = call(guard, "/api/v1/aspirations")
    release.set()
    holder.join(5)

    assert status == "503 Service Unavailable"
    assert headers["Retry-After"] == "5"
    assert b'"service_unavailable"' in body
    assert time.monotonic() - started < 1


def test_requests_behind_busy_holders_wait_for_a_slot(monkeypatch):
    monkeypatch.setattr(wsgi, "STUCK_SECONDS", 0.1)
    bulkhead = Bulkhead(1)
    token = bulkhead.enter()

    def busy_then_leave() -> None:
        until = time.monotonic() + 0.5
        while time.monotonic() < until:  # CPU work: the holder makes progress
            sum(range(1000))
        bulkhead.leave(token)

    worker = threading.Thread(target=busy_then_leave)
    worker.start()
    second = bulkhead.enter()
    worker.join()

    assert second is not None
    bulkhead.leave(second)


def test_holders_waiting_on_a_slow_cache_make_callers_wait_not_fail(monkeypatch):
    """A frozen Redis holds every request for its 0.5 s timeout at once, with the process
    idle; the database is fine, so callers wait for a slot instead of getting 503."""
    monkeypatch.setattr(wsgi, "STUCK_SECONDS", 0.1)

    def slow_cache(environ, start_response):  # type: ignore[no-untyped-def]
        time.sleep(0.6)  # idle, like a socket read that times out
        start_response("200 OK", [])
        return [b"served without the cache"]

    guard = Guard(slow_cache, slots=1)
    holder = threading.Thread(target=call, args=(guard,))
    holder.start()
    time.sleep(0.05)
    status, _headers, body = call(guard, "/aspirasi/")
    holder.join(5)

    assert (status, body) == ("200 OK", b"served without the cache")
