"""Staff must finish TOTP two-factor verification before reaching any staff page.

Exempt, because an unverified staff member must still reach them: sign-in, sign-out and the
two-factor page itself, static and media files, health probes and the language switcher.

/api/ and /open311/ are exempt because the API authenticates each request itself (tokens, or
the session). An API endpoint that accepts a session MUST refuse a staff session that is not
OTP-verified: refuse when `requires_two_factor(request.user)` and not
`is_otp_verified(request.user)` (equivalent to django-otp's `request.user.is_verified()`).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse

from .choices import STAFF_ROLES

EXEMPT_PREFIXES: tuple[str, ...] = ("/i18n/", "/api/", "/open311/")
EXEMPT_PATHS: frozenset[str] = frozenset({"/healthz", "/readyz"})
EXEMPT_URL_NAMES: tuple[str, ...] = ("core:login", "core:logout", "core:two_factor")


def requires_two_factor(user: object) -> bool:
    """Every staff role needs TOTP; so does anyone Django itself treats as staff or superuser."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        getattr(user, "role", None) in STAFF_ROLES
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    )


def is_otp_verified(user: object) -> bool:
    """Whether this session passed TOTP (django-otp's `user.is_verified()`), safe to call on
    any user object, with or without the OTP middleware."""
    return getattr(user, "otp_device", None) is not None


class StaffTwoFactorMiddleware:
    """Redirect staff whose session is not OTP-verified to the two-factor page.

    Must run after django_otp's OTPMiddleware, which installs `request.user.is_verified()`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exemptions: tuple[frozenset[str], tuple[str, ...]] | None = None

    def _load_exemptions(self) -> tuple[frozenset[str], tuple[str, ...]]:
        # Resolved on first use: the URLconf may not be importable while middleware is built.
        exact = set(EXEMPT_PATHS)
        for name in EXEMPT_URL_NAMES:
            try:
                exact.add(reverse(name))
            except NoReverseMatch:
                continue
        prefixes = list(EXEMPT_PREFIXES)
        for url in (settings.STATIC_URL, settings.MEDIA_URL):
            if url and url.startswith("/") and url != "/":
                prefixes.append(url)
        return frozenset(exact), tuple(prefixes)

    def is_exempt(self, path: str) -> bool:
        if self._exemptions is None:
            self._exemptions = self._load_exemptions()
        exact, prefixes = self._exemptions
        return path in exact or path.startswith(prefixes)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and requires_two_factor(user)
            and not is_otp_verified(user)
            and not self.is_exempt(request.path)
        ):
            target = reverse("core:two_factor")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)
