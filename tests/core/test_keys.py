"""Production refuses weak or malformed keys with a message naming the variable and how to make
a good one, and `terang generate-keys` prints keys that production accepts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.helpers import run_terang

GOOD_SECRET = "Qm9yZWFsLXNlY3JldC1rZXktZm9yLXRlc3RzLW9ubHktMDEyMzQ1Njc4OWFiY2RlZg"
GOOD_FIELD_KEY = Fernet.generate_key().decode()
GOOD_DIGEST_KEY = "digest-key-for-tests-0123456789-abcdefghijklmnop"


def _production_env(tmp_path: Path, **keys: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY") and not k.startswith("FIELD_")
    }
    env.update(
        {
            "TERANG_ENV": "production",
            "TERANG_HOME": str(tmp_path),
            "ALLOWED_HOSTS": "terang.example.go.id",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'keys.sqlite3'}",
            "SECRET_KEY": GOOD_SECRET,
            "FIELD_ENCRYPTION_KEY": GOOD_FIELD_KEY,
            "FIELD_DIGEST_KEY": GOOD_DIGEST_KEY,
        }
    )
    env.update(keys)
    return env


@pytest.mark.parametrize(
    ("keys", "named"),
    [
        ({"SECRET_KEY": "dev-only-insecure-key-change-me-in-production-0123456789"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-but-random-9f8e7d6c5b4a"}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"FIELD_ENCRYPTION_KEY": "x"}, "FIELD_ENCRYPTION_KEY"),
        # 32 bytes, but not urlsafe base64 of 32 bytes: not a Fernet key
        ({"FIELD_ENCRYPTION_KEY": "k" * 32}, "FIELD_ENCRYPTION_KEY"),
        ({"FIELD_ENCRYPTION_KEY": ""}, "FIELD_ENCRYPTION_KEY"),
        ({"FIELD_DIGEST_KEY": "", "FIELD_ENCRYPTION_OLD_KEYS": "old-key"}, "FIELD_DIGEST_KEY"),
    ],
    ids=[
        "dev-secret",
        "short-secret",
        "repetitive-secret",
        "field-x",
        "field-not-base64",
        "field-missing",
        "digest-missing-while-rotating",
    ],
)
def test_check_deploy_refuses_a_bad_key_and_says_how_to_make_one(tmp_path, keys, named):
    result = run_terang("check", "--deploy", env=_production_env(tmp_path, **keys))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert named in message
    assert "terang generate-keys" in message
    for value in keys.values():
        if len(value) >= 8:
            assert value not in result.stderr  # a rejected secret is not echoed to logs


def _parse(lines: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in lines.strip().splitlines())


def test_generate_keys_prints_env_lines_that_production_accepts(tmp_path):
    # It runs where production settings cannot load yet: that is when keys are needed.
    bare = _production_env(tmp_path)
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "FIELD_DIGEST_KEY"):
        del bare[name]
    generated = run_terang("generate-keys", env=bare)
    assert generated.returncode == 0, generated.stderr
    keys = _parse(generated.stdout)
    assert sorted(keys) == ["FIELD_DIGEST_KEY", "FIELD_ENCRYPTION_KEY", "SECRET_KEY"]
    assert len(keys["SECRET_KEY"]) >= 50
    assert len(keys["FIELD_DIGEST_KEY"]) >= 43
    Fernet(keys["FIELD_ENCRYPTION_KEY"])  # a valid Fernet key, or this raises

    result = run_terang(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env(tmp_path, **keys)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generate_keys_makes_new_keys_each_time(tmp_path):
    env = _production_env(tmp_path)
    first = _parse(run_terang("generate-keys", env=env).stdout)
    second = _parse(run_terang("generate-keys", env=env).stdout)
    assert all(first[name] != second[name] for name in first)


def test_without_a_digest_key_production_starts_and_the_deploy_check_warns(tmp_path):
    """Static builds and first starts need only the two required keys; the missing digest key
    is a deploy warning until a rotation makes it necessary."""
    env = _production_env(tmp_path, FIELD_DIGEST_KEY="")
    static = run_terang(
        "collectstatic", "--noinput", env={**env, "STATIC_ROOT": str(tmp_path / "s")}
    )
    assert static.returncode == 0, static.stderr
    check = run_terang("check", "--deploy", env=env)
    assert check.returncode == 0, check.stderr
    assert "terang.W103" in check.stderr + check.stdout


def test_a_static_build_needs_no_secrets_but_serving_still_refuses_a_weak_key(tmp_path):
    """`collectstatic` (an image build) runs without real keys; the same environment cannot
    start anything that serves or reads data."""
    env = _production_env(
        tmp_path, SECRET_KEY="hook-1765139-4242-not-a-real-key", FIELD_ENCRYPTION_KEY=""
    )
    static = run_terang(
        "collectstatic", "--noinput", env={**env, "STATIC_ROOT": str(tmp_path / "s")}
    )
    assert static.returncode == 0, static.stderr
    assert (tmp_path / "s" / "staticfiles.json").exists()
    check = run_terang("check", "--deploy", env=env)
    assert check.returncode != 0
    assert "SECRET_KEY" in check.stderr.strip().splitlines()[-1]
