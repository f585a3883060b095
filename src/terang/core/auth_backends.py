"""Log in with a username, an e-mail address or an Indonesian mobile number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .crypto import digest
from .models import User
from .privacy import normalize_phone


def find_user_by_login(login: str) -> User | None:
    login = (login or "").strip()
    if not login:
        return None
    if "@" in login:
        return User.objects.filter(email__iexact=login).first()
    try:
        phone = normalize_phone(login)
    except ValueError:
        return User.objects.filter(username=login).first()
    return User.objects.filter(phone_digest=digest(phone)).first()


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
