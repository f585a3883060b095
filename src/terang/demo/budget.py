"""Demo data for the budget app, created by `seed-demo` inside its transaction."""

from __future__ import annotations

import datetime as dt
import random

from .accounts import Accounts
from .city import City


def create(
    city: City, accounts: Accounts, *, now: dt.datetime, rng: random.Random
) -> dict[str, int]:
    """Create the demo rows; return counts by name for the seed summary."""
    return {}


def wipe() -> dict[str, int]:
    """Delete the demo rows (called by `seed-demo --reset` before agencies and users go)."""
    return {}
