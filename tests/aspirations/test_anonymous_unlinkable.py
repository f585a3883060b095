"""An anonymous report filed by a signed-in citizen leaves nothing that links it to her: no
idempotency record, audit entry, outbox row or log line holds her id, name, session or IP."""

from __future__ import annotations

import json
import logging

import pytest
from django.urls import reverse

from terang.aspirations import services
from terang.aspirations.choices import Privacy
from terang.aspirations.models import Aspiration
from terang.core.models import AuditEntry, IdempotencyRecord, Notification
from tests.helpers import client_for

from .api_helpers import API, body
from .conftest import login_staff, make_user

pytestmark = pytest.mark.django_db

IP = "203.0.113.77"


@pytest.fixture
def signed_in(citizen):
    """A signed-in citizen with an id no other row is likely to share by chance."""
    for n in range(7):
        make_user(f"pengisi{n}", "citizen")
    user = make_user("ratnasari", "citizen", email="ratna.sari@contoh.id")
    client = client_for(user)
    return user, client


def web_form(category, key: str) -> dict[str, str]:
    return {
        "action": "submit",
        "kind": "complaint",
        "category": category.code,
        "title": "Jalan berlubang di depan sekolah",
        "text": "Lubang besar di Jl. Melati dekat SDN 1, berbahaya bagi pengendara motor.",
        "latitude": "-6.2",
        "longitude": "106.62",
        "address": "Jl. Melati No. 1",
        "privacy": "anonymous",
        "idempotency_key": key,
    }


def identity_strings(user, client) -> list[str]:
    return [user.username, user.email, user.full_name, client.session.session_key, IP]


def assert_unlinkable(code: str, user, client, log_records) -> None:
    identity = [value for value in identity_strings(user, client) if value]
    aspiration = Aspiration.objects.get(code=code)
    assert aspiration.reporter_id is None and aspiration.reporter_name == ""
    for record in IdempotencyRecord.objects.all():
        assert str(user.pk) not in record.scope.split(":")
        stored = f"{record.scope} {record.key} {json.dumps(record.response_body)}"
        assert not any(value in stored for value in identity)
    entries = AuditEntry.objects.filter(chain__contains=str(aspiration.pk))
    assert entries.order_by("seq").first().actor_id is None
    for entry in entries:
        assert entry.actor_id != user.pk and entry.actor_label != user.username
        assert not any(value in json.dumps(entry.payload) for value in identity)
        assert not {"user", "user_id", "reporter", "session", "ip"} & set(entry.payload)
    for notification in Notification.objects.all():
        text = f"{notification.subject} {notification.body}"
        if code in text:
            assert notification.recipient_id != user.pk
            assert not any(value in text for value in identity)
    for record in log_records:
        if record.levelno >= logging.INFO and code in record.getMessage():
            assert not any(value in record.getMessage() for value in identity)
            assert str(user.pk) not in record.getMessage().split()


def test_anonymous_api_report_of_a_signed_in_citizen_is_unlinkable(
    signed_in, city, kelurahan, category, operator, caplog
):
    user, client = signed_in
    caplog.set_level(logging.INFO)

    response = client.post(
        f"{API}/aspirations",
        body(privacy="anonymous", reporter_contact=""),
        content_type="application/json",
        REMOTE_ADDR=IP,
        headers={"Idempotency-Key": "anon-api-key-0001"},
    )
    code = response.json()["code"]
    services.verify_aspiration(actor=operator, aspiration=Aspiration.objects.get(code=code))

    assert response.status_code == 201
    assert IdempotencyRecord.objects.get().scope == "api:aspirations:anonymous"
    assert_unlinkable(code, user, client, caplog.records)


def test_anonymous_web_report_of_a_signed_in_citizen_is_unlinkable(
    signed_in, city, kelurahan, category, caplog
):
    user, client = signed_in
    caplog.set_level(logging.INFO)

    response = client.post("/lapor/", web_form(category, "anon-web-key-00001"), REMOTE_ADDR=IP)

    assert response.status_code == 302
    code = Aspiration.objects.get().code
    assert IdempotencyRecord.objects.get().scope == "web:submit:anonymous"
    assert_unlinkable(code, user, client, caplog.records)


def test_anonymous_web_record_carries_nothing_of_who_filed_it(
    signed_in, other_citizen, city, kelurahan, category
):
    """The stored request digest is the same whoever sent the form: nothing in it can be
    matched against an account (a per-user digest could be brute-forced over user ids)."""
    user, client = signed_in
    form = web_form(category, "anon-web-key-00002")
    first = client.post("/lapor/", form)

    again = client_for(other_citizen).post("/lapor/", form)

    assert first.status_code == 302 and again.status_code == 302
    assert again["Location"] == first["Location"]
    assert Aspiration.objects.count() == 1


def test_identified_reports_keep_a_per_user_scope(signed_in, city, kelurahan, category):
    user, client = signed_in
    response = client.post(
        f"{API}/aspirations",
        body(privacy=Privacy.PUBLIC),
        content_type="application/json",
        headers={"Idempotency-Key": "public-api-key-001"},
    )

    assert response.status_code == 201
    assert IdempotencyRecord.objects.get().scope == f"api:aspirations:{user.pk}"


@pytest.mark.parametrize("key", ["pendek", "x" * 129, "kunci.dengan.titik.01"])
def test_api_refuses_a_malformed_idempotency_key_with_the_error_shape(
    client, city, kelurahan, category, key
):
    response = client.post(
        f"{API}/aspirations",
        body(),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert response.json()["error"]["details"]["reason"] == "invalid_idempotency_key"
    assert Aspiration.objects.count() == 0 and IdempotencyRecord.objects.count() == 0


def test_web_form_key_passes_validation(client, city, kelurahan, category):
    page = client.get("/lapor/").content.decode()
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]

    response = client.post("/lapor/", web_form(category, key))

    assert response.status_code == 302
    assert IdempotencyRecord.objects.get().key == key


@pytest.mark.parametrize("key", ["k" * 200, "pendek"])
def test_staff_intake_refuses_a_malformed_key_instead_of_cutting_it(
    client, operator, city, kelurahan, category, key
):
    from .test_staff_pages import INTAKE

    login_staff(client, operator)

    response = client.post(reverse("aspirations:staff_intake"), {**INTAKE, "idempotency_key": key})

    assert response.status_code == 422
    assert "Idempotency-Key" in response.content.decode()
    assert Aspiration.objects.count() == 0 and IdempotencyRecord.objects.count() == 0


def test_staff_intake_of_an_anonymous_report_names_no_one_in_its_record(
    client, operator, city, kelurahan, category
):
    from .test_staff_pages import INTAKE

    login_staff(client, operator)

    response = client.post(reverse("aspirations:staff_intake"), {**INTAKE, "privacy": "anonymous"})

    assert response.status_code == 302
    assert IdempotencyRecord.objects.get().scope == "aspirations.staff_intake:anonymous"
