"""Allowed status transitions of information requests and objections. Status is assigned only
by `ppid.services`.

Request: received -> in_process -> answered -> closed. The PPID may extend the deadline once,
with written reasons (UU 14/2008 Pasal 22(8)): received/in_process -> extended -> answered; there
is no way back from `extended`, so a second extension cannot happen. The requester may withdraw
an open request. An answer may also come straight from `received` (a simple request answered
on the spot).

Objection: filed -> answered (by the atasan PPID) -> disputed (taken to the Komisi Informasi);
a filed objection the atasan left unanswered past its deadline may go to the Komisi directly
(filed -> disputed); the requester may withdraw a filed objection.
"""

from __future__ import annotations

from .choices import ObjectionStatus, RequestStatus

REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.RECEIVED: frozenset(
        {
            RequestStatus.IN_PROCESS,
            RequestStatus.EXTENDED,
            RequestStatus.ANSWERED,
            RequestStatus.WITHDRAWN,
        }
    ),
    RequestStatus.IN_PROCESS: frozenset(
        {RequestStatus.EXTENDED, RequestStatus.ANSWERED, RequestStatus.WITHDRAWN}
    ),
    RequestStatus.EXTENDED: frozenset({RequestStatus.ANSWERED, RequestStatus.WITHDRAWN}),
    RequestStatus.ANSWERED: frozenset({RequestStatus.CLOSED}),
    RequestStatus.CLOSED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
}

OBJECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ObjectionStatus.FILED: frozenset(
        {ObjectionStatus.ANSWERED, ObjectionStatus.DISPUTED, ObjectionStatus.WITHDRAWN}
    ),
    ObjectionStatus.ANSWERED: frozenset({ObjectionStatus.DISPUTED}),
    ObjectionStatus.DISPUTED: frozenset(),
    ObjectionStatus.WITHDRAWN: frozenset(),
}
