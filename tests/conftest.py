"""Shared fixtures. Service-backed tests skip locally when the service is absent but FAIL
when CI=true, so CI can never go green without exercising PostgreSQL, Redis and MQTT."""

from __future__ import annotations

import copy
import os
import socket
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from django.db import connection
from pytest_django import DjangoDbBlocker

# Fixtures every app's tests share (the small test city and its people).
pytest_plugins = ["tests.fixtures.city"]

IN_CI = os.environ.get("CI", "").lower() == "true"


def _service_missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"required service unavailable in CI: {reason}")
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _service_markers(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _service_missing("needs PostgreSQL: set DATABASE_URL")
    if request.node.get_closest_marker("redis"):
        url = os.environ.get("REDIS_URL", "")
        if not url or not _reachable(url, 6379):
            _service_missing("needs Redis: set REDIS_URL")
    if request.node.get_closest_marker("mqtt"):
        url = os.environ.get("MQTT_URL", "")
        if not url or not _reachable(url, 1883):
            _service_missing("needs an MQTT broker: set MQTT_URL")


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: DjangoDbBlocker,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's fixture, but the migrated database is built once and copied to each
    worker (tests/fixtures/test_database.py). With --reuse-db, --nomigrations or a database
    the copy does not cover, Django's own setup runs, as in pytest-django."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from tests.fixtures import test_database

    verbosity = request.config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        if not django_db_use_migrations:
            _disable_migrations()
        if django_db_keepdb and not django_db_createdb:
            db_cfg = setup_databases(
                verbosity=verbosity, interactive=False, aliases=aliases, keepdb=True
            )
        elif aliases and django_db_use_migrations and test_database.can_use_template():
            db_cfg = test_database.setup_from_template(verbosity, serialized_aliases)
        else:
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
            )
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=verbosity)
            except Exception as exc:  # as pytest-django: e.g. a thread's connection still open
                request.node.warn(
                    pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}")
                )


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_configure(config: pytest.Config) -> None:
    """Argon2 stays the hasher in tests, with cheap parameters so fixtures stay fast."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    from terang.core.policy_cache import forget_local_copies
    from terang.core.ratelimit import reset_local_state

    cache.clear()
    forget_local_copies()
    reset_local_state()  # rate-limit counters kept in-process while a test's Redis was down


@pytest.fixture(autouse=True)
def _registry_as_found() -> Iterator[None]:
    """A test that installs a test-only app (Django runs every `ready()` again) or registers
    into core's stores leaves them as it found them."""
    from terang.core.registry import registry

    saved = {name: copy.copy(store) for name, store in registry.items()}
    yield
    for name, store in saved.items():
        current = registry[name]
        if isinstance(current, list):
            current[:] = store
        else:
            current.clear()
            current.update(store)


# The second pass of `make test` (PostgreSQL, Redis, MQTT) proves the code on the production
# services; tests that never open a database connection, and browser tests (their live server
# runs the same views as the HTTP tests), prove nothing more there and run only in the SQLite pass.
_DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)
_SERVICE_MARKERS = ("postgres", "redis", "mqtt")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--services-pass",
        action="store_true",
        help="Run only tests that use the database or a service marker (postgres, redis, mqtt), "
        "and no browser test: the PostgreSQL pass of `make test` (see the Makefile).",
    )


def _proves_something_on_services(item: pytest.Item) -> bool:
    if any(item.get_closest_marker(name) for name in _SERVICE_MARKERS):
        return True
    if item.get_closest_marker("browser"):
        return False
    uses_database = bool(item.get_closest_marker("django_db")) or bool(
        _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )
    return uses_database


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Iterator[None]:
    result = yield
    _keep_xdist_groups(config, items)
    if config.getoption("--services-pass"):
        keep, drop = [], []
        for item in items:
            (keep if _proves_something_on_services(item) else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
    return result


@pytest.fixture(autouse=True)
def _grouped_tests_are_not_transactional(request: pytest.FixtureRequest) -> None:
    """xdist hands out the `xdist_group`s before the other tests, so a grouped test runs early,
    while pytest-django runs transactional tests last because their flush empties every table,
    the rows of data migrations included: a transactional test may not join a group."""
    if request.node.get_closest_marker("xdist_group") and _transactional(request.node):
        pytest.fail("a transactional test in an xdist_group would empty the tables early")


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")):
        return True
    return bool((_DATABASE_FIXTURES - {"db"}) & set(getattr(item, "fixturenames", ())))


def _keep_xdist_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`--dist loadgroup` sends the tests of one `xdist_group` to one worker by reading the
    group from a `@group` suffix that pytest-xdist appends to each node id on the worker. From
    pytest 9.2 the id lives in a structured `_id` and xdist's write to `_nodeid` is lost, so the
    groups were silently ignored (pytest-xdist issue 1386): the demo city was built on every
    worker and a module's server started once per worker. The suffix is set here where pytest
    reads it, when xdist's own write did not take."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
            item._id = type(item._id).parse(item.nodeid + suffix)
