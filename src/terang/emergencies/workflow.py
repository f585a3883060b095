"""Allowed status transitions of a 112 incident. Status is assigned only by `services`.

received -> dispatched -> on_scene -> closed. A call can be cancelled (the caller withdraws, a
duplicate of another call) before units arrive, and marked a false call at any active stage.
More units can join while an incident is dispatched or on scene; that changes no status.
"""

from __future__ import annotations

from .choices import IncidentStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.DISPATCHED, S.CANCELLED, S.FALSE_CALL}),
    S.DISPATCHED: frozenset({S.ON_SCENE, S.CANCELLED, S.FALSE_CALL}),
    S.ON_SCENE: frozenset({S.CLOSED, S.FALSE_CALL}),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
    S.FALSE_CALL: frozenset(),
}
