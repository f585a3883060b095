"""The demo city never ships to production: with TERANG_ENV=production the demo app is not
installed, its commands do not exist, and no production module imports it."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.helpers import run_terang

# One worker runs the module, so its production environment is made once.
pytestmark = pytest.mark.xdist_group("demo-not-in-production")

SRC = Path(__file__).resolve().parents[2] / "src" / "terang"


@pytest.fixture(scope="module")
def production_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("production")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "DATABASE_URL", "TERANG_ENV")
        and not k.startswith("FIELD_")
    }
    keys = StringIO()
    call_command("generate-keys", stdout=keys)  # as a process in tests/core/test_keys.py
    for line in keys.getvalue().splitlines():
        name, _sep, value = line.partition("=")
        env[name] = value
    env.update(
        TERANG_ENV="production",
        TERANG_HOME=str(home),
        ALLOWED_HOSTS="terang.example.go.id",
        DATABASE_URL=f"sqlite:///{home / 'production.sqlite3'}",
    )
    return env


def test_demo_app_is_not_installed_in_production(production_env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.PRODUCTION, 'terang.demo' in settings.INSTALLED_APPS)",
        ],
        env={**production_env, "DJANGO_SETTINGS_MODULE": "terang.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False"]


@pytest.mark.parametrize("command", ["simulate-sensors", "seed-demo", "demo-logins"])
def test_demo_commands_are_unknown_in_production(
    production_env: dict[str, str], command: str
) -> None:
    done = run_terang(command, "--help", env=production_env)
    assert done.returncode != 0
    assert f"Unknown command: '{command}'" in done.stderr


def test_demo_app_is_installed_outside_production() -> None:
    from django.conf import settings

    assert not settings.PRODUCTION
    assert "terang.demo" in settings.INSTALLED_APPS


def test_no_production_module_imports_the_demo() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.is_relative_to(SRC / "demo"):
            continue
        text = path.read_text(encoding="utf-8")
        if "terang.demo" in text.replace('"terang.demo"', "") or "from ..demo" in text:
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
