"""Sign-in, sign-up with one-time codes, and staff two-factor (TOTP) pages.

Flow: a citizen registers (or signs in while still unverified) -> the account id is kept in the
session as "pending" and a code is sent -> /akun/verifikasi/ confirms it and signs the citizen
in. Staff sign in with a password, are signed in but not OTP-verified, and are sent to
/akun/2fa/ (StaffTwoFactorMiddleware keeps them there) to enrol or enter a TOTP code.

Where a sign-in lands without a safe `next`: citizens on the home page, staff on their work
list, which an app offers as `registry["functions"][STAFF_HOME]` (the aspirations inbox).
"""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from ..choices import Role
from ..errors import DomainError, RateLimited
from ..forms import CodeForm, LoginForm, RegisterForm, add_domain_error
from ..middleware import is_otp_verified, requires_two_factor
from ..models import User
from ..privacy import mask_contact
from ..ratelimit import client_ip, hit, retry_after, too_many_requests_page
from ..registry import registry
from ..services import (
    PURPOSE_VERIFY_CONTACT,
    InvalidCode,
    confirm_one_time_code,
    confirmed_totp_device,
    issue_one_time_code,
    register_citizen,
    start_totp_setup,
    totp_config_url,
    verify_totp,
)

PENDING_SESSION_KEY = "terang_pending_verification"
LOGIN_BACKEND = "terang.core.auth_backends.EmailOrPhoneBackend"

# Per client address. Generous because Indonesian mobile carriers put many users behind one
# address (CGNAT); axes locks out repeated failures separately.
LOGIN_IP_LIMIT = (60, 600)
REGISTER_IP_LIMIT = (20, 3600)
VERIFY_IP_LIMIT = (30, 900)
RESEND_IP_LIMIT = (10, 900)
# Per account, on top of django-otp's own per-device throttling.
TOTP_USER_LIMIT = (10, 300)
# `registry["functions"]` key of a callable returning the URL staff land on after signing in.
STAFF_HOME = "staff_home"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes lockout page (AXES_LOCKOUT_CALLABLE): HTTP 429 with Retry-After."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 900
    return too_many_requests_page(request, seconds, template="core/locked_out.html")


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def offer_staff_home(home: Callable[[], str]) -> None:
    """Called by the app whose page staff start their day on, from its `ready()`."""
    registry["functions"][STAFF_HOME] = home


def landing_url(user: object) -> str:
    """Where `user` lands after signing in when no safe `next` says otherwise."""
    home = registry["functions"].get(STAFF_HOME)
    if home is not None and getattr(user, "is_city_staff", False):
        return str(home())
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _two_factor_url(next_url: str) -> str:
    url = reverse("core:two_factor")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _contact_label(user: User) -> str:
    return mask_contact(user.email or user.phone)


def _start_pending_verification(request: HttpRequest, user: User) -> HttpResponse:
    """Remember who is verifying (without signing them in) and send them a code."""
    request.session[PENDING_SESSION_KEY] = user.pk
    try:
        issue_one_time_code(user=user, purpose=PURPOSE_VERIFY_CONTACT)
    except RateLimited as exc:
        messages.warning(request, exc.message)
    else:
        messages.info(
            request,
            _("Kode verifikasi telah dikirim ke %(contact)s.") % {"contact": _contact_label(user)},
        )
    return redirect("core:verify")


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING_SESSION_KEY)
    if pk is None and request.user.is_authenticated:
        pk = request.user.pk
    if pk is None:
        return None
    # Always a fresh row, not the request.user the OTP middleware decorated.
    return User.objects.filter(pk=pk, is_active=True).first()


def _complete_verification(request: HttpRequest, user: User) -> HttpResponse:
    request.session.pop(PENDING_SESSION_KEY, None)
    if request.user.pk != user.pk:
        auth_login(request, user, backend=LOGIN_BACKEND)
    messages.success(request, _("Akun Anda sudah terverifikasi. Selamat datang!"))
    return redirect("core:home")


class LoginView(auth_views.LoginView):
    """Password sign-in. Unverified citizens go to code entry; staff go on to 2FA."""

    template_name = "core/login.html"
    form_class = LoginForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit, window = LOGIN_IP_LIMIT
        if not hit(f"login:ip:{client_ip(request)}", limit, window):
            return too_many_requests_page(request, retry_after(window))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if user.role == Role.CITIZEN and not user.contact_verified:
            return _start_pending_verification(self.request, user)
        auth_login(self.request, user)
        if requires_two_factor(user):
            return HttpResponseRedirect(_two_factor_url(self.get_redirect_url()))
        return HttpResponseRedirect(self.get_success_url())

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


class LogoutView(auth_views.LogoutView):
    """POST-only sign-out (Django refuses GET), back to the home page."""

    next_page = "core:home"


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        limit, window = REGISTER_IP_LIMIT
        if not hit(f"register:ip:{client_ip(request)}", limit, window):
            return too_many_requests_page(request, retry_after(window))
        if form.is_valid():
            try:
                user = register_citizen(
                    login=form.cleaned_data["login"],
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                    language=get_language() or "id",
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return _start_pending_verification(request, user)
    return render(request, "core/register.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Masuk dengan akun Anda untuk melanjutkan verifikasi."))
        return redirect("core:login")
    if user.contact_verified:
        return _complete_verification(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        limit, window = VERIFY_IP_LIMIT
        if not hit(f"verify:ip:{client_ip(request)}", limit, window):
            return too_many_requests_page(request, retry_after(window))
        if form.is_valid():
            try:
                confirm_one_time_code(
                    user=user, purpose=PURPOSE_VERIFY_CONTACT, code=form.cleaned_data["code"]
                )
            except InvalidCode as exc:
                form.add_error("code", exc.message)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return _complete_verification(request, user)
    return render(request, "core/verify.html", {"form": form, "contact": _contact_label(user)})


@require_POST
def resend_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("core:login")
    if user.contact_verified:
        return redirect("core:verify")
    limit, window = RESEND_IP_LIMIT
    if not hit(f"resend:ip:{client_ip(request)}", limit, window):
        messages.error(request, RateLimited.default_message)
        return redirect("core:verify")
    try:
        issue_one_time_code(user=user, purpose=PURPOSE_VERIFY_CONTACT)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Kode baru telah dikirim ke %(contact)s.") % {"contact": _contact_label(user)},
        )
    return redirect("core:verify")


def _qr_svg(data: str) -> SafeString:
    """The otpauth URI as an inline SVG QR code (no JavaScript, no external request)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string(encoding="unicode")
    # Our own generator's output from a URI we built: path data only, no user-supplied markup.
    return mark_safe(svg)  # noqa: S308


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator (first time) or enter its current code."""
    user = cast(User, request.user)  # login_required
    next_url = _safe_next(request)
    if not requires_two_factor(user) or is_otp_verified(user):
        return redirect(next_url or landing_url(user))
    device = confirmed_totp_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        limit, window = TOTP_USER_LIMIT
        if not hit(f"totp:user:{user.pk}", limit, window):
            return too_many_requests_page(request, retry_after(window))
        if form.is_valid():
            try:
                verified_device = verify_totp(user=user, token=form.cleaned_data["code"])
            except InvalidCode as exc:
                form.add_error("code", exc.message)
            else:
                # New privilege level, new session key (defeats fixation of the old one).
                request.session.cycle_key()
                django_otp.login(request, verified_device)
                messages.success(request, _("Verifikasi dua langkah berhasil."))
                return redirect(next_url or landing_url(user))
    context: dict[str, Any] = {"form": form, "next": next_url}
    if device is not None:
        return render(request, "core/two_factor_verify.html", context)
    pending = start_totp_setup(user=user)
    uri = totp_config_url(pending)
    context.update(
        {
            "otpauth_uri": uri,
            "qr_svg": _qr_svg(uri),
            "secret": _grouped(b32encode(pending.bin_key).decode()),
        }
    )
    return render(request, "core/two_factor_setup.html", context)
