"""Who may follow the city's vehicles and routes.

Operators and administrators see the whole fleet; officers and agency heads (kepala OPD) see
their own agency's vehicles and routes; everyone else nothing (the pages answer 403, the API
`permission_denied`). A vehicle of another agency is reported as not found, by the selectors."""

from __future__ import annotations

from terang.core.choices import Role
from terang.core.models import User

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
