"""Who may do what with 112 incidents.

Call-takers (control-room operators, and administrators) receive calls, dispatch units and
cancel; officers and heads of a responding unit's agency report that unit on scene and close
incidents their agency's units were sent to; the inspectorate reads. Citizens see nothing."""

from __future__ import annotations

from terang.core.choices import Role
from terang.core.models import User

from .models import Dispatch, Incident

CALL_TAKER_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})
RESPONDER_ROLES = frozenset({Role.OFFICER, Role.AGENCY_HEAD})
READ_ALL_ROLES = frozenset({Role.OPERATOR, Role.ADMIN, Role.INSPECTORATE})
VIEW_ROLES = READ_ALL_ROLES | RESPONDER_ROLES


def is_call_taker(user: User) -> bool:
    return bool(user.is_active and user.role in CALL_TAKER_ROLES)


def can_act_for_dispatch(user: User, dispatch: Dispatch) -> bool:
    """Call-takers act for any unit; responders only for units of their own agency."""
    if is_call_taker(user):
        return True
    return bool(
        user.is_active
        and user.role in RESPONDER_ROLES
        and user.agency_id is not None
        and dispatch.unit.agency_id == user.agency_id
    )


def can_close(user: User, incident: Incident) -> bool:
    if is_call_taker(user):
        return True
    if not user.is_active or user.role not in RESPONDER_ROLES or user.agency_id is None:
        return False
    return incident.dispatches.filter(unit__agency_id=user.agency_id).exists()
