"""Rate limits: the client address behind proxies (shared with axes), the per-process fallback
when Redis is down, city policy rows edited in the admin, and the admin login limit."""

from __future__ import annotations

import logging

import pytest
from axes.helpers import get_client_ip_address
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory, override_settings

from terang.core import ratelimit
from terang.core.choices import RateLimitAction, Role
from terang.core.errors import RateLimited
from terang.core.models import RateLimitPolicy
from tests.factories import UserFactory, login_verified, make_staff

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture(autouse=True)
def _fresh_limiter():
    ratelimit.reset_local_state()
    yield
    ratelimit.reset_local_state()


def set_policy(action: str, per_source: int, per_account: int, window: int = 3600) -> None:
    RateLimitPolicy.objects.update_or_create(
        action=action,
        defaults={"per_source": per_source, "per_account": per_account, "window_seconds": window},
    )
    ratelimit.forget_rate_limit_policies()


def request_from(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/lapor/", **extra)


# Client address ---------------------------------------------------------------------------------


def test_spoofed_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = request_from("203.0.113.7", "198.51.100.1, 198.51.100.2")

    assert ratelimit.client_ip_address(request) == "203.0.113.7"
    assert get_client_ip_address(request) == "203.0.113.7"  # axes sees the same address


def test_behind_one_proxy_the_rightmost_forwarded_address_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "6.6.6.6"; nginx appended the address it saw.
    request = request_from("127.0.0.1", "6.6.6.6, 203.0.113.7")

    assert ratelimit.client_ip_address(request) == "203.0.113.7"
    assert get_client_ip_address(request) == "203.0.113.7"


def test_behind_a_cdn_and_nginx_the_second_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("127.0.0.1", "6.6.6.6, 203.0.113.7, 192.0.2.10")

    assert ratelimit.client_ip_address(request) == "203.0.113.7"


def test_fewer_hops_than_proxies_uses_the_leftmost_and_garbage_falls_back(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert ratelimit.client_ip_address(request_from("127.0.0.1", "203.0.113.7")) == "203.0.113.7"
    assert ratelimit.client_ip_address(request_from("127.0.0.1", "x, y")) == "127.0.0.1"
    assert ratelimit.client_ip_address(request_from("127.0.0.1")) == "127.0.0.1"
    assert (
        ratelimit.client_ip_address(request_from("127.0.0.1", "203.0.113.7:5123, 192.0.2.1"))
        == "203.0.113.7"
    )


def test_spoofed_forwarded_for_does_not_escape_the_limit(settings, db):
    settings.TRUSTED_PROXY_COUNT = 0
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=2, per_account=2)

    for n in range(2):
        ratelimit.enforce(request_from("203.0.113.7", f"10.0.0.{n}"), "aspiration_submit")
    with pytest.raises(RateLimited):
        ratelimit.enforce(request_from("203.0.113.7", "10.0.0.99"), "aspiration_submit")


def test_ipv6_addresses_are_counted_per_64(db):
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=1, per_account=1)

    ratelimit.enforce(request_from("2001:db8:1:2::1"), "aspiration_submit")
    with pytest.raises(RateLimited):
        ratelimit.enforce(request_from("2001:db8:1:2:ffff::9"), "aspiration_submit")
    ratelimit.enforce(request_from("2001:db8:1:3::1"), "aspiration_submit")


# Enforcement ------------------------------------------------------------------------------------


def test_refusal_carries_retry_after_seconds_within_the_window(db):
    set_policy(RateLimitAction.TRACKING_LOOKUP, per_source=1, per_account=1, window=60)
    ratelimit.enforce(request_from("203.0.113.7"), "tracking_lookup")

    with pytest.raises(RateLimited) as caught:
        ratelimit.enforce(request_from("203.0.113.7"), "tracking_lookup")

    assert caught.value.status == 429
    assert caught.value.code == "rate_limited"
    assert 1 <= caught.value.details["retry_after_seconds"] <= 60


def test_staff_are_exempt_and_the_switch_turns_limits_off(db, settings):
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=1, per_account=1)
    staff_request = request_from("203.0.113.7")
    staff_request.user = make_staff(Role.OFFICER)
    for _ in range(3):
        ratelimit.enforce(staff_request, "aspiration_submit")

    settings.RATE_LIMITS_ENABLED = False
    for _ in range(3):
        ratelimit.enforce(request_from("198.51.100.1"), "aspiration_submit")


def test_seeded_policy_rows_match_the_documented_defaults(db):
    rows = {
        row.action: ratelimit.Limits(row.per_source, row.per_account, row.window_seconds)
        for row in RateLimitPolicy.objects.all()
    }

    assert rows == {str(action): limits for action, limits in ratelimit.DEFAULT_LIMITS.items()}
    assert rows["aspiration_submit"] == ratelimit.Limits(60, 10, 3600)
    assert rows["tracking_lookup"] == ratelimit.Limits(120, 120, 60)


def test_policy_is_read_from_the_cache_without_a_query_per_request(db, django_assert_num_queries):
    ratelimit.enforce(request_from("203.0.113.7"), "follow")

    with django_assert_num_queries(0):
        ratelimit.enforce(request_from("203.0.113.7"), "follow")


# Redis outage -----------------------------------------------------------------------------------


@pytest.fixture
def dead_redis():  # type: ignore[no-untyped-def]
    with override_settings(CACHES=DEAD_REDIS):
        yield
    caches.close_all()


def test_counting_survives_a_dead_shared_cache(dead_redis, caplog):
    caplog.set_level(logging.WARNING, logger="terang.ratelimit")

    results = [ratelimit.hit("probe", 2, 60) for _ in range(3)]

    assert results == [True, True, False]
    assert len([r for r in caplog.records if r.name == "terang.ratelimit"]) == 1


def test_redis_down_falls_back_to_a_per_process_limit_and_warns_once(db, dead_redis, caplog):
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=3, per_account=3)
    caplog.set_level(logging.WARNING, logger="terang.ratelimit")

    for _ in range(3):
        ratelimit.enforce(request_from("203.0.113.7"), "aspiration_submit")
    with pytest.raises(RateLimited):
        ratelimit.enforce(request_from("203.0.113.7"), "aspiration_submit")
    ratelimit.enforce(request_from("198.51.100.1"), "aspiration_submit")

    warnings = [r for r in caplog.records if r.name == "terang.ratelimit"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "rate limits count per process" in warnings[0].getMessage()


def test_redis_down_never_turns_a_report_into_a_500(client, db, dead_redis, monkeypatch):
    # The policy cache has its own outage handling (not this module's): keep it local here.
    monkeypatch.setattr("terang.core.policy_cache.cache", LocMemCache("policy", {}))
    set_policy(RateLimitAction.TRACKING_LOOKUP, per_source=2, per_account=2, window=60)

    statuses = [client.get("/lacak/ASP-TIDAKADA/").status_code for _ in range(3)]

    assert statuses == [404, 404, 429]


# Admin ------------------------------------------------------------------------------------------


def test_admin_login_is_limited_per_address(client, db):
    set_policy(RateLimitAction.ADMIN_LOGIN, per_source=3, per_account=0, window=600)
    UserFactory(username="admin-kota")

    statuses = []
    for n in range(4):
        response = client.post(
            "/admin/login/",
            {"username": f"tebakan-{n}", "password": "salah"},
            HTTP_USER_AGENT=f"agen-{n}",
        )
        statuses.append(response.status_code)

    assert statuses == [200, 200, 200, 429]
    assert int(response["Retry-After"]) > 0
    assert "core/rate_limited.html" in [t.name for t in response.templates]
    other = client.post(
        "/admin/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="198.51.100.1"
    )
    assert other.status_code == 200


def test_administrator_edits_a_limit_in_the_admin_and_it_applies_at_once(
    client, db, django_capture_on_commit_callbacks
):
    admin_client = client
    login_verified(admin_client, make_staff(Role.ADMIN, username="admin-kota"))
    row = RateLimitPolicy.objects.get(action="tracking_lookup")
    listing = admin_client.get("/admin/core/ratelimitpolicy/")
    assert listing.status_code == 200
    assert "Lacak laporan dengan kode" in listing.content.decode()
    ratelimit.enforce(request_from("203.0.113.7"), "tracking_lookup")  # policy now cached

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/core/ratelimitpolicy/{row.pk}/change/",
            {"action": "tracking_lookup", "per_source": 1, "per_account": 1, "window_seconds": 60},
        )

    assert response.status_code == 302, response.content
    row.refresh_from_db()
    assert (row.per_source, row.per_account, row.window_seconds) == (1, 1, 60)
    ratelimit.enforce(request_from("198.51.100.1"), "tracking_lookup")
    with pytest.raises(RateLimited):
        ratelimit.enforce(request_from("198.51.100.1"), "tracking_lookup")
