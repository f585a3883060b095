# ruff: noqa: F811 - fixtures from the aspirations conftest are used by name
"""Report photos are served by the file view: a public item's photo to anyone (with DEBUG off,
as in production), a rahasia item's only to its reporter and the staff who handle or oversee it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from terang.aspirations import services
from terang.aspirations.choices import Privacy
from terang.aspirations.models import Aspiration

from .conftest import GUEST_CONTACT, INSIDE_A, image_upload, login_staff

pytestmark = pytest.mark.django_db


def report(category, *, privacy: str = Privacy.PUBLIC, reporter=None) -> Aspiration:
    return services.submit_aspiration(
        title="Jalan berlubang",
        text="Lubang besar di depan sekolah, berbahaya bagi pengendara motor.",
        category=category,
        location=INSIDE_A,
        privacy=privacy,
        reporter=reporter,
        reporter_contact="" if reporter else GUEST_CONTACT,
        photos=[image_upload("lubang.jpg")],
    )


def image_sources(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return re.findall(r'<img src="([^"]+)"', response.content.decode())


def stored_bytes(aspiration: Aspiration) -> bytes:
    return (Path(settings.MEDIA_ROOT) / aspiration.photos.get().image.name).read_bytes()


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def staff_client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login_staff(client, user)
    return client


def citizen_client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_a_public_reports_photo_shows_to_anyone_with_debug_off(city, category, operator):
    assert settings.DEBUG is False
    aspiration = report(category)
    services.verify_aspiration(actor=operator, aspiration=aspiration)
    visitor = Client()
    [src] = image_sources(visitor.get(f"/aspirasi/{aspiration.code}/"))
    response = visitor.get(src)
    assert response.status_code == 200
    assert body(response) == stored_bytes(aspiration)
    assert response["Content-Type"] == "image/jpeg"


def test_the_photo_a_citizen_sent_shows_on_her_tracking_page(city, category):
    """Not yet verified: the tracking page (reached with the code) shows it, so must its photo."""
    aspiration = report(category)
    visitor = Client()
    [src] = image_sources(visitor.get(f"/lacak/{aspiration.code}/"))
    response = visitor.get(src)
    assert response.status_code == 200
    assert body(response) == stored_bytes(aspiration)
    assert response["Cache-Control"] == "private, no-store"


def test_a_rahasia_reports_photo_only_to_its_reporter_and_authorised_staff(
    city, category, citizen, other_citizen, officer, other_officer, operator, inspector
):
    aspiration = report(category, privacy=Privacy.CONFIDENTIAL, reporter=citizen)
    reporter = citizen_client(citizen)
    [src] = image_sources(reporter.get(f"/lacak/{aspiration.code}/"))
    expected = stored_bytes(aspiration)

    staff = [staff_client(person) for person in (officer, operator, inspector)]
    for allowed in (reporter, *staff):
        response = allowed.get(src)
        assert response.status_code == 200
        assert body(response) == expected
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"

    for refused in (Client(), citizen_client(other_citizen), staff_client(other_officer)):
        response = refused.get(src)
        assert response.status_code == 404
        assert expected not in response.content
    assert stored_bytes(aspiration) == expected
    assert aspiration.photos.count() == 1


def test_the_staff_page_shows_the_photo_through_the_file_view(city, category, officer):
    aspiration = report(category)
    client = staff_client(officer)
    [src] = image_sources(client.get(f"/staf/aspirasi/{aspiration.code}/"))
    assert src.startswith("/berkas/")
    assert body(client.get(src)) == stored_bytes(aspiration)
