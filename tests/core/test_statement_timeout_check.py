"""`terang check --deploy --database default` warns when statements on PostgreSQL could run
without a timeout, and when only the connection option (not the role) carries one."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def warning_ids() -> list[str]:
    messages = run_checks(include_deployment_checks=True, databases=["default"], tags=["database"])
    return sorted(m.id for m in messages if m.id and m.id.startswith("terang."))


def test_a_session_without_statement_timeout_is_a_warning():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")

    assert warning_ids() == ["terang.W101"]


def test_the_connection_option_alone_is_a_warning_about_poolers():
    assert warning_ids() == ["terang.W102"]


def test_a_timeout_set_on_the_database_or_role_passes():
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
            "SET statement_timeout = '30s'"
        )

    assert warning_ids() == []
