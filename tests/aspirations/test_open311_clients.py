"""Open311 client keys: the service, `terang open311-key`, and the Django admin."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command

from terang.aspirations.choices import Status
from terang.aspirations.models import Aspiration, Open311Client
from terang.aspirations.services import submit_aspiration, verify_aspiration
from terang.aspirations.services.open311_clients import (
    authenticate_open311_key,
    issue_open311_key,
    revoke_open311_client,
)
from terang.core.crypto import digest
from terang.core.errors import ValidationFailed
from terang.core.models import AuditEntry

from .conftest import INSIDE_A, login_staff, make_user

pytestmark = pytest.mark.django_db


# Service


def test_issue_stores_only_prefix_and_digest():
    client, key = issue_open311_key(name="  Aplikasi Warga  ")

    assert len(key) >= 40
    client.refresh_from_db()
    assert client.name == "Aplikasi Warga"
    assert client.key_prefix == key[:8]
    assert client.key_digest == digest(key)
    assert key not in client.key_digest
    entry = AuditEntry.objects.get(action="open311.key_issued")
    assert key not in str(entry.payload)


def test_every_key_is_new():
    keys = {issue_open311_key(name="A")[1] for _ in range(5)}

    assert len(keys) == 5


@pytest.mark.parametrize("name", ["", "   ", "x" * 151])
def test_issue_refuses_a_bad_name_and_stores_nothing(name):
    with pytest.raises(ValidationFailed):
        issue_open311_key(name=name)

    assert Open311Client.objects.count() == 0


def test_authenticate_finds_the_active_client_only():
    client, key = issue_open311_key(name="A")

    assert authenticate_open311_key(key) == client
    assert authenticate_open311_key(f"  {key} ") == client
    assert authenticate_open311_key(key[:-1]) is None
    assert authenticate_open311_key("") is None
    assert authenticate_open311_key(None) is None

    assert revoke_open311_client(client=client) is True
    assert revoke_open311_client(client=client) is False
    assert authenticate_open311_key(key) is None
    assert AuditEntry.objects.filter(action="open311.key_revoked").count() == 1


# Command


def test_command_prints_only_the_key():
    out, err = io.StringIO(), io.StringIO()

    call_command("open311_key", "Agregator Provinsi", stdout=out, stderr=err)

    key = out.getvalue().strip()
    assert "\n" not in key
    client = Open311Client.objects.get()
    assert client.name == "Agregator Provinsi"
    assert authenticate_open311_key(key) == client


def test_command_refuses_an_empty_name():
    with pytest.raises(CommandError):
        call_command("open311_key", " ", stdout=io.StringIO())

    assert Open311Client.objects.count() == 0


# Admin


@pytest.fixture
def admin_client(client, admin_user):
    login_staff(client, admin_user)
    return client


def test_admin_add_issues_a_key_shown_once(admin_client):
    response = admin_client.post("/admin/aspirations/open311client/add/", {"name": "App Kota"})

    assert response.status_code == 302
    client = Open311Client.objects.get()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    [key] = [
        word
        for text in texts
        for word in text.split()
        if word.startswith(client.key_prefix) and len(word) >= 40
    ]
    assert authenticate_open311_key(key) == client

    first = admin_client.get(response["Location"]).content.decode()
    again = admin_client.get(response["Location"]).content.decode()
    assert key in first
    assert key not in again
    assert client.key_digest not in first + again


def test_admin_revoke_action(admin_client):
    client, key = issue_open311_key(name="Lama")

    response = admin_client.post(
        "/admin/aspirations/open311client/",
        {"action": "revoke_keys", "_selected_action": [client.pk]},
    )

    assert response.status_code == 302
    assert authenticate_open311_key(key) is None


def test_admin_cannot_delete_a_client(admin_client):
    client, _key = issue_open311_key(name="Lama")

    response = admin_client.post(
        f"/admin/aspirations/open311client/{client.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert Open311Client.objects.filter(pk=client.pk).exists()


@pytest.fixture
def aspiration(city, kelurahan, category, operator) -> Aspiration:
    item = submit_aspiration(
        title="Jalan berlubang",
        text="Lubang besar di depan sekolah.",
        category=category,
        location=INSIDE_A,
        reporter_contact="0812345678",
    )
    return verify_aspiration(actor=operator, aspiration=item)


def test_admin_shows_an_aspiration_and_its_trail_read_only(admin_client, aspiration):
    page = admin_client.get(f"/admin/aspirations/aspiration/{aspiration.pk}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert aspiration.code in html
    assert 'name="status"' not in html
    assert "reporter_contact_encrypted" not in html
    assert aspiration.reporter_contact_encrypted not in html
    assert "Didisposisikan" in html
    assert "Diteruskan ke OPD penanggung jawab kategori." in html


def test_admin_cannot_change_status_or_delete(admin_client, aspiration):
    changed = admin_client.post(
        f"/admin/aspirations/aspiration/{aspiration.pk}/change/",
        {"status": Status.CLOSED, "title": "Diubah"},
    )
    deleted = admin_client.post(
        f"/admin/aspirations/aspiration/{aspiration.pk}/delete/", {"post": "yes"}
    )
    added = admin_client.get("/admin/aspirations/aspiration/add/")

    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert added.status_code == 403
    aspiration.refresh_from_db()
    assert aspiration.status == Status.DISPOSITIONED
    assert aspiration.title == "Jalan berlubang"


def test_admin_category_change_is_audited(admin_client, category, agency):
    response = admin_client.post(
        f"/admin/aspirations/category/{category.pk}/change/",
        {
            "code": category.code,
            "name": category.name,
            "agency": agency.pk,
            "verify_working_days": 2,
            "response_working_days": 5,
            "resolution_working_days": 14,
            "emergency_response_minutes": 15,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    category.refresh_from_db()
    assert category.verify_working_days == 2
    entry = AuditEntry.objects.get(action="category.changed")
    assert entry.payload == {"verify_working_days": 2}


@pytest.mark.parametrize("role", ["citizen", "officer", "operator", "inspectorate"])
def test_non_administrators_cannot_issue_keys(client, agency, role):
    user = make_user(f"u_{role}", role, agency if role == "officer" else None)
    if role == "citizen":
        client.force_login(user)
    else:
        login_staff(client, user)

    response = client.post("/admin/aspirations/open311client/add/", {"name": "Curang"})

    assert response.status_code in (302, 403)
    assert Open311Client.objects.count() == 0
