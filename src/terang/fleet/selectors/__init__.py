"""Reads of the fleet app: the vehicles and routes a user sees (`access`; the rules are in
`terang.fleet.permissions`), live state, trails, idle periods and route coverage (`tracking`).
What the fleet puts on the control-room wall is in `terang.fleet.wall_selectors`."""

from terang.fleet.selectors.access import (
    active_idle_alerts_for,
    get_idle_alert_for_staff,
    get_route_for_staff,
    get_vehicle_for_staff,
    routes_visible_to,
    vehicles_visible_to,
)
from terang.fleet.selectors.tracking import (
    RouteCoverage,
    VehicleNow,
    active_depots,
    city_day,
    day_bounds,
    idle_periods,
    last_positions,
    route_coverage,
    route_coverage_between,
    route_vehicle_ids,
    stops_of_day,
    trail_of_day,
    vehicle_state,
)

__all__ = [
    "active_idle_alerts_for",
    "RouteCoverage",
    "VehicleNow",
    "active_depots",
    "city_day",
    "day_bounds",
    "get_idle_alert_for_staff",
    "get_route_for_staff",
    "get_vehicle_for_staff",
    "idle_periods",
    "last_positions",
    "route_coverage",
    "route_coverage_between",
    "route_vehicle_ids",
    "routes_visible_to",
    "stops_of_day",
    "trail_of_day",
    "vehicle_state",
    "vehicles_visible_to",
]
