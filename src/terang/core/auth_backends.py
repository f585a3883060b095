"""Log in with a username, an e-mail address or an Indonesian mobile number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .crypto import digest
from .models import User
from .privacy import normalize_phone


def canonical_login(value: str | None) -> str:
    """One spelling per identifier: e-mail domain lower-cased, Indonesian mobile numbers as
    +62..., anything else (a username) unchanged."""
    value = (value or "").strip()
    if "@" in value:
        local, _sep, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"
    try:
        return normalize_phone(value)
    except ValueError:
        return value


def find_user_by_login(login: str) -> User | None:
    login = canonical_login(login)
    if not login:
        return None
    if "@" in login:
        return User.objects.filter(email__iexact=login).first()
    if login.startswith("+62"):
        return User.objects.filter(phone_digest=digest(login)).first()
    return User.objects.filter(username=login).first()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """Lockout key for django-axes (setting AXES_USERNAME_CALLABLE).

    Counts failures per account however the login was spelled (email, 0812..., +62812...,
    username), and keeps raw e-mail addresses and phone numbers out of axes' tables.
    """
    if credentials:
        raw = credentials.get("username")
    else:
        raw = getattr(request, "POST", {}).get("username")
    login = canonical_login(raw)
    user = find_user_by_login(login) if login else None
    if user is not None:
        return f"user:{user.pk}"
    return f"login:{digest(login)[:32]}"


class EmailOrPhoneBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = find_user_by_login(username or "")
        if user is None or password is None:
            User().set_password(password or "x")  # same cost whether or not the user exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
