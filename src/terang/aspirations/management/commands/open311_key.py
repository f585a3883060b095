"""`terang open311-key "<client name>"`: issue an Open311 API key and print only the key.

Only the key goes to stdout, so scripts can capture it (`KEY=$(terang open311-key "App")`);
the key cannot be shown again, only its first characters are kept.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from terang.aspirations.services.open311_clients import issue_open311_key
from terang.core.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API key for an Open311 client and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Name of the client, e.g. the app or aggregator.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            _client, key = issue_open311_key(name=options["name"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(key)
