"""TOTP two-factor for staff: sign-in redirect, the middleware gate, enrolment and verification."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from terang.core.choices import Role
from terang.core.middleware import requires_two_factor
from terang.core.models import AuditEntry
from terang.core.views import auth as auth_views
from tests.factories import DEFAULT_PASSWORD, UserFactory, make_staff, totp_device

TWO_FACTOR = reverse("core:two_factor")
STAFF_ROLES = [Role.OFFICER, Role.AGENCY_HEAD, Role.OPERATOR, Role.INSPECTORATE, Role.ADMIN]


def token_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def wrong_token(device: TOTPDevice) -> str:
    return f"{(int(token_for(device)) + 500_000) % 1_000_000:06d}"


@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.django_db
def test_every_staff_role_requires_two_factor(role):
    assert requires_two_factor(UserFactory(role=role)) is True


@pytest.mark.django_db
def test_citizen_does_not_require_two_factor():
    assert requires_two_factor(UserFactory()) is False


@pytest.mark.django_db
def test_django_superuser_without_staff_role_still_requires_two_factor():
    assert requires_two_factor(UserFactory(is_staff=True, is_superuser=True)) is True


@pytest.mark.django_db
def test_staff_password_login_redirects_to_two_factor_keeping_next(client):
    officer = make_staff(Role.OFFICER)

    response = client.post(
        reverse("core:login") + "?next=/petugas/",
        {"username": officer.username, "password": DEFAULT_PASSWORD, "next": "/petugas/"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR}?next=%2Fpetugas%2F"
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN])
@pytest.mark.django_db
def test_unverified_staff_is_redirected_away_from_staff_pages(client, role):
    staff = make_staff(role)
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{TWO_FACTOR}?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_unverified_staff_can_still_reach_exempt_paths(client):
    client.force_login(make_staff(Role.OPERATOR))

    assert client.get("/healthz").status_code != 302
    assert client.get(reverse("core:login")).status_code == 200
    assert client.get(TWO_FACTOR).status_code == 200


@pytest.mark.django_db
def test_unverified_staff_cannot_reach_other_account_pages(client):
    client.force_login(make_staff(Role.OPERATOR))

    response = client.get(reverse("core:register"))

    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


@pytest.mark.django_db
def test_citizen_is_never_sent_to_two_factor(client):
    client.force_login(UserFactory())

    assert client.get(reverse("core:home")).status_code == 200
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_anonymous_two_factor_page_asks_to_sign_in(client):
    response = client.get(TWO_FACTOR)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.django_db
def test_correct_totp_code_lets_staff_in(client):
    admin = make_staff(Role.ADMIN)
    client.post(reverse("core:login"), {"username": admin.username, "password": DEFAULT_PASSWORD})
    device = totp_device(admin)

    page = client.get(TWO_FACTOR)
    response = client.post(TWO_FACTOR, {"code": token_for(device), "next": "/admin/"})

    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_wrong_totp_code_is_refused(client):
    officer = make_staff(Role.OFFICER)
    client.force_login(officer)
    device = totp_device(officer)

    response = client.post(TWO_FACTOR, {"code": wrong_token(device)})

    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_totp_code_cannot_be_replayed(client):
    officer = make_staff(Role.OFFICER)
    device = totp_device(officer)
    code = token_for(device)
    client.force_login(officer)
    client.post(TWO_FACTOR, {"code": code})
    client.logout()
    client.force_login(officer)

    response = client.post(TWO_FACTOR, {"code": code})

    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_two_factor_ignores_offsite_next(client):
    officer = make_staff(Role.OFFICER)
    client.force_login(officer)

    response = client.post(
        TWO_FACTOR, {"code": token_for(totp_device(officer)), "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("aspirations:staff_inbox")  # staff's landing page


@pytest.mark.django_db
def test_staff_without_device_sees_setup_with_qr_and_secret(client):
    operator = make_staff(Role.OPERATOR, with_device=False)
    client.force_login(operator)

    first = client.get(TWO_FACTOR)
    second = client.get(TWO_FACTOR)

    html = first.content.decode()
    device = TOTPDevice.objects.get(user=operator)
    assert device.confirmed is False
    assert first.status_code == 200
    assert "<svg" in html
    assert 'href="otpauth://totp/' in html
    assert first.context["secret"] == second.context["secret"]
    assert first.context["secret"].replace(" ", "") in html.replace(" ", "")
    assert TOTPDevice.objects.filter(user=operator).count() == 1


@pytest.mark.django_db
def test_setup_confirms_device_with_a_valid_code(client):
    operator = make_staff(Role.OPERATOR, with_device=False)
    client.force_login(operator)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=operator)

    response = client.post(TWO_FACTOR, {"code": token_for(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEntry.objects.filter(action="account.totp_enabled", actor=operator).count() == 1


@pytest.mark.django_db
def test_setup_with_wrong_code_leaves_device_unconfirmed(client):
    operator = make_staff(Role.OPERATOR, with_device=False)
    client.force_login(operator)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=operator)

    response = client.post(TWO_FACTOR, {"code": wrong_token(device)})

    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is False
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert not AuditEntry.objects.filter(action="account.totp_enabled").exists()


@pytest.mark.django_db
def test_two_factor_attempts_are_throttled_per_account(client, monkeypatch):
    monkeypatch.setattr(auth_views, "TOTP_USER_LIMIT", (2, 300))
    officer = make_staff(Role.OFFICER)
    client.force_login(officer)
    device = totp_device(officer)
    for _ in range(2):
        client.post(TWO_FACTOR, {"code": wrong_token(device)})

    response = client.post(TWO_FACTOR, {"code": token_for(device)})

    assert response.status_code == 429
    assert DEVICE_ID_SESSION_KEY not in client.session
