"""Who sees which vehicles and routes: operators and administrators see the whole fleet;
officers and agency heads see their own agency's; everyone else nothing (the pages answer 403,
the API `permission_denied`). A vehicle of another agency is reported as not found."""

from __future__ import annotations

from django.db.models import QuerySet

from terang.core.choices import Role
from terang.core.errors import NotFound, PermissionDenied
from terang.core.models import User
from terang.fleet.models import Route, Vehicle

FLEET_WIDE_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
FLEET_AGENCY_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
FLEET_ROLES = FLEET_WIDE_ROLES | FLEET_AGENCY_ROLES


def can_view_fleet(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.role in FLEET_WIDE_ROLES
            or (user.role in FLEET_AGENCY_ROLES and user.agency_id is not None)
        )
    )


def _ensure_can_view(user: User) -> None:
    if not can_view_fleet(user):
        raise PermissionDenied()


def vehicles_visible_to(user: User) -> QuerySet[Vehicle]:
    """The vehicles this staff member may follow, by code."""
    _ensure_can_view(user)
    vehicles = Vehicle.objects.select_related("agency").order_by("code")
    if user.role in FLEET_WIDE_ROLES:
        return vehicles
    if user.agency_id is None:
        return vehicles.none()
    return vehicles.filter(agency_id=user.agency_id)


def routes_visible_to(user: User) -> QuerySet[Route]:
    """The routes this staff member may follow, by code."""
    _ensure_can_view(user)
    routes = Route.objects.select_related("agency", "vehicle").order_by("code")
    if user.role in FLEET_WIDE_ROLES:
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
