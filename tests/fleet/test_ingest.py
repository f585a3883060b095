"""Position ingest: batches, duplicates stored once, the latest position only moving forward,
and every bad message quarantined with its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terang.core.errors import ValidationFailed
from terang.core.models import AuditEntry
from terang.fleet import services
from terang.fleet.models import LatestPosition, Position, QuarantinedPosition

from .conftest import BASE, LAT, LON, as_json, at, fix, ingest, moved

pytestmark = pytest.mark.django_db


def test_single_fix_is_stored_with_speed_and_heading(truck) -> None:
    result = ingest(truck, as_json(fix(0, speed=12.5, heading=270)))
    assert (result.stored, result.duplicates, result.quarantined) == (1, 0, 0)
    position = Position.objects.get()
    assert (position.ts, position.latitude, position.longitude) == (BASE, LAT, LON)
    assert (position.speed_kmh, position.heading_deg) == (12.5, 270.0)


def test_list_and_positions_object_batches_are_accepted(truck) -> None:
    first = ingest(truck, as_json([fix(0), fix(1)]))
    second = ingest(truck, as_json({"positions": [fix(2), fix(3), fix(4)]}))
    assert (first.stored, second.stored) == (2, 3)
    assert Position.objects.count() == 5


def test_duplicates_in_a_batch_and_across_batches_are_stored_once(truck) -> None:
    first = ingest(truck, as_json([fix(0), fix(1), fix(1, north=5)]))
    again = ingest(truck, as_json([fix(0), fix(1), fix(2)]))
    assert (first.stored, first.duplicates) == (2, 1)
    assert (again.stored, again.duplicates) == (1, 2)
    assert sorted(Position.objects.values_list("ts", flat=True)) == [at(0), at(1), at(2)]


def test_same_instant_in_another_offset_is_the_same_fix(truck) -> None:
    wib = dt.timezone(dt.timedelta(hours=7))
    ingest(truck, as_json(fix(0)))
    result = ingest(truck, as_json({"ts": BASE.astimezone(wib).isoformat(), "lat": 1, "lon": 1}))
    assert (result.stored, result.duplicates) == (0, 1)


def test_latest_position_moves_forward_only(truck) -> None:
    ingest(truck, as_json([fix(5, north=100, speed=20)]))
    late = ingest(truck, as_json([fix(1, north=10, speed=20)]))
    assert late.stored == 1
    latest = LatestPosition.objects.get(vehicle=truck)
    assert latest.ts == at(5)
    assert latest.latitude == moved(100)[0]
    ingest(truck, as_json([fix(6, north=200, speed=20)]))
    latest.refresh_from_db()
    assert (latest.ts, latest.latitude, latest.speed_kmh) == (at(6), moved(200)[0], 20.0)


@pytest.mark.parametrize(
    ("payload", "reason", "detail"),
    [
        (b'{"ts": "2025-03-10T01:00:00Z", "lat": -6.2', "malformed_json", None),
        (b'"just a string"', "malformed_json", "payload must be an object or a list"),
        (b"[]", "missing_field", "empty batch"),
        (as_json({"lat": LAT, "lon": LON}), "missing_field", "missing ts"),
        (as_json({"ts": BASE.isoformat()}), "missing_field", "missing lat, lon"),
        (as_json(fix(lat=-91)), "out_of_range", "lat -91.0 outside [-90, 90]"),
        (as_json(fix(lon=180.5)), "out_of_range", "lon 180.5 outside [-180, 180]"),
        (as_json(fix(lat=0, lon=0)), "out_of_range", "lat/lon 0,0 (no GPS fix)"),
        (as_json(fix(speed=-1)), "out_of_range", "speed -1.0 outside [0, 300]"),
        (as_json(fix(heading=361)), "out_of_range", "heading 361.0 outside [0, 360]"),
        (as_json(fix(lat="-6.2")), "not_a_number", "lat must be a number"),
        (as_json(fix(speed=True)), "not_a_number", "speed must be a number"),
        (as_json(fix(ts="yesterday")), "bad_timestamp", "ts is not ISO-8601"),
        (as_json(fix(ts="2025-03-10T01:00:00")), "bad_timestamp", "ts has no time zone"),
        (as_json(fix(ts=1741568400)), "bad_timestamp", "ts must be an ISO-8601 string"),
        (as_json([1, 2]), "malformed_json", "position must be an object"),
    ],
)
def test_bad_message_is_quarantined_with_its_reason(truck, payload, reason, detail) -> None:
    result = ingest(truck, payload)
    assert (result.stored, result.duplicates) == (0, 0)
    assert result.quarantined == (2 if payload == as_json([1, 2]) else 1)
    assert set(result.reasons) == {reason}
    row = QuarantinedPosition.objects.first()
    assert (row.reason, row.vehicle_code) == (reason, "truk-01")
    if detail is not None:
        assert row.detail == detail
    assert Position.objects.count() == 0
    assert not LatestPosition.objects.exists()


def test_future_timestamp_beyond_the_skew_is_rejected_and_within_it_accepted(truck) -> None:
    now = timezone.now()
    late = {"ts": (now + dt.timedelta(minutes=6)).isoformat(), "lat": LAT, "lon": LON}
    skew = {"ts": (now + dt.timedelta(minutes=4)).isoformat(), "lat": LAT, "lon": LON}
    result = ingest(truck, as_json([late, skew]))
    assert (result.stored, result.quarantined) == (1, 1)
    assert [(r.index, r.reason, r.detail) for r in result.rejected] == [
        (0, "bad_timestamp", "ts is in the future")
    ]


def test_a_bad_fix_in_a_batch_does_not_stop_the_good_ones(truck) -> None:
    result = ingest(truck, as_json([fix(0), fix(1, lat=95), fix(2)]))
    assert (result.stored, result.quarantined) == (2, 1)
    assert [(r.index, r.reason) for r in result.rejected] == [(1, "out_of_range")]
    assert QuarantinedPosition.objects.get().payload.startswith('{"ts": "2025-03-10T01:01:00')


def test_unknown_inactive_and_missing_vehicles_are_quarantined(truck) -> None:
    truck.is_active = False
    truck.save(update_fields=["is_active"])
    result = services.ingest_messages(
        [
            services.PositionMessage("truk-01", as_json(fix(0)), "terang/fleet/truk-01"),
            services.PositionMessage("hantu", as_json(fix(0)), "terang/fleet/hantu"),
            services.PositionMessage("", as_json(fix(0)), "terang/fleet/a/b"),
        ]
    )
    assert dict(result.reasons) == {"unknown_vehicle": 2, "bad_topic": 1}
    assert list(
        QuarantinedPosition.objects.order_by("id").values_list("vehicle_code", "topic", "reason")
    ) == [
        ("truk-01", "terang/fleet/truk-01", "unknown_vehicle"),
        ("hantu", "terang/fleet/hantu", "unknown_vehicle"),
        ("", "terang/fleet/a/b", "bad_topic"),
    ]
    assert Position.objects.count() == 0


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("terang/fleet/truk-01", "truk-01"),
        ("terang/fleet/", None),
        ("terang/fleet/truk-01/extra", None),
        ("terang/sensors/aqms/pm25", None),
    ],
)
def test_parse_topic(topic: str, expected: str | None) -> None:
    assert services.parse_topic(topic) == expected


def test_token_authenticates_only_its_active_vehicle(truck, patrol) -> None:
    token = services.issue_vehicle_token(vehicle=truck)
    assert services.authenticate_vehicle(vehicle_code="truk-01", token=token) == truck
    for code, candidate in (("patroli-01", token), ("truk-01", token + "0"), ("truk-01", "")):
        with pytest.raises(services.VehicleNotAuthenticated):
            services.authenticate_vehicle(vehicle_code=code, token=candidate)
    assert AuditEntry.objects.filter(action="fleet.vehicle_token_issued").count() == 1


def test_route_points_are_validated(dlh) -> None:
    route = services.save_route(code="r1", name="Rute 1", points=[[LAT, LON], [-6.3, 106.7]])
    assert (route.min_lat, route.max_lat, route.min_lon, route.max_lon) == (
        -6.3,
        LAT,
        LON,
        106.7,
    )
    for bad in ([], [[LAT]], [[LAT, "106"]], [[91, LON]], "abc", [[True, LON]]):
        with pytest.raises(ValidationFailed):
            services.save_route(code="r2", name="Rute 2", points=bad)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["fleet.route_created"]
