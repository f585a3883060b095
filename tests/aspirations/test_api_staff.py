"""Staff endpoints of /api/v1: 2FA-only sessions, the inbox, the detail view, transitions with
their permission matrix, bulk actions, merging and assisted intake."""

from __future__ import annotations

import pytest
from django.test import Client

from terang.aspirations import services
from terang.aspirations.choices import Channel, EventKind, Privacy, Status
from terang.aspirations.models import Aspiration, AspirationEvent
from terang.core.crypto import decrypt
from terang.core.models import IdempotencyRecord
from tests.helpers import client_for

from .api_helpers import API, body, error_code, published, submit
from .conftest import make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "other_officer", "officer", "inspector", "operator", "admin_user"]


def user_for(request, who):  # type: ignore[no-untyped-def]
    return None if who == "anonymous" else request.getfixturevalue(who)


def transition(client, code, **data):  # type: ignore[no-untyped-def]
    return client.post(
        f"{API}/staff/aspirations/{code}/transitions", data, content_type="application/json"
    )


# Sessions -------------------------------------------------------------------------------------


def test_staff_session_without_2fa_is_not_authenticated(city, kelurahan, category, agency):
    officer = make_user("belum2fa", "officer", agency)
    aspiration = submit(category)
    client = Client()
    client.force_login(officer)

    inbox = client.get(f"{API}/staff/inbox")
    verify = transition(client, aspiration.code, action="verify")

    assert inbox.status_code == verify.status_code == 401
    assert error_code(verify) == "not_authenticated"
    aspiration.refresh_from_db()
    assert aspiration.status == Status.SUBMITTED


def test_unverified_staff_creating_a_report_is_treated_as_anonymous(
    city, kelurahan, category, agency
):
    officer = make_user("belum2fa", "officer", agency)
    client = Client()
    client.force_login(officer)

    response = client.post(f"{API}/aspirations", body(), content_type="application/json")

    assert response.status_code == 201
    assert Aspiration.objects.get().reporter is None


def test_citizen_gets_403_on_staff_endpoints(city, citizen):
    response = client_for(citizen).get(f"{API}/staff/inbox")

    assert response.status_code == 403
    assert error_code(response) == "permission_denied"


# Inbox and detail -----------------------------------------------------------------------------


def test_inbox_is_scoped_and_ordered_by_deadline_with_seconds_left(
    city, kelurahan, category, admin_user, officer, other_agency
):
    later = published(category, admin_user)
    sooner = published(category, admin_user)
    Aspiration.objects.filter(pk=sooner.pk).update(
        resolution_due_at=later.resolution_due_at.replace(year=later.resolution_due_at.year - 1)
    )
    other = other_agency.categories.create(code="sampah", name="Sampah")
    published(other, admin_user)

    data = client_for(officer).get(f"{API}/staff/inbox").json()

    assert [i["code"] for i in data["items"]] == [sooner.code, later.code]
    assert data["has_more"] is False
    first = data["items"][0]
    assert first["due_at"] is not None and first["seconds_left"] < 0
    assert data["items"][1]["seconds_left"] > 0


def test_inbox_limit_and_has_more(city, kelurahan, category, officer):
    for _ in range(3):
        submit(category)

    data = client_for(officer).get(f"{API}/staff/inbox", {"limit": 2}).json()

    assert len(data["items"]) == 2 and data["has_more"] is True


def test_staff_detail_shows_reporter_per_need_to_know_and_internal_notes(
    city, kelurahan, category, admin_user, officer, citizen
):
    aspiration = published(category, admin_user, citizen, reporter_contact="081234567890")
    services.add_internal_note(actor=officer, aspiration=aspiration, note="Cek lokasi besok.")

    detail = client_for(officer).get(f"{API}/staff/aspirations/{aspiration.code}").json()
    admin_detail = client_for(admin_user).get(f"{API}/staff/aspirations/{aspiration.code}")

    assert detail["reporter"] == {"name": "", "contact": "", "note": "withheld"}
    assert admin_detail.json()["reporter"] == {
        "name": citizen.display_name,
        "contact": "+6281234567890",
        "note": "",
    }
    note = [e for e in detail["events"] if e["kind"] == EventKind.NOTE][0]
    assert note == {
        **note,
        "is_public": False,
        "reason": "Cek lokasi besok.",
        "actor_name": officer.display_name,
    }
    submitted = detail["events"][0]
    assert submitted["to_status"] == "submitted" and submitted["actor_name"] == ""
    assert detail["text"] == aspiration.text and detail["can_act"] is True


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("citizen", 403),
        ("other_officer", 404),
        ("officer", 200),
        ("inspector", 200),
        ("operator", 200),
        ("admin_user", 200),
    ],
)
def test_staff_detail_permission_matrix(request, city, kelurahan, category, who, status):
    aspiration = submit(category)

    response = client_for(user_for(request, who)).get(f"{API}/staff/aspirations/{aspiration.code}")

    assert response.status_code == status


# Transitions ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("citizen", 403, "permission_denied"),
        ("other_officer", 404, "not_found"),
        ("officer", 200, None),
        ("inspector", 403, "permission_denied"),
        ("operator", 200, None),
        ("admin_user", 200, None),
    ],
)
def test_verify_permission_matrix(request, city, kelurahan, category, who, status, code):
    aspiration = submit(category)
    events_before = AspirationEvent.objects.count()

    response = transition(client_for(user_for(request, who)), aspiration.code, action="verify")

    assert response.status_code == status
    aspiration.refresh_from_db()
    if code is None:
        assert response.json() == {
            "code": aspiration.code,
            "status": "dispositioned",
            "agency": "PUPR",
        }
        assert aspiration.status == Status.DISPOSITIONED
    else:
        assert error_code(response) == code
        assert aspiration.status == Status.SUBMITTED
        assert AspirationEvent.objects.count() == events_before


@pytest.mark.parametrize("who", ["citizen", "other_officer", "inspector"])
def test_resolve_denied_leaves_item_unchanged(request, city, kelurahan, category, admin_user, who):
    aspiration = published(category, admin_user)

    response = transition(
        client_for(user_for(request, who)),
        aspiration.code,
        action="resolve",
        answer="Sudah diperbaiki seluruhnya.",
    )

    assert response.status_code in (403, 404)
    aspiration.refresh_from_db()
    assert (aspiration.status, aspiration.public_answer) == (Status.DISPOSITIONED, "")


def test_full_workflow_through_transitions(city, kelurahan, checked_category, officer, agency_head):
    aspiration = submit(checked_category)
    client = client_for(officer)

    steps = [
        ({"action": "verify"}, "dispositioned"),
        ({"action": "note", "reason": "Tim survei berangkat."}, "dispositioned"),
        ({"action": "answer", "answer": "Laporan sedang kami tangani."}, "dispositioned"),
        ({"action": "start", "reason": "Mulai perbaikan"}, "in_progress"),
        ({"action": "resolve", "answer": "Saluran sudah dibersihkan."}, "resolved"),
    ]
    for data, expected in steps:
        response = transition(client, aspiration.code, **data)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == expected

    head = client_for(agency_head)
    back = transition(
        head, aspiration.code, action="check_send_back", reason="Masih ada sampah tersisa."
    )
    assert back.json()["status"] == "in_progress"
    transition(client, aspiration.code, action="resolve", answer="Sudah bersih sekarang.")
    approved = transition(head, aspiration.code, action="check_approve")
    assert approved.status_code == 200
    aspiration.refresh_from_db()
    assert aspiration.resolution_checked_at is not None
    assert aspiration.public_answer == "Sudah bersih sekarang."


def test_invalid_transition_is_409_and_changes_nothing(city, kelurahan, category, officer):
    aspiration = submit(category)

    response = transition(
        client_for(officer),
        aspiration.code,
        action="resolve",
        answer="Sudah diperbaiki seluruhnya.",
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert error["details"]["from"] == "submitted"
    aspiration.refresh_from_db()
    assert aspiration.status == Status.SUBMITTED


def test_reject_needs_a_reason(city, kelurahan, category, officer):
    aspiration = submit(category)
    client = client_for(officer)

    missing = transition(client, aspiration.code, action="reject")
    done = transition(client, aspiration.code, action="reject", reason="Bukan wewenang kota.")

    assert missing.status_code == 422
    assert done.json()["status"] == "rejected"


def test_unknown_action_is_a_validation_error(city, kelurahan, category, officer):
    aspiration = submit(category)

    response = transition(client_for(officer), aspiration.code, action="teleport")

    assert response.status_code == 422
    assert error_code(response) == "validation_error"


def test_redisposition_and_assign(
    city, kelurahan, category, admin_user, officer, operator, other_agency, third_agency
):
    aspiration = published(category, admin_user)

    no_agency = transition(
        client_for(officer), aspiration.code, action="redisposition", reason="Bukan bidang kami."
    )
    unknown = transition(
        client_for(officer),
        aspiration.code,
        action="redisposition",
        agency="NOPE",
        reason="Bukan bidang kami.",
    )
    moved = transition(
        client_for(officer),
        aspiration.code,
        action="redisposition",
        agency="DLH",
        reason="Bukan bidang kami.",
    )
    assigned = transition(
        client_for(operator),
        aspiration.code,
        action="assign",
        agency="DISHUB",
        reason="Ditetapkan ruang kendali.",
    )

    assert no_agency.status_code == 422 and no_agency.json()["error"]["details"] == {
        "field": "agency"
    }
    assert unknown.json()["error"]["details"] == {"field": "agency", "reason": "unknown_agency"}
    assert moved.json() == {"code": aspiration.code, "status": "dispositioned", "agency": "DLH"}
    assert assigned.json()["agency"] == "DISHUB"
    aspiration.refresh_from_db()
    assert aspiration.assigned_for_good is True


def test_officer_may_not_verify_to_another_agency(city, kelurahan, category, officer, other_agency):
    aspiration = submit(category)

    response = transition(client_for(officer), aspiration.code, action="verify", agency="DLH")

    assert response.status_code == 403
    aspiration.refresh_from_db()
    assert aspiration.status == Status.SUBMITTED


def test_verify_may_tighten_privacy(city, kelurahan, category, officer):
    aspiration = submit(category)

    response = transition(
        client_for(officer), aspiration.code, action="verify", privacy="confidential"
    )

    assert response.status_code == 200
    aspiration.refresh_from_db()
    assert aspiration.privacy == Privacy.CONFIDENTIAL


# Bulk and merge -------------------------------------------------------------------------------


def test_bulk_verify_reports_done_failed_and_not_found(
    city, kelurahan, category, officer, admin_user, other_agency
):
    first, second = submit(category), submit(category)
    already = published(category, admin_user)
    foreign = submit(other_agency.categories.create(code="sampah", name="Sampah"))

    response = client_for(officer).post(
        f"{API}/staff/aspirations/bulk",
        {
            "codes": [first.code, second.code, already.code, foreign.code, "ASP-XXXXXXXX"],
            "action": "verify",
        },
        content_type="application/json",
    )

    assert response.status_code == 200
    data = response.json()
    assert sorted(data["done"]) == sorted([first.code, second.code])
    assert data["failed"] == [already.code]
    assert data["not_found"] == [foreign.code, "ASP-XXXXXXXX"]
    foreign.refresh_from_db()
    assert foreign.status == Status.SUBMITTED


def test_bulk_by_inspectorate_changes_nothing(city, kelurahan, category, inspector):
    aspiration = submit(category)

    response = client_for(inspector).post(
        f"{API}/staff/aspirations/bulk",
        {"codes": [aspiration.code], "action": "verify"},
        content_type="application/json",
    )

    assert response.json() == {"done": [], "failed": [aspiration.code], "not_found": []}
    aspiration.refresh_from_db()
    assert aspiration.status == Status.SUBMITTED


def test_merge_duplicate_into_main(city, kelurahan, category, admin_user, officer, other_citizen):
    main = published(category, admin_user)
    duplicate = published(category, admin_user, other_citizen)

    response = client_for(officer).post(
        f"{API}/staff/aspirations/{duplicate.code}/merge",
        {"into": main.code},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {"code": duplicate.code, "status": "merged", "agency": "PUPR"}
    assert main.follows.filter(user=other_citizen).exists()


def test_merge_denied_for_inspectorate(city, kelurahan, category, admin_user, inspector):
    main, duplicate = published(category, admin_user), published(category, admin_user)

    response = client_for(inspector).post(
        f"{API}/staff/aspirations/{duplicate.code}/merge",
        {"into": main.code},
        content_type="application/json",
    )

    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.status == Status.DISPOSITIONED


# Assisted intake ------------------------------------------------------------------------------


def intake_body(**overrides):  # type: ignore[no-untyped-def]
    return body(
        channel="counter", reporter_name="Ibu Sari", reporter_contact="081298765432", **overrides
    )


def test_staff_intake_records_entered_by_and_channel(city, kelurahan, category, operator):
    response = client_for(operator).post(
        f"{API}/staff/intake",
        intake_body(),
        content_type="application/json",
        headers={"Idempotency-Key": "loket-1-kunci-uji"},
    )

    assert response.status_code == 201
    aspiration = Aspiration.objects.get(code=response.json()["code"])
    assert aspiration.channel == Channel.COUNTER
    assert aspiration.entered_by == operator and aspiration.reporter is None
    assert aspiration.reporter_name == "Ibu Sari"
    assert decrypt(aspiration.reporter_contact_encrypted) == "+6281298765432"
    assert IdempotencyRecord.objects.get().scope == f"api:intake:{operator.pk}"


def test_staff_intake_replays_with_same_key(city, kelurahan, category, officer):
    client = client_for(officer)
    first = client.post(
        f"{API}/staff/intake",
        intake_body(),
        content_type="application/json",
        headers={"Idempotency-Key": "kunci-loket-uji-k"},
    )
    again = client.post(
        f"{API}/staff/intake",
        intake_body(),
        content_type="application/json",
        headers={"Idempotency-Key": "kunci-loket-uji-k"},
    )

    assert first.json() == again.json()
    assert Aspiration.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("citizen", 403),
        ("inspector", 403),
        ("officer", 201),
        ("admin_user", 201),
    ],
)
def test_staff_intake_permission_matrix(request, city, kelurahan, category, who, status):
    response = client_for(user_for(request, who)).post(
        f"{API}/staff/intake", intake_body(), content_type="application/json"
    )

    assert response.status_code == status
    assert Aspiration.objects.count() == (1 if status == 201 else 0)
