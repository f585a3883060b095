"""Allowed status transitions of an aspiration. Status is assigned only by `services`.

submitted -> verified | rejected -> dispositioned (to an agency) -> in_progress -> resolved
-> closed (after the citizen's rating, or automatically after N working days). A resolution
that the category asks to be checked can be sent back (resolved -> in_progress); the citizen
may reopen a closed or resolved item within the city's reopen window. Duplicates are merged.
"""

from __future__ import annotations

from terang.core import workflow

from .choices import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.VERIFIED, Status.REJECTED, Status.MERGED}),
    Status.VERIFIED: frozenset({Status.DISPOSITIONED, Status.REJECTED, Status.MERGED}),
    Status.DISPOSITIONED: frozenset(
        {Status.DISPOSITIONED, Status.IN_PROGRESS, Status.RESOLVED, Status.MERGED}
    ),
    Status.IN_PROGRESS: frozenset({Status.DISPOSITIONED, Status.RESOLVED, Status.MERGED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
    Status.REJECTED: frozenset(),
    Status.MERGED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return workflow.can_transition(TRANSITIONS, current, target)
