"""Who may do what in the control room. Services enforce these; views and the API ask them to
choose a page, a status code or a button, never by reading `user.role` themselves.

The whole-city roles (operators, administrators, the inspectorate) see the wall, every alert and
the dead letters; only operators and administrators act on them. Officers and agency heads read
the alerts of their own agency's stations; agency heads also read the daily brief."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terang.core.choices import Role
from terang.core.errors import PermissionDenied
from terang.core.models import User

#: The control room's whole-city view: the wall, its stream and the dead letters page.
WALL_ROLES = frozenset({Role.OPERATOR, Role.ADMIN, Role.INSPECTORATE})
BRIEF_ROLES = WALL_ROLES | {Role.AGENCY_HEAD}
DEAD_LETTER_VIEW_ROLES = WALL_ROLES
DEAD_LETTER_REPLAY_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
#: Roles that see every station's alerts; officers and agency heads see their agency's stations.
ALERT_OVERSIGHT_ROLES = frozenset({Role.OPERATOR, Role.ADMIN, Role.INSPECTORATE})
ALERT_AGENCY_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
ALERT_MANAGER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})


def _has_role(user: User | None, roles: frozenset[str]) -> bool:
    """`user` may be anonymous (no role at all)."""
    return bool(user is not None and user.is_authenticated and user.role in roles)


def can_view_wall(user: User | None) -> bool:
    """The wall page, /api/v1/wall and the wall's event stream."""
    return _has_role(user, WALL_ROLES)


def can_replay_dead_letters(user: User | None) -> bool:
    return _has_role(user, DEAD_LETTER_REPLAY_ROLES)


def can_manage_alerts(user: User | None) -> bool:
    """Acknowledge and resolve sensor alerts (shown as `can_manage` on pages and the API)."""
    return _has_role(user, ALERT_MANAGER_ROLES)


def require_alert_manager(user: User) -> User:
    """The acting user if they may acknowledge or resolve an alert (an active operator or
    administrator); PermissionDenied otherwise."""
    if not can_manage_alerts(user) or not user.is_active:
        raise PermissionDenied(_("Hanya operator ruang kendali yang dapat menangani peringatan."))
    return user


def can_read_all_alerts(user: User | None) -> bool:
    """Every station's alerts (the control room and oversight)."""
    return _has_role(user, ALERT_OVERSIGHT_ROLES)


def alert_agency_of(user: User | None) -> int | None:
    """The agency whose stations' alerts an officer or agency head reads; None for anyone
    else (who reads all of them or none)."""
    if user is None or not _has_role(user, ALERT_AGENCY_ROLES):
        return None
    return user.agency_id
