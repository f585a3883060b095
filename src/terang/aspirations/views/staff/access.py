"""Who may open a staff page, and the scoped item lookup every item page starts from."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from terang.core.errors import NotFound
from terang.core.middleware import is_otp_verified
from terang.core.models import User

from ... import selectors
from ...models import Aspiration
from ...permissions import is_staff_member

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Signed-in city staff with a TOTP-verified session; safe even without the middleware."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(user):
            raise DjangoPermissionDenied
        if not is_otp_verified(user):
            try:
                target = reverse("core:two_factor")
            except NoReverseMatch:
                target = reverse("core:login")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def get_or_404(user: User, code: str) -> Aspiration:
    """The item if this staff member may see it; otherwise the same 404 as an unknown code."""
    try:
        return selectors.get_aspiration_for_staff(user=user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
