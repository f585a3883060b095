"""Django admin: OTP-only access, read-only records, no raw personal data, audited accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from terang.core.calendar import city_days_off
from terang.core.choices import NotificationChannel, Role
from terang.core.crypto import encrypt
from terang.core.models import AuditEntry, CityDayOff, Notification, User
from terang.core.notifications import queue_notification
from tests.factories import AgencyFactory, UserFactory, login_verified, make_staff

STRONG_PASSWORD = "Kopi-Susu-Pagi-2024"


@pytest.fixture
def admin_client(client):
    login_verified(client, make_staff(Role.ADMIN, username="admin-kota"))
    return client


def test_admin_site_requires_otp_verification():
    assert isinstance(admin.site, OTPAdminSite)
    assert admin.site.name == "admin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", "/admin/login/?next=/admin/"),
        ("citizen", "/admin/login/?next=/admin/"),
        ("officer", "/admin/login/?next=/admin/"),
        ("inspectorate", "/admin/login/?next=/admin/"),
        ("admin_without_otp", "/akun/2fa/?next=%2Fadmin%2F"),
        ("admin", None),
    ],
)
def test_admin_index_permission_matrix(client, who, expected):
    if who == "citizen":
        client.force_login(UserFactory())
    elif who == "officer":
        login_verified(client, make_staff(Role.OFFICER))
    elif who == "inspectorate":
        login_verified(client, make_staff(Role.INSPECTORATE))
    elif who == "admin_without_otp":
        client.force_login(make_staff(Role.ADMIN))
    elif who == "admin":
        login_verified(client, make_staff(Role.ADMIN))

    response = client.get("/admin/")

    if expected is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"] == expected


@pytest.mark.django_db
def test_audit_entries_are_view_only(admin_client):
    UserFactory()
    make_staff(Role.OPERATOR)
    entry = AuditEntry.objects.create(
        chain="core.user:1",
        seq=1,
        created_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC),
        actor_label="system",
        action="account.created",
        payload={},
        payload_digest="0" * 64,
        prev_hash="0" * 64,
        hash="1" * 64,
    )

    listing = admin_client.get(reverse("admin:core_auditentry_changelist"))
    add = admin_client.get(reverse("admin:core_auditentry_add"))
    delete = admin_client.post(
        reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    change = admin_client.post(
        reverse("admin:core_auditentry_change", args=[entry.pk]), {"action": "x"}
    )

    assert listing.status_code == 200
    assert add.status_code == 403
    assert delete.status_code == 403
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "account.created"


@pytest.mark.django_db
def test_notifications_are_listed_without_address_or_body(admin_client):
    user = UserFactory(email="siti@example.com")
    notification = queue_notification(
        channel=NotificationChannel.EMAIL,
        address="siti@example.com",
        subject="Kode verifikasi Anda",
        body="Kode verifikasi Anda: 482913.",
        recipient=user,
    )

    listing = admin_client.get(reverse("admin:core_notification_changelist"))
    detail = admin_client.get(reverse("admin:core_notification_change", args=[notification.pk]))
    add = admin_client.get(reverse("admin:core_notification_add"))

    assert listing.status_code == 200
    assert "Kode verifikasi Anda" in listing.content.decode()
    assert detail.status_code == 200
    for page in (listing, detail):
        html = page.content.decode()
        assert "482913" not in html
        assert "siti@example.com" not in html
        assert notification.address_encrypted not in html
    assert add.status_code == 403


@pytest.mark.django_db
def test_user_admin_masks_phone_and_never_shows_ciphertext(admin_client):
    citizen = UserFactory(email=None, phone="+6281234567890")

    response = admin_client.get(reverse("admin:core_user_change", args=[citizen.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "6281****890" in html
    assert "81234567890" not in html
    assert citizen.phone_encrypted not in html


@pytest.mark.django_db
def test_user_admin_finds_users_by_full_phone_number(admin_client):
    citizen = UserFactory(email=None, full_name="Budi Santoso", phone="+6281234567890")
    UserFactory(full_name="Orang Lain")

    response = admin_client.get(reverse("admin:core_user_changelist"), {"q": "0812 3456 7890"})

    assert list(response.context["cl"].result_list) == [citizen]


@pytest.mark.django_db
def test_admin_creates_officer_through_the_service(admin_client):
    agency = AgencyFactory()

    response = admin_client.post(
        reverse("admin:core_user_add"),
        {
            "username": "petugas-pupr",
            "full_name": "Ani Petugas",
            "email": "ani@example.go.id",
            "role": Role.OFFICER,
            "agency": agency.pk,
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 302
    officer = User.objects.get(username="petugas-pupr")
    assert (officer.role, officer.agency, officer.is_staff) == (Role.OFFICER, agency, False)
    assert officer.password.startswith("argon2")
    entry = AuditEntry.objects.get(action="account.created")
    assert entry.actor.username == "admin-kota"
    assert entry.chain == f"core.user:{officer.pk}"


@pytest.mark.django_db
def test_admin_cannot_create_officer_without_agency(admin_client):
    before = User.objects.count()

    response = admin_client.post(
        reverse("admin:core_user_add"),
        {
            "username": "petugas",
            "role": Role.OFFICER,
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert User.objects.count() == before


@pytest.mark.django_db
def test_admin_user_change_is_audited_by_field_name(admin_client):
    citizen = UserFactory(full_name="Nama Lama")
    url = reverse("admin:core_user_change", args=[citizen.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"password", "groups", "user_permissions"}
    }
    data.update(
        {
            "full_name": "Nama Baru",
            "email": citizen.email,
            "agency": "",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="account.changed")
    assert entry.payload == {"fields": ["full_name"]}
    assert "Nama Baru" not in str(entry.payload)


@pytest.mark.django_db
def test_city_day_off_changes_clear_the_calendar_cache(
    admin_client, django_capture_on_commit_callbacks
):
    assert city_days_off() == frozenset()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:core_citydayoff_add"),
            {"date": "2030-10-28", "reason": "Hari jadi kota"},
        )

    assert response.status_code == 302
    assert city_days_off() == frozenset({dt.date(2030, 10, 28)})

    day_off = CityDayOff.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:core_citydayoff_delete", args=[day_off.pk]), {"post": "yes"}
        )

    assert city_days_off() == frozenset()


@pytest.mark.django_db
def test_no_phone_ciphertext_leaks_into_user_changelist(admin_client):
    citizen = UserFactory(email=None, phone="+6281234567890")
    Notification.objects.create(
        recipient=citizen,
        channel=NotificationChannel.SMS,
        address_encrypted=encrypt("+6281234567890"),
        subject="s",
        body="b",
    )

    html = admin_client.get(reverse("admin:core_user_changelist")).content.decode()

    assert "81234567890" not in html
    assert citizen.phone_encrypted not in html
