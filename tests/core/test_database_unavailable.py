"""When the database cannot be reached or a statement times out, pages and the API answer 503
with Retry-After and a clear message (the API in its JSON error shape), not a 500; the outage
is logged once, not per request. The hung-server case runs in test_degraded_database.py."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from terang.core import degrade
from terang.core.models import CityProfile, User

from .outages import fresh_circuits  # noqa: F401 - autouse fixture

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_gone(error: type[Exception] = OperationalError) -> Iterator[None]:
    def refuse(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        raise error("connection to server at 127.0.0.1 failed: timeout expired")

    degrade.reset()
    with connection.execute_wrapper(refuse):
        yield
    degrade.reset()


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_answers_503_with_retry_after(error):
    with database_gone(error):
        response = Client(raise_request_exception=True).get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Layanan sedang tidak tersedia" in response.content.decode()


def test_the_api_keeps_its_json_error_shape():
    with database_gone():
        response = Client().get("/api/v1/aspirations")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {
        "error": {
            "code": "service_unavailable",
            "message": "Layanan sedang tidak tersedia. Coba lagi sebentar lagi.",
            "details": {"retry_after": 30},
        }
    }


def test_a_signed_in_visitor_gets_503_not_500_when_their_session_cannot_be_read():
    client = Client()
    client.force_login(User.objects.create_user(username="warga", password="x-Y-z-123456"))

    with database_gone():
        response = client.get("/aspirasi/")

    assert response.status_code == 503


def test_json_callers_of_pages_get_json():
    with database_gone():
        response = Client().get("/kinerja.json", HTTP_ACCEPT="application/json")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"


def test_the_outage_is_logged_once_not_per_request(caplog):
    with caplog.at_level(logging.WARNING, logger="terang.degrade"), database_gone():
        for _ in range(3):
            assert Client().get("/").status_code == 503

    messages = [r.getMessage() for r in caplog.records if r.name == "terang.degrade"]
    assert len(messages) == 1
    assert messages[0].startswith("database unavailable")


def test_other_errors_still_answer_500():
    """Only an unreachable database is a 503: a bug stays a 500 that pages someone."""
    with connection.execute_wrapper(lambda *args: (_ for _ in ()).throw(ValueError("bug"))):
        response = Client(raise_request_exception=False).get("/")

    assert response.status_code == 500


@pytest.mark.postgres
def test_postgres_sessions_carry_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


@pytest.mark.postgres
def test_a_statement_past_the_timeout_answers_503():
    CityProfile.objects.create(name="Kota Uji", slug="kota-uji")
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '100ms'")

    def slow(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        return execute("SELECT pg_sleep(2)", None, many, context)

    with connection.execute_wrapper(slow):
        response = Client().get("/api/v1/aspirations")

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
