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


def can_view_incidents(user: User) -> bool:
    """May `user` open the 112 desk at all (which incidents: `reads_every_incident`)."""
    return bool(user.is_active and user.role in VIEW_ROLES)


def reads_every_incident(user: User) -> bool:
    """Call-takers and the inspectorate see every incident, whichever units were sent."""
    return bool(user.is_active and user.role in READ_ALL_ROLES)


def responder_agency_id(user: User) -> int | None:
    """The agency an officer or head responds for (they see and act on what its units were sent
    to); None for everyone else."""
    if user.is_active and user.role in RESPONDER_ROLES:
        return user.agency_id
    return None


def can_act_for_dispatch(user: User, dispatch: Dispatch) -> bool:
    """Call-takers act for any unit; responders only for units of their own agency."""
    if is_call_taker(user):
        return True
    agency_id = responder_agency_id(user)
    return agency_id is not None and dispatch.unit.agency_id == agency_id


def can_close(user: User, incident: Incident) -> bool:
    if is_call_taker(user):
        return True
    agency_id = responder_agency_id(user)
    if agency_id is None:
        return False
    return incident.dispatches.filter(unit__agency_id=agency_id).exists()
