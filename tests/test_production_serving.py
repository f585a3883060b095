"""Production serves pages and static files: `collectstatic` with production settings succeeds,
and gunicorn (the production server) answers the home page and every static file it references,
hashed and compressed, with no web server in front of it (WhiteNoise)."""

from __future__ import annotations

import gzip
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from cryptography.fernet import Fernet
from django.db import connection

STATIC_URL_RE = re.compile(r"""(?:src|href|data-[\w-]+)="(/static/[^"]+)\"""")
CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
PAGES = ["/", "/aspirasi/peta/"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url(tmp_path: Path) -> str:
    """The test database when it is a server (PostgreSQL in CI), else a migrated SQLite file:
    pytest-django's SQLite test database lives in memory, out of the server process's reach."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"sqlite:///{tmp_path / 'serve.sqlite3'}"


def _run_together(commands: list[list[str]], env: dict[str, str]) -> None:
    """Run `terang` commands side by side (they are independent) and require each to succeed."""
    running = [
        subprocess.Popen(  # noqa: S603 - fixed arguments
            [sys.executable, "-m", "terang.cli", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for args in commands
    ]
    for args, process in zip(commands, running, strict=True):
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, (args, output)


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(  # noqa: S310 - loopback http
        url, headers={"X-Forwarded-Proto": "https", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def production_server(tmp_path: Path, transactional_db: None) -> Iterator[str]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "TERANG_ENV": "production",
        "TERANG_HOME": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "FIELD_DIGEST_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": _database_url(tmp_path),
        "CELERY_BROKER_URL": "",
    }
    commands = [["collectstatic", "--noinput", "-v0"]]
    if connection.vendor != "postgresql":
        commands.append(["migrate", "--noinput", "-v0"])
    _run_together(commands, env)
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "terang.wsgi",
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if server.poll() is not None:
                pytest.fail("gunicorn exited: " + server.stdout.read().decode())  # type: ignore[union-attr]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start listening within 15 s")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_gunicorn_serves_pages_and_their_hashed_compressed_static_files(production_server):
    static_urls: set[str] = set()
    for page in PAGES:
        status, _, body = _get(production_server + page)
        assert status == 200, (page, body[:2000])
        static_urls |= set(STATIC_URL_RE.findall(body.decode()))
    assert any(u.endswith(".css") for u in static_urls), static_urls
    assert any("leaflet" in u and u.endswith(".js") for u in static_urls), static_urls

    seen: set[str] = set()
    pending = sorted(static_urls)
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        status, headers, body = _get(production_server + url, **{"Accept-Encoding": "gzip"})
        assert status == 200, url
        # Hashed names (Manifest storage) are cached for good by WhiteNoise.
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        assert "immutable" in headers.get("Cache-Control", ""), (url, headers)
        if url.endswith((".css", ".js")):
            assert headers.get("Content-Encoding") == "gzip", (url, headers)
        if url.endswith(".css"):
            for ref in CSS_URL_RE.findall(gzip.decompress(body).decode()):
                if not ref.startswith(("data:", "#", "http:", "https:")):
                    pending.append(urljoin(url, ref))
    assert any(u.endswith(".png") for u in seen), seen  # Leaflet's images, through its CSS
