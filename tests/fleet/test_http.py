"""HTTP ingest with the vehicle token, and the staff JSON reads with their permission matrix."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from terang.core.choices import Role
from terang.fleet import services
from terang.fleet.models import LatestPosition, Position, QuarantinedPosition
from tests.factories import login_verified, make_staff

from .conftest import BASE, LAT, LON, as_json, fix, ingest, moved

pytestmark = pytest.mark.django_db
URL = "/api/v1/fleet/truk-01/positions"
UNAUTHORIZED = {
    "error": {
        "code": "invalid_vehicle_token",
        "message": "Token kendaraan tidak valid.",
        "details": {},
    }
}


@pytest.fixture
def token(truck) -> str:  # type: ignore[no-untyped-def]
    return services.issue_vehicle_token(vehicle=truck)


def post(client: Client, url: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", headers=headers)


def test_bearer_token_stores_fixes(client: Client, token: str) -> None:
    response = post(client, URL, [fix(0), fix(1), fix(1)], Authorization=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == {"stored": 2, "duplicates": 1, "quarantined": 0, "rejected": []}
    assert LatestPosition.objects.get().ts == BASE + dt.timedelta(minutes=1)


def test_vehicle_token_header_and_rejections_listed(client: Client, token: str) -> None:
    response = post(
        client, URL, {"positions": [fix(0), fix(1, lat=99)]}, **{"X-Vehicle-Token": token}
    )
    assert response.json() == {
        "stored": 1,
        "duplicates": 0,
        "quarantined": 1,
        "rejected": [
            {"index": 1, "reason": "out_of_range", "detail": "lat 99.0 outside [-90, 90]"}
        ],
    }


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        (URL, {}),
        (URL, {"Authorization": "Bearer wrong"}),
        (URL, {"Authorization": "Basic abc"}),
        ("/api/v1/fleet/patroli-01/positions", "token-of-truk-01"),
        ("/api/v1/fleet/hantu/positions", "token-of-truk-01"),
    ],
)
def test_missing_or_wrong_token_is_401_and_stores_nothing(
    client, token, patrol, url, headers
) -> None:  # type: ignore[no-untyped-def]
    if headers == "token-of-truk-01":
        headers = {"Authorization": f"Bearer {token}"}
    response = post(client, url, fix(0), **headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert Position.objects.count() == 0
    assert QuarantinedPosition.objects.count() == 0


def test_reissued_token_replaces_the_old_one(client: Client, truck, token: str) -> None:  # type: ignore[no-untyped-def]
    fresh = services.issue_vehicle_token(vehicle=truck)
    assert post(client, URL, fix(0), Authorization=f"Bearer {token}").status_code == 401
    assert post(client, URL, fix(0), Authorization=f"Bearer {fresh}").status_code == 200


def test_malformed_body_is_quarantined_not_an_error(client: Client, token: str) -> None:
    response = post(client, URL, b"{nope", Authorization=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["rejected"][0]["reason"] == "malformed_json"


# --- staff reads ---------------------------------------------------------------------------


@pytest.fixture
def fleet_data(truck, patrol, dlh):  # type: ignore[no-untyped-def]
    ingest(truck, as_json([fix(0, speed=0), fix(10, speed=0), fix(20, speed=0)]))
    ingest(patrol, as_json([fix(0, north=500, speed=30)]))
    services.save_route(
        code="rute-dlh",
        name="Rute DLH",
        agency=dlh,
        vehicle=truck,
        points=[[LAT, LON], list(moved(north_m=500))],
    )


def _user(kind: str, dlh, dishub):  # type: ignore[no-untyped-def]
    if kind == "anonymous":
        return None
    if kind == "citizen":
        return make_staff(Role.CITIZEN, with_device=False)
    if kind == "officer_dlh":
        return make_staff(Role.OFFICER, agency=dlh)
    if kind == "head_dishub":
        return make_staff(Role.AGENCY_HEAD, agency=dishub)
    return make_staff(kind)


MATRIX = [
    ("anonymous", 401, None),
    ("citizen", 403, None),
    (Role.INSPECTORATE, 403, None),
    ("officer_dlh", 200, ["truk-01"]),
    ("head_dishub", 200, ["patroli-01"]),
    (Role.OPERATOR, 200, ["patroli-01", "truk-01"]),
    (Role.ADMIN, 200, ["patroli-01", "truk-01"]),
]


@pytest.mark.parametrize(("kind", "status", "codes"), MATRIX)
def test_last_positions_permission_matrix(
    client, fleet_data, dlh, dishub, kind, status, codes
) -> None:  # type: ignore[no-untyped-def]
    user = _user(kind, dlh, dishub)
    if user is not None:
        login_verified(client, user)
    response = client.get("/api/v1/fleet/positions")
    assert response.status_code == status
    if codes is None:
        assert set(response.json()) == {"error"}
        return
    assert [item["vehicle"] for item in response.json()["items"]] == codes


def test_last_positions_shape(client, fleet_data) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.OPERATOR))
    items = {i["vehicle"]: i for i in client.get("/api/v1/fleet/positions").json()["items"]}
    truck = items["truk-01"]
    assert truck["state"] == "silent"  # the fixtures are from March 2025
    assert truck["ts"] == "2025-03-10T01:20:00Z"
    assert (truck["lat"], truck["lon"], truck["speed"]) == (LAT, LON, 0.0)
    assert truck["agency"] == {"code": "DLH", "short_name": "DLH"}
    assert truck["idle_since"] is None
    assert truck["age_seconds"] > 0


def test_trail_and_idle_periods_of_a_day(client, fleet_data, dlh) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.OFFICER, agency=dlh))
    body = client.get("/api/v1/fleet/vehicles/truk-01/trail?day=2025-03-10").json()
    assert body["vehicle"] == "truk-01"
    assert body["day"] == "2025-03-10"
    assert [p["ts"] for p in body["positions"]] == [
        "2025-03-10T01:00:00Z",
        "2025-03-10T01:10:00Z",
        "2025-03-10T01:20:00Z",
    ]
    assert body["idle_periods"] == [
        {
            "started_at": "2025-03-10T01:00:00Z",
            "ended_at": "2025-03-10T01:20:00Z",
            "minutes": 20.0,
            "lat": LAT,
            "lon": LON,
        }
    ]
    other_day = client.get("/api/v1/fleet/vehicles/truk-01/trail?day=2025-03-11").json()
    assert (other_day["positions"], other_day["idle_periods"]) == ([], [])


def test_other_agencys_vehicle_and_route_are_not_found(client, fleet_data, dishub) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.OFFICER, agency=dishub))
    for url in (
        "/api/v1/fleet/vehicles/truk-01/trail",
        "/api/v1/fleet/routes/rute-dlh/coverage",
        "/api/v1/fleet/vehicles/tidak-ada/trail",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_route_coverage_endpoint(client, fleet_data) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.ADMIN))
    body = client.get("/api/v1/fleet/routes/rute-dlh/coverage?day=2025-03-10").json()
    assert body == {
        "route": "rute-dlh",
        "name": "Rute DLH",
        "day": "2025-03-10",
        "vehicle": "truk-01",
        "total": 2,
        "passed": 1,
        "percent": 50.0,
        "points": [
            {"lat": LAT, "lon": LON, "covered": True},
            {"lat": moved(north_m=500)[0], "lon": LON, "covered": False},
        ],
    }


def test_bad_day_is_a_validation_error(client, fleet_data) -> None:  # type: ignore[no-untyped-def]
    login_verified(client, make_staff(Role.OPERATOR))
    response = client.get("/api/v1/fleet/routes/rute-dlh/coverage?day=kemarin")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_last_positions_query_count_does_not_grow_with_the_fleet(client, fleet_data, dlh) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_verified(client, make_staff(Role.OPERATOR))
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/fleet/positions").status_code == 200
    for n in range(5):
        vehicle = services.register_vehicle(code=f"truk-x{n}", kind="garbage_truck", agency=dlh)
        ingest(vehicle, as_json([fix(n)]))
    with CaptureQueriesContext(connection) as large:
        body = client.get("/api/v1/fleet/positions").json()
    assert len(body["items"]) == 7
    assert len(large) == len(small) <= 6
