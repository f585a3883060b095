"""Public air-quality API: latest ISPU per station and a station's hourly series, with the
bounded range and the shared error shape."""

from __future__ import annotations

import datetime as dt

import pytest

from terang.controlroom.air.publication import publish_hours

from .air_helpers import HOUR, add_readings, air_station, current_hour, flat_day, hourly

pytestmark = pytest.mark.django_db

API = "/api/v1/air"
SEDANG = {
    "code": "sedang",
    "name": "Sedang",
    "colour": "#0000cc",
    "text_colour": "#ffffff",
    "health_message": "Kualitas udara masih dapat diterima; kelompok sensitif sebaiknya "
    "mengurangi aktivitas berat di luar ruangan.",
}


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def published_station(code: str = "aqms-01", hours: int = 1):
    last = current_hour()
    station = air_station(code, parameters=("pm25", "pm10"))
    flat_day(station, "pm25", 30.0, end=last, hours=24 + hours)
    publish_hours(last_hour_end=last, hours=hours)
    return station


def test_stations_lists_latest_ispu_with_dominant_pollutant(client):
    published_station()
    air_station("aqms-02", parameters=("pm25",))
    last = current_hour()

    response = client.get(f"{API}/stations")

    assert response.status_code == 200
    body = response.json()
    first, second = body["stations"]
    published_at = first["latest"].pop("published_at")
    assert published_at is not None
    assert first == {
        "station": {
            "code": "aqms-01",
            "name": "Stasiun aqms-01",
            "latitude": -6.2,
            "longitude": 106.6,
        },
        "parameters": ["pm25", "pm10"],
        "is_current": True,
        "latest": {
            "hour_end": iso(last),
            "ispu": 68,
            "category": SEDANG,
            "critical_parameter": "pm25",
            "parameters": [
                {
                    "code": "pm25",
                    "label": "PM2.5",
                    "concentration": 30.0,
                    "unit": "ug/m3",
                    "averaging_hours": 24,
                    "hours_with_data": 24,
                    "ispu": 68,
                    "category": SEDANG,
                }
            ],
        },
    }
    assert second == {
        "station": {
            "code": "aqms-02",
            "name": "Stasiun aqms-02",
            "latitude": -6.2,
            "longitude": 106.6,
        },
        "parameters": ["pm25"],
        "is_current": False,
        "latest": None,
    }


def test_stations_list_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(5):
        published_station(f"aqms-{n}")
    with django_assert_max_num_queries(4):
        assert client.get(f"{API}/stations").status_code == 200


def test_hourly_defaults_to_the_last_24_hours_newest_first(client):
    station = published_station(hours=2)
    last = current_hour()

    body = client.get(f"{API}/stations/{station.code}/hourly").json()

    assert (body["from"], body["to"]) == (iso(last - 23 * HOUR), iso(last))
    assert [h["hour_end"] for h in body["hours"]] == [iso(last - k * HOUR) for k in range(24)]
    assert [h["ispu"] for h in body["hours"][:3]] == [68, 68, None]
    assert body["hours"][2] == {
        "hour_end": iso(last - 2 * HOUR),
        "ispu": None,
        "category": None,
        "critical_parameter": None,
        "published_at": None,
        "parameters": [],
    }


def test_hourly_range_is_rounded_to_whole_hours(client):
    last = current_hour()
    station = air_station(parameters=("o3",))
    add_readings(station, "o3", hourly(last, [100.0, 200.0, 300.0]))
    publish_hours(last_hour_end=last, hours=3)

    start = iso(last - 2 * HOUR - dt.timedelta(minutes=30))
    end = iso(last - dt.timedelta(minutes=1))
    body = client.get(f"{API}/stations/{station.code}/hourly", {"from": start, "to": end}).json()

    assert (body["from"], body["to"]) == (iso(last - 2 * HOUR), iso(last - HOUR))
    # O3 200 -> 50 + 50 * 80 / 115 = 84.8; 300 -> 100 + 100 * 65 / 165 = 139.4
    assert [(h["ispu"], h["parameters"][0]["concentration"]) for h in body["hours"]] == [
        (85, 200.0),
        (139, 300.0),
    ]


def test_hourly_accepts_31_days(client):
    station = published_station()
    last = current_hour()

    response = client.get(
        f"{API}/stations/{station.code}/hourly",
        {"from": iso(last - dt.timedelta(days=31)), "to": iso(last)},
    )

    assert response.status_code == 200
    assert len(response.json()["hours"]) == 31 * 24 + 1


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"from": "2025-01-01T00:00:00Z", "to": "2025-02-01T01:00:00Z"}, "range_too_long"),
        ({"from": "2025-02-01T00:00:00Z", "to": "2025-01-01T00:00:00Z"}, "invalid_range"),
        ({"from": "2025-01-01T00:00:00"}, "validation_error"),
        ({"to": "kemarin"}, "validation_error"),
    ],
)
def test_hourly_rejects_bad_ranges_with_422_and_the_shared_error_shape(client, params, code):
    station = published_station()

    response = client.get(f"{API}/stations/{station.code}/hourly", params)

    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code


def test_range_too_long_says_the_limit(client):
    station = published_station()
    response = client.get(
        f"{API}/stations/{station.code}/hourly",
        {"from": "2025-01-01T00:00:00Z", "to": "2025-03-01T00:00:00Z"},
    )
    assert response.json()["error"] == {
        "code": "range_too_long",
        "message": "Rentang waktu paling lama 31 hari.",
        "details": {"max_days": 31},
    }


def test_unknown_station_is_404_not_found(client):
    response = client.get(f"{API}/stations/tidak-ada/hourly")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_air_and_alert_operations_are_documented_with_the_error_schema():
    from terang.api import api

    paths = api.get_openapi_schema()["paths"]
    expected = {
        ("get", "/api/v1/air/stations"),
        ("get", "/api/v1/air/stations/{code}/hourly"),
        ("get", "/api/v1/alerts"),
        ("get", "/api/v1/alerts/{alert_id}"),
        ("post", "/api/v1/alerts/{alert_id}/acknowledge"),
        ("post", "/api/v1/alerts/{alert_id}/resolve"),
    }
    found = {(method, path) for path, ops in paths.items() for method in ops}
    assert expected <= found
    for method, path in expected:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"], path
        errors = {code: spec for code, spec in operation["responses"].items() if int(code) >= 400}
        assert errors, path
        for spec in errors.values():
            assert spec["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }
