"""Plain test helpers every app's tests import (fixtures live in `tests/fixtures/`): make a
user, sign a staff member in with a 2FA-verified session, get a client acting as someone, run
`terang` as a process."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from terang.core.models import Agency, User


def make_user(
    username: str,
    role: str,
    agency: Agency | None = None,
    *,
    verified_otp: bool = True,
    **extra: Any,
) -> User:
    """A user of `role`; staff get a confirmed TOTP device unless `verified_otp=False`."""
    user = User.objects.create_user(
        username=username,
        password="Sandi-Uji-2026!",
        role=role,
        agency=agency,
        email=extra.pop("email", f"{username}@uji.id"),
        full_name=username.title(),
        **extra,
    )
    if verified_otp and role != "citizen":
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def login_staff(client: Client, user: User) -> None:
    """Log a staff member in with a 2FA-verified session."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    assert device is not None, f"{user.username} has no TOTP device"
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def client_for(user: User | None) -> Client:
    """A test client acting as `user`: anonymous for None, signed in for a citizen, signed in
    with a 2FA-verified session for staff."""
    client = Client()
    if user is None:
        return client
    if user.role == "citizen":
        client.force_login(user)
    else:
        login_staff(client, user)
    return client


def run_terang(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`terang <args>` in a new process with exactly `env`, as an operator would run it."""
    return subprocess.run(  # noqa: S603 - our own interpreter and command line
        [sys.executable, "-m", "terang.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


LAYOUT_SCRIPTS = ['<script src="/static/terang/tables.js" defer>']


def page_scripts(html: str) -> list[str]:
    """The script tags of a page; a page that works without JavaScript carries only the layout's
    progressive enhancement (`LAYOUT_SCRIPTS`: a tab stop for tables that overflow)."""
    return re.findall(r"<script\b[^>]*>", html)
