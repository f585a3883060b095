"""Rate limits: fixed windows on the shared cache, per source address and per account.

Counting: the cache is Redis in production, so every worker process shares one counter per key
and window. Fixed windows may admit up to twice the limit across a window edge; this is abuse
throttling, not an exact quota. When the shared cache is down or times out, counting falls back
to a per-process in-memory window (each process then allows the full limit, which is still a
limit) and logs a WARNING at most once a minute; a request never fails because Redis did.

Sizing (the defaults below; administrators change them as RateLimitPolicy rows in the admin):
Indonesian mobile carriers put many subscribers behind one public IPv4 address (carrier-grade
NAT), and a kelurahan office or school Wi-Fi does the same, so the per-source limits are sized
for a crowd, e.g. a whole neighbourhood reporting one flood, and the per-account limits for one
person. One address filing thousands of reports a minute is stopped after the first 60.

    action              per source   per account   window   why
    aspiration_submit       60           10         1 h     a crowd vs. one person reporting
    open311_submit         600          600         1 h     per API key; aggregators batch
    photo_upload           300           50         1 h     counted per photo (5 per report)
    ppid_request            30           10         1 h     verified citizens only
    follow                 300           60         1 h     follows and kelurahan subscriptions
    tracking_lookup        120          120         1 min   guards codes against brute force
    admin_login             30            -        10 min   on top of axes' failure lockout

Staff accounts are exempt (counter intake files many reports on behalf of citizens). The source
is the client address at the configured proxy hop (`TRUSTED_PROXY_COUNT`, see
`client_ip_address`); IPv6 sources are counted per /64, the block one subscriber gets.
`RATE_LIMITS_ENABLED=false` turns the limits off (load benchmarks from one address).
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .choices import RateLimitAction
from .errors import RateLimited

logger = logging.getLogger("terang.ratelimit")

_PREFIX = "terang:rl:"
_POLICY_KEY = "terang:rate-limit-policy"
# After a shared-cache failure, count locally for this long before trying Redis again, so an
# outage does not cost every request a connection timeout.
SHARED_RETRY_SECONDS = 15.0
WARNING_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True)
class Limits:
    per_source: int  # 0 = no limit
    per_account: int  # 0 = no limit
    window_seconds: int


DEFAULT_LIMITS: dict[str, Limits] = {
    RateLimitAction.ASPIRATION_SUBMIT: Limits(60, 10, 3600),
    RateLimitAction.OPEN311_SUBMIT: Limits(600, 600, 3600),
    RateLimitAction.PHOTO_UPLOAD: Limits(300, 50, 3600),
    RateLimitAction.PPID_REQUEST: Limits(30, 10, 3600),
    RateLimitAction.FOLLOW: Limits(300, 60, 3600),
    RateLimitAction.TRACKING_LOOKUP: Limits(120, 120, 60),
    RateLimitAction.ADMIN_LOGIN: Limits(30, 0, 600),
}


# Counting ---------------------------------------------------------------------------------------


class _LocalWindows:
    """Per-process fixed-window counters, used while the shared cache is unreachable."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, int]] = {}

    def add(self, key: str, amount: int, expires_at: float, now: float) -> int:
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if v[0] > now}
            expiry, count = self._counts.get(key, (expires_at, 0))
            if expiry <= now:
                expiry, count = expires_at, 0
            count += amount
            self._counts[key] = (expiry, count)
            return count

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


_local = _LocalWindows()
_state_lock = threading.Lock()
_shared_retry_at = 0.0
_last_warning_at = -math.inf


def _note_shared_failure(exc: Exception) -> None:
    global _shared_retry_at, _last_warning_at
    now = time.monotonic()
    with _state_lock:
        _shared_retry_at = now + SHARED_RETRY_SECONDS
        if now - _last_warning_at < WARNING_INTERVAL_SECONDS:
            return
        _last_warning_at = now
    logger.warning(
        "shared cache unavailable (%s: %s); rate limits count per process for now",
        type(exc).__name__,
        exc,
    )


def reset_local_state() -> None:
    """Forget per-process counters and the outage memo (tests; a process that must restart)."""
    global _shared_retry_at, _last_warning_at
    _local.clear()
    with _state_lock:
        _shared_retry_at = 0.0
        _last_warning_at = -math.inf


def _cache_key(key: str, window_seconds: int, now: float) -> str:
    # Hash so any caller string (IPs, digests, user input) is a valid key for every backend.
    hashed = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"{_PREFIX}{hashed}:{window_seconds}:{int(now // window_seconds)}"


def _shared_add(cache_key: str, amount: int, timeout: int) -> int:
    # add() is atomic and only sets the key when absent; incr() is atomic on Redis.
    cache.add(cache_key, 0, timeout=timeout)
    try:
        return int(cache.incr(cache_key, amount))
    except ValueError:
        # The key expired between add() and incr(): this event opens a new window.
        cache.set(cache_key, amount, timeout=timeout)
        return amount


def hit(key: str, limit: int, window_seconds: int, *, amount: int = 1) -> bool:
    """Count `amount` events for `key`; return False once more than `limit` fall in this window.

    Uses the shared cache, or the per-process fallback while the shared cache is failing."""
    if limit <= 0 or window_seconds <= 0:
        raise ValueError("limit and window_seconds must be positive")
    now = time.time()
    cache_key = _cache_key(key, window_seconds, now)
    if time.monotonic() >= _shared_retry_at:
        try:
            return _shared_add(cache_key, amount, window_seconds + 1) <= limit
        except Exception as exc:  # noqa: BLE001 - any backend error: Redis down, timeout, auth
            _note_shared_failure(exc)
    expires_at = (int(now // window_seconds) + 1) * window_seconds
    return _local.add(cache_key, amount, expires_at, now) <= limit


def retry_after(window_seconds: int) -> int:
    """Seconds until the current fixed window closes (for a Retry-After header)."""
    return max(1, int(window_seconds - time.time() % window_seconds))


# Client address ---------------------------------------------------------------------------------

_xff_warned = False


def _parse_ip(value: str | None) -> str | None:
    """A bare address from a header value ("1.2.3.4", "1.2.3.4:80", "[::1]:80"), else None."""
    value = (value or "").strip()
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _warn_untrusted_forwarding(request: HttpRequest, remote: str | None) -> None:
    """Behind a proxy with TRUSTED_PROXY_COUNT=0 every client looks like the proxy: say so once."""
    global _xff_warned
    if _xff_warned or not request.META.get("HTTP_X_FORWARDED_FOR") or remote is None:
        return
    if ipaddress.ip_address(remote).is_private or ipaddress.ip_address(remote).is_loopback:
        _xff_warned = True
        logger.warning(
            "X-Forwarded-For received from %s but TRUSTED_PROXY_COUNT=0: every client behind "
            "this proxy shares one rate-limit address; set TRUSTED_PROXY_COUNT",
            remote,
        )


def client_ip_address(request: HttpRequest) -> str | None:
    """The client address at the configured proxy hop; also axes' AXES_CLIENT_IP_CALLABLE.

    TRUSTED_PROXY_COUNT = N is the number of proxies in front of Django that append to
    X-Forwarded-For. N = 0: REMOTE_ADDR, and X-Forwarded-For is ignored (a direct client can
    write anything there). N >= 1: the Nth entry from the right, the address the outermost
    trusted proxy saw; entries further left were written by the client and are not trusted. With
    fewer than N entries every entry was written by a trusted proxy, so the leftmost is used."""
    remote = _parse_ip(request.META.get("REMOTE_ADDR"))
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        _warn_untrusted_forwarding(request, remote)
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if not forwarded:
        return remote
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    return _parse_ip(candidate) or remote


def client_ip(request: HttpRequest) -> str:
    """The client address (see client_ip_address), "unknown" when there is none."""
    return client_ip_address(request) or "unknown"


def _source_key(request: HttpRequest) -> str:
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


# Policy -----------------------------------------------------------------------------------------


def _load_policies() -> dict[str, Limits]:
    from .models import RateLimitPolicy

    table = dict(DEFAULT_LIMITS)
    for row in RateLimitPolicy.objects.all():
        table[row.action] = Limits(row.per_source, row.per_account, row.window_seconds)
    return table


def limits_for(action: str) -> Limits:
    """The limits in force for `action`: its policy row, else the default."""
    from .policy_cache import cached_policy

    try:
        table: dict[str, Limits] = cached_policy(_POLICY_KEY, _load_policies)
    except Exception as exc:  # noqa: BLE001 - shared cache down: read the rows directly
        _note_shared_failure(exc)
        table = _load_policies()
    return table.get(action) or DEFAULT_LIMITS[action]


def forget_rate_limit_policies() -> None:
    """Call after a RateLimitPolicy row changes (the admin does)."""
    from .policy_cache import forget_local_copies, forget_policy

    try:
        forget_policy(_POLICY_KEY)
    except Exception as exc:  # noqa: BLE001 - the local copy is what matters most
        _note_shared_failure(exc)
        forget_local_copies()


# Enforcement ------------------------------------------------------------------------------------


def _exempt(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_city_staff)


def enforce(
    request: HttpRequest, action: str, *, account: str | None = None, amount: int = 1
) -> None:
    """Count `amount` of `action` for the request's source address and account (the signed-in
    user unless `account` names another, e.g. an API client); raise RateLimited (429, details
    `retry_after_seconds`) when either is over its limit. Staff are exempt."""
    if not settings.RATE_LIMITS_ENABLED or amount <= 0 or _exempt(request):
        return
    limits = limits_for(action)
    if account is None:
        user = getattr(request, "user", None)
        account = f"user:{user.pk}" if user is not None and user.is_authenticated else None
    checks = [(limits.per_source, f"{action}:src:{_source_key(request)}")]
    if account is not None:
        checks.append((limits.per_account, f"{action}:acct:{account}"))
    for limit, key in checks:
        if limit > 0 and not hit(key, limit, limits.window_seconds, amount=amount):
            raise RateLimited(
                _("Terlalu banyak permintaan. Silakan coba lagi nanti."),
                details={
                    "action": action,
                    "retry_after_seconds": retry_after(limits.window_seconds),
                },
            )


def too_many_requests_page(
    request: HttpRequest, seconds: int, *, template: str = "core/rate_limited.html"
) -> HttpResponse:
    """The HTML answer to a refusal or a lockout: a friendly page saying how many minutes to
    wait, HTTP 429 and Retry-After."""
    response = render(request, template, {"minutes": max(1, math.ceil(seconds / 60))}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def refuse_if_limited(
    request: HttpRequest, action: str, *, account: str | None = None, amount: int = 1
) -> HttpResponse | None:
    """For HTML views: `enforce`, answering a refusal with the 429 page (else None)."""
    try:
        enforce(request, action, account=account, amount=amount)
    except RateLimited as exc:
        return too_many_requests_page(request, int(exc.details.get("retry_after_seconds") or 60))
    return None


View = Callable[..., HttpResponse]


def rate_limited_page(
    action: str, *, methods: tuple[str, ...] = ("POST",)
) -> Callable[[View], View]:
    """Decorator for HTML views: limit `action` on these methods, answer the 429 page."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                refused = refuse_if_limited(request, action)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
