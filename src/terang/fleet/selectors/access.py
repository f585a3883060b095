"""Which vehicles, routes and idle alerts a staff member sees (the rules are
`terang.fleet.permissions`): the whole fleet, their own agency's, or nothing (PermissionDenied).
A vehicle of another agency is reported as not found."""

from __future__ import annotations

from django.db.models import QuerySet

from terang.core.alerts import ACTIVE_STATUSES
from terang.core.errors import NotFound, PermissionDenied
from terang.core.models import User
from terang.fleet.models import IdlePeriod, Route, Vehicle
from terang.fleet.permissions import can_view_fleet, sees_whole_fleet


def _ensure_can_view(user: User) -> None:
    if not can_view_fleet(user):
        raise PermissionDenied()


def vehicles_visible_to(user: User) -> QuerySet[Vehicle]:
    """The vehicles this staff member may follow, by code."""
    _ensure_can_view(user)
    vehicles = Vehicle.objects.select_related("agency").order_by("code")
    if sees_whole_fleet(user):
        return vehicles
    if user.agency_id is None:
        return vehicles.none()
    return vehicles.filter(agency_id=user.agency_id)


def routes_visible_to(user: User) -> QuerySet[Route]:
    """The routes this staff member may follow, by code."""
    _ensure_can_view(user)
    routes = Route.objects.select_related("agency", "vehicle").order_by("code")
    if sees_whole_fleet(user):
        return routes
    if user.agency_id is None:
        return routes.none()
    return routes.filter(agency_id=user.agency_id)


def get_vehicle_for_staff(*, user: User, code: str) -> Vehicle:
    vehicle = vehicles_visible_to(user).filter(code=code).first()
    if vehicle is None:
        raise NotFound()
    return vehicle


def get_route_for_staff(*, user: User, code: str) -> Route:
    route = routes_visible_to(user).filter(code=code).first()
    if route is None:
        raise NotFound()
    return route


def active_idle_alerts_for(user: User) -> QuerySet[IdlePeriod]:
    """The open or acknowledged idle alerts of the vehicles this staff member follows, the
    latest first (the (status, idle_at) index)."""
    return (
        IdlePeriod.objects.filter(status__in=ACTIVE_STATUSES, vehicle__in=vehicles_visible_to(user))
        .select_related("vehicle")
        .order_by("-idle_at")
    )


def get_idle_alert_for_staff(*, user: User, pk: int) -> IdlePeriod:
    """One idle alert of a vehicle this staff member follows (another agency's: not found)."""
    period = (
        IdlePeriod.objects.filter(pk=pk, vehicle__in=vehicles_visible_to(user))
        .select_related("vehicle")
        .first()
    )
    if period is None:
        raise NotFound()
    return period
