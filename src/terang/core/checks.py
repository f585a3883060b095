"""Deployment checks that need the database: `terang check --deploy --database default`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import connections

ROLE_SETTING_SQL = """
SELECT unnest(setconfig) FROM pg_db_role_setting
WHERE setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = current_user))
  AND setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
"""


def _role_has_statement_timeout(cursor: Any) -> bool:
    cursor.execute(ROLE_SETTING_SQL)
    for (entry,) in cursor.fetchall():
        name, _, value = entry.partition("=")
        if name == "statement_timeout" and value not in ("0", ""):
            return True
    return False


@register(Tags.database, deploy=True)
def check_statement_timeout(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """A database that stops answering must not hold requests for minutes: statements need a
    timeout, and the role should carry it so it also holds through a connection pooler."""
    messages: list[CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            if cursor.fetchone()[0] == "0":
                messages.append(
                    Warning(
                        f"Statements on database '{alias}' have no timeout.",
                        hint="Set DB_STATEMENT_TIMEOUT, or run "
                        "ALTER ROLE <role> SET statement_timeout = '30s' (docs/deploy.md).",
                        id="terang.W101",
                    )
                )
            elif not _role_has_statement_timeout(cursor):
                messages.append(
                    Warning(
                        f"The role of database '{alias}' has no statement_timeout of its own: "
                        "only the connection option sets it, which a pooler may drop.",
                        hint="ALTER ROLE <role> SET statement_timeout = '30s' (docs/deploy.md).",
                        id="terang.W102",
                    )
                )
    return messages


@register(Tags.security, deploy=True)
def check_digest_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Lookup digests keyed by the encryption key would change with it: a separate, never
    rotated FIELD_DIGEST_KEY lets the encryption key rotate safely (docs/deploy.md)."""
    if settings.FIELD_DIGEST_KEY:
        return []
    return [
        Warning(
            "FIELD_DIGEST_KEY is not set: lookup digests (phone sign-in, API and device tokens) "
            "are keyed with FIELD_ENCRYPTION_KEY and would change if it were rotated.",
            hint="Set FIELD_DIGEST_KEY to the present FIELD_ENCRYPTION_KEY value (existing data) "
            "or a new key from `terang generate-keys` (new installation).",
            id="terang.W103",
        )
    ]
