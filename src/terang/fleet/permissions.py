"""Who may follow the city's vehicles and routes.

Operators and administrators see the whole fleet; officers and agency heads (kepala OPD) see
their own agency's vehicles and routes; everyone else nothing (the pages answer 403, the API
`permission_denied`). A vehicle of another agency is reported as not found, by the selectors.

Idle alerts are handled (acknowledged, resolved) by whoever follows the vehicle: the control
room for every vehicle, and the owning agency's staff, who are the ones to call its driver."""

from __future__ import annotations

from terang.core.choices import Role
from terang.core.models import User
from terang.fleet.models import IdlePeriod

WIDE_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
AGENCY_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
VIEW_ROLES = WIDE_ROLES | AGENCY_ROLES


def can_view_fleet(user: User) -> bool:
    """May `user` open the fleet pages and API at all (an agency role needs an agency)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.role in WIDE_ROLES or (user.role in AGENCY_ROLES and user.agency_id is not None))
    )


def sees_whole_fleet(user: User) -> bool:
    """Operators and administrators follow every vehicle, whatever its agency."""
    return user.role in WIDE_ROLES


def can_handle_idle_alert(user: User, period: IdlePeriod) -> bool:
    """May `user` acknowledge or resolve this idle alert (the vehicle is in their view)."""
    if not can_view_fleet(user):
        return False
    return sees_whole_fleet(user) or period.vehicle.agency_id == user.agency_id
