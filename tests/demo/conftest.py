"""One demo city for the whole package: `seed-demo --size small` runs once per test session (per
xdist worker) inside a transaction that is rolled back at the end. Every test here reads it; a
test that writes (a second seed, --reset, a new account) runs in its own savepoint under
pytest-django's `db` and is rolled back, so the next test sees the city as seeded.

The modules carry `xdist_group("demo-city")` so that, with `--dist loadgroup` (Makefile), they run
on one worker and the city is built once rather than once per module or per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker

DEMO_TODAY = dt.date(2026, 3, 15)


@pytest.fixture(scope="package")
def demo_city(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The output of the one `seed-demo` run; its files go to a temporary MEDIA_ROOT."""
    out = StringIO()
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(MEDIA_ROOT=media):
            call_command(
                "seed-demo", "--size", "small", "--today", DEMO_TODAY.isoformat(), stdout=out
            )
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _sequences_past_the_rows(django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """PostgreSQL sequences are not transactional: a test that re-seeds (`--reset`, another
    `--today`) moves them, and its rollback does not move them back, so the next test's insert
    could take an id the shared city already holds. After each test, every sequence is set past
    the rows that remain."""
    yield
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(statement)
            except DatabaseError:
                continue  # a table without a serial id (or a partitioned parent): nothing to set
