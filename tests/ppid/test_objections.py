"""Objections (keberatan): when they may be filed, who answers them and by when, and the
dispute recorded for the Komisi Informasi."""

from __future__ import annotations

import datetime as dt

import pytest

from terang.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from terang.core.models import AuditEntry, Notification
from terang.ppid import services
from terang.ppid.models import Objection, RequestEvent

from .conftest import end_of_day, wib

pytestmark = pytest.mark.django_db

STATEMENT = "Jawaban PPID tidak sesuai dengan informasi yang saya minta."


def answered(filed, officer, at):  # type: ignore[no-untyped-def]
    services.answer_request(
        actor=officer,
        request=filed,
        answer=services.Answer(outcome="not_held", text="Informasi tidak dikuasai."),
        at=at,
    )
    filed.refresh_from_db()
    return filed


def file(filed, at, actor=None):  # type: ignore[no-untyped-def]
    return services.file_objection(
        actor=actor or filed.requester, request=filed, grounds=["d"], statement=STATEMENT, at=at
    )


def test_no_objection_while_the_ppid_is_still_within_its_deadline(filed):
    with pytest.raises(ValidationFailed) as caught:
        file(filed, wib(2026, 2, 10))
    assert caught.value.details["reason"] == "objection_too_early"
    assert Objection.objects.count() == 0


def test_objection_after_the_answer_is_due_in_thirty_working_days(filed, ppid_officer, ppid_head):
    answered(filed, ppid_officer, wib(2026, 2, 6))
    objection = file(filed, wib(2026, 2, 9))
    assert objection.register_number == "KEB-2026-000001"
    assert (objection.status, objection.grounds) == ("filed", ["d"])
    # 30 working days from Mon 9 Feb; 16-17 Feb (Imlek) and 18-24 Mar (Nyepi, Idul Fitri and
    # cuti bersama) are days off.
    assert objection.due_at == end_of_day(2026, 4, 1)
    assert objection.filing_deadline == end_of_day(2026, 3, 31)
    event = RequestEvent.objects.get(objection=objection)
    assert (event.kind, event.to_status) == ("objection", "filed")
    audit = AuditEntry.objects.get(chain=f"ppid.objection:{objection.pk}")
    assert audit.action == "ppid.objection.objection.filed"
    assert Notification.objects.filter(recipient=ppid_head).count() == 1


def test_objection_window_closes_thirty_working_days_after_the_answer(filed, ppid_officer):
    answered(filed, ppid_officer, wib(2026, 2, 6))
    # 30 working days after Fri 6 Feb end on Tue 31 Mar (16-17 Feb, 18-24 Mar off).
    window = services.objection_window(filed, wib(2026, 2, 9))
    assert window == (wib(2026, 2, 6), end_of_day(2026, 3, 31))
    with pytest.raises(ValidationFailed) as caught:
        file(filed, wib(2026, 4, 1))
    assert caught.value.details["reason"] == "objection_too_late"
    assert Objection.objects.count() == 0
    assert file(filed, wib(2026, 3, 31, 20)).status == "filed"


def test_an_unanswered_request_may_be_objected_to_once_its_deadline_lapsed(filed):
    objection = services.file_objection(
        actor=filed.requester,
        request=filed,
        grounds=["c"],
        statement=STATEMENT,
        at=wib(2026, 2, 19),
    )
    # The answer was due Wed 18 Feb; 30 working days from then end on Thu 9 Apr.
    assert objection.filing_deadline == end_of_day(2026, 4, 9)


def test_a_second_objection_is_a_conflict(filed, ppid_officer):
    answered(filed, ppid_officer, wib(2026, 2, 6))
    file(filed, wib(2026, 2, 9))
    with pytest.raises(Conflict):
        file(filed, wib(2026, 2, 10))
    assert Objection.objects.count() == 1


def test_grounds_must_come_from_pasal_35(filed, ppid_officer):
    answered(filed, ppid_officer, wib(2026, 2, 6))
    with pytest.raises(ValidationFailed) as caught:
        services.file_objection(
            actor=filed.requester,
            request=filed,
            grounds=["z"],
            statement=STATEMENT,
            at=wib(2026, 2, 9),
        )
    assert list(caught.value.details["fields"]) == ["grounds"]
    assert Objection.objects.count() == 0


def test_another_citizen_cannot_object(filed, ppid_officer, other_citizen):
    answered(filed, ppid_officer, wib(2026, 2, 6))
    with pytest.raises(PermissionDenied):
        file(filed, wib(2026, 2, 9), actor=other_citizen)
    assert Objection.objects.count() == 0


def test_only_the_superior_answers_an_objection(filed, ppid_officer, ppid_head):
    answered(filed, ppid_officer, wib(2026, 2, 6))
    objection = file(filed, wib(2026, 2, 9))
    with pytest.raises(PermissionDenied):
        services.answer_objection(
            actor=ppid_officer, objection=objection, outcome="upheld", text="Keberatan diterima."
        )
    objection.refresh_from_db()
    assert (objection.status, objection.outcome) == ("filed", "")
    services.answer_objection(
        actor=ppid_head,
        objection=objection,
        outcome="rejected",
        text="Informasi memang tidak dikuasai.",
        at=wib(2026, 3, 2),
    )
    objection.refresh_from_db()
    assert (objection.status, objection.outcome, objection.answered_late) == (
        "answered",
        "rejected",
        False,
    )
    # 14 working days from Mon 2 Mar, 18-24 Mar off: Fri 27 Mar.
    assert objection.dispute_deadline == end_of_day(2026, 3, 27)


def test_a_configured_superior_replaces_the_agency_head(
    filed, ppid_officer, ppid_head, policy, admin_user
):
    from tests.aspirations.conftest import make_user

    sekda = make_user("sekda", "officer", ppid_officer.agency)
    policy.superior = sekda
    policy.save()
    answered(filed, ppid_officer, wib(2026, 2, 6))
    objection = file(filed, wib(2026, 2, 9))
    with pytest.raises(PermissionDenied):
        services.answer_objection(
            actor=ppid_head, objection=objection, outcome="upheld", text="Keberatan diterima."
        )
    services.answer_objection(
        actor=sekda,
        objection=objection,
        outcome="upheld",
        text="Keberatan diterima.",
        at=wib(2026, 2, 20),
    )
    objection.refresh_from_db()
    assert objection.answered_by == sekda


def test_a_late_answer_to_an_objection_is_marked(filed, ppid_officer, ppid_head):
    answered(filed, ppid_officer, wib(2026, 2, 6))
    objection = file(filed, wib(2026, 2, 9))
    services.answer_objection(
        actor=ppid_head,
        objection=objection,
        outcome="upheld",
        text="Keberatan diterima.",
        at=wib(2026, 4, 2),
    )
    objection.refresh_from_db()
    assert objection.answered_late is True


def test_a_dispute_waits_for_the_superior_or_the_lapse_of_the_deadline(
    filed, ppid_officer, ppid_head
):
    answered(filed, ppid_officer, wib(2026, 2, 6))
    objection = file(filed, wib(2026, 2, 9))
    with pytest.raises(ValidationFailed) as caught:
        services.record_dispute(
            actor=ppid_officer,
            objection=objection,
            reference="001/KI/2026",
            filed_on=dt.date(2026, 3, 30),
            at=wib(2026, 3, 31),
        )
    assert caught.value.details["reason"] == "objection_pending"
    objection.refresh_from_db()
    assert objection.status == "filed"
    services.record_dispute(
        actor=ppid_officer,
        objection=objection,
        reference="012/REG-PSI/IV/2026",
        filed_on=dt.date(2026, 4, 6),
        at=wib(2026, 4, 7),
    )
    objection.refresh_from_db()
    assert (objection.status, objection.dispute_reference) == ("disputed", "012/REG-PSI/IV/2026")
    # The superior's 30 days ended Wed 1 Apr; 14 working days later (3 Apr Good Friday) is
    # Wed 22 Apr.
    assert objection.dispute_deadline == end_of_day(2026, 4, 22)
    with pytest.raises(InvalidTransition):
        services.answer_objection(
            actor=ppid_head, objection=objection, outcome="upheld", text="Keberatan diterima."
        )
