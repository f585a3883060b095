"""Staff pages under /staf/harga-pasar/: who may open them, the entry grid, the CSV import
report, and the alert list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terang.core.models import AuditEntry
from terang.markets.models import DailyPrice, ImportBatch, PriceAlert

from .helpers import put_prices

pytestmark = pytest.mark.django_db

ENTRY = "/staf/harga-pasar/"
IMPORT = "/staf/harga-pasar/impor/"
ALERTS = "/staf/harga-pasar/peringatan/"


@pytest.mark.parametrize(
    ("who", "entry", "alerts"),
    [
        ("citizen", 403, 403),
        ("other_officer", 403, 403),
        ("operator", 403, 200),
        ("inspector", 403, 403),
        ("officer", 200, 200),
        ("head", 200, 200),
        ("admin_user", 200, 200),
    ],
)
def test_permission_matrix(request, panel, staff_client, who, entry, alerts):
    client = staff_client(request.getfixturevalue(who))

    assert client.get(ENTRY).status_code == entry
    assert client.get(IMPORT).status_code == entry
    assert client.get(ALERTS).status_code == alerts


def test_anonymous_is_sent_to_login(client, panel):
    for url in (ENTRY, IMPORT, ALERTS):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/masuk/?next=/staf/harga-pasar/")


def test_grid_shows_the_days_prices_and_saves_a_correction(
    staff_client, panel, officer, pasar_baru, beras, cabai, today
):
    day = today - dt.timedelta(days=1)
    put_prices(pasar_baru, beras, [13000], end=day)
    client = staff_client(officer)
    query = {"pasar": "pasar-baru", "tanggal": day.isoformat()}

    page = client.get(ENTRY, query)
    assert page.status_code == 200
    assert 'name="harga_beras-medium" value="13000"' in page.content.decode()

    response = client.post(
        ENTRY,
        {**query, "harga_beras-medium": "13.500", "harga_cabai-merah-keriting": "45000"},
        follow=True,
    )

    assert response.status_code == 200
    prices = DailyPrice.objects.filter(market=pasar_baru, date=day)
    assert dict(prices.values_list("commodity__code", "price")) == {
        "beras-medium": 13500,
        "cabai-merah-keriting": 45000,
    }
    assert "1 harga baru, 1 dikoreksi, 0 tidak berubah" in response.content.decode()


def test_grid_error_saves_nothing(staff_client, panel, officer, pasar_baru, today):
    client = staff_client(officer)

    response = client.post(
        ENTRY,
        {
            "pasar": "pasar-baru",
            "tanggal": today.isoformat(),
            "harga_beras-medium": "13500",
            "harga_cabai-merah-keriting": "empat puluh",
        },
    )

    assert response.status_code == 422
    assert "Tulis harga dalam rupiah" in response.content.decode()
    assert DailyPrice.objects.count() == 0


def test_implausible_price_is_shown_next_to_its_field(
    staff_client, panel, officer, pasar_baru, today
):
    client = staff_client(officer)

    response = client.post(
        ENTRY,
        {"pasar": "pasar-baru", "tanggal": today.isoformat(), "harga_beras-medium": "50"},
    )

    assert response.status_code == 422
    assert response.context["grid"].errors["harga_beras-medium"] == [
        "Harga harus antara 100 dan 10.000.000 rupiah."
    ]
    assert DailyPrice.objects.count() == 0


def test_officer_cannot_post_to_another_agencys_market(
    staff_client, panel, pasar_lain, officer, today
):
    client = staff_client(officer)

    response = client.post(
        ENTRY, {"pasar": "pasar-lain", "tanggal": today.isoformat(), "harga_beras-medium": "13500"}
    )

    assert response.status_code == 422
    assert DailyPrice.objects.count() == 0


def upload(text: str, name: str = "harga.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_import_failure_shows_every_problem_by_line(staff_client, panel, officer, today):
    day = today.isoformat()
    text = (
        "tanggal,pasar,komoditas,harga\n"
        f"{day},pasar-baru,beras-medium,13500\n"
        f"{day},pasar-baru,cabai-merah-keriting,abc\n"
        f"{day},pasar-x,beras-medium,13500\n"
    )
    audit_before = AuditEntry.objects.count()

    response = staff_client(officer).post(IMPORT, {"berkas": upload(text)})

    html = response.content.decode()
    assert response.status_code == 422
    assert [(p.line, p.column) for p in response.context["problems"]] == [
        (3, "harga"),
        (4, "pasar"),
    ]
    assert "Berkas ditolak, tidak ada harga yang disimpan" in html
    assert '<th scope="row">3</th>' in html and '<th scope="row">4</th>' in html
    assert DailyPrice.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_import_success_shows_a_summary(staff_client, panel, officer, today):
    text = f"tanggal,pasar,komoditas,harga\n{today.isoformat()},pasar-baru,beras-medium,13500\n"

    response = staff_client(officer).post(IMPORT, {"berkas": upload(text, "senin.csv")})

    assert response.status_code == 200
    assert "Berkas senin.csv diimpor: 1 baris, 1 harga baru" in response.content.decode()
    assert DailyPrice.objects.get().price == 13500


def test_import_refuses_another_agencys_officer(staff_client, panel, other_officer, today):
    text = f"tanggal,pasar,komoditas,harga\n{today.isoformat()},pasar-baru,beras-medium,13500\n"

    response = staff_client(other_officer).post(IMPORT, {"berkas": upload(text)})

    assert response.status_code == 403
    assert DailyPrice.objects.count() == 0


@pytest.fixture
def alert(panel, pasar_baru, beras, today) -> PriceAlert:
    from terang.markets.services import evaluate_commodities

    put_prices(pasar_baru, beras, [10000] * 7 + [12000] * 7, end=today)
    evaluate_commodities([beras])
    return PriceAlert.objects.get(market=pasar_baru)


def test_alert_list_acknowledge_and_resolve(staff_client, alert, officer):
    client = staff_client(officer)

    page = client.get(ALERTS)
    assert [a.pk for a in page.context["alerts"]] == [
        a.pk for a in PriceAlert.objects.order_by("-last_raised_at", "-id")
    ]
    assert "Beras medium" in page.content.decode()

    client.post(f"{ALERTS}{alert.pk}/tangani/")
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", officer)

    client.post(f"{ALERTS}{alert.pk}/selesai/", {"catatan": "Pasokan sudah normal."})
    alert.refresh_from_db()
    assert (alert.status, alert.resolution_note) == ("resolved", "Pasokan sudah normal.")
    resolved = client.get(ALERTS, {"status": "resolved"})
    assert [a.pk for a in resolved.context["alerts"]] == [alert.pk]


def test_alert_action_of_an_outsider_changes_nothing(
    staff_client, alert, pasar_lain, other_officer
):
    response = staff_client(other_officer).post(f"{ALERTS}{alert.pk}/tangani/")

    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"


def test_import_that_raises_alerts_says_so(staff_client, panel, officer, pasar_baru, beras, today):
    put_prices(pasar_baru, beras, [10000] * 7 + [12000] * 6, end=today - dt.timedelta(days=1))
    text = f"tanggal,pasar,komoditas,harga\n{today.isoformat()},pasar-baru,beras-medium,12000\n"

    response = staff_client(officer).post(IMPORT, {"berkas": upload(text)})

    html = response.content.decode()
    assert "2 peringatan harga dibuka atau diperbarui." in html
    assert 'href="/staf/harga-pasar/peringatan/"' in html
