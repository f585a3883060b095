"""`terang generate-keys`: print fresh SECRET_KEY, FIELD_ENCRYPTION_KEY and FIELD_DIGEST_KEY as
env lines (`terang generate-keys >> /etc/terang/env`). It also runs before production settings
can load, i.e. before any key is configured (see `terang.cli`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from terang.core.crypto import generate_keys


def env_lines() -> str:
    return "".join(f"{name}={value}\n" for name, value in generate_keys().items())


class Command(BaseCommand):
    help = (
        "Print new SECRET_KEY, FIELD_ENCRYPTION_KEY and FIELD_DIGEST_KEY lines for the "
        "environment file. Rotating FIELD_ENCRYPTION_KEY keeps the old one in "
        "FIELD_ENCRYPTION_OLD_KEYS until `terang reencrypt-fields` has run; FIELD_DIGEST_KEY "
        "must never change on an existing database (see docs/deploy.md)."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(env_lines(), ending="")
