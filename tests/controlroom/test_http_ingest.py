from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test import Client

from terang.controlroom.models import QuarantinedMessage, Reading
from terang.controlroom.partitions import partition_name
from terang.controlroom.sensors.services import ingest_readings, issue_station_token

from .ingest_fixtures import BASE_TS, make_station, reading

pytestmark = pytest.mark.django_db

URL = "/api/v1/sensors/aqms-01/pm25/readings"
MIXED_URL = "/api/v1/sensors/aqms-01/readings"


@pytest.fixture
def token() -> str:
    return issue_station_token(station=make_station())


def post(client: Client, url: str, body: object, **headers: str):  # type: ignore[no-untyped-def]
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", headers=headers)


def test_bearer_token_stores_reading(client: Client, token: str) -> None:
    response = post(client, URL, reading(), Authorization=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == {"stored": 1, "duplicates": 0, "quarantined": 0, "rejected": []}
    assert Reading.objects.get().ts == BASE_TS


def test_station_token_header_and_batch_with_duplicate(client: Client, token: str) -> None:
    batch = [reading(0), reading(1), reading(1)]
    response = post(client, URL, batch, **{"X-Station-Token": token})
    assert response.json() == {"stored": 2, "duplicates": 1, "quarantined": 0, "rejected": []}
    assert Reading.objects.count() == 2


def test_mixed_parameters_each_reading_names_its_parameter(client: Client, token: str) -> None:
    batch = [
        reading(0, parameter="pm25"),
        {"parameter": "pm10", "ts": "2025-03-10T08:00:00Z", "value": 80, "unit": "ug/m3"},
        reading(0),
    ]
    response = post(client, MIXED_URL, {"readings": batch}, Authorization=f"Bearer {token}")
    body = response.json()
    assert (body["stored"], body["quarantined"]) == (2, 1)
    assert body["rejected"] == [
        {"index": 2, "reason": "unknown_parameter", "detail": "parameter ''"}
    ]
    assert sorted(Reading.objects.values_list("parameter__code", flat=True)) == ["pm10", "pm25"]


def test_bad_payload_is_reported_and_quarantined(client: Client, token: str) -> None:
    response = post(client, URL, b"{oops", Authorization=f"Bearer {token}")
    assert response.status_code == 200
    body = response.json()
    assert (body["stored"], body["quarantined"]) == (0, 1)
    assert body["rejected"][0]["reason"] == "malformed_json"
    assert QuarantinedMessage.objects.get().payload == "{oops"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"X-Station-Token": "wrong"},
        {"Authorization": "Basic abc"},
    ],
)
def test_missing_or_wrong_token_is_401_and_stores_nothing(
    client: Client, token: str, headers: dict[str, str]
) -> None:
    response = post(client, URL, reading(), **headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_station_token"
    assert Reading.objects.count() == 0
    assert QuarantinedMessage.objects.count() == 0


def test_token_of_another_station_is_refused(client: Client, token: str) -> None:
    other = issue_station_token(station=make_station("aqms-02"))
    response = post(client, URL, reading(), Authorization=f"Bearer {other}")
    assert response.status_code == 401
    assert Reading.objects.count() == 0


def test_inactive_station_is_refused(client: Client, token: str) -> None:
    from terang.controlroom.models import Station

    Station.objects.filter(code="aqms-01").update(is_active=False)
    response = post(client, URL, reading(), Authorization=f"Bearer {token}")
    assert response.status_code == 401
    assert Reading.objects.count() == 0


@pytest.mark.postgres
def test_readings_table_is_partitioned_by_month() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT partstrat FROM pg_partitioned_table "
            "WHERE partrelid = 'controlroom_reading'::regclass"
        )
        assert cursor.fetchone() == ("r",)
        cursor.execute(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'controlroom_reading'::regclass"
        )
        assert cursor.fetchone()[0] >= 17  # 13 back + current + 3 ahead + DEFAULT


@pytest.mark.postgres
def test_reading_lands_in_its_month_partition() -> None:
    station = make_station()
    ts = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    ingest_readings(
        station=station,
        parameter_code="pm25",
        payload={"ts": ts.isoformat(), "value": 12, "unit": "ug/m3"},
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM controlroom_reading")
        assert cursor.fetchone()[0] == partition_name(ts.date().replace(day=1))


@pytest.mark.postgres
def test_ensure_partitions_is_idempotent_and_creates_future_months() -> None:
    from terang.controlroom.partitions import ensure_reading_partitions

    assert ensure_reading_partitions(months_ahead=3) == []
    created = ensure_reading_partitions(months_ahead=5)
    assert len(created) == 2
    assert ensure_reading_partitions(months_ahead=5) == []
