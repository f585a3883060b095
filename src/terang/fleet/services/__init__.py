"""Writes of the fleet app: the registry of vehicles, depots and routes (`registry`), position
ingest (`ingest`), the live per-vehicle state it moves forward (`tracking`) and the idle alerts
that state opens and staff handle (`alerts`)."""

from terang.fleet.services.alerts import acknowledge_idle_alert, resolve_idle_alert
from terang.fleet.services.ingest import (
    DEFAULT_TOPIC_PREFIX,
    PositionMessage,
    ingest_messages,
    ingest_positions,
    parse_topic,
)
from terang.fleet.services.registry import (
    VehicleNotAuthenticated,
    authenticate_vehicle,
    clean_route_points,
    create_depot,
    issue_vehicle_token,
    register_vehicle,
    save_route,
    set_fleet_policy,
)
from terang.fleet.services.tracking import advance_tracking, depot_areas

__all__ = [
    "DEFAULT_TOPIC_PREFIX",
    "PositionMessage",
    "VehicleNotAuthenticated",
    "acknowledge_idle_alert",
    "advance_tracking",
    "authenticate_vehicle",
    "clean_route_points",
    "create_depot",
    "depot_areas",
    "ingest_messages",
    "ingest_positions",
    "issue_vehicle_token",
    "parse_topic",
    "register_vehicle",
    "resolve_idle_alert",
    "save_route",
    "set_fleet_policy",
]
