"""Citizen pages: my reports, rating and reopening by the reporter, following, area subscriptions.

Every denial also checks that nothing changed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terang.aspirations import services
from terang.aspirations.choices import Privacy, Status
from terang.aspirations.models import Aspiration, Follow
from terang.core.models import AreaSubscription

from .conftest import GUEST_CONTACT, INSIDE_A, login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def submit(category, reporter=None, **kwargs) -> Aspiration:
    defaults = dict(
        title="Jalan berlubang di depan sekolah",
        text="Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor.",
        category=category,
        location=INSIDE_A,
        reporter=reporter,
    )
    if reporter is None:
        # A guest's identified web report must leave a contact (intake rule).
        defaults["reporter_contact"] = GUEST_CONTACT
    defaults.update(kwargs)
    return services.submit_aspiration(**defaults)


@pytest.fixture
def resolved(city, kelurahan, category, citizen, operator, officer) -> Aspiration:
    """The citizen's report, verified, worked on and resolved by the owning agency."""
    aspiration = submit(category, citizen)
    services.verify_aspiration(actor=operator, aspiration=aspiration)
    services.start_progress(actor=officer, aspiration=aspiration)
    return services.resolve_aspiration(
        actor=officer, aspiration=aspiration, answer="Lubang sudah ditambal dengan aspal."
    )


@pytest.fixture
def closed(resolved, citizen) -> Aspiration:
    return services.rate_aspiration(actor=citizen, aspiration=resolved, rating=2)


def snapshot(aspiration: Aspiration) -> tuple:
    fresh = Aspiration.objects.get(pk=aspiration.pk)
    return (
        fresh.status,
        fresh.rating,
        fresh.rating_comment,
        fresh.reopen_count,
        fresh.closed_at,
        fresh.resolved_at,
        fresh.events.count(),
    )


def sign_in(client, who: str, request: pytest.FixtureRequest) -> None:
    """Sign in as one of the permission-matrix actors (staff with a 2FA-verified session)."""
    if who == "anonymous":
        return
    user = request.getfixturevalue(who)
    if user.is_city_staff:
        login_staff(client, user)
    else:
        client.force_login(user)


MATRIX = ["anonymous", "other_citizen", "other_officer", "officer", "inspector", "admin_user"]


# --- My reports ------------------------------------------------------------------------------


def test_my_reports_needs_login(client, city):
    response = client.get("/saya/laporan/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


def test_my_reports_lists_only_my_own_reports(
    client, city, kelurahan, category, citizen, other_citizen
):
    mine = submit(category, citizen, privacy=Privacy.CONFIDENTIAL, title="Laporan rahasia saya")
    theirs = submit(category, other_citizen, title="Laporan orang lain")
    client.force_login(citizen)

    response = client.get("/saya/laporan/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/lacak/{mine.code}/"' in html and "Laporan rahasia saya" in html
    assert theirs.code not in html and "Laporan orang lain" not in html
    assert "Diterima" in html and 'class="time-left' in html


def test_my_reports_pages_with_a_cursor(client, city, kelurahan, category, citizen):
    for n in range(21):
        submit(category, citizen, title=f"Laporan saya nomor {n}")
    client.force_login(citizen)
    first = client.get("/saya/laporan/")
    assert len(first.context["rows"]) == 20
    second = client.get(first.context["next_url"])
    assert [row["aspiration"].title for row in second.context["rows"]] == ["Laporan saya nomor 0"]


# --- Rating ----------------------------------------------------------------------------------


def test_reporter_sees_rating_form_only_on_resolved_items(client, resolved, citizen, other_citizen):
    client.force_login(citizen)
    html = client.get(f"/lacak/{resolved.code}/").content.decode()
    assert f'action="/lacak/{resolved.code}/nilai/"' in html
    assert "Lubang sudah ditambal dengan aspal." in html
    client.force_login(other_citizen)
    html = client.get(f"/lacak/{resolved.code}/").content.decode()
    assert "/nilai/" not in html and "/buka-kembali/" not in html


def test_reporter_rates_and_the_report_closes(client, resolved, citizen):
    client.force_login(citizen)

    response = client.post(
        f"/lacak/{resolved.code}/nilai/", {"rating": "4", "comment": "Cepat, terima kasih."}
    )

    assert response.status_code == 302 and response["Location"] == f"/lacak/{resolved.code}/"
    fresh = Aspiration.objects.get(pk=resolved.pk)
    assert (fresh.status, fresh.rating, fresh.rating_comment) == (
        Status.CLOSED,
        4,
        "Cepat, terima kasih.",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Terima kasih atas penilaian Anda." in page


def test_rating_out_of_range_is_refused(client, resolved, citizen):
    client.force_login(citizen)
    before = snapshot(resolved)
    response = client.post(f"/lacak/{resolved.code}/nilai/", {"rating": "9"})
    assert response.status_code == 422
    assert 'id="id_rating_error"' in response.content.decode()
    assert snapshot(resolved) == before


@pytest.mark.parametrize("who", MATRIX)
def test_only_the_reporter_may_rate(client, request, resolved, who):
    sign_in(client, who, request)
    before = snapshot(resolved)

    response = client.post(f"/lacak/{resolved.code}/nilai/", {"rating": "1"})

    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    else:
        assert response.status_code == 403
        assert "Hanya pelapor yang dapat melakukan ini." in response.content.decode()
    assert snapshot(resolved) == before


# --- Reopening -------------------------------------------------------------------------------


def test_reporter_reopens_a_closed_report_within_the_window(client, closed, citizen):
    client.force_login(citizen)
    page = client.get(f"/lacak/{closed.code}/").content.decode()
    assert f'action="/lacak/{closed.code}/buka-kembali/"' in page

    response = client.post(
        f"/lacak/{closed.code}/buka-kembali/", {"reason": "Lubang muncul lagi setelah hujan."}
    )

    assert response.status_code == 302
    fresh = Aspiration.objects.get(pk=closed.pk)
    assert (fresh.status, fresh.reopen_count, fresh.rating) == (Status.IN_PROGRESS, 1, None)
    assert fresh.events.filter(reason="Lubang muncul lagi setelah hujan.").exists()


def test_reopen_without_a_reason_is_refused(client, closed, citizen):
    client.force_login(citizen)
    before = snapshot(closed)
    response = client.post(f"/lacak/{closed.code}/buka-kembali/", {"reason": "x"})
    assert response.status_code == 422
    assert "Alasan wajib diisi (minimal 5 karakter)." in response.content.decode()
    assert snapshot(closed) == before


def test_reopen_after_the_window_is_refused(client, city, closed, citizen):
    Aspiration.objects.filter(pk=closed.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=city.reopen_window_days + 1)
    )
    client.force_login(citizen)
    assert "/buka-kembali/" not in client.get(f"/lacak/{closed.code}/").content.decode()
    before = snapshot(closed)

    response = client.post(
        f"/lacak/{closed.code}/buka-kembali/", {"reason": "Lubang muncul lagi setelah hujan."}
    )

    assert response.status_code == 409
    assert "Batas waktu membuka kembali laporan sudah lewat." in response.content.decode()
    assert snapshot(closed) == before


@pytest.mark.parametrize("who", MATRIX)
def test_only_the_reporter_may_reopen(client, request, closed, who):
    sign_in(client, who, request)
    before = snapshot(closed)

    response = client.post(
        f"/lacak/{closed.code}/buka-kembali/", {"reason": "Saya ingin membuka kembali laporan ini."}
    )

    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    else:
        assert response.status_code == 403
    assert snapshot(closed) == before


# --- Following -------------------------------------------------------------------------------


@pytest.fixture
def public_item(city, kelurahan, category, operator) -> Aspiration:
    aspiration = submit(category)
    return services.verify_aspiration(actor=operator, aspiration=aspiration)


def test_citizen_follows_and_unfollows_a_public_report(client, public_item, other_citizen):
    client.force_login(other_citizen)
    html = client.get(f"/aspirasi/{public_item.code}/").content.decode()
    assert "Ikuti laporan ini" in html

    response = client.post(f"/aspirasi/{public_item.code}/ikuti/", {"action": "follow"})

    assert response.status_code == 302
    assert Follow.objects.filter(aspiration=public_item, user=other_citizen).count() == 1
    assert "Berhenti mengikuti" in client.get(response["Location"]).content.decode()
    client.post(f"/aspirasi/{public_item.code}/ikuti/", {"action": "unfollow"})
    assert not Follow.objects.filter(aspiration=public_item, user=other_citizen).exists()


def test_anonymous_visitor_is_sent_to_login_to_follow(client, public_item):
    html = client.get(f"/aspirasi/{public_item.code}/").content.decode()
    assert "Masuk untuk mengikuti laporan ini" in html
    response = client.post(f"/aspirasi/{public_item.code}/ikuti/", {"action": "follow"})
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert Follow.objects.count() == 0


def test_a_confidential_report_cannot_be_followed(
    client, city, kelurahan, category, operator, other_citizen
):
    secret = services.verify_aspiration(
        actor=operator, aspiration=submit(category, privacy=Privacy.CONFIDENTIAL)
    )
    client.force_login(other_citizen)
    assert "Ikuti laporan ini" not in client.get(f"/lacak/{secret.code}/").content.decode()
    response = client.post(f"/aspirasi/{secret.code}/ikuti/", {"action": "follow"})
    assert response.status_code == 404
    assert Follow.objects.count() == 0


# --- Area subscriptions ----------------------------------------------------------------------


def test_subscriptions_need_login(client, city):
    response = client.get("/wilayah/langganan/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    client.post("/wilayah/langganan/", {"action": "subscribe", "area": "99.71.01.1001"})
    assert AreaSubscription.objects.count() == 0


def test_citizen_subscribes_and_unsubscribes_a_kelurahan(client, kelurahan, kelurahan_b, citizen):
    client.force_login(citizen)
    html = client.get("/wilayah/langganan/").content.decode()
    assert f'<option value="{kelurahan.code}">Kelurahan Melati (Kecamatan Uji)</option>' in html

    response = client.post("/wilayah/langganan/", {"action": "subscribe", "area": kelurahan.code})

    assert response.status_code == 302
    assert list(AreaSubscription.objects.values_list("user", "area")) == [
        (citizen.pk, kelurahan.pk)
    ]
    page = client.get("/wilayah/langganan/").content.decode()
    assert "Berhenti berlangganan Kelurahan Melati" in page
    client.post("/wilayah/langganan/", {"action": "unsubscribe", "area": kelurahan.code})
    assert AreaSubscription.objects.count() == 0


def test_subscribing_to_a_kecamatan_is_refused(client, kecamatan, kelurahan, citizen):
    client.force_login(citizen)
    response = client.post("/wilayah/langganan/", {"action": "subscribe", "area": kecamatan.code})
    assert response.status_code == 422
    assert 'id="id_area_error"' in response.content.decode()
    assert AreaSubscription.objects.count() == 0


def test_subscribers_are_told_about_new_public_reports(
    client, city, kelurahan, category, operator, citizen
):
    from terang.core.models import Notification

    client.force_login(citizen)
    client.post("/wilayah/langganan/", {"action": "subscribe", "area": kelurahan.code})
    aspiration = submit(category)
    services.verify_aspiration(actor=operator, aspiration=aspiration)
    assert (
        Notification.objects.filter(recipient=citizen, subject__contains="Kelurahan Melati").count()
        == 1
    )
