"""The public side of /api/v1: reference data, intake (JSON and multipart), idempotency, error
codes, the masked public list, and the tracking view."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from terang.aspirations import services
from terang.aspirations.choices import Channel, Privacy, Status
from terang.aspirations.models import Aspiration, AspirationPhoto
from terang.core.crypto import decrypt
from terang.core.models import IdempotencyRecord
from tests.helpers import client_for

from .api_helpers import API, body, error_code, published, submit
from .conftest import image_upload

pytestmark = pytest.mark.django_db


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# Reference data -------------------------------------------------------------------------------


def test_categories_list_active_ones_with_agency_and_deadlines(client, category, agency):
    category.__class__.objects.create(code="lama", name="Lama", agency=agency, is_active=False)

    response = client.get(f"{API}/categories")

    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "jalan-rusak",
            "name": "Jalan rusak",
            "name_en": "",
            "group": "",
            "description": "",
            "agency": {"code": "PUPR", "name": "Dinas PUPR", "short_name": "PUPR"},
            "deadlines": {
                "verify_working_days": 3,
                "response_working_days": 5,
                "resolution_working_days": 14,
                "needs_investigation": False,
                "is_emergency": False,
                "emergency_response_minutes": None,
            },
        }
    ]


def test_agencies_and_areas_are_listed(client, agency, kelurahan):
    agencies = client.get(f"{API}/agencies").json()
    areas = client.get(f"{API}/areas").json()

    assert agencies == [
        {"code": "PUPR", "name": "Dinas PUPR", "short_name": "PUPR", "parent": None}
    ]
    assert areas == [
        {
            "code": "99.71.01.1001",
            "name": "Kelurahan Melati",
            "level": "kelurahan",
            "parent_code": "99.71.01",
            "parent_name": "Kecamatan Uji",
            "bbox": [106.60, -6.25, 106.65, -6.15],
        }
    ]


# Intake ---------------------------------------------------------------------------------------


def test_anonymous_caller_creates_with_contact_and_gets_tracking_code(
    client, city, kelurahan, category
):
    response = client.post(f"{API}/aspirations", body(), content_type="application/json")

    assert response.status_code == 201
    data = response.json()
    aspiration = Aspiration.objects.get()
    assert data == {
        "code": aspiration.code,
        "status": "submitted",
        "privacy": "public",
        "photos": 0,
        "tracking_url": f"http://testserver/lacak/{aspiration.code}/",
        "api_url": f"http://testserver/api/v1/aspirations/{aspiration.code}",
    }
    assert aspiration.channel == Channel.APP
    assert aspiration.reporter is None
    assert decrypt(aspiration.reporter_contact_encrypted) == "warga@contoh.id"
    assert aspiration.kelurahan == kelurahan


def test_logged_in_citizen_becomes_the_reporter(city, kelurahan, category, citizen):
    response = client_for(citizen).post(
        f"{API}/aspirations", body(reporter_contact=""), content_type="application/json"
    )

    assert response.status_code == 201
    aspiration = Aspiration.objects.get()
    assert aspiration.reporter == citizen
    assert aspiration.reporter_name == citizen.display_name


def test_anonymous_caller_without_contact_must_choose_anonymous(client, city, kelurahan, category):
    refused = client.post(
        f"{API}/aspirations", body(reporter_contact=""), content_type="application/json"
    )
    accepted = client.post(
        f"{API}/aspirations",
        body(reporter_contact="", privacy="anonymous"),
        content_type="application/json",
    )

    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == {
        "field": "reporter_contact",
        "reason": "contact_required",
    }
    assert accepted.status_code == 201
    assert Aspiration.objects.get().privacy == Privacy.ANONYMOUS


def test_idempotency_key_replays_the_first_201_and_creates_nothing_new(
    client, city, kelurahan, category
):
    first = client.post(
        f"{API}/aspirations",
        body(),
        content_type="application/json",
        headers={"Idempotency-Key": "abc-123-retry-key"},
    )
    again = client.post(
        f"{API}/aspirations",
        body(),
        content_type="application/json",
        headers={"Idempotency-Key": "abc-123-retry-key"},
    )

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Aspiration.objects.count() == 1
    assert IdempotencyRecord.objects.get().scope == "api:aspirations:guest"


def test_idempotency_key_reused_for_another_request_is_a_conflict(
    client, city, kelurahan, category
):
    client.post(
        f"{API}/aspirations",
        body(),
        content_type="application/json",
        headers={"Idempotency-Key": "k1-kunci-uji-api"},
    )
    response = client.post(
        f"{API}/aspirations",
        body(title="Lampu jalan padam total"),
        content_type="application/json",
        headers={"Idempotency-Key": "k1-kunci-uji-api"},
    )

    assert response.status_code == 409
    assert error_code(response) == "conflict"
    assert Aspiration.objects.count() == 1


def test_idempotency_scope_is_per_user(city, kelurahan, category, citizen):
    client_for(citizen).post(
        f"{API}/aspirations",
        body(),
        content_type="application/json",
        headers={"Idempotency-Key": "same-kunci-uji-api"},
    )
    Client().post(
        f"{API}/aspirations",
        body(),
        content_type="application/json",
        headers={"Idempotency-Key": "same-kunci-uji-api"},
    )

    assert Aspiration.objects.count() == 2
    assert set(IdempotencyRecord.objects.values_list("scope", flat=True)) == {
        f"api:aspirations:{citizen.pk}",
        "api:aspirations:guest",
    }


def test_multipart_with_photos_strips_exif_gps(client, city, kelurahan, category):
    jpeg = image_upload("a.jpg", "JPEG")
    assert Image.open(io.BytesIO(jpeg.read())).getexif().get_ifd(0x8825)
    jpeg.seek(0)

    response = client.post(
        f"{API}/aspirations/with-photos", {**body(), "photos": [jpeg, image_upload("b.png", "PNG")]}
    )

    assert response.status_code == 201, response.content
    assert response.json()["photos"] == 2
    photos = list(AspirationPhoto.objects.order_by("id"))
    assert [p.image.name.rsplit(".", 1)[1] for p in photos] == ["jpg", "png"]
    for photo in photos:
        with Image.open(photo.image.path) as stored:
            assert dict(stored.getexif()) == {}
            assert "exif" not in stored.info


def test_multipart_without_photos_works(client, city, kelurahan, category):
    response = client.post(f"{API}/aspirations/with-photos", body())

    assert response.status_code == 201
    assert response.json()["photos"] == 0


def test_one_bad_photo_saves_no_aspiration_and_no_file(client, city, kelurahan, category):
    bad = image_upload("c.gif", "JPEG")
    bad.file = io.BytesIO(b"GIF89a not really an image")
    bad.size = 26

    response = client.post(
        f"{API}/aspirations/with-photos", {**body(), "photos": [image_upload("a.jpg"), bad]}
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {
        "field": "photos",
        "index": 1,
        "reason": "unsupported_photo_type",
    }
    assert Aspiration.objects.count() == 0
    assert AspirationPhoto.objects.count() == 0
    assert media_files() == []


def test_oversize_photo_is_refused(client, city, kelurahan, category, settings):
    settings.MAX_PHOTO_BYTES = 100

    response = client.post(
        f"{API}/aspirations/with-photos",
        {**body(), "photos": [image_upload("a.jpg", size=(300, 300))]},
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"]["reason"] == "photo_too_large"
    assert Aspiration.objects.count() == 0


def test_more_than_five_photos_is_refused(client, city, kelurahan, category):
    photos = [image_upload(f"{i}.jpg") for i in range(6)]

    response = client.post(f"{API}/aspirations/with-photos", {**body(), "photos": photos})

    assert response.status_code == 422
    assert response.json()["error"]["details"]["reason"] == "too_many"
    assert media_files() == []


@pytest.mark.parametrize(
    ("overrides", "details"),
    [
        ({"category": "tidak-ada"}, {"field": "category", "reason": "unknown_category"}),
        ({"latitude": -7.5, "longitude": 110.0}, {"field": "location", "reason": "outside_city"}),
    ],
)
def test_domain_validation_errors_are_422_with_reason(
    client, city, kelurahan, category, overrides, details
):
    response = client.post(f"{API}/aspirations", body(**overrides), content_type="application/json")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"] == details
    assert Aspiration.objects.count() == 0


def test_schema_validation_error_names_the_field(client, city, category):
    response = client.post(f"{API}/aspirations", {"title": "x"}, content_type="application/json")

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    missing = {tuple(e["loc"])[-1] for e in error["details"]["errors"]}
    assert {"text", "category"} <= missing


def test_service_field_errors_are_reported(client, city, kelurahan, category):
    response = client.post(f"{API}/aspirations", body(title="abc"), content_type="application/json")

    assert response.status_code == 422
    assert set(response.json()["error"]["details"]["fields"]) == {"title"}


def test_unexpected_error_is_500_json_without_stack_trace(client, monkeypatch, category):
    def explode(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("terang.aspirations.selectors.agency_performance", explode)

    response = client.get(f"{API}/performance")

    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "server_error",
            "message": "Terjadi kesalahan pada server.",
            "details": {},
        }
    }
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


def test_unknown_code_is_404(client, db):
    response = client.get(f"{API}/aspirations/ASP-NOTHERE1")

    assert response.status_code == 404
    assert error_code(response) == "not_found"


# Public list ----------------------------------------------------------------------------------


def test_list_masks_phone_and_nik_and_never_shows_reporter(
    client, city, kelurahan, category, admin_user, citizen
):
    published(
        category,
        admin_user,
        citizen,
        text="Hubungi 0812-3456-7890, NIK saya 3671012345678901, jalan rusak parah.",
    )

    response = client.get(f"{API}/aspirations")

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert "0812" not in item["text"] and "3671012345678901" not in item["text"]
    assert item["text"].count("[disamarkan]") == 2
    assert "reporter" not in str(item).lower()
    assert citizen.display_name not in response.content.decode()
    assert "warga@uji.id" not in response.content.decode()


def test_list_hides_confidential_and_unverified_items(
    client, city, kelurahan, category, admin_user
):
    shown = published(category, admin_user)
    published(category, admin_user, privacy=Privacy.CONFIDENTIAL)
    submit(category)

    codes = [i["code"] for i in client.get(f"{API}/aspirations").json()["items"]]

    assert codes == [shown.code]


def test_list_filters_and_cursor_pages(
    client, city, kelurahan, category, admin_user, checked_category
):
    items = [published(category, admin_user) for _ in range(3)]
    other = published(
        checked_category,
        admin_user,
        text="Pohon tumbang menutup saluran air di Jl. Melati sejak pagi.",
    )

    first = client.get(f"{API}/aspirations", {"limit": 2, "category": "jalan-rusak"}).json()
    second = client.get(
        f"{API}/aspirations",
        {"limit": 2, "category": "jalan-rusak", "cursor": first["next_cursor"]},
    ).json()
    by_area = client.get(f"{API}/aspirations", {"kelurahan": kelurahan.code}).json()
    by_text = client.get(f"{API}/aspirations", {"q": "pohon tumbang"}).json()
    by_status = client.get(f"{API}/aspirations", {"status": "closed"}).json()

    newest_first = [a.code for a in reversed(items)]
    assert [i["code"] for i in first["items"]] == newest_first[:2]
    assert [i["code"] for i in second["items"]] == newest_first[2:]
    assert second["next_cursor"] is None
    assert len(by_area["items"]) == 4 and other.code in [i["code"] for i in by_area["items"]]
    assert [i["code"] for i in by_text["items"]] == [other.code]
    assert by_status["items"] == []


def test_list_limit_above_100_is_a_validation_error(client, db):
    response = client.get(f"{API}/aspirations", {"limit": 101})

    assert response.status_code == 422
    assert error_code(response) == "validation_error"


def test_bad_cursor_is_a_validation_error(client, db):
    response = client.get(f"{API}/aspirations", {"cursor": "!!!"})

    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"field": "cursor"}


def test_list_query_count_is_constant(
    client, city, kelurahan, category, admin_user, django_assert_max_num_queries
):
    for _ in range(2):
        published(category, admin_user)
    with django_assert_max_num_queries(2):
        small = client.get(f"{API}/aspirations")
    for _ in range(8):
        published(category, admin_user)
    with django_assert_max_num_queries(2):
        large = client.get(f"{API}/aspirations")

    assert len(small.json()["items"]) == 2 and len(large.json()["items"]) == 10


def test_anonymous_item_has_no_reporter_anywhere(city, kelurahan, category, admin_user, citizen):
    aspiration = published(
        category,
        admin_user,
        citizen,
        privacy=Privacy.ANONYMOUS,
        reporter_name="Budi Santoso",
        reporter_contact="budi@contoh.id",
    )
    staff = client_for(admin_user)

    listing = Client().get(f"{API}/aspirations").content.decode()
    tracking = Client().get(f"{API}/aspirations/{aspiration.code}").content.decode()
    detail = staff.get(f"{API}/staff/aspirations/{aspiration.code}").json()
    mine = client_for(citizen).get(f"{API}/me/aspirations").json()

    for text in (listing, tracking, str(detail)):
        assert "Budi" not in text and "budi@contoh.id" not in text
        assert citizen.username not in text and citizen.email not in text
    assert detail["reporter"] == {"name": "", "contact": "", "note": "anonymous"}
    assert mine["items"] == []


# Tracking and duplicates ----------------------------------------------------------------------


def test_tracking_shows_status_timeline_and_masked_content(
    client, city, kelurahan, category, admin_user
):
    aspiration = published(category, admin_user, text="Telepon 081234567890 jalan rusak parah.")

    data = client.get(f"{API}/aspirations/{aspiration.code.lower()}").json()

    assert data["code"] == aspiration.code
    assert data["status"] == Status.DISPOSITIONED and data["content_visible"] is True
    assert "081234567890" not in data["text"]
    assert [e["to_status"] for e in data["timeline"]] == [
        "submitted",
        "verified",
        "dispositioned",
        "dispositioned",
    ]
    assert all("actor_name" not in e for e in data["timeline"])
    assert {e["actor"]["label"] for e in data["timeline"]} == {"Sistem", "Administrator"}
    assert {e["actor"]["kind"] for e in data["timeline"]} == {"system", "staff"}


def test_confidential_tracking_hides_content_except_for_reporter_and_staff(
    city, kelurahan, category, citizen, other_citizen, officer, other_officer, inspector
):
    aspiration = submit(category, citizen, privacy=Privacy.CONFIDENTIAL)
    url = f"{API}/aspirations/{aspiration.code}"

    def seen(user):  # type: ignore[no-untyped-def]
        data = client_for(user).get(url).json()
        return data["content_visible"], data["title"] is not None, data["latitude"] is not None

    assert seen(None) == (False, False, False)
    assert seen(other_citizen) == (False, False, False)
    assert seen(other_officer) == (False, False, False)
    assert seen(citizen) == (True, True, True)
    assert seen(officer) == (True, True, True)
    assert seen(inspector) == (True, True, True)
    assert client_for(None).get(url).json()["timeline"][0]["to_status"] == "submitted"


def test_confidential_answer_and_reasons_are_withheld_from_outsiders(
    city, kelurahan, category, admin_user, citizen
):
    aspiration = published(category, admin_user, citizen, privacy=Privacy.CONFIDENTIAL)
    services.answer_aspiration(
        actor=admin_user,
        aspiration=aspiration,
        answer="Pegawai yang Anda laporkan sudah diperiksa.",
    )
    services.resolve_aspiration(
        actor=admin_user,
        aspiration=aspiration,
        answer="Sanksi sudah dijatuhkan kepada pegawai tersebut.",
    )
    url = f"{API}/aspirations/{aspiration.code}"

    outsider = Client().get(url).json()
    reporter = client_for(citizen).get(url).json()

    assert outsider["status"] == "resolved" and outsider["public_answer"] == ""
    assert {e["reason"] for e in outsider["timeline"]} == {""}
    assert "Sanksi" not in str(outsider) and "diperiksa" not in str(outsider)
    assert reporter["public_answer"] == "Sanksi sudah dijatuhkan kepada pegawai tersebut."
    assert any("diperiksa" in e["reason"] for e in reporter["timeline"])


def test_tracking_lists_photo_urls(client, city, kelurahan, category):
    aspiration = submit(category, photos=[image_upload()])

    data = client.get(f"{API}/aspirations/{aspiration.code}").json()

    assert len(data["photos"]) == 1
    url = data["photos"][0]["url"]
    assert url.startswith("http://testserver/berkas/aspirations.aspirationphoto.image/")
    photo = client.get(url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_duplicates_returns_similar_open_public_items(
    client, city, kelurahan, category, admin_user
):
    similar = published(category, admin_user)
    published(category, admin_user, privacy=Privacy.CONFIDENTIAL)

    response = client.get(
        f"{API}/aspirations/duplicates",
        {
            "category": "jalan-rusak",
            "lat": -6.2001,
            "lon": 106.6201,
            "text": "jalan berlubang di depan sekolah",
        },
    )

    assert response.status_code == 200
    assert [d["code"] for d in response.json()] == [similar.code]
    assert set(response.json()[0]) == {"code", "title", "status", "created_at"}


def test_performance_lists_agencies(client, city, kelurahan, category, admin_user):
    aspiration = published(category, admin_user)
    services.start_progress(actor=admin_user, aspiration=aspiration)

    [row] = client.get(f"{API}/performance").json()

    assert row["agency_code"] == "PUPR" and row["received"] == 1 and row["resolved"] == 0


def test_oversized_json_body_is_413_not_500(client, city, category, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post(
        f"{API}/aspirations", body(text="x" * 2000), content_type="application/json"
    )

    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"
    assert Aspiration.objects.count() == 0


def test_too_many_files_is_413(client, city, category, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    photos = [image_upload(f"{i}.jpg") for i in range(3)]

    response = client.post(f"{API}/aspirations/with-photos", {**body(), "photos": photos})

    assert response.status_code == 413
    assert Aspiration.objects.count() == 0
