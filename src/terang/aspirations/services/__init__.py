"""Every write to aspirations. HTML views, the JSON API, Open311, tasks and commands call these."""

from ._common import refresh_public_copies
from .following import follow_aspiration, subscribe_area, unfollow_aspiration, unsubscribe_area
from .handling import (
    add_internal_note,
    answer_aspiration,
    assign_for_good,
    auto_close_aspiration,
    bulk_action,
    check_resolution,
    merge_aspirations,
    needs_check,
    place_aspiration,
    rate_aspiration,
    redisposition_aspiration,
    reject_aspiration,
    reopen_aspiration,
    resolve_aspiration,
    start_progress,
    verify_aspiration,
)
from .intake import (
    Location,
    Once,
    Submission,
    new_tracking_code,
    normalise_contact,
    submit_aspiration,
    submit_aspiration_once,
)
from .public_copies import RemaskResult, remask_public_copies
from .sla import auto_close_resolved, sweep_deadlines

__all__ = [
    "Location",
    "Once",
    "RemaskResult",
    "Submission",
    "add_internal_note",
    "answer_aspiration",
    "assign_for_good",
    "auto_close_aspiration",
    "auto_close_resolved",
    "bulk_action",
    "check_resolution",
    "follow_aspiration",
    "merge_aspirations",
    "needs_check",
    "place_aspiration",
    "new_tracking_code",
    "normalise_contact",
    "rate_aspiration",
    "remask_public_copies",
    "redisposition_aspiration",
    "refresh_public_copies",
    "reject_aspiration",
    "reopen_aspiration",
    "resolve_aspiration",
    "start_progress",
    "submit_aspiration",
    "submit_aspiration_once",
    "subscribe_area",
    "sweep_deadlines",
    "unfollow_aspiration",
    "unsubscribe_area",
    "verify_aspiration",
]
