"""Who is calling the JSON API.

Django's session is the one credential for now (the same login as the HTML pages), with the
CSRF check Django applies to unsafe methods. A staff session counts only after TOTP two-factor
verification (django_otp's `user.is_verified()`); before that the caller is anonymous, so a
stolen password alone never reaches staff data through the API either.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from .errors import DomainError, PermissionDenied
from .middleware import is_otp_verified, requires_two_factor
from .models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    default_message = _("Autentikasi diperlukan.")


def session_user(request: HttpRequest) -> User | None:
    """The logged-in account behind the session, or None (staff without 2FA count as None)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if requires_two_factor(user) and not is_otp_verified(user):
        return None
    return user  # type: ignore[no-any-return]


def enforce_csrf(request: HttpRequest) -> None:
    """Session credentials are ambient, so unsafe requests must carry Django's CSRF token."""
    if request.method in SAFE_METHODS or getattr(request, "_ninja_csrf_exempt", False):
        return
    if check_csrf(request) is not None:
        raise PermissionDenied(
            _("Token CSRF tidak ada atau tidak valid."), details={"reason": "csrf_failed"}
        )


class SessionAuth(APIKeyCookie):
    """Django session cookie; 401 `not_authenticated` when there is no usable session."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = session_user(request)
        if user is not None:
            enforce_csrf(request)
        return user


class OptionalSessionAuth(SessionAuth):
    """For endpoints open to everyone where a logged-in caller gets more (e.g. becomes the
    reporter). Anonymous callers pass as `AnonymousUser`; CSRF is checked only when a session
    is actually used, so cookie-less clients need no token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return super().authenticate(request, key) or AnonymousUser()


session_auth = SessionAuth()
optional_session_auth = OptionalSessionAuth()


def caller(request: HttpRequest) -> User | None:
    """The authenticated account of this API request, None for anonymous callers."""
    user = getattr(request, "auth", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None


def require_user(request: HttpRequest) -> User:
    user = caller(request)
    if user is None:
        raise NotAuthenticated()
    return user


def require_staff(request: HttpRequest) -> User:
    """Any city staff role (inspectorate included: services refuse its writes)."""
    user = require_user(request)
    if not user.is_city_staff:
        raise PermissionDenied()
    return user
