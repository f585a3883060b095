"""The one transition helper: the allowed table decides, a refusal names what is allowed."""

from __future__ import annotations

import pytest

from terang.core.errors import InvalidTransition
from terang.core.workflow import can_transition, ensure_transition

TABLE = {"open": frozenset({"closed", "held"}), "closed": frozenset()}


def test_allowed_move_passes_and_refused_move_names_the_allowed_ones() -> None:
    assert can_transition(TABLE, "open", "closed")
    assert not can_transition(TABLE, "closed", "open")
    assert not can_transition(TABLE, "unknown", "open")
    ensure_transition(TABLE, "open", "held")
    with pytest.raises(InvalidTransition) as caught:
        ensure_transition(TABLE, "open", "gone")
    assert caught.value.code == "invalid_transition"
    assert caught.value.details == {"from": "open", "to": "gone", "allowed": ["closed", "held"]}
