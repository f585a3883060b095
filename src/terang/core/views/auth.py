"""Sign-in, sign-up with one-time codes, and staff two-factor (TOTP) pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:  # noqa: E501
    return render(request, "core/locked_out.html", status=429)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
