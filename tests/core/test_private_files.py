# ruff: noqa: F811 - fixtures imported from the aspirations conftest are used by name
"""Uploaded files are served only by the permission-checked file view, by the transport the
settings choose; nothing is served from /media/ and no address can walk out of the storage."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import clear_url_caches

from terang.aspirations import services
from terang.aspirations.models import AspirationPhoto
from tests.aspirations.conftest import (  # noqa: F401  (fixtures)
    INSIDE_A,
    image_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(category, operator) -> AspirationPhoto:
    """A photo of a public, verified report: anyone may see it."""
    aspiration = services.submit_aspiration(
        title="Jalan berlubang",
        text="Lubang besar di depan sekolah, berbahaya bagi pengendara motor.",
        category=category,
        reporter_contact="warga@contoh.id",
        location=INSIDE_A,
        photos=[image_upload("lubang.jpg")],
    )
    services.verify_aspiration(actor=operator, aspiration=aspiration)
    return aspiration.photos.get()


def photo_url(client: Client, photo: AspirationPhoto) -> str:
    """The address the public page gives for the photo."""
    page = client.get(f"/aspirasi/{photo.aspiration.code}/").content.decode()
    found = re.findall(r'<img src="([^"]+)"', page)
    assert len(found) == 1, found
    return found[0]


def stored_bytes(photo: AspirationPhoto) -> bytes:
    return (Path(settings.MEDIA_ROOT) / photo.image.name).read_bytes()


def test_the_django_transport_streams_the_bytes_with_safe_headers(photo):
    client = Client()
    response = client.get(photo_url(client, photo))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(photo)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=3600"


def test_the_x_accel_transport_hands_nginx_the_internal_path_and_no_body(photo, settings):
    settings.PRIVATE_FILES_TRANSPORT = "x-accel"
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_berkas_internal/"
    client = Client()
    response = client.get(photo_url(client, photo))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == f"/_berkas_internal/{photo.image.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


class FakeSigningStorage(FileSystemStorage):
    """Stands in for django-storages' S3Storage: `url()` signs with an expiry."""

    def url(self, name, parameters=None, expire=None, http_method=None):  # type: ignore[no-untyped-def]
        query = "&".join(f"{k}={v}" for k, v in (parameters or {}).items())
        return f"https://s3.contoh.id/terang/{name}?X-Amz-Expires={expire}&{query}&X-Amz-Signature=ab12"


def test_the_s3_transport_redirects_to_a_signed_url_that_expires(photo, settings, monkeypatch):
    settings.PRIVATE_FILES_TRANSPORT = "s3"
    settings.PRIVATE_FILES_URL_EXPIRY = 60
    monkeypatch.setattr(
        AspirationPhoto._meta.get_field("image"),
        "storage",
        FakeSigningStorage(location=settings.MEDIA_ROOT),
    )
    client = Client()
    response = client.get(photo_url(client, photo))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"https://s3.contoh.id/terang/{photo.image.name}?")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert query["ResponseContentType"] == ["image/jpeg"]
    assert query["ResponseContentDisposition"][0].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"


def test_the_s3_transport_signs_with_django_storages(photo, settings, monkeypatch):
    """The real signing code (local: presigning needs no network); the dev extra installs it."""
    from storages.backends import s3

    settings.PRIVATE_FILES_TRANSPORT = "s3"
    settings.PRIVATE_FILES_URL_EXPIRY = 90
    storage = s3.S3Storage(
        bucket_name="terang-uji",
        access_key="AKIAUJIUJIUJIUJIUJI0",
        secret_key="rahasia-uji",  # noqa: S106 - a dummy key: signing is local
        region_name="ap-southeast-3",
        endpoint_url="https://s3.contoh.id",
        default_acl=None,
        querystring_auth=True,
    )
    monkeypatch.setattr(AspirationPhoto._meta.get_field("image"), "storage", storage)
    client = Client()
    response = client.get(photo_url(client, photo))
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.netloc == "s3.contoh.id"
    assert location.path == f"/terang-uji/{photo.image.name}"
    assert query["X-Amz-Expires"] == ["90"]
    assert query["X-Amz-Signature"][0]
    assert query["response-content-type"] == ["image/jpeg"]


def test_an_unknown_transport_is_refused_loudly(photo, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PRIVATE_FILES_TRANSPORT = "nginx"
    client = Client(raise_request_exception=True)
    url = photo_url(client, photo)
    with pytest.raises(ImproperlyConfigured):
        client.get(url)


@pytest.fixture
def debug_urls(settings):  # type: ignore[no-untyped-def]
    """The URLconf as built with DEBUG on (runserver in development)."""
    import terang.urls

    settings.DEBUG = True
    importlib.reload(terang.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(terang.urls)
    clear_url_caches()


def test_media_is_not_served_even_with_debug_on(photo, debug_urls):
    assert (Path(settings.MEDIA_ROOT) / photo.image.name).exists()
    response = Client().get(f"/media/{photo.image.name}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/berkas/../../etc/passwd",
        "/berkas/%2e%2e/%2e%2e/etc/passwd",
        "/berkas/..%2f..%2fsettings.py",
        "/berkas//etc/passwd",
        "/media/../settings.py",
        "/media/%2e%2e/settings.py",
    ],
)
def test_path_traversal_in_the_address_is_not_found(photo, path):
    assert Client().get(path).status_code == 404


def test_a_forged_or_moved_signature_is_not_found(photo):
    client = Client()
    url = photo_url(client, photo)
    key, pk, signature = url.strip("/").split("/")[1:]
    assert client.get(f"/berkas/{key}/{int(pk) + 1}/{signature}/").status_code == 404
    assert client.get(f"/berkas/{key}/{pk}/{signature[:-1]}x/").status_code == 404
    assert client.get(f"/berkas/core.user.avatar/{pk}/{signature}/").status_code == 404


@pytest.mark.parametrize(
    "stored", ["../../settings.py", "/etc/passwd", "aspirations/../../../etc/passwd", "a\\..\\b"]
)
def test_a_stored_name_outside_the_storage_is_not_found(photo, stored, settings):
    client = Client()
    url = photo_url(client, photo)
    AspirationPhoto.objects.filter(pk=photo.pk).update(image=stored)
    for chosen in ("django", "x-accel"):
        settings.PRIVATE_FILES_TRANSPORT = chosen
        response = client.get(url)
        assert response.status_code == 404
        assert "X-Accel-Redirect" not in response


def test_head_is_answered_and_writes_are_refused(photo):
    client = Client()
    url = photo_url(client, photo)
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    assert AspirationPhoto.objects.filter(pk=photo.pk).exists()


def run_check(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVATE_FILES_", "S3_"))}
    env.update({"TERANG_HOME": str(tmp_path), **extra})
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "terang.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_an_unknown_transport_stops_the_start(tmp_path):
    result = run_check(tmp_path, PRIVATE_FILES_TRANSPORT="nginx")
    assert result.returncode != 0
    assert "PRIVATE_FILES_TRANSPORT must be django, x-accel or s3" in result.stderr


def test_the_s3_transport_without_a_bucket_stops_the_start(tmp_path):
    result = run_check(tmp_path, PRIVATE_FILES_TRANSPORT="s3")
    assert result.returncode != 0
    assert "S3_BUCKET" in result.stderr
