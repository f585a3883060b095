"""Citizen sign-up, one-time codes, sign-in and lockout."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from terang.core.choices import NotificationChannel, Role
from terang.core.crypto import decrypt, digest
from terang.core.errors import Conflict, RateLimited, ValidationFailed
from terang.core.models import AuditEntry, Notification, OneTimeCode, User
from terang.core.services import (
    PURPOSE_VERIFY_CONTACT,
    InvalidCode,
    confirm_one_time_code,
    create_staff_user,
    issue_one_time_code,
    register_citizen,
)
from terang.core.views import auth as auth_views
from tests.factories import DEFAULT_PASSWORD, AgencyFactory, UserFactory

PASSWORD = "Kopi-Susu-Pagi-2024"
PHONE_DIGITS = "81234567890"


def latest_code(user: User) -> str:
    body = Notification.objects.filter(recipient=user).order_by("-pk").first().body
    match = re.search(r"\b(\d{6})\b", body)
    assert match
    return match.group(1)


def raw_user_row(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_user WHERE id = %s", [user.pk])
        return " ".join(str(value) for value in cursor.fetchone())


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- register_citizen ------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_with_email_creates_unverified_citizen_with_argon2_password():
    user = register_citizen(login="Siti@Example.COM", password=PASSWORD, full_name=" Siti Aminah ")

    user.refresh_from_db()
    assert user.role == Role.CITIZEN
    assert user.email == "Siti@example.com"
    assert user.full_name == "Siti Aminah"
    assert user.contact_verified is False
    assert user.is_active is True
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)
    assert user.phone_digest is None
    assert "siti" not in user.username.lower()


@pytest.mark.django_db
def test_register_with_phone_stores_only_digest_and_ciphertext():
    user = register_citizen(login="0812-3456-7890", password=PASSWORD, full_name="Budi")

    user.refresh_from_db()
    assert user.email is None
    assert user.phone_digest == digest("+6281234567890")
    assert decrypt(user.phone_encrypted) == "+6281234567890"
    assert PHONE_DIGITS not in raw_user_row(user)
    assert PHONE_DIGITS not in user.username


@pytest.mark.django_db
def test_register_audit_entry_carries_no_raw_contact():
    user = register_citizen(login="+62 812 3456 7890", password=PASSWORD, full_name="Budi")

    entry = AuditEntry.objects.get(action="account.registered")
    assert entry.chain == f"core.user:{user.pk}"
    assert entry.payload["contact_digest"] == digest("+6281234567890")
    assert PHONE_DIGITS not in str(entry.payload)


@pytest.mark.django_db
def test_register_refuses_taken_email_case_insensitively():
    UserFactory(email="siti@example.com")
    before = User.objects.count()

    with pytest.raises(Conflict):
        register_citizen(login="SITI@example.com", password=PASSWORD, full_name="Siti")

    assert User.objects.count() == before


@pytest.mark.django_db
def test_register_refuses_taken_phone_in_another_spelling():
    register_citizen(login="081234567890", password=PASSWORD, full_name="Budi")

    with pytest.raises(Conflict):
        register_citizen(login="+6281234567890", password=PASSWORD, full_name="Budi Lain")

    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["budi", "021 555 1234", "not-an@email", ""])
def test_register_refuses_login_that_is_neither_email_nor_mobile(login):
    with pytest.raises(ValidationFailed) as excinfo:
        register_citizen(login=login, password=PASSWORD, full_name="Budi")

    assert "login" in excinfo.value.details
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_register_refuses_weak_password():
    with pytest.raises(ValidationFailed) as excinfo:
        register_citizen(login="budi@example.com", password="12345678", full_name="Budi")

    assert "password" in excinfo.value.details
    assert User.objects.count() == 0


# --- one-time codes --------------------------------------------------------------------------


@pytest.fixture
def citizen(db) -> User:
    return register_citizen(login="siti@example.com", password=PASSWORD, full_name="Siti")


@pytest.fixture
def phone_citizen(db) -> User:
    return register_citizen(login="081234567890", password=PASSWORD, full_name="Budi")


@pytest.mark.django_db
def test_issue_code_emails_six_digits_and_stores_only_a_hash(citizen):
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)

    notification = Notification.objects.get(recipient=citizen)
    assert notification.channel == NotificationChannel.EMAIL
    assert decrypt(notification.address_encrypted) == "siti@example.com"
    code = latest_code(citizen)
    stored = OneTimeCode.objects.get()
    assert stored.target_digest == digest("siti@example.com")
    assert code not in stored.code_hash
    remaining = stored.expires_at - timezone.now()
    assert dt.timedelta(minutes=9) < remaining <= dt.timedelta(minutes=10)


@pytest.mark.django_db
def test_issue_code_texts_phone_citizens(phone_citizen):
    issue_one_time_code(user=phone_citizen, purpose=PURPOSE_VERIFY_CONTACT)

    notification = Notification.objects.get(recipient=phone_citizen)
    assert notification.channel == NotificationChannel.SMS
    assert decrypt(notification.address_encrypted) == "+6281234567890"
    assert OneTimeCode.objects.get().target_digest == phone_citizen.phone_digest


@pytest.mark.django_db
def test_correct_code_verifies_the_citizen(citizen):
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)

    confirm_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=latest_code(citizen))

    citizen.refresh_from_db()
    assert citizen.contact_verified is True
    assert OneTimeCode.objects.get().used_at is not None
    entry = AuditEntry.objects.get(action="account.verified")
    assert entry.actor == citizen
    assert "siti@example.com" not in str(entry.payload)


@pytest.mark.django_db
def test_wrong_code_is_refused_and_counted(citizen):
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)

    with pytest.raises(InvalidCode) as excinfo:
        confirm_one_time_code(
            user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=wrong(latest_code(citizen))
        )

    assert isinstance(excinfo.value, ValidationFailed)
    assert excinfo.value.code == "invalid_code"
    assert excinfo.value.details == {"reason": "wrong", "attempts_left": 4}
    assert OneTimeCode.objects.get().attempts == 1
    citizen.refresh_from_db()
    assert citizen.contact_verified is False


@pytest.mark.django_db
def test_expired_code_is_refused(citizen):
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)
    OneTimeCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(InvalidCode) as excinfo:
        confirm_one_time_code(
            user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=latest_code(citizen)
        )

    assert excinfo.value.details["reason"] == "expired"
    citizen.refresh_from_db()
    assert citizen.contact_verified is False


@pytest.mark.django_db
def test_code_dies_after_five_wrong_attempts(citizen):
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)
    code = latest_code(citizen)
    for _ in range(5):
        with pytest.raises(InvalidCode):
            confirm_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=wrong(code))

    with pytest.raises(InvalidCode) as excinfo:
        confirm_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=code)

    assert excinfo.value.details["reason"] == "too_many_attempts"
    assert OneTimeCode.objects.get().attempts == 5
    citizen.refresh_from_db()
    assert citizen.contact_verified is False


@pytest.mark.django_db
def test_used_code_cannot_be_replayed(citizen):
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)
    code = latest_code(citizen)
    confirm_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=code)

    with pytest.raises(InvalidCode) as excinfo:
        confirm_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=code)

    assert excinfo.value.details["reason"] == "missing"


@pytest.mark.django_db
def test_new_code_replaces_the_previous_one(citizen, monkeypatch):
    draws = iter([111111, 222222])  # two different codes, so the old one must really be dead
    monkeypatch.setattr("terang.core.services.secrets.randbelow", lambda _limit: next(draws))
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)
    first = latest_code(citizen)
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)
    second = latest_code(citizen)
    assert (first, second) == ("111111", "222222")

    with pytest.raises(InvalidCode):
        confirm_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=first)
    confirm_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT, code=second)

    citizen.refresh_from_db()
    assert citizen.contact_verified is True


@pytest.mark.django_db
def test_fourth_code_within_fifteen_minutes_is_rate_limited(citizen):
    for _ in range(3):
        issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)

    with pytest.raises(RateLimited) as excinfo:
        issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)

    assert Notification.objects.filter(recipient=citizen).count() == 3
    assert OneTimeCode.objects.count() == 3
    assert 0 < excinfo.value.details["retry_after_seconds"] <= 15 * 60 + 1


@pytest.mark.django_db
def test_codes_are_allowed_again_after_the_fifteen_minute_window(citizen):
    for _ in range(3):
        issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)
    OneTimeCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=16))

    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)

    assert Notification.objects.filter(recipient=citizen).count() == 4


@pytest.mark.django_db
def test_eleventh_code_within_an_hour_is_rate_limited(citizen):
    target = digest("siti@example.com")
    now = timezone.now()
    for minutes in range(20, 60, 4):  # ten codes, all older than 15 minutes
        OneTimeCode.objects.create(
            target_digest=target, purpose="verify", code_hash="x", expires_at=now
        )
        OneTimeCode.objects.filter(pk=OneTimeCode.objects.latest("pk").pk).update(
            created_at=now - dt.timedelta(minutes=minutes)
        )

    with pytest.raises(RateLimited):
        issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)

    assert Notification.objects.filter(recipient=citizen).count() == 0


# --- create_staff_user -----------------------------------------------------------------------


@pytest.mark.django_db
def test_create_officer_requires_agency():
    with pytest.raises(ValidationFailed) as excinfo:
        create_staff_user(username="petugas", password=PASSWORD, role=Role.OFFICER)

    assert "agency" in excinfo.value.details
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_create_staff_refuses_citizen_role():
    with pytest.raises(ValidationFailed):
        create_staff_user(username="warga", password=PASSWORD, role=Role.CITIZEN)

    assert User.objects.count() == 0


@pytest.mark.django_db
def test_create_officer_is_not_django_staff_and_is_audited():
    agency = AgencyFactory()

    user = create_staff_user(
        username="petugas", password=PASSWORD, role=Role.OFFICER, agency=agency, full_name="Ani"
    )

    assert (user.agency, user.is_staff, user.is_superuser) == (agency, False, False)
    assert user.password.startswith("argon2")
    entry = AuditEntry.objects.get(action="account.created")
    assert entry.payload == {"role": "officer", "agency": agency.code, "contact_digest": None}


@pytest.mark.django_db
def test_create_administrator_enters_django_admin():
    user = create_staff_user(username="admin-kota", password=PASSWORD, role=Role.ADMIN)

    assert (user.is_staff, user.is_superuser) == (True, True)


@pytest.mark.django_db
def test_create_staff_refuses_duplicate_username():
    create_staff_user(username="operator", password=PASSWORD, role=Role.OPERATOR)

    with pytest.raises(Conflict):
        create_staff_user(username="operator", password=PASSWORD, role=Role.OPERATOR)

    assert User.objects.count() == 1


# --- pages: register and verify --------------------------------------------------------------


@pytest.mark.django_db
def test_register_page_renders_accessible_form(client):
    response = client.get(reverse("core:register"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_login"' in html
    assert 'autocomplete="new-password"' in html


@pytest.mark.django_db
def test_register_page_sends_code_and_verification_signs_in(client):
    response = client.post(
        reverse("core:register"),
        {
            "full_name": "Siti Aminah",
            "login": "siti@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:verify")
    user = User.objects.get(email="siti@example.com")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("core:verify"))
    assert "s***@example.com" in page.content.decode()

    response = client.post(reverse("core:verify"), {"code": latest_code(user)})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.contact_verified is True


@pytest.mark.django_db
def test_register_page_with_phone_sends_sms(client):
    client.post(
        reverse("core:register"),
        {
            "full_name": "Budi",
            "login": "0812 3456 7890",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    user = User.objects.get(phone_digest=digest("+6281234567890"))
    assert Notification.objects.get(recipient=user).channel == NotificationChannel.SMS


@pytest.mark.django_db
def test_register_page_links_errors_to_fields(client):
    response = client.post(
        reverse("core:register"),
        {"full_name": "Budi", "login": "budi", "password1": PASSWORD, "password2": "lain"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_login_helptext id_login_error"' in html
    assert 'id="id_password2_error"' in html
    assert 'href="#id_password2"' in html
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_register_page_shows_conflict_on_login_field(client):
    UserFactory(email="siti@example.com")

    response = client.post(
        reverse("core:register"),
        {
            "full_name": "Siti",
            "login": "siti@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert 'id="id_login_error"' in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_verify_page_wrong_code_shows_error_and_stays_signed_out(client, citizen):
    session = client.session
    session[auth_views.PENDING_SESSION_KEY] = citizen.pk
    session.save()
    issue_one_time_code(user=citizen, purpose=PURPOSE_VERIFY_CONTACT)

    response = client.post(reverse("core:verify"), {"code": wrong(latest_code(citizen))})

    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    citizen.refresh_from_db()
    assert citizen.contact_verified is False


@pytest.mark.django_db
def test_verify_page_without_pending_account_goes_to_login(client):
    response = client.get(reverse("core:verify"))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:login")


@pytest.mark.django_db
def test_resend_sends_a_new_code_until_rate_limited(client, citizen):
    session = client.session
    session[auth_views.PENDING_SESSION_KEY] = citizen.pk
    session.save()

    for _ in range(4):
        response = client.post(reverse("core:resend_code"))
        assert response.status_code == 302

    assert Notification.objects.filter(recipient=citizen).count() == 3
    page = client.get(reverse("core:verify"))
    assert "Terlalu banyak permintaan kode" in page.content.decode()


@pytest.mark.django_db
def test_resend_refuses_get(client, citizen):
    assert client.get(reverse("core:resend_code")).status_code == 405


# --- pages: login, logout, lockout -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "login", ["siti@example.com", "SITI@EXAMPLE.COM", "081234567890", "+62 812-3456-7890", "siti"]
)
def test_citizen_signs_in_with_email_phone_or_username(client, login):
    user = UserFactory(username="siti", email="siti@example.com", phone="+6281234567890")

    response = client.post(reverse("core:login"), {"username": login, "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_login_follows_safe_next_only(client):
    UserFactory(username="siti")

    ok = client.post(
        reverse("core:login") + "?next=/laporan/",
        {"username": "siti", "password": DEFAULT_PASSWORD, "next": "/laporan/"},
    )
    client.logout()
    evil = client.post(
        reverse("core:login"),
        {"username": "siti", "password": DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )

    assert ok["Location"] == "/laporan/"
    assert evil["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_wrong_password_shows_error_and_does_not_sign_in(client):
    UserFactory(username="siti")

    response = client.post(reverse("core:login"), {"username": "siti", "password": "salah"})

    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unverified_citizen_is_sent_to_code_entry_not_signed_in(client, citizen):
    response = client.post(
        reverse("core:login"), {"username": "siti@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:verify")
    assert "_auth_user_id" not in client.session
    assert Notification.objects.filter(recipient=citizen).count() == 1


@pytest.mark.django_db
def test_lockout_after_five_failures_returns_429_and_refuses_correct_password(client):
    UserFactory(username="siti", email="siti@example.com")
    statuses = [
        client.post(reverse("core:login"), {"username": "siti", "password": "salah"}).status_code
        for _ in range(5)
    ]

    response = client.post(
        reverse("core:login"), {"username": "siti", "password": DEFAULT_PASSWORD}
    )

    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Akun dikunci sementara" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_is_throttled_per_client_address(client, monkeypatch):
    monkeypatch.setattr(auth_views, "LOGIN_IP_LIMIT", (2, 600))
    UserFactory(username="siti")
    for _ in range(2):
        client.post(reverse("core:login"), {"username": "tidak-ada", "password": "x"})

    response = client.post(
        reverse("core:login"), {"username": "siti", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_requires_post_and_signs_out(client):
    user = UserFactory()
    client.force_login(user)

    assert client.get(reverse("core:logout")).status_code == 405
    response = client.post(reverse("core:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert "_auth_user_id" not in client.session
