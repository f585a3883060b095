"""Filing, processing, extending, answering, delivering, closing and withdrawing requests."""

from __future__ import annotations

import pytest

from terang.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from terang.core.models import AuditEntry, Notification
from terang.ppid import services
from terang.ppid.models import InformationRequest, RegisterCounter, RequestEvent, RequestFile

from .conftest import NAME, NIK, T0, end_of_day, pdf_upload, request_form, wib

pytestmark = pytest.mark.django_db

REASON = "Dokumen tersebar di tiga OPD dan perlu dihimpun."
CONSEQUENCE = (
    "Membuka data ini mengungkap rahasia pribadi penerima bantuan; kerugian bagi mereka lebih "
    "besar daripada manfaat bagi publik."
)


def snapshot(request: InformationRequest) -> tuple:
    request.refresh_from_db()
    return (
        request.status,
        request.outcome,
        request.due_at,
        request.extended_at,
        request.answered_at,
        request.exemption,
        request.consequence_test,
        RequestEvent.objects.filter(request=request).count(),
        AuditEntry.objects.count(),
    )


def test_submit_gives_a_register_number_a_deadline_an_event_and_an_audit_entry(
    citizen, ppid_officer
):
    request = services.submit_request(actor=citizen, form=request_form(), at=T0)
    assert request.register_number == "PPID-2026-000001"
    assert (request.year, request.sequence, request.status) == (2026, 1, "received")
    assert request.requester == citizen
    assert request.due_at == end_of_day(2026, 2, 18)  # 16-17 Feb: cuti bersama, Imlek
    assert [(e.kind, e.to_status) for e in request.events.all()] == [("transition", "received")]
    entry = AuditEntry.objects.get(chain=f"ppid.informationrequest:{request.pk}")
    assert entry.action == "ppid.request.transition.received"
    assert NIK not in str(entry.payload)
    assert Notification.objects.filter(recipient=citizen).count() == 1
    assert Notification.objects.filter(recipient=ppid_officer).count() == 1


def test_identity_number_address_and_contact_are_encrypted_at_rest(citizen, ppid_officer):
    request = services.submit_request(actor=citizen, form=request_form(), at=T0)
    row = InformationRequest.objects.filter(pk=request.pk).values().get()
    stored = " ".join(str(value) for value in row.values())
    for secret in (NIK, "Jl. Melati No. 1", "siti@contoh.id", "3456"):
        assert secret not in stored
    assert row["requester_name"] == NAME


def test_register_numbers_have_no_gaps_when_a_submission_is_refused(citizen, ppid_officer):
    first = services.submit_request(actor=citizen, form=request_form(), at=T0)
    with pytest.raises(ValidationFailed):
        services.submit_request(actor=citizen, form=request_form(identity_number="123"), at=T0)
    second = services.submit_request(actor=citizen, form=request_form(), at=T0)
    assert [first.register_number, second.register_number] == [
        "PPID-2026-000001",
        "PPID-2026-000002",
    ]
    assert RegisterCounter.objects.get(register="PPID", year=2026).last == 2


def test_register_numbers_start_again_each_city_year(citizen, ppid_officer):
    # 31 Dec 2025 20:00 WIB is 13:00 UTC: still 2025 in the city; 1 Jan 00:30 WIB is 2026.
    late = services.submit_request(actor=citizen, form=request_form(), at=wib(2025, 12, 31, 20))
    new = services.submit_request(actor=citizen, form=request_form(), at=wib(2026, 1, 1, 0, 30))
    assert (late.register_number, new.register_number) == ("PPID-2025-000001", "PPID-2026-000001")


def test_form_errors_are_reported_per_field_and_nothing_is_saved(citizen, ppid_officer):
    with pytest.raises(ValidationFailed) as caught:
        services.submit_request(
            actor=citizen,
            form=request_form(
                identity_number="1234", email="", phone="", purpose="x", preferred_format="fax"
            ),
            at=T0,
        )
    assert sorted(caught.value.details["fields"]) == [
        "email",
        "identity_number",
        "preferred_format",
        "purpose",
    ]
    assert InformationRequest.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_an_unverified_citizen_cannot_file(unverified_citizen, ppid_officer):
    with pytest.raises(PermissionDenied) as caught:
        services.submit_request(actor=unverified_citizen, form=request_form(), at=T0)
    assert caught.value.details == {"reason": "contact_not_verified"}
    assert InformationRequest.objects.count() == 0


def test_staff_of_another_agency_cannot_type_in_a_counter_request(other_officer, policy):
    with pytest.raises(PermissionDenied):
        services.submit_request(actor=other_officer, form=request_form(), channel="counter", at=T0)
    assert InformationRequest.objects.count() == 0


def test_ppid_staff_type_in_a_counter_request_without_an_account(ppid_officer):
    request = services.submit_request(
        actor=ppid_officer, form=request_form(), channel="counter", at=T0
    )
    assert (request.channel, request.requester, request.entered_by) == (
        "counter",
        None,
        ppid_officer,
    )


def test_an_organisation_must_attach_its_legal_entity_papers(citizen, ppid_officer):
    with pytest.raises(ValidationFailed) as caught:
        services.submit_request(
            actor=citizen,
            form=request_form(requester_kind="organisation", organisation_name="LSM Jalan Sehat"),
            at=T0,
        )
    assert list(caught.value.details["fields"]) == ["legal_entity_document"]
    request = services.submit_request(
        actor=citizen,
        form=request_form(
            requester_kind="organisation",
            organisation_name="LSM Jalan Sehat",
            legal_entity_document=pdf_upload(["Akta pendirian"], "akta.pdf"),
        ),
        at=T0,
    )
    document = RequestFile.objects.get(request=request)
    assert (document.kind, document.name, document.content_type) == (
        "legal_entity",
        "akta.pdf",
        "application/pdf",
    )


def test_extension_needs_a_reason_and_happens_only_once(filed, ppid_officer):
    with pytest.raises(ValidationFailed):
        services.extend_request(actor=ppid_officer, request=filed, reason=" ", at=wib(2026, 2, 5))
    assert filed.extended_at is None
    services.extend_request(actor=ppid_officer, request=filed, reason=REASON, at=wib(2026, 2, 5))
    filed.refresh_from_db()
    assert (filed.status, filed.extension_reason) == ("extended", REASON)
    assert filed.due_at == end_of_day(2026, 2, 27)  # 18 Feb + 7 working days
    before = snapshot(filed)
    with pytest.raises(InvalidTransition) as caught:
        services.extend_request(
            actor=ppid_officer, request=filed, reason=REASON, at=wib(2026, 2, 6)
        )
    assert caught.value.details["reason"] == "already_extended"
    assert snapshot(filed) == before


def test_extension_after_the_ten_days_ran_out_is_refused(filed, ppid_officer):
    before = snapshot(filed)
    with pytest.raises(ValidationFailed) as caught:
        services.extend_request(
            actor=ppid_officer, request=filed, reason=REASON, at=wib(2026, 2, 19)
        )
    assert caught.value.details["reason"] == "deadline_passed"
    assert snapshot(filed) == before


@pytest.mark.parametrize(
    ("exemption", "consequence", "errors"),
    [
        ("", "", ["consequence_test", "exemption"]),
        ("h", "", ["consequence_test"]),
        ("", CONSEQUENCE, ["exemption"]),
        ("j", CONSEQUENCE, ["legal_basis"]),
    ],
)
@pytest.mark.parametrize("outcome", ["refused", "partly_granted"])
def test_refusal_and_partial_grant_need_an_exemption_and_a_consequence_test(
    filed, ppid_officer, outcome, exemption, consequence, errors
):
    before = snapshot(filed)
    answer = services.Answer(
        outcome=outcome,
        text="Permohonan tidak dapat dipenuhi seluruhnya.",
        exemption=exemption,
        consequence_test=consequence,
    )
    with pytest.raises(ValidationFailed) as caught:
        services.answer_request(
            actor=ppid_officer, request=filed, answer=answer, at=wib(2026, 2, 6)
        )
    assert sorted(caught.value.details["fields"]) == errors
    assert snapshot(filed) == before


def test_refusal_with_its_basis_is_recorded_with_working_days_taken(filed, ppid_officer):
    answer = services.Answer(
        outcome="refused",
        text="Informasi dikecualikan.",
        exemption="h",
        legal_basis="UU 27/2022 tentang Pelindungan Data Pribadi",
        consequence_test=CONSEQUENCE,
    )
    services.answer_request(actor=ppid_officer, request=filed, answer=answer, at=wib(2026, 2, 6))
    filed.refresh_from_db()
    assert (filed.status, filed.outcome, filed.exemption) == ("answered", "refused", "h")
    assert filed.consequence_test == CONSEQUENCE
    assert (filed.working_days_taken, filed.answered_late) == (4, False)
    entry = AuditEntry.objects.filter(chain=f"ppid.informationrequest:{filed.pk}").last()
    assert entry.action == "ppid.request.transition.answered"
    assert entry.payload["consequence_test"] == CONSEQUENCE


def test_an_answer_after_the_deadline_is_marked_late(filed, ppid_officer):
    answer = services.Answer(outcome="not_held", text="Informasi tidak dikuasai Pemkot.")
    services.answer_request(actor=ppid_officer, request=filed, answer=answer, at=wib(2026, 2, 19))
    filed.refresh_from_db()
    assert (filed.working_days_taken, filed.answered_late) == (11, True)


def test_forwarding_names_the_body_that_holds_the_information(filed, ppid_officer):
    with pytest.raises(ValidationFailed) as caught:
        services.answer_request(
            actor=ppid_officer,
            request=filed,
            answer=services.Answer(outcome="forwarded", text="Diteruskan ke BPN."),
            at=wib(2026, 2, 6),
        )
    assert list(caught.value.details["fields"]) == ["forwarded_to"]
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(
            outcome="forwarded",
            text="Diteruskan ke BPN.",
            forwarded_to="Kantor Pertanahan Kota Contoh",
        ),
        at=wib(2026, 2, 6),
    )
    filed.refresh_from_db()
    assert (filed.outcome, filed.forwarded_to) == ("forwarded", "Kantor Pertanahan Kota Contoh")


def test_granting_with_documents_delivers_them(filed, ppid_officer):
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(
            outcome="granted",
            text="Terlampir salinan kontrak.",
            documents=[pdf_upload(["Kontrak 2025"], "kontrak.pdf")],
        ),
        at=wib(2026, 2, 6),
    )
    filed.refresh_from_db()
    assert filed.delivered_at == wib(2026, 2, 6)
    assert list(filed.files.values_list("kind", "name")) == [("delivered", "kontrak.pdf")]
    assert [e.kind for e in filed.events.all()] == ["transition", "transition", "documents"]


@pytest.mark.parametrize(
    ("step", "call"),
    [
        ("process", lambda actor, request: services.start_processing(actor=actor, request=request)),
        (
            "extend",
            lambda actor, request: services.extend_request(
                actor=actor, request=request, reason=REASON
            ),
        ),
        (
            "answer",
            lambda actor, request: services.answer_request(
                actor=actor,
                request=request,
                answer=services.Answer(outcome="granted", text="Terlampir salinan."),
            ),
        ),
        (
            "withdraw",
            lambda actor, request: services.withdraw_request(actor=actor, request=request),
        ),
    ],
)
def test_invalid_transitions_change_nothing(filed, ppid_officer, step, call):
    services.withdraw_request(actor=filed.requester, request=filed, at=wib(2026, 2, 3))
    before = snapshot(filed)
    with pytest.raises(InvalidTransition) as caught:
        call(ppid_officer, filed)
    assert caught.value.details["from"] == "withdrawn"
    assert snapshot(filed) == before


def test_closing_an_unanswered_request_is_an_invalid_transition(filed, ppid_officer):
    before = snapshot(filed)
    with pytest.raises(InvalidTransition):
        services.close_request(actor=ppid_officer, request=filed)
    assert snapshot(filed) == before


@pytest.mark.parametrize("role", ["other_officer", "inspector", "operator", "citizen"])
def test_only_ppid_staff_handle_requests(filed, role, request):
    actor = request.getfixturevalue(role)
    before = snapshot(filed)
    with pytest.raises(PermissionDenied):
        services.start_processing(actor=actor, request=filed)
    with pytest.raises(PermissionDenied):
        services.answer_request(
            actor=actor,
            request=filed,
            answer=services.Answer(outcome="granted", text="Terlampir salinan."),
        )
    assert snapshot(filed) == before


def test_an_administrator_handles_requests(filed, admin_user):
    services.start_processing(actor=admin_user, request=filed, at=wib(2026, 2, 3))
    filed.refresh_from_db()
    assert filed.status == "in_process"


def test_another_citizen_cannot_withdraw_a_request(filed, other_citizen):
    before = snapshot(filed)
    with pytest.raises(PermissionDenied):
        services.withdraw_request(actor=other_citizen, request=filed)
    assert snapshot(filed) == before


def test_delivery_is_only_for_granted_requests(filed, ppid_officer):
    with pytest.raises(ValidationFailed):
        services.deliver_documents(
            actor=ppid_officer, request=filed, files=[], note="Diambil langsung"
        )
    services.answer_request(
        actor=ppid_officer,
        request=filed,
        answer=services.Answer(
            outcome="partly_granted",
            text="Sebagian diberikan.",
            exemption="h",
            consequence_test=CONSEQUENCE,
        ),
        at=wib(2026, 2, 6),
    )
    services.deliver_documents(
        actor=ppid_officer,
        request=filed,
        files=[],
        note="Salinan cetak diambil langsung oleh pemohon.",
        at=wib(2026, 2, 9),
    )
    filed.refresh_from_db()
    assert filed.delivered_at == wib(2026, 2, 9)
    assert filed.events.last().kind == "documents"
