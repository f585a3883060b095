# ruff: noqa: F811 - fixtures imported from other conftests are used by name
"""Field encryption keys rotate: rows written under an old key stay readable while it is kept in
FIELD_ENCRYPTION_OLD_KEYS, `terang reencrypt-fields` moves every column to the current key,
lookups by digest never notice, and a value no key opens shows "tidak terbaca" (logged) instead
of failing a page."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.urls import reverse

from terang.aspirations import services as aspiration_services
from terang.aspirations.choices import Status
from terang.aspirations.models import Aspiration
from terang.core import crypto
from terang.core.choices import NotificationStatus
from terang.core.errors import Conflict
from terang.core.models import Notification, User
from terang.core.notifications import queue_notification
from terang.core.services import register_citizen
from terang.core.tasks import deliver_notification
from terang.emergencies.choices import IncidentStatus
from terang.emergencies.models import Incident
from terang.ppid import services as ppid_services
from terang.ppid.choices import Channel
from terang.ppid.models import InformationRequest
from tests.aspirations.conftest import (  # noqa: F401  (fixtures)
    INSIDE_A,
    login_staff,
    make_user,
)
from tests.emergencies.conftest import damkar, fire_unit, receive  # noqa: F401
from tests.ppid.conftest import T0, kominfo, policy, ppid_officer, request_form  # noqa: F401

pytestmark = pytest.mark.django_db

KEY_1 = Fernet.generate_key().decode()
KEY_2 = Fernet.generate_key().decode()
DIGEST_KEY = "digest-key-for-rotation-tests-0123456789abcdef"
PHONE = "+6281234567890"
PASSWORD = "Sandi-Uji-2026!"
LOGGER = "terang.core.crypto"


@pytest.fixture
def first_key(settings):  # type: ignore[no-untyped-def]
    settings.FIELD_ENCRYPTION_KEY = KEY_1
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    settings.FIELD_DIGEST_KEY = DIGEST_KEY
    return settings


def rotate(settings) -> None:  # type: ignore[no-untyped-def]
    """The documented rotation: a new current key, the previous one kept for decryption."""
    settings.FIELD_ENCRYPTION_KEY = KEY_2
    settings.FIELD_ENCRYPTION_OLD_KEYS = [KEY_1]


def raw(model, pk: int, field: str) -> str:  # type: ignore[no-untyped-def]
    return model.objects.filter(pk=pk).values_list(field, flat=True).get()


def foreign_token(value: str) -> str:
    """A well-formed token made with a key this installation never had."""
    return Fernet(Fernet.generate_key()).encrypt(value.encode()).decode()


@pytest.fixture
def personal_rows(first_key, category, operator, kelurahan, ppid_officer):  # type: ignore[no-untyped-def]
    """One row of each kind that stores personal data, written under the first key."""
    user = register_citizen(login=PHONE, password=PASSWORD, full_name="Budi")
    User.objects.filter(pk=user.pk).update(contact_verified=True)
    aspiration = aspiration_services.submit_aspiration(
        title="Lampu jalan padam",
        text="Lampu jalan di depan gang tiga padam sejak seminggu.",
        category=category,
        location=INSIDE_A,
        reporter_name="Rina",
        reporter_contact="rina@contoh.id",
    )
    incident = receive(operator)
    request = ppid_services.submit_request(
        actor=ppid_officer, form=request_form(), channel=Channel.COUNTER, at=T0
    )
    notification = queue_notification(channel="sms", address=PHONE, subject="S", body="B")
    return {
        "user": user,
        "aspiration": aspiration,
        "incident": incident,
        "request": request,
        "notification": notification,
    }


def readable_values(rows) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every encrypted value of `personal_rows`, decrypted strictly (raises when unreadable)."""
    request = InformationRequest.objects.get(pk=rows["request"].pk)
    return {
        "phone": crypto.decrypt(raw(User, rows["user"].pk, "phone_encrypted")),
        "contact": crypto.decrypt(
            raw(Aspiration, rows["aspiration"].pk, "reporter_contact_encrypted")
        ),
        "caller": crypto.decrypt(raw(Incident, rows["incident"].pk, "caller_phone_encrypted")),
        "nik": crypto.decrypt(request.identity_number_encrypted),
        "address": crypto.decrypt(request.address_encrypted),
        "email": crypto.decrypt(request.email_encrypted),
        "ppid_phone": crypto.decrypt(request.phone_encrypted),
        "outbox": crypto.decrypt(raw(Notification, rows["notification"].pk, "address_encrypted")),
    }


EXPECTED = {
    "phone": PHONE,
    "contact": "rina@contoh.id",
    "caller": "+6281234567890",
    "nik": "3171014101900001",
    "address": "Jl. Melati No. 1, Kelurahan Melati",
    "email": "siti@contoh.id",
    "ppid_phone": "+6281234567890",
    "outbox": PHONE,
}


def test_every_encrypted_column_is_found_for_reencryption():
    found = {
        f"{model._meta.label}.{field}"
        for model, fields in crypto.encrypted_columns()
        for field in fields
    }
    assert found >= {
        "core.User.phone_encrypted",
        "core.Notification.address_encrypted",
        "aspirations.Aspiration.reporter_contact_encrypted",
        "emergencies.Incident.caller_phone_encrypted",
        "ppid.InformationRequest.identity_number_encrypted",
        "ppid.InformationRequest.address_encrypted",
        "ppid.InformationRequest.phone_encrypted",
        "ppid.InformationRequest.email_encrypted",
    }


def test_rows_written_before_a_rotation_stay_readable_with_the_old_key_kept(
    personal_rows, settings
):
    assert readable_values(personal_rows)["phone"] == PHONE  # sanity: the fixture decrypts

    rotate(settings)

    assert readable_values(personal_rows) == EXPECTED
    fresh = crypto.encrypt("baru")
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert crypto.decrypt(fresh) == "baru"  # new values use the new key


def test_reencrypt_fields_moves_every_column_to_the_current_key(personal_rows, settings):
    rotate(settings)

    dry = StringIO()
    call_command("reencrypt-fields", "--dry-run", stdout=dry)
    assert "core.User.phone_encrypted: 1 to re-encrypt" in dry.getvalue()
    assert not crypto.is_current(raw(User, personal_rows["user"].pk, "phone_encrypted"))

    out = StringIO()
    call_command("reencrypt-fields", "--batch-size", "2", stdout=out)
    report = out.getvalue()
    assert "core.User.phone_encrypted: 1 re-encrypted, 0 already current" in report
    assert "ppid.InformationRequest.identity_number_encrypted: 1 re-encrypted" in report
    assert "aspirations.Aspiration.reporter_contact_encrypted: 1 re-encrypted" in report

    settings.FIELD_ENCRYPTION_OLD_KEYS = []  # the old key is gone: the new one alone reads all
    assert readable_values(personal_rows) == EXPECTED

    again = StringIO()
    call_command("reencrypt-fields", stdout=again)
    assert "core.User.phone_encrypted: 0 re-encrypted, 1 already current" in again.getvalue()


def test_reencrypt_fields_leaves_an_unreadable_value_alone_and_says_so(
    personal_rows, settings, caplog
):
    user = personal_rows["user"]
    bad = foreign_token(PHONE)
    User.objects.filter(pk=user.pk).update(phone_encrypted=bad)
    rotate(settings)

    out = StringIO()
    with caplog.at_level(logging.WARNING, logger=LOGGER), pytest.raises(CommandError) as exc:
        call_command("reencrypt-fields", stdout=out)

    assert "1 value(s) could not be decrypted" in str(exc.value)
    assert "core.User.phone_encrypted: 0 re-encrypted, 0 already current, 1 unreadable" in (
        out.getvalue()
    )
    assert raw(User, user.pk, "phone_encrypted") == bad
    assert crypto.is_current(
        raw(Aspiration, personal_rows["aspiration"].pk, "reporter_contact_encrypted")
    )
    assert any(
        f"core.User.phone_encrypted of pk={user.pk}" in r.getMessage() for r in caplog.records
    )


def test_tokens_from_before_key_rotation_existed_are_still_read(settings):
    """Rows and digests written by the single-key scheme: key derived from the material, digests
    keyed with the material itself."""
    material = "the-field-key-this-city-used-until-now"
    legacy = Fernet(
        base64.urlsafe_b64encode(hashlib.sha256(b"terang-field:" + material.encode()).digest())
    )
    token = legacy.encrypt(PHONE.encode()).decode()
    legacy_digest = hmac.new(material.encode(), PHONE.lower().encode(), hashlib.sha256).hexdigest()

    settings.FIELD_ENCRYPTION_KEY = material
    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    settings.FIELD_DIGEST_KEY = ""
    assert crypto.decrypt(token) == PHONE
    assert crypto.digest(PHONE) == legacy_digest  # no digest key: the material, as before

    settings.FIELD_ENCRYPTION_KEY = KEY_2
    settings.FIELD_ENCRYPTION_OLD_KEYS = [material]
    settings.FIELD_DIGEST_KEY = material  # the documented pin on an existing database
    assert crypto.decrypt(token) == PHONE
    assert crypto.digest(PHONE) == legacy_digest


def test_phone_sign_in_and_digest_lookups_survive_rotation(personal_rows, settings, client):
    rotate(settings)
    call_command("reencrypt-fields", stdout=StringIO())
    settings.FIELD_ENCRYPTION_OLD_KEYS = []

    response = client.post(
        reverse("core:login"), {"username": "0812 3456 7890", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personal_rows["user"].pk)
    with pytest.raises(Conflict):  # the taken number is still found by its digest
        register_citizen(login="081234567890", password=PASSWORD, full_name="Lain")
    assert User.objects.filter(full_name="Lain").count() == 0
    second_call = receive(personal_rows["incident"].created_by, caller_phone="0812-3456-7890")
    assert second_call.caller_phone_digest == personal_rows["incident"].caller_phone_digest


# Unreadable values: shown as "tidak terbaca", logged, never a 500 ----------------------------


def _assert_logged(caplog, obj, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    records = [r for r in caplog.records if r.name == LOGGER]
    assert any(
        r.levelno == logging.WARNING
        and f"{obj._meta.label}.{field} of pk={obj.pk}" in r.getMessage()
        for r in records
    ), [r.getMessage() for r in records]
    assert all(value not in r.getMessage() for r in records)


@pytest.mark.parametrize("damage", ["foreign key", "corrupted"])
def test_unreadable_reporter_contact_on_the_aspirations_staff_detail(
    personal_rows, client, operator, caplog, damage
):
    aspiration = personal_rows["aspiration"]
    if damage == "foreign key":
        token = foreign_token("rina@contoh.id")
    else:  # a token of ours with a few characters changed, as a bad restore or edit leaves it
        good = raw(Aspiration, aspiration.pk, "reporter_contact_encrypted")
        token = good[:20] + ("A" if good[20] != "A" else "B") + good[21:-4] + "XXXX"
    Aspiration.objects.filter(pk=aspiration.pk).update(reporter_contact_encrypted=token)
    login_staff(client, operator)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        page = client.get(reverse("aspirations:staff_detail", args=[aspiration.code]))

    assert page.status_code == 200
    assert "tidak terbaca" in page.content.decode()
    _assert_logged(caplog, aspiration, "reporter_contact_encrypted", "rina@contoh.id")

    # An action that would message the reporter still goes through; only that message fails.
    outbox = Notification.objects.count()
    response = client.post(reverse("aspirations:staff_verify", args=[aspiration.code]))
    assert response.status_code == 302
    assert Aspiration.objects.get(pk=aspiration.pk).status == Status.DISPOSITIONED
    assert Notification.objects.count() == outbox


def test_unreadable_caller_phone_on_112_pages_and_actions(personal_rows, client, operator, caplog):
    incident = personal_rows["incident"]
    Incident.objects.filter(pk=incident.pk).update(
        caller_phone_encrypted=foreign_token("+6281234567890")
    )
    login_staff(client, operator)
    detail = reverse("emergencies:detail", args=[incident.reference])

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        page = client.get(detail)
        refused = client.post(  # an illegal transition re-renders the detail page
            reverse("emergencies:close", args=[incident.reference]), {"close-note": "Selesai."}
        )
        api = client.get(f"/api/v1/emergencies/{incident.reference}")

    assert page.status_code == 200
    html = page.content.decode()
    assert "tidak terbaca" in html and 'href="tel:' not in html
    assert refused.status_code == 409 and "tidak terbaca" in refused.content.decode()
    assert api.status_code == 200
    assert api.json()["caller"]["phone"] == ""
    assert api.json()["caller"]["phone_unreadable"] is True
    _assert_logged(caplog, incident, "caller_phone_encrypted", "81234567890")

    cancelled = client.post(
        reverse("emergencies:cancel", args=[incident.reference]),
        {"cancel-reason": "Penelepon membatalkan."},
    )
    assert cancelled.status_code == 302
    assert Incident.objects.get(pk=incident.pk).status == IncidentStatus.CANCELLED
    assert client.get(reverse("emergencies:list")).status_code == 200


def test_unreadable_requester_identity_on_the_ppid_staff_page(
    personal_rows, client, ppid_officer, caplog
):
    request = personal_rows["request"]
    InformationRequest.objects.filter(pk=request.pk).update(
        identity_number_encrypted=foreign_token("3171014101900001")
    )
    login_staff(client, ppid_officer)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        page = client.get(reverse("ppid:staff_request", args=[request.register_number]))

    assert page.status_code == 200
    assert "tidak terbaca" in page.content.decode()
    _assert_logged(caplog, request, "identity_number_encrypted", "3171014101900001")


def test_unreadable_outbox_address_fails_that_delivery_only(personal_rows, caplog):
    notification = personal_rows["notification"]
    Notification.objects.filter(pk=notification.pk).update(
        address_encrypted=foreign_token(PHONE), status=NotificationStatus.PENDING
    )

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        result = deliver_notification.delay(notification.pk).get()

    assert result == "failed"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert "tidak terbaca" not in notification.last_error
    assert "unreadable" in notification.last_error
    _assert_logged(caplog, notification, "address_encrypted", PHONE)
