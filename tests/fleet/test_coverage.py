"""Route coverage: the share of a route's points that a fix of the city day came within 50 m of."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from terang.core.geo import distance_m
from terang.fleet import selectors, services
from terang.fleet.tracks import covered_points

from .conftest import LAT, LON, as_json, fix, ingest, moved

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 10)


@pytest.fixture
def square_route(dlh, truck):  # type: ignore[no-untyped-def]
    """Four points 500 m apart: A, B (500 m north), C (500 m north-east), D (500 m east)."""
    points = [
        list(moved()),
        list(moved(north_m=500)),
        list(moved(north_m=500, east_m=500)),
        list(moved(east_m=500)),
    ]
    return services.save_route(
        code="rute-uji", name="Rute Uji", points=points, agency=dlh, vehicle=truck
    )


def test_two_points_within_50_m_and_one_at_60_m_is_half_covered(truck, square_route) -> None:
    ingest(
        truck,
        as_json(
            [
                fix(0, north=-49),  # 49 m from A: covered
                fix(5, north=500, east=40),  # 40 m from B: covered
                fix(10, north=500, east=500 + 60),  # 60 m from C: not covered
                fix(15, north=250, east=500),  # halfway between C and D: neither
            ]
        ),
    )
    coverage = selectors.route_coverage(route=square_route, day=DAY)
    assert coverage.covered == [True, True, False, False]
    assert (coverage.passed, coverage.total, coverage.share, coverage.percent) == (
        2,
        4,
        0.5,
        50.0,
    )


def test_fixes_of_another_day_or_another_vehicle_do_not_count(truck, patrol, square_route) -> None:
    ingest(truck, as_json([fix(-60 * 9, north=0)]))  # 23:00 WIB the day before
    ingest(patrol, as_json([fix(0, north=500)]))  # right on B, but not the route's vehicle
    coverage = selectors.route_coverage(route=square_route, day=DAY)
    assert coverage.covered == [False, False, False, False]
    yesterday = selectors.route_coverage(route=square_route, day=DAY - dt.timedelta(days=1))
    assert yesterday.covered == [True, False, False, False]


def test_route_without_vehicle_counts_every_vehicle_of_its_agency(dlh, truck, patrol) -> None:
    other_truck = services.register_vehicle(code="truk-02", kind="garbage_truck", agency=dlh)
    route = services.save_route(
        code="rute-dlh", name="Rute DLH", agency=dlh, points=[[LAT, LON], list(moved(300))]
    )
    ingest(other_truck, as_json([fix(0)]))
    ingest(patrol, as_json([fix(0, north=300)]))
    assert selectors.route_coverage(route=route, day=DAY).covered == [True, False]


def test_grid_match_equals_the_brute_force_answer() -> None:
    rng = random.Random(7)
    points = [[LAT + rng.uniform(-0.01, 0.01), LON + rng.uniform(-0.01, 0.01)] for _ in range(300)]
    fixes = [(LAT + rng.uniform(-0.01, 0.01), LON + rng.uniform(-0.01, 0.01)) for _ in range(3000)]
    brute = [any(distance_m(p[0], p[1], f[0], f[1]) <= 50 for f in fixes) for p in points]
    assert covered_points(points, fixes) == brute
    assert 0 < sum(brute) < len(points)


def test_empty_route_and_no_fixes() -> None:
    assert covered_points([], [(LAT, LON)]) == []
    assert covered_points([[LAT, LON]], []) == [False]
