"""The wall as JSON (/api/v1/wall): what the wall page polls, and what another screen or a
city dashboard may read. Operators, administrators and the inspectorate only."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router

from terang.controlroom.permissions import can_view_wall
from terang.controlroom.wall import composer
from terang.controlroom.wall.schemas import WallOut
from terang.core.api_auth import require_staff, session_auth
from terang.core.errors import PermissionDenied
from terang.core.schemas import ErrorOut

router = Router(tags=["wall"])
# Each operation_id is the one the endpoint was first published with: generated clients name
# their methods after it, so it stays put when the module moves.


@router.get(
    "",
    response={200: WallOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=session_auth,
    summary="Wall snapshot: events after `since`, counters, map points, breaches",
    operation_id="terang_controlroom_api_wall_wall_snapshot",
)
def wall_snapshot(request: HttpRequest, since: dt.datetime | None = None) -> composer.WallSnapshot:
    """What the wall page polls every second. `since` is the `cursor` of the previous answer
    (ISO 8601; without an offset it is read as UTC); events stamped up to five seconds before
    it are repeated so a late commit is not missed: drop keys already shown. Without `since`,
    the last six hours of events. Counters, map points and breaches are at most a second old."""
    user = require_staff(request)
    if not can_view_wall(user):
        raise PermissionDenied()
    return composer.snapshot(since)
