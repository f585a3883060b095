"""The PPID pages: public pages for everyone, the citizen's request flow, the desk's permission
matrix and its POST forms (no JavaScript), and the dispute record."""

from __future__ import annotations

import pytest
from django.test import Client

from terang.ppid import services
from terang.ppid.models import InformationRequest
from tests.helpers import client_for

from .conftest import NIK, pdf_upload, request_form, wib

pytestmark = pytest.mark.django_db

FORM = {
    "requester_kind": "individual",
    "requester_name": "Siti Rahmawati",
    "identity_kind": "nik",
    "identity_number": NIK,
    "address": "Jl. Melati No. 1",
    "email": "siti@contoh.id",
    "occupation": "Wiraswasta",
    "information_requested": "Salinan kontrak pemeliharaan jalan 2025",
    "purpose": "Bahan kajian warga tentang jalan",
    "preferred_format": "softcopy",
    "delivery": "email",
    "idempotency_key": "form-1-kunci-uji",
}


@pytest.mark.parametrize(
    "url", ["/ppid/", "/ppid/register/", "/ppid/statistik/", "/ppid/dip/", "/ppid/register.csv"]
)
def test_public_pages_open_to_everyone(policy, url):
    assert Client().get(url).status_code == 200


def test_citizen_files_through_the_form_and_a_double_submit_files_once(citizen, ppid_officer):
    client = client_for(citizen)
    assert client.get("/ppid/permohonan/baru/").status_code == 200
    first = client.post("/ppid/permohonan/baru/", FORM)
    second = client.post("/ppid/permohonan/baru/", FORM)
    request = InformationRequest.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == f"/ppid/permohonan/{request.register_number}/"
    page = client.get(first["Location"]).content.decode()
    assert request.register_number in page
    assert NIK in page  # the requester sees their own identity


def test_form_errors_are_shown_with_a_422(citizen, ppid_officer):
    response = client_for(citizen).post(
        "/ppid/permohonan/baru/", {**FORM, "identity_number": "999"}
    )
    assert response.status_code == 422
    assert "NIK harus 16 angka yang sah." in response.content.decode()
    assert InformationRequest.objects.count() == 0


def test_anonymous_is_sent_to_sign_in_and_unverified_citizens_to_verify(
    unverified_citizen, ppid_officer
):
    assert Client().get("/ppid/permohonan/baru/").status_code == 302
    response = client_for(unverified_citizen).post("/ppid/permohonan/baru/", FORM)
    assert response.status_code == 403
    assert InformationRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        ("citizen", 403),
        ("other_officer", 403),
        ("ppid_officer", 200),
        ("ppid_head", 200),
        ("operator", 200),
        ("inspector", 200),
        ("admin_user", 200),
    ],
)
def test_desk_permission_matrix(filed, role, status, request):
    user = request.getfixturevalue(role) if role else None
    client = client_for(user)
    assert client.get("/staf/ppid/").status_code == status
    assert client.get(f"/staf/ppid/permohonan/{filed.register_number}/").status_code == status


def test_desk_shows_the_queue_with_breaches_highlighted(citizen, ppid_officer):
    late = services.submit_request(actor=citizen, form=request_form(), at=wib(2025, 1, 6))
    body = client_for(ppid_officer).get("/staf/ppid/").content.decode()
    assert late.register_number in body
    assert "ppid-late" in body
    assert "lewat batas waktu" in body


@pytest.mark.parametrize("role", ["inspector", "operator", "other_officer", "citizen"])
def test_only_ppid_staff_can_post_actions(filed, role, request):
    user = request.getfixturevalue(role)
    response = client_for(user).post(
        f"/staf/ppid/permohonan/{filed.register_number}/proses/", {"note": ""}
    )
    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.status == "received"


def test_answer_form_refusal_without_basis_rerenders_with_the_error(filed, ppid_officer):
    response = client_for(ppid_officer).post(
        f"/staf/ppid/permohonan/{filed.register_number}/jawab/",
        {"outcome": "refused", "text": "Informasi dikecualikan."},
    )
    assert response.status_code == 422
    assert "uji konsekuensi tertulis" in response.content.decode()
    filed.refresh_from_db()
    assert filed.status == "received"


def test_answer_form_with_a_document_then_the_requester_downloads_it(
    filed, ppid_officer, citizen, other_citizen
):
    response = client_for(ppid_officer).post(
        f"/staf/ppid/permohonan/{filed.register_number}/jawab/",
        {
            "outcome": "granted",
            "text": "Terlampir salinan kontrak.",
            "documents": [pdf_upload(["Kontrak"], "kontrak.pdf")],
        },
    )
    assert response.status_code == 302
    record = filed.files.get()
    url = f"/ppid/permohonan/berkas/{record.token}/"
    assert client_for(citizen).get(url, follow=True).status_code == 200
    assert client_for(other_citizen).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_extension_once_through_the_form(citizen, ppid_officer):
    filed = services.submit_request(actor=citizen, form=request_form())  # filed just now
    client = client_for(ppid_officer)
    url = f"/staf/ppid/permohonan/{filed.register_number}/perpanjang/"
    reason = {"reason": "Dokumen tersebar di tiga OPD."}
    first = client.post(url, reason)
    second = client.post(url, reason)
    assert (first.status_code, second.status_code) == (302, 409)
    filed.refresh_from_db()
    assert filed.status == "extended"


def test_citizen_objects_from_the_request_page(filed, ppid_officer, citizen):
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(outcome="not_held", text="Tidak dikuasai."),
    )
    client = client_for(citizen)
    page = client.get(f"/ppid/permohonan/{filed.register_number}/").content.decode()
    assert "Ajukan keberatan" in page
    response = client.post(
        f"/ppid/permohonan/{filed.register_number}/keberatan/",
        {"grounds": ["d"], "statement": "Informasi itu ada di Dinas PUPR."},
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.objection.status == "filed"


def test_dispute_record_has_every_step_for_the_requester_and_the_desk(
    filed, ppid_officer, ppid_head, citizen, other_citizen
):
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(outcome="not_held", text="Tidak dikuasai."),
        at=wib(2026, 2, 6),
    )
    objection = services.file_objection(
        actor=citizen,
        request=filed,
        grounds=["d"],
        statement="Informasi itu ada.",
        at=wib(2026, 2, 9),
    )
    services.answer_objection(
        actor=ppid_head,
        objection=objection,
        outcome="rejected",
        text="Penolakan dikuatkan.",
        at=wib(2026, 2, 20),
    )
    url = f"/ppid/permohonan/{filed.register_number}/rekam-jejak/"
    body = client_for(ppid_officer).get(url).content.decode()
    for text in (
        filed.register_number,
        objection.register_number,
        "Penolakan dikuatkan.",
        "Informasi tidak dikuasai",
        "2 Februari 2026 09:00:00",
        NIK,
    ):
        assert text in body
    assert client_for(citizen).get(url).status_code == 200
    assert client_for(other_citizen).get(url).status_code == 404


def test_counter_entry_by_ppid_staff(ppid_officer):
    response = client_for(ppid_officer).post(
        "/staf/ppid/permohonan/baru/", {**FORM, "channel": "letter"}
    )
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert (request.channel, request.entered_by) == ("letter", ppid_officer)


def test_dip_management_pages(ppid_officer, kominfo, other_officer):
    client = client_for(ppid_officer)
    assert client.get("/staf/ppid/dip/").status_code == 200
    response = client.post(
        "/staf/ppid/dip/baru/",
        {
            "category": "berkala",
            "title": "APBD 2026",
            "summary": "Peraturan daerah APBD 2026.",
            "agency": kominfo.pk,
            "official": "Kepala BPKAD",
            "person_in_charge": "Sekretaris",
            "produced_when": "Desember 2025",
            "produced_where": "Kota Contoh",
            "has_softcopy": "on",
            "retention": "Permanen",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    upload = client.post(
        response["Location"] + "dokumen/",
        {
            "title": "Perda APBD",
            "kind": "budget",
            "file": pdf_upload(["Perda APBD 2026"]),
        },
    )
    assert upload.status_code == 302
    assert client_for(other_officer).get("/staf/ppid/dip/").status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"),
    [("citizen", False), ("other_officer", False), ("ppid_officer", True), ("inspector", True)],
)
def test_navigation_filter_tells_who_may_open_the_desk(policy, role, expected, request):
    from django.template import Context, Template

    user = request.getfixturevalue(role)
    rendered = Template("{% load ppid_tags %}{% if user|ppid_desk %}yes{% endif %}").render(
        Context({"user": user})
    )
    assert rendered == ("yes" if expected else "")
