"""The public register (no personal data) and the yearly statistics shaped like the PPID annual
report, on a hand-built year."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client

from terang.ppid import selectors, services

from .conftest import NAME, NIK, T0, request_form, wib

pytestmark = pytest.mark.django_db

CONSEQUENCE = "Membuka informasi ini lebih merugikan kepentingan umum daripada menutupnya."
PERSONAL_TEXT = (
    f"Saya {NAME}, NIK {NIK}, telepon 0812-3456-7890, meminta daftar penerima bantuan "
    "perbaikan rumah di Kelurahan Melati tahun 2025."
)


def answer(request, officer, outcome, at, **extra):  # type: ignore[no-untyped-def]
    services.answer_request(
        actor=officer,
        request=request,
        answer=services.Answer(outcome=outcome, text="Pemberitahuan tertulis PPID.", **extra),
        at=at,
    )


def refusal(exemption: str) -> dict[str, str]:
    return {"exemption": exemption, "consequence_test": CONSEQUENCE}


@pytest.fixture
def personal(citizen, ppid_officer):  # type: ignore[no-untyped-def]
    return services.submit_request(
        actor=citizen, form=request_form(information_requested=PERSONAL_TEXT), at=T0
    )


def test_the_register_never_shows_the_requesters_identity(personal):
    page = Client().get("/ppid/register/")
    api = Client().get("/api/v1/ppid/register")
    csv_body = Client().get("/ppid/register.csv")
    assert page.status_code == api.status_code == csv_body.status_code == 200
    for body in (page.content.decode(), api.content.decode(), csv_body.content.decode()):
        assert personal.register_number in body
        assert "daftar penerima bantuan perbaikan rumah" in body
        for secret in (NIK, "Siti", "Rahmawati", "3456", "siti@contoh.id", "Jl. Melati"):
            assert secret not in body


def test_searching_the_register_by_a_requesters_name_finds_nothing(personal):
    assert list(selectors.public_register(selectors.RegisterFilters(q="Rahmawati"))) == []
    assert list(selectors.public_register(selectors.RegisterFilters(q=NIK))) == []
    found = selectors.public_register(selectors.RegisterFilters(q="penerima bantuan"))
    assert [item.register_number for item in found] == [personal.register_number]


def test_register_api_shape(personal):
    body = Client().get("/api/v1/ppid/register", {"year": 2026}).json()
    assert body == {
        "items": [
            {
                "register_number": "PPID-2026-000001",
                "submitted_on": "2026-02-02",
                "information": (
                    "Saya [disamarkan], NIK [disamarkan], telepon [disamarkan], meminta daftar "
                    "penerima bantuan perbaikan rumah di Kelurahan Melati tahun 2025."
                ),
                "status": "received",
                "status_label": "Diterima",
                "outcome": None,
                "outcome_label": None,
                "working_days_taken": None,
                "answered_late": None,
            }
        ],
        "next_cursor": None,
    }


def test_register_pages_with_a_cursor(citizen, ppid_officer):
    numbers = [
        services.submit_request(
            actor=citizen, form=request_form(), at=wib(2026, 2, day)
        ).register_number
        for day in (2, 3, 4)
    ]
    client = Client()
    first = client.get("/api/v1/ppid/register", {"limit": 2}).json()
    second = client.get("/api/v1/ppid/register", {"limit": 2, "cursor": first["next_cursor"]})
    assert [i["register_number"] for i in first["items"]] == numbers[:0:-1]
    assert [i["register_number"] for i in second.json()["items"]] == numbers[:1]
    assert second.json()["next_cursor"] is None


@pytest.fixture
def year_2026(citizen, ppid_officer, ppid_head):  # type: ignore[no-untyped-def]
    """Nine requests filed in 2026 (eight in February, one in March) and one in 2025."""

    def filed(at):  # type: ignore[no-untyped-def]
        return services.submit_request(actor=citizen, form=request_form(), at=at)

    old = filed(wib(2025, 12, 15))
    answer(old, ppid_officer, "granted", wib(2025, 12, 16))
    r1, r2, r3, r4, r5, r6, r7, r9 = (filed(T0) for _ in range(8))
    r8 = filed(wib(2026, 3, 2))
    answer(r1, ppid_officer, "granted", wib(2026, 2, 5))  # 3 working days
    answer(r2, ppid_officer, "partly_granted", wib(2026, 2, 6), **refusal("h"))  # 4
    answer(r3, ppid_officer, "refused", wib(2026, 2, 6), **refusal("h"))  # 4
    answer(r4, ppid_officer, "refused", wib(2026, 2, 9), **refusal("a"))  # 5
    answer(r5, ppid_officer, "not_held", wib(2026, 2, 19))  # 11, late
    answer(r6, ppid_officer, "forwarded", wib(2026, 2, 3), forwarded_to="BPN Kota")  # 1
    services.withdraw_request(actor=citizen, request=r7, at=wib(2026, 2, 3))
    services.extend_request(
        actor=ppid_officer, request=r9, reason="Dokumen di tiga OPD.", at=wib(2026, 2, 10)
    )
    answer(r9, ppid_officer, "granted", wib(2026, 2, 24))  # 14, within the extension
    grounds = {"grounds": ["a"], "statement": "Saya keberatan atas penolakan ini."}
    o3 = services.file_objection(actor=citizen, request=r3, at=wib(2026, 2, 9), **grounds)
    o4 = services.file_objection(actor=citizen, request=r4, at=wib(2026, 2, 10), **grounds)
    services.file_objection(
        actor=citizen,
        request=r5,
        at=wib(2026, 2, 20),
        grounds=["e"],
        statement="Informasi seharusnya ada di Dinas.",
    )
    services.answer_objection(
        actor=ppid_head,
        objection=o3,
        outcome="rejected",
        text="Penolakan dikuatkan.",
        at=wib(2026, 2, 20),
    )
    services.answer_objection(
        actor=ppid_head,
        objection=o4,
        outcome="upheld",
        text="Informasi wajib diberikan.",
        at=wib(2026, 2, 20),
    )
    services.record_dispute(
        actor=ppid_officer,
        objection=o3,
        reference="007/REG-PSI/III/2026",
        filed_on=dt.date(2026, 3, 2),
        at=wib(2026, 3, 3),
    )
    return r8


def test_annual_statistics_of_a_hand_built_year(year_2026):
    stats = selectors.annual_statistics(2026)
    assert (stats.received, stats.individuals, stats.organisations) == (9, 9, 0)
    assert (stats.answered, stats.withdrawn, stats.pending, stats.extended) == (7, 1, 1, 1)
    assert [(row.code, row.value) for row in stats.outcomes] == [
        ("granted", 2),
        ("partly_granted", 1),
        ("refused", 2),
        ("not_held", 1),
        ("forwarded", 1),
    ]
    assert (stats.answered_on_time, stats.answered_late) == (6, 1)
    assert stats.average_working_days == 6.0  # (3 + 4 + 4 + 5 + 11 + 1 + 14) / 7
    assert [(row.code, row.value) for row in stats.exemptions] == [("a", 1), ("h", 2)]
    assert (stats.objections, stats.objections_upheld, stats.objections_rejected) == (3, 1, 1)
    assert (stats.objections_pending, stats.objections_partly_upheld, stats.disputes) == (1, 0, 1)
    assert stats.monthly == [0, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    last_year = selectors.annual_statistics(2025)
    assert (last_year.received, last_year.granted, last_year.objections) == (1, 1, 0)


def test_statistics_page_csv_and_api_carry_the_same_numbers(year_2026):
    page = Client().get("/ppid/statistik/", {"tahun": 2026})
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(Client().get("/ppid/statistik.csv", {"tahun": 2026}).content.decode())
        )
    )
    values = {row[1]: row[3] for row in rows[1:]}
    assert values["received"] == "9"
    assert values["outcome_refused"] == "2"
    assert values["average_working_days"] == "6.0"
    assert values["exemption_h"] == "2"
    assert values["disputes"] == "1"
    assert values["received_month_02"] == "8"
    api = Client().get("/api/v1/ppid/statistics/2026").json()
    assert {row["key"]: row["value"] for row in api["rows"]}["objections"] == 3
    assert api["monthly_received"][:3] == [0, 8, 1]
