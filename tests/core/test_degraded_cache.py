# ruff: noqa: F811 - fixtures imported from other test modules are used by name
"""With Redis refused or hung, public pages, sign-in and submissions still answer within 2 s,
city policy comes from the database, /readyz says the cache is degraded (200), and the degraded
mode is logged once, not per request."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from terang.aspirations.models import Aspiration
from terang.core import degrade
from terang.core.models import CityProfile
from terang.core.policy_cache import forget_local_copies
from terang.core.selectors import get_city
from tests.aspirations.api_helpers import API, body

from .outages import PrivateRedis, fresh_circuits, private_redis  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/aspirasi/", "/lacak/", "/kinerja/", "/data/", "/akun/masuk/", "/lapor/"]


def deployed_cache(url: str, timeout: float) -> dict[str, Any]:
    """The cache as settings.py configures it when REDIS_URL is set."""
    return {
        "BACKEND": "terang.core.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
    }


@pytest.fixture
def redis_cache(settings, private_redis: PrivateRedis):
    settings.CACHES = {"default": deployed_cache(private_redis.url, settings.REDIS_TIMEOUT)}
    degrade.reset()
    forget_local_copies()
    cache.set("terang:probe", "1")
    assert cache.get("terang:probe") == "1"
    Client().get("/healthz")  # the first request of a process imports every URL module
    yield private_redis
    degrade.reset()


def break_redis(server: PrivateRedis, how: str) -> None:
    if how == "stopped":
        server.stop()
    else:
        server.freeze()


def timed(call):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.mark.parametrize("how", ["stopped", "frozen"])
def test_public_pages_and_sign_in_answer_fast_without_redis(
    how, redis_cache, city, kelurahan, category
):
    break_redis(redis_cache, how)
    client = Client()

    for path in PUBLIC_PAGES:
        response, seconds = timed(lambda path=path: client.get(path))
        assert response.status_code == 200, path
        assert seconds < 2, (path, seconds)


@pytest.mark.parametrize("how", ["stopped", "frozen"])
def test_submission_is_accepted_without_redis(how, redis_cache, city, kelurahan, category):
    break_redis(redis_cache, how)

    response, seconds = timed(
        lambda: Client().post(f"{API}/aspirations", body(), content_type="application/json")
    )

    assert response.status_code == 201
    assert seconds < 2
    assert Aspiration.objects.get().code == response.json()["code"]


@pytest.mark.parametrize("backend", ["resilient", "plain"])
def test_city_policy_is_read_from_the_database_without_redis(backend, settings, private_redis):
    config = deployed_cache(private_redis.url, settings.REDIS_TIMEOUT)
    if backend == "plain":  # any Redis backend: the policy cache guards its own calls
        config["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {"default": config}
    forget_local_copies()
    CityProfile.objects.create(name="Kota Uji", slug="kota-uji", reopen_window_days=3)
    private_redis.freeze()

    city_row, seconds = timed(get_city)

    assert city_row.reopen_window_days == 3
    assert seconds < 2


def test_readiness_says_the_cache_is_degraded_and_stays_in_the_pool(redis_cache, client):
    assert client.get("/readyz").json()["checks"]["cache"] == "ok"
    redis_cache.freeze()

    response, seconds = timed(lambda: client.get("/readyz"))

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "degraded"}
    assert response.json()["status"] == "degraded"
    assert seconds < 2


def test_degraded_cache_is_logged_once_not_per_request(redis_cache, caplog, city):
    redis_cache.stop()
    client = Client()

    with caplog.at_level(logging.WARNING, logger="terang.degrade"):
        for _ in range(3):
            assert client.get("/").status_code == 200

    warnings = [r for r in caplog.records if r.name == "terang.degrade"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].getMessage().startswith("cache unavailable")


def test_cache_is_used_again_once_redis_is_back(redis_cache, monkeypatch):
    monkeypatch.setattr(degrade, "RETRY_SECONDS", 0.2)
    redis_cache.freeze()
    cache.set("terang:probe", "2")  # fails: the circuit opens
    assert cache.get("terang:probe") is None  # skipped while open
    redis_cache.thaw()
    time.sleep(0.3)

    cache.set("terang:probe", "3")

    assert cache.get("terang:probe") == "3"


def test_counters_fail_fast_while_redis_is_down(redis_cache):
    """Rate limits must choose their own fallback, quickly: add/incr raise, never invent."""
    import redis.exceptions

    redis_cache.freeze()
    with pytest.raises(redis.exceptions.TimeoutError):
        cache.add("terang:counter", 0)

    _, seconds = timed(
        lambda: pytest.raises(redis.exceptions.ConnectionError, cache.incr, "terang:counter")
    )
    assert seconds < 0.1
