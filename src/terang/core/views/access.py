"""Who may open a staff page: signed in, a city staff role (optionally one of a few roles), and a
TOTP-verified session. Shared by every app's staff views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from terang.core.middleware import is_otp_verified

View = Callable[..., HttpResponse]


def staff_required(view: View | None = None, *, roles: frozenset[str] | None = None) -> Any:
    """Decorate a view for city staff; `roles` narrows it further (403 for other staff).

    Usable bare (`@staff_required`) or with roles (`@staff_required(roles=...)`); safe even
    without the two-factor middleware."""

    def decorate(func: View) -> View:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_city_staff or (roles is not None and user.role not in roles):
                raise PermissionDenied
            if not is_otp_verified(user):
                try:
                    target = reverse("core:two_factor")
                except NoReverseMatch:
                    target = reverse("core:login")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
