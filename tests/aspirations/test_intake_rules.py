"""Intake rules are the service's, so every entry point applies them alike: contacts stored in one
form, the same refusals, photo limits from settings, one idempotency digest, the intake role."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from terang.aspirations import permissions, services
from terang.aspirations.models import Aspiration, AspirationPhoto
from terang.aspirations.services.open311_clients import issue_open311_key
from terang.core.crypto import decrypt
from terang.core.errors import PermissionDenied
from terang.core.models import AuditEntry, IdempotencyRecord, User
from tests.helpers import client_for

from .api_helpers import API, body
from .conftest import INSIDE_A, image_upload, login_staff

pytestmark = pytest.mark.django_db

SECRETS = {"whatsapp": "rahasia-wa", "email": "rahasia-email", "instagram": "rahasia-ig"}
TITLE = "Jalan berlubang di depan sekolah"
TEXT = "Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor."
KEY = "kunci-uji-aturan-intake-1"


# The Open311 client of the test: one key, so its retries share one scope.
OPEN311_KEYS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _webhook_secrets_and_open311_key(settings):  # type: ignore[no-untyped-def]
    settings.WEBHOOK_SECRETS = SECRETS
    OPEN311_KEYS["current"] = issue_open311_key(name="Aplikasi Warga")[1]


@pytest.fixture
def ready(city, kelurahan, category, operator):  # type: ignore[no-untyped-def]
    return category


# Each entry point, driven through its own format: (client, operator, contact, key, photos).
Post = Callable[[Client, User, str, str, list[Any]], Any]


def _web(client: Client, operator: User, contact: str, key: str, photos: list[Any]) -> Any:
    data = {
        "action": "submit",
        "kind": "complaint",
        "category": "jalan-rusak",
        "title": TITLE,
        "text": TEXT,
        "latitude": str(INSIDE_A.latitude),
        "longitude": str(INSIDE_A.longitude),
        "address": INSIDE_A.address,
        "privacy": "public",
        "reporter_name": "Siti Aminah",
        "reporter_contact": contact,
        "idempotency_key": key,
    }
    return client.post("/lapor/", {**data, "photos": photos} if photos else data)


def _staff_page(client: Client, operator: User, contact: str, key: str, photos: list[Any]) -> Any:
    login_staff(client, operator)
    data = {
        "channel": "counter",
        "kind": "complaint",
        "privacy": "public",
        "reporter_name": "Pak Darto",
        "reporter_contact": contact,
        "category": "jalan-rusak",
        "title": TITLE,
        "text": TEXT,
        "latitude": str(INSIDE_A.latitude),
        "longitude": str(INSIDE_A.longitude),
        "address": INSIDE_A.address,
        "idempotency_key": key,
    }
    return client.post(
        reverse("aspirations:staff_intake"), {**data, "photos": photos} if photos else data
    )


def _api(client: Client, operator: User, contact: str, key: str, photos: list[Any]) -> Any:
    headers = {"Idempotency-Key": key}
    if photos:
        data = {**body(reporter_contact=contact), "photos": photos}
        return client.post(f"{API}/aspirations/with-photos", data, headers=headers)
    return client.post(
        f"{API}/aspirations",
        body(reporter_contact=contact),
        content_type="application/json",
        headers=headers,
    )


def _api_staff(client: Client, operator: User, contact: str, key: str, photos: list[Any]) -> Any:
    return client_for(operator).post(
        f"{API}/staff/intake",
        body(channel="counter", reporter_name="Ibu Sari", reporter_contact=contact),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def _open311(client: Client, operator: User, contact: str, key: str, photos: list[Any]) -> Any:
    data = {
        "api_key": OPEN311_KEYS["current"],
        "service_code": "jalan-rusak",
        "lat": str(INSIDE_A.latitude),
        "long": str(INSIDE_A.longitude),
        "description": TEXT,
        ("email" if "@" in contact else "phone"): contact,
    }
    return client.post("/open311/v2/requests.json", data, headers={"Idempotency-Key": key})


def _webhook(client: Client, operator: User, contact: str, key: str, photos: list[Any]) -> Any:
    provider = "email" if "@" in contact else "whatsapp"
    raw = json.dumps(
        {
            "message_id": key,
            "from": contact,
            "name": "Rudi",
            "text": TEXT,
            "lat": INSIDE_A.latitude,
            "lon": INSIDE_A.longitude,
        }
    ).encode()
    signature = hmac.new(SECRETS[provider].encode(), raw, hashlib.sha256).hexdigest()
    return client.post(
        f"{API}/webhooks/{provider}",
        raw,
        content_type="application/json",
        headers={"X-Terang-Signature": f"sha256={signature}"},
    )


ENTRY_POINTS: dict[str, Post] = {
    "web": _web,
    "staff-page": _staff_page,
    "api": _api,
    "api-staff": _api_staff,
    "open311": _open311,
    "webhook": _webhook,
}
UPLOADS = ["web", "staff-page", "api"]


def _answer(response: Any) -> tuple[int, Any]:
    """What a client sees: the status and the body, or where a page redirects to."""
    if response.status_code == 302:
        return 302, response["Location"]
    return response.status_code, response.json()


def _refused_message(response: Any) -> str:
    if response["Content-Type"].startswith("text/html"):
        return response.content.decode()
    data = response.json()
    return data["error"]["message"] if "error" in data else data[0]["description"]


# Contacts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("Warga.Melati@Contoh.ID", "warga.melati@contoh.id"),
    ],
    ids=["local-phone", "bare-62-phone", "mixed-case-email"],
)
def test_a_contact_is_stored_in_one_form_on_every_entry_point(
    client, ready, operator, entry, written, stored
):
    response = ENTRY_POINTS[entry](client, operator, written, KEY, [])

    assert response.status_code in (200, 201, 302), response.content
    assert decrypt(Aspiration.objects.get().reporter_contact_encrypted) == stored


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_contact_that_is_neither_email_nor_mobile_is_refused_on_every_entry_point(
    client, ready, operator, entry
):
    response = ENTRY_POINTS[entry](client, operator, "12345", KEY, [])

    expected = 400 if entry == "open311" else 422
    assert response.status_code == expected
    assert "nomor ponsel Indonesia (+62 atau 08...)" in _refused_message(response)
    assert not Aspiration.objects.exists()
    assert not IdempotencyRecord.objects.exists()


def test_a_social_media_sender_keeps_its_account_name(client, ready):
    raw = json.dumps(
        {"message_id": "ig-1", "from": "@Warga.Melati", "text": TEXT, "lat": -6.2, "lon": 106.62}
    ).encode()
    signature = hmac.new(b"rahasia-ig", raw, hashlib.sha256).hexdigest()

    response = client.post(
        f"{API}/webhooks/instagram",
        raw,
        content_type="application/json",
        headers={"X-Terang-Signature": f"sha256={signature}"},
    )

    assert response.status_code == 201
    assert decrypt(Aspiration.objects.get().reporter_contact_encrypted) == "@Warga.Melati"


def test_normalise_contact_refuses_a_malformed_email():
    from terang.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as error:
        services.normalise_contact("warga@")
    assert error.value.details == {"field": "reporter_contact", "reason": "invalid_contact"}


# Idempotency ------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_a_retry_written_differently_with_the_same_key_gets_the_first_answer(
    client, ready, operator, entry
):
    first = ENTRY_POINTS[entry](client, operator, "0812-3456-7890", KEY, [])
    again = ENTRY_POINTS[entry](client, operator, "+62 812 3456 7890", KEY, [])

    assert first.status_code in (200, 201, 302)
    assert _answer(again) == _answer(first)
    assert Aspiration.objects.count() == 1


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_the_same_key_for_another_report_is_a_conflict(client, ready, operator, entry):
    ENTRY_POINTS[entry](client, operator, "0812-3456-7890", KEY, [])
    other = ENTRY_POINTS[entry](client, operator, "0813-1111-2222", KEY, [])

    # Open311 answers every refusal but 403 and 404 with its 400 error list.
    assert other.status_code == (400 if entry == "open311" else 409)
    expected = (
        "Formulir ini sudah pernah dikirim dengan isi berbeda"
        if entry == "web"
        else "Idempotency-Key sudah dipakai untuk permintaan lain."
    )
    assert expected in _refused_message(other)
    assert Aspiration.objects.count() == 1


@pytest.mark.parametrize("entry", UPLOADS)
def test_a_retry_with_another_photo_is_a_conflict(client, ready, operator, entry):
    ENTRY_POINTS[entry](client, operator, "0812-3456-7890", KEY, [image_upload("a.jpg")])
    other = ENTRY_POINTS[entry](
        client, operator, "0812-3456-7890", KEY, [image_upload("a.jpg", size=(80, 60))]
    )

    assert other.status_code == 409
    assert Aspiration.objects.count() == 1 and AspirationPhoto.objects.count() == 1


# Photo limits from settings ---------------------------------------------------------------------


@pytest.mark.parametrize("entry", UPLOADS)
def test_a_photo_over_the_size_setting_is_refused_with_the_same_error(
    client, settings, ready, operator, entry
):
    settings.MAX_PHOTO_BYTES = 2048
    photo = image_upload("besar.jpg", size=(600, 600))
    assert photo.size > settings.MAX_PHOTO_BYTES

    response = ENTRY_POINTS[entry](client, operator, "0812-3456-7890", KEY, [photo])

    assert response.status_code == 422
    assert "Foto terlalu besar (maksimal 2 KB)." in _refused_message(response)
    assert not Aspiration.objects.exists() and not AspirationPhoto.objects.exists()


@pytest.mark.parametrize("entry", UPLOADS)
def test_more_photos_than_the_count_setting_are_refused_with_the_same_error(
    client, settings, ready, operator, entry
):
    settings.MAX_PHOTOS_PER_REPORT = 1
    photos = [image_upload("a.jpg"), image_upload("b.jpg")]

    response = ENTRY_POINTS[entry](client, operator, "0812-3456-7890", KEY, photos)

    assert response.status_code == 422
    assert "Maksimal 1 foto per laporan." in _refused_message(response)
    assert not Aspiration.objects.exists()


# Who may enter a report for someone else --------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("citizen", False), ("inspector", False), ("officer", True), ("operator", True)],
)
def test_intake_on_a_citizens_behalf_is_a_permission(request, who, allowed):
    assert permissions.can_take_intake(request.getfixturevalue(who)) is allowed


@pytest.mark.parametrize("who", ["citizen", "inspector"])
def test_a_report_entered_by_someone_without_the_intake_role_is_refused(
    request, ready, who, category
):
    audit_before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.submit_aspiration(
            title=TITLE,
            text=TEXT,
            category=category,
            location=INSIDE_A,
            reporter_name="Pak Darto",
            entered_by=request.getfixturevalue(who),
        )

    assert not Aspiration.objects.exists()
    assert AuditEntry.objects.count() == audit_before
