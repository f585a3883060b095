"""Citizen endpoints of /api/v1: my reports, rating, reopening, following, area subscriptions,
and the session rules (401 without a session, CSRF on unsafe methods)."""

from __future__ import annotations

import pytest
from django.test import Client

from terang.aspirations import services
from terang.aspirations.choices import Privacy, Status
from terang.aspirations.models import Aspiration, Follow
from terang.core.models import AreaSubscription
from tests.helpers import client_for

from .api_helpers import API, body, error_code, published, submit

pytestmark = pytest.mark.django_db


def resolved(category, admin, reporter):  # type: ignore[no-untyped-def]
    aspiration = published(category, admin, reporter)
    return services.resolve_aspiration(
        actor=admin, aspiration=aspiration, answer="Lubang sudah ditambal hari ini."
    )


def test_my_aspirations_lists_only_mine_newest_first_with_cursor(
    city, kelurahan, category, citizen, other_citizen
):
    mine = [submit(category, citizen) for _ in range(3)]
    submit(category, other_citizen)
    client = client_for(citizen)

    first = client.get(f"{API}/me/aspirations", {"limit": 2}).json()
    second = client.get(
        f"{API}/me/aspirations", {"limit": 2, "cursor": first["next_cursor"]}
    ).json()

    expected = [a.code for a in reversed(mine)]
    assert [i["code"] for i in first["items"] + second["items"]] == expected
    assert first["items"][0]["title"] == "Jalan berlubang di depan sekolah"
    assert second["next_cursor"] is None


def test_my_aspirations_needs_a_session(client, db):
    response = client.get(f"{API}/me/aspirations")

    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "not_authenticated",
        "message": "Autentikasi diperlukan.",
        "details": {},
    }


def test_reporter_rates_a_resolved_item_and_it_closes(
    city, kelurahan, category, admin_user, citizen
):
    aspiration = resolved(category, admin_user, citizen)

    response = client_for(citizen).post(
        f"{API}/aspirations/{aspiration.code}/rating",
        {"rating": 5, "comment": "Cepat"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {"code": aspiration.code, "status": "closed", "agency": "PUPR"}
    aspiration.refresh_from_db()
    assert (aspiration.rating, aspiration.rating_comment) == (5, "Cepat")


@pytest.mark.parametrize("who", ["anonymous", "other_citizen", "officer"])
def test_only_the_reporter_may_rate(request, city, kelurahan, category, admin_user, citizen, who):
    aspiration = resolved(category, admin_user, citizen)
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).post(
        f"{API}/aspirations/{aspiration.code}/rating",
        {"rating": 5},
        content_type="application/json",
    )

    assert response.status_code == (401 if user is None else 403)
    assert error_code(response) == ("not_authenticated" if user is None else "permission_denied")
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.rating) == (Status.RESOLVED, None)


def test_rating_out_of_range_is_422_and_rating_too_early_is_409(
    city, kelurahan, category, admin_user, citizen
):
    done = resolved(category, admin_user, citizen)
    open_item = published(category, admin_user, citizen)
    client = client_for(citizen)

    out_of_range = client.post(
        f"{API}/aspirations/{done.code}/rating", {"rating": 9}, content_type="application/json"
    )
    too_early = client.post(
        f"{API}/aspirations/{open_item.code}/rating", {"rating": 4}, content_type="application/json"
    )

    assert out_of_range.status_code == 422
    assert out_of_range.json()["error"]["details"] == {"field": "rating"}
    assert too_early.status_code == 409
    assert error_code(too_early) == "invalid_transition"
    assert too_early.json()["error"]["details"]["from"] == "dispositioned"
    open_item.refresh_from_db()
    assert open_item.status == Status.DISPOSITIONED


def test_reporter_reopens_with_a_reason(city, kelurahan, category, admin_user, citizen):
    aspiration = resolved(category, admin_user, citizen)
    client = client_for(citizen)

    short = client.post(
        f"{API}/aspirations/{aspiration.code}/reopen",
        {"reason": "no"},
        content_type="application/json",
    )
    response = client.post(
        f"{API}/aspirations/{aspiration.code}/reopen",
        {"reason": "Lubang muncul lagi setelah hujan."},
        content_type="application/json",
    )

    assert short.status_code == 422
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    aspiration.refresh_from_db()
    assert aspiration.reopen_count == 1


def test_follow_and_unfollow_a_public_item(city, kelurahan, category, admin_user, other_citizen):
    aspiration = published(category, admin_user)
    client = client_for(other_citizen)

    followed = client.post(f"{API}/aspirations/{aspiration.code}/follow")
    assert followed.json() == {"code": aspiration.code, "following": True}
    assert Follow.objects.filter(aspiration=aspiration, user=other_citizen).exists()

    unfollowed = client.delete(f"{API}/aspirations/{aspiration.code}/follow")
    assert unfollowed.json() == {"code": aspiration.code, "following": False}
    assert not Follow.objects.exists()


def test_confidential_item_cannot_be_followed(city, kelurahan, category, admin_user, other_citizen):
    aspiration = published(category, admin_user, privacy=Privacy.CONFIDENTIAL)

    response = client_for(other_citizen).post(f"{API}/aspirations/{aspiration.code}/follow")

    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_follow_needs_a_session(client, city, kelurahan, category, admin_user):
    aspiration = published(category, admin_user)

    response = client.post(f"{API}/aspirations/{aspiration.code}/follow")

    assert response.status_code == 401
    assert not Follow.objects.exists()


def test_subscribe_and_unsubscribe_a_kelurahan(city, kelurahan, citizen):
    client = client_for(citizen)

    on = client.post(f"{API}/areas/{kelurahan.code}/subscription")
    assert on.json() == {"area": kelurahan.code, "subscribed": True}
    assert AreaSubscription.objects.filter(user=citizen, area=kelurahan).exists()

    off = client.delete(f"{API}/areas/{kelurahan.code}/subscription")
    assert off.json() == {"area": kelurahan.code, "subscribed": False}
    assert not AreaSubscription.objects.exists()


def test_subscription_to_kecamatan_is_422_and_unknown_area_404(city, kelurahan, citizen):
    client = client_for(citizen)

    kecamatan = client.post(f"{API}/areas/{kelurahan.parent.code}/subscription")
    unknown = client.post(f"{API}/areas/00.00/subscription")

    assert kecamatan.status_code == 422
    assert unknown.status_code == 404
    assert not AreaSubscription.objects.exists()


def test_session_post_without_csrf_token_is_refused(city, kelurahan, category, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)

    response = client.post(f"{API}/aspirations", body(), content_type="application/json")

    assert response.status_code == 403
    assert response.json()["error"]["details"] == {"reason": "csrf_failed"}
    assert Aspiration.objects.count() == 0


def test_session_post_with_csrf_token_is_accepted(city, kelurahan, category, citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    token = "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6"  # a well-formed 32-character CSRF secret
    client.cookies["csrftoken"] = token

    response = client.post(
        f"{API}/aspirations",
        body(),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201
    assert Aspiration.objects.get().reporter == citizen


def test_cookieless_anonymous_post_needs_no_csrf_token(city, kelurahan, category):
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/aspirations", body(), content_type="application/json"
    )

    assert response.status_code == 201
