"""`terang ckan-token <username> "<name>"`: issue a CKAN API token and print only the token.

Only the token goes to stdout, so scripts can capture it; it cannot be shown again (only its
digest and first characters are kept). `--revoke <prefix>` revokes the user's tokens with that
prefix instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from terang.core.errors import DomainError
from terang.core.models import User
from terang.opendata.models import ApiToken
from terang.opendata.services import issue_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Issue a CKAN API token for a user and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The user the token acts as.")
        parser.add_argument("name", nargs="?", default="", help="A name for the token.")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke tokens with this prefix.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        if options["revoke"]:
            tokens = ApiToken.objects.filter(user=user, prefix=options["revoke"])
            revoked = sum(revoke_api_token(token=token) for token in tokens)
            self.stdout.write(f"revoked {revoked}")
            return
        try:
            _token, secret = issue_api_token(user=user, name=options["name"] or "ckan")
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(secret)
