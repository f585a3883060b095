"""The staff import page: who may open it, the line-numbered report, closing a year."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from terang.budget.models import BudgetLine, BudgetVersion, BudgetYear
from terang.core.models import AuditEntry

from .helpers import budget_csv, budget_xlsx, small_budget
from .test_import import fifty_lines

pytestmark = pytest.mark.django_db

URL = "/staf/apbd/"


def last_year() -> int:
    return timezone.localdate().year - 1


def post_file(client, data: bytes, *, name: str = "apbd.csv", kind: str = "murni"):
    return client.post(
        URL, {"tahun": last_year(), "jenis": kind, "berkas": SimpleUploadedFile(name, data)}
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("citizen", 403),
        ("other_officer", 403),
        ("operator", 403),
        ("inspector", 403),
        ("finance_officer", 200),
        ("finance_head", 200),
        ("admin_user", 200),
    ],
)
def test_permission_matrix(request, staff_client, agencies, who, status):
    client = staff_client(request.getfixturevalue(who))

    assert client.get(URL).status_code == status
    response = post_file(client, budget_csv(small_budget()))
    assert response.status_code == status
    assert BudgetVersion.objects.count() == (1 if status == 200 else 0)


def test_anonymous_is_sent_to_login(client, agencies):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/masuk" in response["Location"] or "login" in response["Location"]


def test_refused_file_shows_line_37_and_saves_nothing(staff_client, finance_officer):
    rows = fifty_lines()
    rows[35]["kode_opd"] = "BAPPEDA"

    response = post_file(staff_client(finance_officer), budget_csv(rows))

    assert response.status_code == 422
    body = response.content.decode()
    assert "Berkas ditolak, tidak ada data yang disimpan" in body
    assert '<th scope="row">37</th>' in body
    assert "<code>BAPPEDA</code>" in body
    assert (BudgetYear.objects.count(), BudgetLine.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == 0


def test_xlsx_upload_and_history(staff_client, agencies, admin_user):
    client = staff_client(admin_user)

    response = post_file(client, budget_xlsx(small_budget()), name="apbd.xlsx")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Berkas apbd.xlsx diimpor sebagai APBD murni" in body
    assert f'href="/apbd/{last_year()}/?versi=1"' in body
    assert '<th scope="row">apbd.xlsx</th>' in body


def test_apbd_p_upload_mentions_the_kept_history(staff_client, agencies, admin_user):
    client = staff_client(admin_user)
    post_file(client, budget_csv(small_budget()))
    rows = small_budget()
    rows[3]["pagu"] = 1_300_000_000
    post_file(client, budget_csv(rows), kind="perubahan")
    rows[3]["pagu"] = 1_400_000_000

    response = post_file(client, budget_csv(rows), kind="perubahan")

    assert "impor ke-3" in response.content.decode()
    assert "Impor ke-2 tetap tersimpan sebagai riwayat." in response.content.decode()
    assert BudgetVersion.objects.count() == 3


def test_conflicts_are_form_errors(staff_client, agencies, admin_user):
    client = staff_client(admin_user)

    response = post_file(client, budget_csv(small_budget()), kind="perubahan")

    assert response.status_code == 409
    assert "APBD-P hanya dapat diimpor setelah APBD murni" in response.content.decode()


def test_close_and_reopen_a_year(staff_client, agencies, admin_user, other_officer):
    post_file(staff_client(admin_user), budget_csv(small_budget()))
    url = f"/staf/apbd/{last_year()}/status/"

    denied = staff_client(other_officer).post(url, {"status": "closed"})
    assert denied.status_code == 403
    assert BudgetYear.objects.get().status == "open"

    response = staff_client(admin_user).post(url, {"status": "closed", "alasan": "tutup buku"})

    assert response.status_code == 302
    assert BudgetYear.objects.get().status == "closed"
    entry = AuditEntry.objects.filter(action="budget.year_status_changed").get()
    assert entry.payload["reason"] == "tutup buku"
    assert "Buka kembali tahun" in staff_client(admin_user).get(URL).content.decode()

    staff_client(admin_user).post(url, {"status": "open"})

    assert BudgetYear.objects.get().status == "open"
