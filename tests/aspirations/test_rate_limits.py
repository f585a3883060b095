"""Creation, follow and tracking limits on every aspiration path (HTML, API, Open311): the
(N+1)th request from one address gets 429 with Retry-After and saves nothing; another address
is unaffected; a signed-in citizen is limited per account whatever address they use."""

from __future__ import annotations

import pytest
from django.test import Client

from terang.aspirations.models import Aspiration, AspirationPhoto, Follow
from terang.aspirations.services.open311_clients import issue_open311_key
from terang.core import ratelimit
from terang.core.choices import RateLimitAction
from terang.core.models import AreaSubscription, RateLimitPolicy
from tests.helpers import client_for

from .api_helpers import API, body, published
from .conftest import image_upload
from .test_public_pages import SUBMIT_URL, form_data

ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.20"


@pytest.fixture(autouse=True)
def _fresh_limiter():
    ratelimit.reset_local_state()


def set_policy(action: str, per_source: int, per_account: int, window: int = 3600) -> None:
    RateLimitPolicy.objects.update_or_create(
        action=action,
        defaults={"per_source": per_source, "per_account": per_account, "window_seconds": window},
    )
    ratelimit.forget_rate_limit_policies()


def assert_rate_limited_json(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.content
    assert int(response["Retry-After"]) >= 1
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["details"]["retry_after_seconds"] == int(response["Retry-After"])


def assert_rate_limited_page(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "core/rate_limited.html" in [t.name for t in response.templates]
    assert "Terlalu banyak permintaan" in response.content.decode()


def api_create(client: Client, address: str = ADDRESS, **overrides):  # type: ignore[no-untyped-def]
    return client.post(
        f"{API}/aspirations",
        body(**overrides),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


# Creation ---------------------------------------------------------------------------------------


def test_anonymous_api_creates_over_the_source_limit_get_429_and_save_nothing(
    client, city, kelurahan, category
):
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=3, per_account=2)

    statuses = [api_create(client).status_code for _ in range(3)]
    refused = api_create(client)

    assert statuses == [201, 201, 201]
    assert_rate_limited_json(refused)
    assert Aspiration.objects.count() == 3
    assert api_create(client, OTHER_ADDRESS).status_code == 201
    assert Aspiration.objects.count() == 4


def test_default_limit_stops_a_flood_from_one_address(client, city, kelurahan, category):
    """The reported abuse: one address filing thousands a minute. The seeded limit is 60/h."""
    statuses = [api_create(client, privacy="anonymous").status_code for _ in range(61)]

    assert statuses.count(201) == 60
    assert statuses[-1] == 429
    assert Aspiration.objects.count() == 60


def test_html_form_over_the_limit_gets_the_friendly_429_page(client, city, kelurahan, category):
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=1, per_account=1)
    first = client.post(
        SUBMIT_URL,
        form_data(category, idempotency_key="rate-limit-form-key-1"),
        REMOTE_ADDR=ADDRESS,
    )
    assert first.status_code == 302

    refused = client.post(
        SUBMIT_URL,
        form_data(category, idempotency_key="rate-limit-form-key-2"),
        REMOTE_ADDR=ADDRESS,
    )

    assert_rate_limited_page(refused)
    assert Aspiration.objects.count() == 1


def test_duplicate_check_step_is_not_counted(client, city, kelurahan, category):
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=1, per_account=1)

    for _ in range(3):
        client.post(SUBMIT_URL, form_data(category, action="check"), REMOTE_ADDR=ADDRESS)
    response = client.post(SUBMIT_URL, form_data(category), REMOTE_ADDR=ADDRESS)

    assert response.status_code == 302


def test_signed_in_citizen_is_limited_per_account_across_addresses(
    city, kelurahan, category, citizen
):
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=100, per_account=2)
    client = client_for(citizen)

    statuses = [api_create(client, f"203.0.113.{n}").status_code for n in range(1, 3)]
    refused = api_create(client, "198.51.100.99")

    assert statuses == [201, 201]
    assert_rate_limited_json(refused)
    assert Aspiration.objects.filter(reporter=citizen).count() == 2
    # Another person behind the very same address still gets through.
    assert api_create(Client(), "198.51.100.99").status_code == 201


def test_staff_intake_is_exempt(city, kelurahan, category, officer):
    set_policy(RateLimitAction.ASPIRATION_SUBMIT, per_source=1, per_account=1)
    client = client_for(officer)

    statuses = [api_create(client).status_code for _ in range(3)]

    assert statuses == [201, 201, 201]


def test_photos_are_counted_one_by_one(client, city, kelurahan, category):
    set_policy(RateLimitAction.PHOTO_UPLOAD, per_source=3, per_account=3)
    photos = [image_upload(f"{n}.jpg") for n in range(2)]
    first = client.post(
        f"{API}/aspirations/with-photos", {**body(), "photos": photos}, REMOTE_ADDR=ADDRESS
    )
    assert first.status_code == 201

    refused = client.post(
        f"{API}/aspirations/with-photos",
        {**body(), "photos": [image_upload(f"{n}.jpg") for n in range(2)]},
        REMOTE_ADDR=ADDRESS,
    )

    assert_rate_limited_json(refused)
    assert Aspiration.objects.count() == 1
    assert AspirationPhoto.objects.count() == 2


def test_open311_posts_are_limited_per_api_key(client, city, kelurahan, category):
    set_policy(RateLimitAction.OPEN311_SUBMIT, per_source=100, per_account=2)
    key = issue_open311_key(name="Aplikasi Warga")[1]
    other_key = issue_open311_key(name="Aplikasi Lain")[1]
    data = {
        "service_code": category.code,
        "lat": "-6.2",
        "long": "106.62",
        "description": "Lubang besar di depan sekolah membahayakan pengendara.",
    }

    def post(api_key: str):  # type: ignore[no-untyped-def]
        return client.post(
            "/open311/v2/requests.json", {**data, "api_key": api_key}, REMOTE_ADDR=ADDRESS
        )

    statuses = [post(key).status_code for _ in range(2)]
    refused = post(key)

    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()[0]["code"] == 429
    assert Aspiration.objects.count() == 2
    assert post(other_key).status_code == 200


# Follows ----------------------------------------------------------------------------------------


def test_follows_and_subscriptions_are_limited_per_account(
    city, kelurahan, category, admin_user, citizen
):
    set_policy(RateLimitAction.FOLLOW, per_source=100, per_account=2)
    items = [published(category, admin_user) for _ in range(2)]
    client = client_for(citizen)

    first = client.post(f"{API}/aspirations/{items[0].code}/follow", REMOTE_ADDR=ADDRESS)
    second = client.post(f"/aspirasi/{items[1].code}/ikuti/", REMOTE_ADDR=OTHER_ADDRESS)
    refused_api = client.post(f"{API}/areas/{kelurahan.code}/subscription")
    refused_page = client.post("/wilayah/langganan/", {"area": kelurahan.code})

    assert first.status_code == 200
    assert second.status_code == 302
    assert_rate_limited_json(refused_api)
    assert_rate_limited_page(refused_page)
    assert Follow.objects.filter(user=citizen).count() == 2
    assert AreaSubscription.objects.filter(user=citizen).count() == 0


# Tracking lookups -------------------------------------------------------------------------------


def test_tracking_code_guessing_is_limited_on_page_and_api(client, city):
    set_policy(RateLimitAction.TRACKING_LOOKUP, per_source=3, per_account=3, window=60)

    statuses = [
        client.get(f"/lacak/ASP-TEBAK{n:03d}/", REMOTE_ADDR=ADDRESS).status_code for n in range(3)
    ]
    refused_page = client.get("/lacak/ASP-TEBAK999/", REMOTE_ADDR=ADDRESS)
    refused_api = client.get(f"{API}/aspirations/ASP-TEBAK999", REMOTE_ADDR=ADDRESS)

    assert statuses == [404, 404, 404]
    assert_rate_limited_page(refused_page)
    assert_rate_limited_json(refused_api)
    assert client.get("/lacak/ASP-TEBAK999/", REMOTE_ADDR=OTHER_ADDRESS).status_code == 404
