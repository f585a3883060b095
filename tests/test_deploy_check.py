"""Production settings pass Django's deployment checks with no warnings."""

from __future__ import annotations

import os
import subprocess
import sys


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "TERANG_ENV": "production",
        "SECRET_KEY": "k" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        "FIELD_ENCRYPTION_KEY": "uAi3vKdWnU0Hc9b3-6jvlQx1yNq0bZbK8l8m3xL2Fq4=",  # a Fernet key
        "FIELD_DIGEST_KEY": "digest-key-for-the-check-0123456789abcdef",
        "ALLOWED_HOSTS": "terang.example.go.id",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "TERANG_HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "terang.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    env.update({"TERANG_ENV": "production", "TERANG_HOME": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-m", "terang.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
