"""The cached migrated template (tests/fixtures/test_database.py) is found again only while
nothing that migrating depends on has changed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from tests.fixtures.test_database import template_key


@pytest.fixture
def app_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    app = tmp_path / "app"
    (app / "migrations").mkdir(parents=True)
    (app / "migrations" / "0001_initial.py").write_text("operations = []\n")
    monkeypatch.setattr(apps, "get_app_configs", lambda: [SimpleNamespace(path=str(app))])
    return app


def test_the_key_is_stable_and_follows_every_migration(app_dir: Path) -> None:
    first = template_key(connection)
    assert template_key(connection) == first

    migration = app_dir / "migrations" / "0001_initial.py"
    migration.write_text("operations = ['changed']\n")
    changed = template_key(connection)
    assert changed != first

    (app_dir / "migrations" / "0002_more.py").write_text("operations = []\n")
    assert template_key(connection) not in (first, changed)


def test_the_key_follows_the_installed_apps(app_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = template_key(connection)
    # Set without Django's setting_changed signal, which would install the app for real.
    monkeypatch.setattr(settings, "INSTALLED_APPS", [*settings.INSTALLED_APPS, "tests.plugin_app"])
    assert template_key(connection) != first
