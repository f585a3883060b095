"""/api/v1/budget: public reads with the pages' parameters, staff writes, the shared error
shape."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from terang.budget.models import BudgetLine, BudgetVersion, BudgetYear
from terang.core.models import AuditEntry

from .helpers import budget_csv, small_budget
from .test_import import fifty_lines

pytestmark = pytest.mark.django_db

BASE = "/api/v1/budget"


def figures(planned: int, realised: int, absorption: str | None) -> dict:
    return {"planned": planned, "realised": realised, "absorption_percent": absorption}


def test_years(client, imported):
    body = client.get(f"{BASE}/years").json()

    assert len(body) == 1
    year = body[0]
    assert (year["year"], year["status"], year["version"]["number"]) == (2026, "open", 1)
    assert year["spending"] == figures(4_900_000_000, 721_000_000, "14.71")
    assert year["versions"][0] == {
        "year": 2026,
        "number": 1,
        "kind": "murni",
        "is_current": True,
        "imported_at": imported.imported_at.isoformat().replace("+00:00", "Z"),
        "file_name": "apbd-2026.csv",
        "file_sha256": imported.file_sha256,
        "line_count": 12,
        "realised_through": 3,
    }


def test_summary(client, imported):
    body = client.get(f"{BASE}/years/2026").json()

    assert body["revenue"] == figures(4_200_000_000, 1_070_000_000, "25.48")
    assert body["surplus"] == figures(-700_000_000, 349_000_000, None)
    assert body["net_financing"]["planned"] == 300_000_000
    assert body["silpa"]["planned"] == -400_000_000
    assert [a["code"] for a in body["accounts"]] == [
        "4",
        "4.1",
        "4.2",
        "5",
        "5.1",
        "5.2",
        "6",
        "6.1",
        "6.2",
    ]
    assert body["spending_months"][2] == {
        "month": 3,
        "amount": 216_000_000,
        "cumulative": 721_000_000,
        "absorption_percent": "14.71",
    }
    assert len(body["revenue_months"]) == 12


def test_spending_takes_the_pages_parameters(client, imported):
    body = client.get(f"{BASE}/years/2026/spending", {"opd": "DINKES", "kode": "1.02.02"}).json()

    assert (body["view"], body["level"], body["opd"], body["kode"]) == (
        "belanja",
        "kegiatan",
        "DINKES",
        "1.02.02",
    )
    assert body["total"] == figures(1_300_000_000, 70_000_000, "5.38")
    assert [(r["key"], r["share_percent"], r["params"]) for r in body["rows"]] == [
        ("1.02.02.2.01", "92.31", {"opd": "DINKES", "kode": "1.02.02.2.01"}),
        ("1.02.02.2.02", "7.69", {"opd": "DINKES", "kode": "1.02.02.2.02"}),
    ]
    assert body["rows"][0]["months"][:3] == [10_000_000, 0, 50_000_000]
    assert [c["params"] for c in body["crumbs"]] == [
        {},
        {"opd": "DINKES"},
        {"opd": "DINKES", "kode": "1.02.02"},
    ]


def test_accounts(client, imported):
    body = client.get(f"{BASE}/years/2026/accounts", {"kode": "4.1"}).json()

    assert body["level"] == "jenis"
    assert [(r["key"], r["name"], r["figures"]["planned"]) for r in body["rows"]] == [
        ("4.1.01", "Pajak Daerah", 1_000_000_000),
        ("4.1.02", "Retribusi Daerah", 200_000_000),
    ]


@pytest.mark.parametrize(
    ("url", "params", "status", "code"),
    [
        ("/years/2020", {}, 404, "not_found"),
        ("/years/2026", {"versi": 4}, 404, "not_found"),
        ("/years/2026", {"versi": "x"}, 422, "validation_error"),
        ("/years/2026/spending", {"kode": "5.1"}, 422, "budget_code_invalid"),
        ("/years/2026/spending", {"opd": "DINSOS"}, 404, "not_found"),
        ("/years/2026/accounts", {"kode": "9"}, 422, "budget_code_invalid"),
        ("/years/2026/compare", {}, 404, "not_found"),
        ("/years/2026/compare", {"dengan": 2026}, 422, "validation_error"),
    ],
)
def test_errors_have_the_shared_shape(client, imported, url, params, status, code):
    response = client.get(BASE + url, params)

    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert response.json()["error"]["code"] == code
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_compare(client, imported, admin_user):
    from terang.budget.services import import_budget

    from .conftest import NOW

    older = small_budget()
    for row in older:
        row["pagu"] = int(row["pagu"]) * 2
    import_budget(
        file=budget_csv(older),
        file_name="a.csv",
        year=2025,
        kind="murni",
        actor=admin_user,
        now=NOW,
    )

    body = client.get(f"{BASE}/years/2026/compare").json()

    assert (body["year"], body["other_year"], body["realised_through"]) == (2026, 2025, 3)
    spending = next(r for r in body["accounts"] if r["key"] == "5")
    assert spending["plan_change_percent"] == "-50.00"
    assert spending["realised_change_percent"] == "0.00"
    assert [r["key"] for r in body["agencies"]] == ["DINKES", "PUPR"]


def upload(client, data: bytes, *, year: int, kind: str = "murni", name: str = "apbd.csv"):
    return client.post(
        f"{BASE}/imports",
        {"file": SimpleUploadedFile(name, data), "year": year, "kind": kind},
    )


def last_year() -> int:
    return timezone.localdate().year - 1


def test_import_rejection_names_line_37(staff_client, finance_officer):
    rows = fifty_lines()
    rows[35]["kode_rekening"] = "5.1.2.01.01"

    response = upload(staff_client(finance_officer), budget_csv(rows), year=last_year())

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "budget_import_invalid"
    assert [(e["line"], e["column"]) for e in error["details"]["errors"]] == [(37, "kode_rekening")]
    assert (BudgetYear.objects.count(), BudgetLine.objects.count()) == (0, 0)


def test_import_success(staff_client, finance_officer):
    response = upload(staff_client(finance_officer), budget_csv(small_budget()), year=last_year())

    assert response.status_code == 201
    body = response.json()
    assert (body["version"]["number"], body["version"]["kind"], body["superseded"]) == (
        1,
        "murni",
        None,
    )
    assert body["totals"]["5"] == figures(4_900_000_000, 721_000_000, "14.71")


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("citizen", 403), ("other_officer", 403), ("operator", 403), ("inspector", 403)],
)
def test_import_permissions(request, client, staff_client, agencies, who, status):
    if who is not None:
        client = staff_client(request.getfixturevalue(who))

    response = upload(client, budget_csv(small_budget()), year=last_year())

    assert response.status_code == status
    assert BudgetVersion.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_year_status_endpoint(staff_client, imported, admin_user, other_officer):
    denied = staff_client(other_officer).post(
        f"{BASE}/years/2026/status", {"status": "closed"}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert BudgetYear.objects.get().status == "open"

    response = staff_client(admin_user).post(
        f"{BASE}/years/2026/status",
        {"status": "closed", "reason": "tutup buku"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    again = staff_client(admin_user).post(
        f"{BASE}/years/2026/status", {"status": "closed"}, content_type="application/json"
    )
    assert again.status_code == 409


def test_list_query_count(client, imported, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(f"{BASE}/years").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"{BASE}/years/2026/spending", {"opd": "DINKES"}).status_code == 200
