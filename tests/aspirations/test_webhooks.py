"""Inbound messaging webhooks: signatures, unknown providers, idempotent messages, the category
fallback."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from terang.aspirations.choices import Channel, Privacy, Status
from terang.aspirations.models import Aspiration, Category
from terang.aspirations.webhooks import fallback_category
from terang.core.crypto import decrypt
from terang.core.selectors import forget_city

from .api_helpers import API, error_code
from .conftest import INSIDE_A

pytestmark = pytest.mark.django_db

SECRETS = {"whatsapp": "rahasia-wa", "sms": "rahasia-sms"}


@pytest.fixture(autouse=True)
def _secrets(settings):  # type: ignore[no-untyped-def]
    settings.WEBHOOK_SECRETS = SECRETS


def message(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "message_id": "wamid.1",
        "from": "+6281234567890",
        "name": "Rudi",
        "text": "Lampu jalan di Jl. Melati mati sejak tiga hari, gelap sekali di malam hari.",
        "lat": INSIDE_A.latitude,
        "lon": INSIDE_A.longitude,
    }
    data.update(overrides)
    return json.dumps(data).encode()


def sign(raw: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def post(client, provider, raw, **headers):  # type: ignore[no-untyped-def]
    return client.post(
        f"{API}/webhooks/{provider}", raw, content_type="application/json", headers=headers
    )


def test_signed_message_creates_a_public_aspiration_on_the_channel(
    client, city, kelurahan, category
):
    raw = message()

    response = post(client, "sms", raw, **{"X-Terang-Signature": sign(raw, "rahasia-sms")})

    assert response.status_code == 201
    aspiration = Aspiration.objects.get()
    assert response.json() == {"code": aspiration.code}
    assert aspiration.channel == Channel.SMS and aspiration.privacy == Privacy.PUBLIC
    assert aspiration.status == Status.SUBMITTED
    assert decrypt(aspiration.reporter_contact_encrypted) == "+6281234567890"
    assert aspiration.reporter_name == "Rudi"
    assert aspiration.title == aspiration.text == json.loads(raw)["text"]
    assert aspiration.category == category


def test_long_text_gets_a_short_title_cut_at_a_word(client, city, kelurahan, category):
    text = "Sampah menumpuk " * 20
    raw = message(text=text)

    post(client, "sms", raw, **{"X-Terang-Signature": sign(raw, "rahasia-sms")})

    aspiration = Aspiration.objects.get()
    assert aspiration.text == text.strip()
    assert len(aspiration.title) <= 80 and aspiration.title.endswith("menumpuk…")


def test_whatsapp_accepts_meta_signature_header(client, city, kelurahan, category):
    raw = message()

    response = post(client, "whatsapp", raw, **{"X-Hub-Signature-256": sign(raw, "rahasia-wa")})

    assert response.status_code == 201
    assert Aspiration.objects.get().channel == Channel.WHATSAPP


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Terang-Signature": "sha256=" + "0" * 64},
        {"X-Terang-Signature": "md5=abc"},
    ],
)
def test_missing_or_invalid_signature_is_401_and_stores_nothing(
    client, city, kelurahan, category, headers
):
    response = post(client, "sms", message(), **headers)

    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    assert Aspiration.objects.count() == 0


def test_signature_made_with_another_providers_secret_is_refused(client, city, kelurahan, category):
    raw = message()

    response = post(client, "sms", raw, **{"X-Terang-Signature": sign(raw, "rahasia-wa")})

    assert response.status_code == 401
    assert Aspiration.objects.count() == 0


def test_meta_header_is_only_for_whatsapp(client, city, kelurahan, category):
    raw = message()

    response = post(client, "sms", raw, **{"X-Hub-Signature-256": sign(raw, "rahasia-sms")})

    assert response.status_code == 401


def test_provider_without_secret_is_refused(client, city, kelurahan, category):
    raw = message()

    response = post(client, "email", raw, **{"X-Terang-Signature": sign(raw, "")})

    assert response.status_code == 401
    assert Aspiration.objects.count() == 0


def test_unknown_provider_is_404(client, city, kelurahan, category):
    raw = message()

    response = post(client, "telegram", raw, **{"X-Terang-Signature": sign(raw, "x")})

    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_same_message_id_is_idempotent(client, city, kelurahan, category):
    raw = message()
    headers = {"X-Terang-Signature": sign(raw, "rahasia-sms")}

    first = post(client, "sms", raw, **headers)
    again = post(client, "sms", raw, **headers)

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Aspiration.objects.count() == 1


def test_same_message_id_on_another_provider_is_another_message(client, city, kelurahan, category):
    raw = message()

    post(client, "sms", raw, **{"X-Terang-Signature": sign(raw, "rahasia-sms")})
    post(client, "whatsapp", raw, **{"X-Terang-Signature": sign(raw, "rahasia-wa")})

    assert Aspiration.objects.count() == 2


def test_bad_payload_is_422_after_a_valid_signature(client, city, kelurahan, category):
    raw = json.dumps({"message_id": "m1"}).encode()

    response = post(client, "sms", raw, **{"X-Terang-Signature": sign(raw, "rahasia-sms")})

    assert response.status_code == 422
    missing = {e["loc"][-1] for e in response.json()["error"]["details"]["errors"]}
    assert {"from", "text"} <= missing


def test_message_without_location_is_taken_for_the_verifier_to_place(
    client, city, kelurahan, category
):
    raw = message(lat=None, lon=None)

    response = post(client, "sms", raw, **{"X-Terang-Signature": sign(raw, "rahasia-sms")})

    assert response.status_code == 201
    stored = Aspiration.objects.get(code=response.json()["code"])
    assert stored.latitude is None and stored.kelurahan is None


def test_message_with_a_point_outside_the_city_is_422(client, city, kelurahan, category):
    raw = message(lat=-7.5, lon=110.0)

    response = post(client, "sms", raw, **{"X-Terang-Signature": sign(raw, "rahasia-sms")})

    assert response.status_code == 422
    assert response.json()["error"]["details"]["reason"] == "outside_city"
    assert Aspiration.objects.count() == 0


def test_named_category_is_used(client, city, kelurahan, category, checked_category):
    raw = message(category="drainase")

    post(client, "sms", raw, **{"X-Terang-Signature": sign(raw, "rahasia-sms")})

    assert Aspiration.objects.get().category == checked_category


def test_fallback_prefers_umum_lainnya_then_first_active(agency):
    Category.objects.create(code="lama", name="Lama", agency=agency, is_active=False)
    first = Category.objects.create(code="jalan", name="Jalan", agency=agency)
    assert fallback_category() == first

    general = Category.objects.create(code="umum-lainnya", name="Umum", agency=agency)
    assert fallback_category() == general


def test_fallback_code_is_city_policy(agency, city):
    Category.objects.create(code="jalan", name="Jalan", agency=agency)
    chosen = Category.objects.create(code="aduan-umum", name="Aduan umum", agency=agency)
    city.webhook_fallback_category = "aduan-umum"
    city.save(update_fields=["webhook_fallback_category"])
    forget_city()

    assert fallback_category() == chosen
