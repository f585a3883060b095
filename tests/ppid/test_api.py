"""The PPID JSON API: shapes, the shared error envelope, permissions and idempotent create."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from terang.ppid import services
from terang.ppid.models import InformationRequest, Objection
from tests.helpers import client_for

from .conftest import NIK, pdf_upload, request_form, wib

pytestmark = pytest.mark.django_db

API = "/api/v1/ppid"
BODY = {
    "requester_name": "Siti Rahmawati",
    "identity_number": NIK,
    "address": "Jl. Melati No. 1",
    "email": "siti@contoh.id",
    "occupation": "Wiraswasta",
    "purpose": "Bahan kajian warga tentang jalan",
    "information_requested": "Salinan kontrak pemeliharaan jalan 2025",
    "preferred_format": "softcopy",
    "delivery": "email",
}


def error(response) -> dict:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def test_citizen_submits_and_a_retry_with_the_same_key_returns_the_first_result(
    citizen, ppid_officer
):
    client = client_for(citizen)
    first = client.post(
        f"{API}/requests",
        BODY,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-123-retry-ky",
    )
    again = client.post(
        f"{API}/requests",
        BODY,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-123-retry-ky",
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    body = first.json()
    assert set(body) == {"register_number", "status", "submitted_at", "due_at", "url"}
    assert re.fullmatch(r"PPID-20\d\d-000001", body["register_number"])
    assert body["status"] == "received"
    assert body["url"].endswith(f"/ppid/permohonan/{body['register_number']}/")
    assert InformationRequest.objects.count() == 1


def test_anonymous_cannot_submit(ppid_officer):
    response = Client().post(f"{API}/requests", BODY, content_type="application/json")
    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"
    assert InformationRequest.objects.count() == 0


def test_unverified_citizen_gets_403(unverified_citizen, ppid_officer):
    response = client_for(unverified_citizen).post(
        f"{API}/requests", BODY, content_type="application/json"
    )
    assert response.status_code == 403
    assert error(response) == {
        "code": "permission_denied",
        "message": "Verifikasi email atau nomor ponsel Anda dahulu.",
        "details": {"reason": "contact_not_verified"},
    }
    assert InformationRequest.objects.count() == 0


def test_invalid_identity_is_a_422_with_field_details(citizen, ppid_officer):
    response = client_for(citizen).post(
        f"{API}/requests", {**BODY, "identity_number": "12"}, content_type="application/json"
    )
    assert response.status_code == 422
    body = error(response)
    assert body["code"] == "validation_error"
    assert list(body["details"]["fields"]) == ["identity_number"]


def test_organisation_submits_with_its_papers_as_multipart(citizen, ppid_officer):
    response = client_for(citizen).post(
        f"{API}/requests/with-document",
        {
            **BODY,
            "requester_kind": "organisation",
            "organisation_name": "LSM Jalan Sehat",
            "legal_entity_document": pdf_upload(["Akta"], "akta.pdf"),
        },
    )
    assert response.status_code == 201, response.content
    request = InformationRequest.objects.get()
    assert list(request.files.values_list("kind", flat=True)) == ["legal_entity"]


def test_my_requests_lists_only_mine(citizen, other_citizen, ppid_officer):
    mine = services.submit_request(actor=citizen, form=request_form(), at=wib(2026, 2, 2))
    services.submit_request(actor=other_citizen, form=request_form(), at=wib(2026, 2, 3))
    body = client_for(citizen).get(f"{API}/me/requests").json()
    assert [item["register_number"] for item in body["items"]] == [mine.register_number]
    assert set(body["items"][0]) == {
        "register_number",
        "status",
        "status_label",
        "submitted_at",
        "due_at",
        "outcome",
        "has_objection",
    }


@pytest.mark.parametrize(
    ("role", "status", "masked"),
    [
        ("citizen", 200, False),
        ("other_citizen", 404, None),
        ("ppid_officer", 200, False),
        ("inspector", 200, True),
        ("other_officer", 404, None),
    ],
)
def test_request_detail_permissions(filed, role, status, masked, request):
    user = request.getfixturevalue(role)
    response = client_for(user).get(f"{API}/requests/{filed.register_number}")
    assert response.status_code == status
    if status == 200:
        requester = response.json()["requester"]
        assert requester["masked"] is masked
        assert requester["identity_number"] == ("************0001" if masked else NIK)
    else:
        assert error(response)["code"] == "not_found"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 401),
        ("citizen", 403),
        ("other_officer", 403),
        ("ppid_officer", 200),
        ("ppid_head", 200),
        ("inspector", 200),
        ("admin_user", 200),
    ],
)
def test_staff_queue_permission_matrix(filed, role, status, request):
    user = request.getfixturevalue(role) if role else None
    response = client_for(user).get(f"{API}/staff/queue")
    assert response.status_code == status
    if status == 200:
        assert [item["register_number"] for item in response.json()] == [filed.register_number]
        assert set(response.json()[0]) == {
            "register_number",
            "status",
            "submitted_at",
            "due_at",
            "working_days_left",
            "overdue",
            "extended",
        }


def test_a_refusal_without_consequence_test_is_refused_and_changes_nothing(filed, ppid_officer):
    client = client_for(ppid_officer)
    response = client.post(
        f"{API}/requests/{filed.register_number}/answer",
        {"outcome": "refused", "text": "Informasi dikecualikan.", "exemption": "h"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(error(response)["details"]["fields"]) == ["consequence_test"]
    filed.refresh_from_db()
    assert (filed.status, filed.outcome) == ("received", "")


def test_inspectorate_reads_but_cannot_answer(filed, inspector):
    response = client_for(inspector).post(
        f"{API}/requests/{filed.register_number}/process",
        {"note": ""},
        content_type="application/json",
    )
    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.status == "received"


def test_staff_steps_through_the_api(filed, ppid_officer, ppid_head, citizen):
    staff = client_for(ppid_officer)
    number = filed.register_number
    assert staff.post(
        f"{API}/requests/{number}/process", {"note": "Diproses"}, content_type="application/json"
    ).json() == {
        "register_number": number,
        "status": "in_process",
    }
    invalid = staff.post(
        f"{API}/requests/{number}/close", {"note": ""}, content_type="application/json"
    )
    assert invalid.status_code == 409
    assert error(invalid)["code"] == "invalid_transition"
    answered = staff.post(
        f"{API}/requests/{number}/answer",
        {"outcome": "not_held", "text": "Informasi tidak dikuasai Pemkot."},
        content_type="application/json",
    )
    assert answered.json()["status"] == "answered"
    objection = client_for(citizen).post(
        f"{API}/requests/{number}/objection",
        {"grounds": ["d", "e"], "statement": "Informasi itu seharusnya ada."},
        content_type="application/json",
    )
    assert objection.status_code == 201
    body = objection.json()
    assert (body["status"], body["grounds"], body["outcome"]) == ("filed", ["d", "e"], None)
    answer = client_for(ppid_head).post(
        f"{API}/objections/{body['register_number']}/answer",
        {"outcome": "upheld", "text": "PPID wajib mencari ke Dinas PUPR."},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["outcome"] == "upheld"
    assert Objection.objects.get().answered_by == ppid_head
    detail = client_for(citizen).get(f"{API}/requests/{number}").json()
    assert [e["kind"] for e in detail["events"]] == [
        "transition",
        "transition",
        "transition",
        "objection",
        "objection",
    ]
    assert detail["objection"]["status"] == "answered"


def test_dip_api_shape(ppid_officer, kominfo):
    entry = services.create_dip_entry(
        actor=ppid_officer,
        data=services.DipEntryData(
            category="setiap_saat",
            title="Daftar aset",
            summary="Daftar aset kota.",
            agency=kominfo,
            official="Kepala Diskominfo",
            person_in_charge="Sekretaris",
            produced_when="2026",
            produced_where="Kota Contoh",
            retention="5 tahun",
            has_hardcopy=True,
        ),
    )
    body = Client().get(f"{API}/dip/{entry.pk}").json()
    assert body == {
        "id": entry.pk,
        "category": "setiap_saat",
        "category_label": "Tersedia setiap saat",
        "title": "Daftar aset",
        "summary": "Daftar aset kota.",
        "agency": {"code": "DISKOMINFO", "name": "Dinas Komunikasi dan Informatika"},
        "official": "Kepala Diskominfo",
        "person_in_charge": "Sekretaris",
        "produced_when": "2026",
        "produced_where": "Kota Contoh",
        "formats": ["softcopy", "hardcopy"],
        "retention": "5 tahun",
        "exemption": None,
        "legal_basis": None,
        "consequence_test": None,
        "exempt_until": None,
        "documents": [],
    }
    assert Client().get(f"{API}/dip/999999").status_code == 404
    assert Client().get(f"{API}/dip", {"category": "x"}).status_code == 422


def test_counter_entry_and_document_delivery_through_the_api(ppid_officer):
    staff = client_for(ppid_officer)
    created = staff.post(
        f"{API}/staff/requests", {**BODY, "channel": "letter"}, content_type="application/json"
    )
    assert created.status_code == 201
    number = created.json()["register_number"]
    staff.post(
        f"{API}/requests/{number}/answer",
        {"outcome": "granted", "text": "Informasi diberikan seluruhnya."},
        content_type="application/json",
    )
    delivered = staff.post(
        f"{API}/requests/{number}/documents",
        {"note": "Dikirim lewat email", "files": [pdf_upload(["Salinan"], "salinan.pdf")]},
    )
    assert delivered.status_code == 200
    request = InformationRequest.objects.get(register_number=number)
    assert (request.channel, request.entered_by, request.requester) == (
        "letter",
        ppid_officer,
        None,
    )
    assert list(request.files.values_list("kind", "name")) == [("delivered", "salinan.pdf")]


def test_list_endpoints_keep_a_constant_number_of_queries(
    citizen, ppid_officer, kominfo, django_assert_max_num_queries
):
    for day in range(2, 12):
        services.submit_request(actor=citizen, form=request_form(), at=wib(2026, 3, day))
    for index in range(6):
        entry = services.create_dip_entry(
            actor=ppid_officer,
            data=services.DipEntryData(
                category="berkala",
                title=f"Laporan {index}",
                summary="Laporan berkala.",
                agency=kominfo,
                official="Kepala",
                person_in_charge="Sekretaris",
                produced_when="2026",
                produced_where="Kota Contoh",
                retention="5 tahun",
            ),
        )
        services.add_dip_document(
            actor=ppid_officer,
            entry=entry,
            file=pdf_upload([f"Isi {index}"]),
            title=f"Dokumen {index}",
        )
    client = Client()
    with django_assert_max_num_queries(2):
        assert len(client.get(f"{API}/register").json()["items"]) == 10
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/dip").json()["count"] == 6


def test_statistics_of_an_impossible_year_is_not_found(policy):
    response = Client().get(f"{API}/statistics/1899")
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"
