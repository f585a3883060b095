"""`terang demo-otp <username>`: the current TOTP code of a demo staff account.

Works only for the seeded demo accounts, whose TOTP keys are derived from their usernames and
therefore public; never in production.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from terang.demo.accounts import staff_usernames, totp_key


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a demo staff account (demo only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="A demo staff username, e.g. petugas.pupr")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo-otp never runs in production.")
        username = options["username"]
        if username not in staff_usernames():
            raise CommandError(
                f"{username!r} is not a demo staff account (see `terang demo-logins`)."
            )
        device = (
            TOTPDevice.objects.filter(
                user__username=username, confirmed=True, key=totp_key(username)
            )
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError(f"{username} has no demo TOTP device: run `terang seed-demo`.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        remaining = device.step - int(now - device.t0) % device.step
        self.stderr.write(f"valid for about {remaining} s more")
