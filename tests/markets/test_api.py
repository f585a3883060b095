"""/api/v1/markets: public reads and staff writes, with the shared error shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from terang.markets.models import DailyPrice, PriceAlert
from terang.markets.services import evaluate_commodities

from .helpers import put_prices

pytestmark = pytest.mark.django_db

BASE = "/api/v1/markets"


@pytest.fixture
def priced(panel, pasar_baru, pasar_lama, beras, today):
    end = today - dt.timedelta(days=1)
    put_prices(pasar_baru, beras, [13000] + [None] * 6 + [14000], end=end)
    put_prices(pasar_lama, beras, [13400] + [None] * 6 + [14600], end=end)
    return end


def test_latest_prices_shape(client, priced):
    response = client.get(f"{BASE}/prices")

    assert response.status_code == 200
    body = response.json()
    assert body["market"] is None
    assert [item["commodity"]["code"] for item in body["items"]] == [
        "beras-medium",
        "cabai-merah-keriting",
        "minyak-goreng-curah",
    ]
    assert body["items"][0] == {
        "commodity": {"code": "beras-medium", "name": "Beras medium", "unit": "kg"},
        "date": priced.isoformat(),
        "average": 14300,
        "minimum": 14000,
        "minimum_markets": ["Pasar Baru"],
        "maximum": 14600,
        "maximum_markets": ["Pasar Lama"],
        "markets_reporting": 2,
        "previous_date": (priced - dt.timedelta(days=7)).isoformat(),
        "previous_average": 13200,
        "change_share": "0.0833",
        "direction": "up",
    }
    assert body["items"][2]["date"] is None


def test_latest_prices_of_one_market(client, priced):
    body = client.get(f"{BASE}/prices", {"market": "pasar-lama"}).json()

    assert body["market"]["code"] == "pasar-lama"
    assert body["items"][0]["average"] == 14600


def test_unknown_market_is_404_in_the_shared_shape(client, priced):
    response = client.get(f"{BASE}/prices", {"market": "pasar-x"})

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": "Pasar tidak ditemukan.",
            "details": {"market": "pasar-x"},
        }
    }


def test_series_shape(client, priced):
    response = client.get(f"{BASE}/prices/beras-medium", {"days": 30})

    assert response.status_code == 200
    body = response.json()
    assert (body["days"], body["end"], body["start"]) == (
        30,
        priced.isoformat(),
        (priced - dt.timedelta(days=29)).isoformat(),
    )
    assert body["points"] == [
        {
            "date": (priced - dt.timedelta(days=7)).isoformat(),
            "average": 13200,
            "minimum": 13000,
            "maximum": 13400,
            "markets": 2,
        },
        {
            "date": priced.isoformat(),
            "average": 14300,
            "minimum": 14000,
            "maximum": 14600,
            "markets": 2,
        },
    ]


def test_series_of_unknown_commodity_is_404(client, panel):
    response = client.get(f"{BASE}/prices/kangkung")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("days", [0, 367, "abc"])
def test_series_days_out_of_range_is_422(client, panel, days):
    response = client.get(f"{BASE}/prices/beras-medium", {"days": days})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_markets_and_commodities(client, panel):
    markets = client.get(BASE).json()
    commodities = client.get(f"{BASE}/commodities").json()

    assert [m["code"] for m in markets] == ["pasar-baru", "pasar-lama"]
    assert markets[0] == {
        "code": "pasar-baru",
        "name": "Pasar Baru",
        "kelurahan": None,
        "latitude": -6.2,
        "longitude": 106.62,
    }
    assert commodities[2] == {
        "code": "minyak-goreng-curah",
        "name": "Minyak goreng curah",
        "unit": "liter",
    }


def post_price(client, today, market="pasar-baru"):
    return client.post(
        f"{BASE}/prices",
        {"market": market, "commodity": "beras-medium", "date": today.isoformat(), "price": 13500},
        content_type="application/json",
    )


def test_officer_records_a_price(staff_client, panel, officer, today):
    response = post_price(staff_client(officer), today)

    assert response.status_code == 200
    assert response.json() == {
        "market": "pasar-baru",
        "commodity": "beras-medium",
        "date": today.isoformat(),
        "price": 13500,
        "source": "manual",
    }


def test_anonymous_cannot_record(client, panel, today):
    response = post_price(client, today)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert DailyPrice.objects.count() == 0


def test_officer_of_another_agency_is_403_and_nothing_saved(
    staff_client, panel, other_officer, today
):
    response = post_price(staff_client(other_officer), today)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert DailyPrice.objects.count() == 0


def test_import_rejection_lists_lines(staff_client, panel, officer, today):
    text = (
        "tanggal,pasar,komoditas,harga\n"
        f"{today.isoformat()},pasar-baru,beras-medium,13500\n"
        f"{today.isoformat()},pasar-baru,beras-medium,13600\n"
    )
    response = staff_client(officer).post(
        f"{BASE}/imports", {"file": SimpleUploadedFile("h.csv", text.encode())}
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "price_import_invalid"
    assert [(e["line"], e["column"]) for e in error["details"]["errors"]] == [(3, "")]
    assert DailyPrice.objects.count() == 0


def test_import_success(staff_client, panel, officer, today):
    text = f"tanggal,pasar,komoditas,harga\n{today.isoformat()},pasar-baru,beras-medium,13500\n"
    response = staff_client(officer).post(
        f"{BASE}/imports", {"file": SimpleUploadedFile("h.csv", text.encode())}
    )

    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("file_name", "row_count", "created_count", "alerts")} == {
        "file_name": "h.csv",
        "row_count": 1,
        "created_count": 1,
        "alerts": 0,
    }


def test_alerts_list_and_acknowledge(staff_client, panel, pasar_baru, beras, operator, today):
    put_prices(pasar_baru, beras, [10000] * 7 + [11500] * 7, end=today)
    evaluate_commodities([beras])
    client = staff_client(operator)

    listed = client.get(f"{BASE}/alerts", {"status": "active"}).json()
    assert sorted((a["market"] or {}).get("code", "") for a in listed) == ["", "pasar-baru"]
    assert {a["rise_share"] for a in listed} == {"0.1500"}

    alert_id = PriceAlert.objects.get(market=pasar_baru).pk
    response = client.post(f"{BASE}/alerts/{alert_id}/acknowledge")
    assert (response.status_code, response.json()["status"]) == (200, "acknowledged")
    again = client.post(f"{BASE}/alerts/{alert_id}/acknowledge")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "invalid_transition")

    resolved = client.post(
        f"{BASE}/alerts/{alert_id}/resolve", {"note": "Selesai"}, content_type="application/json"
    )
    assert resolved.json()["status"] == "resolved"


def test_alert_of_another_scope_is_404(
    staff_client, panel, pasar_baru, beras, other_officer, today
):
    put_prices(pasar_baru, beras, [10000] * 7 + [11500] * 7, end=today)
    evaluate_commodities([beras])
    alert = PriceAlert.objects.get(market=pasar_baru)

    response = staff_client(other_officer).post(f"{BASE}/alerts/{alert.pk}/acknowledge")

    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.status == "open"


def test_latest_prices_take_a_fixed_number_of_queries(
    client, priced, pasar_lama, cabai, minyak, django_assert_max_num_queries, today
):
    put_prices(pasar_lama, cabai, [40000] * 30, end=today)
    put_prices(pasar_lama, minyak, [16000] * 30, end=today)

    with django_assert_max_num_queries(3):
        response = client.get(f"{BASE}/prices")

    assert response.status_code == 200


def test_series_takes_a_fixed_number_of_queries(client, priced, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(f"{BASE}/prices/beras-medium", {"days": 60})

    assert response.status_code == 200
